// The factual check's response and changes forms at their edges: before the draft is sent, on a conflict of the
// changes form, and once the review has left consensus. Each keeps what was typed and stores nothing.
import { describe, expect, it } from 'vitest';
import { createProgramMemberStore } from '../../src/program-members/program-member-store.js';
import { createReviewScenario, type Person, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createTestUser, postForm } from '../helpers/test-app.js';

async function inConsensus(): Promise<ReviewScenario & { programLead: Person }> {
  const s = await createReviewScenario({ rubricId: 'mini-five' });
  startRating(s);
  for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
  s.reviews.transition(s.reviewId, 'rating', 'consensus');
  const programLead = await createTestUser(s.db, ['program_lead'], { displayName: 'Pia Programledare' });
  createProgramMemberStore(s.db).setMember(s.programId, programLead.id, 'lead', s.coordinator.id);
  return { ...s, programLead };
}

describe('the factual check forms', () => {
  it('when the draft has not been sent, then the forms lead back to the check and a post is 409 that keeps the text', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    const check = `/reviews/${s.reviewId}/factual-check`;
    const page = await lead.get(`${check}/changes`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(check);
    const early = await postForm(lead, check, `${check}/changes`, { changes: 'Rättat i B6.', version: '0' });
    expect(early.status).toBe(409);
    expect(early.text).toContain('Utkastet har inte skickats till verksamheten än.');
    expect(early.text).toContain('Rättat i B6.');
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();
  });

  it('when the changes form is based on an older version, then 409 keeps the typed text, shows the stored one and moves the version on', async () => {
    const s = await inConsensus();
    expect(s.reviews.sendFactualCheck(s.reviewId, s.coordinator.id)).toBe('sent');
    const lead = await s.login(s.lead);
    const form = `/reviews/${s.reviewId}/factual-check/changes`;
    expect((await postForm(lead, form, form, { changes: 'Första texten', version: '0' })).status).toBe(303);
    const stale = await postForm(lead, form, form, { changes: 'Min andra text', version: '0' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Någon annan har sparat medan du skrev.');
    expect(stale.text).toContain('Min andra text');
    expect(stale.text).toContain('Första texten');
    expect(stale.text).toContain('name="version" value="1"');
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ changes: 'Första texten', changesVersion: 1 });
  });

  it('when the review is final, then a response is 409 with the form closed and the typed text kept', async () => {
    const s = await inConsensus();
    expect(s.reviews.sendFactualCheck(s.reviewId, s.coordinator.id)).toBe('sent');
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    const programLead = await s.login(s.programLead);
    const form = `/reviews/${s.reviewId}/factual-check/response`;
    expect((await programLead.get(form)).headers.location).toBe(`/reviews/${s.reviewId}/factual-check`);
    const late = await postForm(programLead, `/reviews/${s.reviewId}/factual-check`, form, {
      corrections: 'Sen rättelse',
      response: '',
      version: '0',
    });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Granskningen är inte i konsensus längre');
    expect(late.text).toContain('Sen rättelse');
    expect(late.text).not.toContain('Spara svaret');
    expect(s.reviews.findFactualCheck(s.reviewId)?.corrections).toBe('');
  });
});
