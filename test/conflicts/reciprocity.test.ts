// Reciprocity counts only reviews that took place: a review past draft whose site visit lies inside the window and
// not in the future. A planned review (a draft, or a visit still to come) must not lock anyone out.
import { describe, expect, it } from 'vitest';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { todayInSweden } from '../../src/i18n/calendar.js';
import { createReviewScenario, type ReviewScenario, setUpReciprocalWarning } from '../helpers/review-scenario.js';
import { postForm } from '../helpers/test-app.js';

const DAY = 86_400_000;
const daysFromToday = (days: number) => todayInSweden(new Date(Date.now() + days * DAY));

// setUpReciprocalWarning: reviewer A works for Göteborg; the lead works for Stockholm and sits on an earlier review of a
// Göteborg program. Whether that review makes Stockholm "have reviewed" Göteborg depends on its status and visit date.
async function addReviewerA(s: ReviewScenario) {
  const agent = await s.login(s.coordinator);
  return postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, { user_id: String(s.reviewerA.id), role: 'reviewer' });
}

describe('the reciprocal-review warning', () => {
  it('when the earlier review is still a draft, then it does not count: the reviewer is added without a warning', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s, { visitStart: daysFromToday(-60), pastDraft: false });
    const response = await addReviewerA(s);
    expect(response.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).toEqual([s.reviewerA.id]);
    expect(createConflictStore(s.db).findConfirmation(s.reviewId, s.reviewerA.id)).toBeUndefined();
  });

  it('when the earlier review’s visit is still to come, then it does not count, even past draft', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s, { visitStart: daysFromToday(30), pastDraft: true });
    const response = await addReviewerA(s);
    expect(response.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).toEqual([s.reviewerA.id]);
  });

  it('when the earlier review’s visit was before the window, then it does not count', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s, { visitStart: daysFromToday(-400), pastDraft: true });
    expect((await addReviewerA(s)).status).toBe(303);
  });

  it('when the earlier review took place (past draft, visit inside the window), then the coordinator is still warned', async () => {
    const s = await createReviewScenario();
    const visit = daysFromToday(-60);
    setUpReciprocalWarning(s, { visitStart: visit, pastDraft: true });
    const response = await addReviewerA(s);
    expect(response.status).toBe(422);
    expect(response.text).toContain(`Stockholm har granskat Anna Andersson`);
    expect(response.text).toContain(`(Bostad först Göteborg, ${visit})`);
    expect(response.text).toContain('Skriv varför Anna Andersson ändå ska vara med i granskningspanelen');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('when the earlier review’s visit is today, then it took place and counts', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s, { visitStart: daysFromToday(0), pastDraft: true });
    expect((await addReviewerA(s)).status).toBe(422);
  });
});

describe('the day a review without visit dates took place', () => {
  it('when its rating started at 23:30 UTC, then it took place on the next Swedish day, which counts on the window’s first day', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s, { visitStart: '2026-03-01', pastDraft: true });
    const municipalities = createMunicipalityStore(s.db);
    const [stockholm, goteborg] = [municipalities.findMunicipalityByCode('0180'), municipalities.findMunicipalityByCode('1480')];
    const earlier = s.db.prepare("SELECT id FROM reviews WHERE status = 'rating' AND id <> ?").pluck().get(s.reviewId) as number;
    // 23:30 UTC on 28 February is 00:30 on 1 March in Sweden (winter time).
    s.db.prepare('UPDATE reviews SET visit_start = NULL, rating_started_at = ? WHERE id = ?').run('2026-02-28T23:30:00.000Z', earlier);
    const find = (since: string, today: string) =>
      createConflictStore(s.db).findReciprocalReviews({
        reviewedMunicipality: goteborg?.id ?? 0,
        reviewingMunicipality: stockholm?.id ?? 0,
        since,
        today,
        exceptReview: s.reviewId,
      });
    expect(find('2026-03-01', '2026-06-01')).toEqual([{ reviewId: earlier, programName: 'Bostad först Göteborg', date: '2026-03-01' }]);
    // Nor does it count a day early, when the Swedish today is still 28 February.
    expect(find('2025-03-01', '2026-02-28')).toEqual([]);
  });
});
