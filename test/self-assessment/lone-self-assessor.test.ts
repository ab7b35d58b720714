// A self-assessment by one person takes as few steps as the rules allow. Once the lone rater has
// submitted, one confirmation makes their ratings the consensus (the adoption starts consensus itself, instead of
// "Starta konsensus" and then "Ta över"), nobody tells them that "bedömarna ser varandras bedömningar", and the gap
// view's empty state leads to starting a self-assessment.
import { describe, expect, it } from 'vitest';
import { isLoneSubmittedLead } from '../../src/reviews/review-access.js';
import type { PanelMember } from '../../src/reviews/review-types.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import type { Agent } from '../helpers/test-app.js';
import { postForm } from '../helpers/test-app.js';
import { createProgramScenario, type ProgramScenario, rateAtMaxAndSubmit } from '../helpers/program-scenario.js';

async function startSelfAssessment(s: ProgramScenario, agent: Agent, fields: Record<string, string | string[]> = {}): Promise<number> {
  const page = `/programs/${s.programId}/self-assessments`;
  const response = await postForm(agent, page, page, { rubric_id: 'mini-five', date: '2026-02-01', ...fields });
  expect(response.status).toBe(303);
  return Number(/^\/reviews\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
}

const adoptAction = (id: number) => `action="/self-assessments/${id}/adopt"`;

describe('a self-assessment by one person', () => {
  it('when the lone rater has submitted, then one confirmation makes the ratings the consensus, ready to finalise', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const id = await startSelfAssessment(s, lead);
    rateAtMaxAndSubmit(s, id, s.programLead.id);
    const count = listIndicators(s.reviews.findReviewById(id)?.rubric.rubric ?? s.rubric).length;
    expect(s.reviews.findReviewById(id)?.status).toBe('rating');

    // The overview offers the one step, and no separate "Starta konsensus" before it.
    const overview = await lead.get(`/reviews/${id}`);
    expect(overview.text).toContain(adoptAction(id));
    expect(overview.text).not.toMatch(/name="to" value="consensus"/);
    expect(overview.text).not.toContain('ser varandras bedömningar');
    // So does the program's list of self-assessments.
    expect((await lead.get(`/programs/${s.programId}/self-assessments`)).text).toContain(adoptAction(id));

    const adopted = await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {});
    expect(adopted.status).toBe(303);
    expect(s.reviews.findReviewById(id)?.status).toBe('consensus');
    expect(s.reviews.listConsensus(id)).toHaveLength(count);
    // The audit log records the move to consensus as the lead's.
    const moved = s.db
      .prepare("SELECT actor_id FROM audit_log WHERE entity = 'review' AND entity_key = ? AND new_value LIKE '%consensus%'")
      .get(String(id)) as { actor_id: number } | undefined;
    expect(moved?.actor_id).toBe(s.programLead.id);
    expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'final' })).status).toBe(303);
    expect(s.reviews.findReviewById(id)?.status).toBe('final');
  });

  it('when the lone rater has not submitted yet, then the one step is neither offered nor taken', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const id = await startSelfAssessment(s, lead);
    expect((await lead.get(`/reviews/${id}`)).text).not.toContain(adoptAction(id));
    const refused = await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {});
    expect(refused.status).toBe(409);
    expect(s.reviews.findReviewById(id)?.status).toBe('rating');
    expect(s.reviews.listConsensus(id)).toEqual([]);
  });

  it('when two people rate, then the rating phase cannot be skipped: consensus is started as usual', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const id = await startSelfAssessment(s, lead, { co_raters: [String(s.staff.id)] });
    rateAtMaxAndSubmit(s, id, s.programLead.id);
    rateAtMaxAndSubmit(s, id, s.staff.id);
    const overview = await lead.get(`/reviews/${id}`);
    expect(overview.text).not.toContain(adoptAction(id));
    expect(overview.text).toMatch(/name="to" value="consensus"/);
    const refused = await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {});
    expect(refused.status).toBe(409);
    expect(s.reviews.findReviewById(id)?.status).toBe('rating');
  });

  it('when a store caller adopts a lone rater’s ratings during rating without asking to start consensus, then the store runs no rule of its own and changes nothing', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s, await s.login(s.programLead));
    rateAtMaxAndSubmit(s, id, s.programLead.id);
    expect(s.selfAssessments.adoptAgreedRatings(id, s.programLead.id)).toEqual({ outcome: 'locked' });
    expect(s.reviews.findReviewById(id)?.status).toBe('rating');
    expect(s.reviews.listConsensus(id)).toEqual([]);
    expect(s.selfAssessments.adoptAgreedRatings(id, s.programLead.id, { startConsensus: true })).toMatchObject({
      outcome: 'adopted',
      undecided: 0,
    });
    expect(s.reviews.findReviewById(id)?.status).toBe('consensus');
  });

  it('when there is no self-assessment to compare, then the gap view links to starting one, for the lead', async () => {
    const s = await createProgramScenario();
    const gap = await (await s.login(s.programLead)).get(`/programs/${s.programId}/gap`);
    expect(gap.status).toBe(200);
    expect(gap.text).toContain(`<a class="button" href="/programs/${s.programId}/self-assessments#start">Starta en självskattning</a>`);
    const list = await (await s.login(s.programLead)).get(`/programs/${s.programId}/self-assessments`);
    expect(list.text).toContain('<h2 id="start">');
    // Staff may not start one: they get the list instead.
    const staff = await (await s.login(s.staff)).get(`/programs/${s.programId}/gap`);
    expect(staff.text).not.toContain('#start');
    expect(staff.text).toContain(`href="/programs/${s.programId}/self-assessments"`);
  });
});

describe('isLoneSubmittedLead', () => {
  const member = (userId: number, role: PanelMember['role'], submitted: boolean): PanelMember =>
    ({ userId, role, displayName: `P${userId}`, submittedAt: submitted ? '2026-03-01T10:00:00.000Z' : undefined }) as PanelMember;

  it('holds only for the panel’s lead who is its only rater and has submitted', () => {
    expect(isLoneSubmittedLead([member(1, 'lead', true)], 1)).toBe(true);
    expect(isLoneSubmittedLead([member(1, 'lead', true), member(2, 'observer', false)], 1)).toBe(true);
    expect(isLoneSubmittedLead([member(1, 'lead', false)], 1)).toBe(false);
    expect(isLoneSubmittedLead([member(1, 'lead', true)], 2)).toBe(false);
    expect(isLoneSubmittedLead([member(1, 'lead', true), member(2, 'reviewer', true)], 1)).toBe(false);
  });
});
