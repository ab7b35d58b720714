import { describe, expect, it } from 'vitest';
import { isOpen, isOverdue } from '../../src/actions/action-status.js';
import { todayInSweden } from '../../src/i18n/calendar.js';
import { findPreviousRound } from '../../src/reviews/review-rounds.js';
import type { ReviewSummary } from '../../src/reviews/review-types.js';

describe('isOverdue', () => {
  const today = '2026-05-10';
  it('when an open action is past its due date, then it is overdue', () => {
    expect(isOverdue({ status: 'not_started', dueOn: '2026-05-09' }, today)).toBe(true);
    expect(isOverdue({ status: 'in_progress', dueOn: '2025-12-31' }, today)).toBe(true);
  });
  it('when it is due today, later, or has no due date, then it is not', () => {
    expect(isOverdue({ status: 'not_started', dueOn: today }, today)).toBe(false);
    expect(isOverdue({ status: 'in_progress', dueOn: '2026-06-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'not_started', dueOn: undefined }, today)).toBe(false);
  });
  it('when it is done or dropped, then it is never overdue', () => {
    expect(isOverdue({ status: 'done', dueOn: '2020-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'dropped', dueOn: '2020-01-01' }, today)).toBe(false);
    expect(isOpen('done')).toBe(false);
  });
  it('takes today as the Swedish calendar day (Europe/Stockholm), not the UTC one', () => {
    // 23:30 UTC is already the next day in Sweden: 01:30 in summer time, 00:30 in winter time.
    expect(todayInSweden(new Date('2026-05-10T23:30:00Z'))).toBe('2026-05-11');
    expect(todayInSweden(new Date('2026-01-10T23:30:00Z'))).toBe('2026-01-11');
    expect(todayInSweden(new Date('2026-01-10T22:30:00Z'))).toBe('2026-01-10');
  });
});

describe('findPreviousRound', () => {
  const summary = (id: number, visitStart: string | undefined, createdAt = '2026-01-01T00:00:00Z'): ReviewSummary => ({
    id,
    programId: 1,
    programName: 'P',
    municipalityCode: '0180',
    municipalityName: 'Stockholm',
    kind: 'peer_review',
    status: 'final',
    visitStart,
    visitEnd: visitStart,
    rubricId: 'r',
    rubricVersion: '1',
    rubricTitle: { sv: 'R', en: 'R' },
    createdAt,
    finalisedAt: undefined,
  });
  // Latest first, as listFinalPeerReviews gives them.
  const finals = [summary(3, '2025-10-01'), summary(2, '2025-03-01'), summary(1, '2024-09-01')];

  it('gives the latest final round before the review', () => {
    expect(findPreviousRound(finals, summary(9, '2026-04-01'))?.id).toBe(3);
    expect(findPreviousRound(finals, summary(3, '2025-10-01'))?.id).toBe(2);
  });
  it('uses the creation day when the review has no visit date, and gives nothing before the first round', () => {
    expect(findPreviousRound(finals, summary(9, undefined, '2025-05-05T10:00:00Z'))?.id).toBe(2);
    expect(findPreviousRound(finals, summary(1, '2024-09-01'))).toBeUndefined();
  });
});
