// The panel form when a conflict-of-interest warning needs the coordinator's reason: what was typed survives a
// refusal, and a confirmation is only kept together with the panel change it was given for.
import { describe, expect, it } from 'vitest';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { createReviewScenario, fullRatings, setUpReciprocalWarning } from '../helpers/review-scenario.js';
import { postForm } from '../helpers/test-app.js';

describe('POST /reviews/:id/panel with a conflict warning', () => {
  it('when the reason itself is refused (a personnummer), then the warning, the reason field and the typed text stay on the page', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const agent = await s.login(s.coordinator);
    const reason = 'Enda ACT-granskaren, se 811218-9876';
    const response = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
      user_id: String(s.reviewerA.id),
      role: 'reviewer',
      warning_reason: reason,
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Ömsesidiga granskningar');
    expect(response.text).toContain('name="warning_reason"');
    expect(response.text).toContain(reason);
    expect(response.text).toContain('id="f-warning_reason"');
    expect(response.text).toContain('aria-invalid="true"');
    expect(createConflictStore(s.db).findConfirmation(s.reviewId, s.reviewerA.id)).toBeUndefined();
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('when the panel change itself is refused (the person has ratings), then no confirmation is left behind and the reason is kept', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    // Reviewer A was put on the panel before the warning applied, and has started rating.
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    s.reviews.setPanelMember(s.reviewId, s.reviewerB.id, 'reviewer');
    if (!s.reviews.transition(s.reviewId, 'draft', 'rating')) throw new Error('could not start rating');
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, fullRatings(s.rubric, (min) => min).slice(0, 1)).outcome).toBe('saved');
    const agent = await s.login(s.coordinator);
    const reason = 'Ingen annan granskare med ACT-erfarenhet finns.';
    const response = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
      user_id: String(s.reviewerA.id),
      role: 'observer',
      warning_reason: reason,
    });
    expect(response.status).toBe(409);
    expect(response.text).toContain('har redan sparat bedömningar');
    expect(response.text).toContain(reason);
    expect(createConflictStore(s.db).findConfirmation(s.reviewId, s.reviewerA.id)).toBeUndefined();
    const logged = s.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity LIKE '%confirmation%'").get() as { n: number };
    expect(logged.n).toBe(0);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.role).toBe('reviewer');
  });

  it('when the reason is given and the change is allowed, then both the member and the confirmation are saved', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const agent = await s.login(s.coordinator);
    const response = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
      user_id: String(s.reviewerA.id),
      role: 'reviewer',
      warning_reason: 'Ingen annan granskare med ACT-erfarenhet finns.',
    });
    expect(response.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).toEqual([s.reviewerA.id]);
    expect(createConflictStore(s.db).findConfirmation(s.reviewId, s.reviewerA.id)).toBe('Ingen annan granskare med ACT-erfarenhet finns.');
  });

  it('when an unknown person is chosen, then the form keeps the chosen role', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const response = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
      user_id: '999999',
      role: 'observer',
    });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/<option value="observer"[^>]*selected/);
  });
});
