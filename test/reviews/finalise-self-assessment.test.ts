// Finalising a self-assessment: its check page and overview leave out what does not apply to it (the overall
// judgement, the evidence base, the factual check), parts left empty are not "Klar – 0 av 14", and the confirmation
// says who may read it, as its overview does, with no link to a peer review's report.
import { describe, expect, it } from 'vitest';
import { createProgramScenario, type ProgramScenario, rateAtMaxAndSubmit } from '../helpers/program-scenario.js';
import { rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import type { Agent } from '../helpers/test-app.js';
import { postForm } from '../helpers/test-app.js';

/** A self-assessment on mini-five the program lead rated alone and adopted as consensus: ready to finalise. */
async function selfAssessmentInConsensus(): Promise<{ s: ProgramScenario; id: number; lead: Agent }> {
  const s = await createProgramScenario();
  const lead = await s.login(s.programLead);
  const page = `/programs/${s.programId}/self-assessments`;
  const started = await postForm(lead, page, page, { rubric_id: 'mini-five', date: '2026-02-01' });
  const id = Number(/^\/reviews\/(\d+)$/.exec(started.headers.location ?? '')?.[1]);
  rateAtMaxAndSubmit(s, id, s.programLead.id);
  expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'consensus' })).status).toBe(303);
  expect((await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {})).status).toBe(303);
  return { s, id, lead };
}

describe('finalising a self-assessment', () => {
  it('when the lead opens the check page, then it has no rows for the judgement, the evidence base or the factual check', async () => {
    const { id, lead } = await selfAssessmentInConsensus();
    const check = await lead.get(`/reviews/${id}/finalise`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('<dt>Konsensus</dt>');
    for (const absent of [
      'Samlad bedömning',
      'Saknas – krävs för att slutföra',
      'Faktagranskning',
      'Utkastet är inte skickat',
      'Underlag',
    ]) {
      expect(check.text, absent).not.toContain(absent);
    }
  });

  it('when finalised, then the confirmation says who may read it as its overview does, and links to no report', async () => {
    const { s, id, lead } = await selfAssessmentInConsensus();
    const finalised = await postForm(lead, `/reviews/${id}/finalise`, `/reviews/${id}/finalise`, {});
    expect(finalised.status).toBe(303);
    const done = await lead.get(`/reviews/${id}/finalised`);
    expect(done.text).toContain('<h1>Självskattningen är slutförd</h1>');
    expect(done.text).toContain(
      'Självskattningen är låst. Resultatet kan läsas av verksamhetens medarbetare och av paneler som den delas med.',
    );
    expect(done.text).not.toContain('alla inloggade');
    expect(done.text).not.toContain('report.pdf');
    expect(done.text).toContain(`<a href="/reviews/${id}">Till självskattningen</a>`);
    const english = await lead.get(`/reviews/${id}/finalised?lang=en`);
    expect(english.text).toContain('<h1>The self-assessment is finalised</h1>');
    expect(english.text).not.toContain('Everyone logged in');
    // Who may not read it still may not.
    expect((await (await s.login(s.outsider)).get(`/reviews/${id}/result`)).status).toBe(404);
  });

  it('when finalised with no findings or barriers, then the overview says none were written, not "Klar – 0 av", and counts one rater in the singular', async () => {
    const { s, id, lead } = await selfAssessmentInConsensus();
    expect((await postForm(lead, `/reviews/${id}/finalise`, `/reviews/${id}/finalise`, {})).status).toBe(303);
    const overview = await lead.get(`/reviews/${id}`);
    expect(overview.text).toContain('<strong class="badge badge--draft" id="tag-findings">Inga skrivna</strong>');
    expect(overview.text).toContain('<strong class="badge badge--draft" id="tag-barriers">Inga skrivna</strong>');
    expect(overview.text).not.toMatch(/Klar – 0 av/);
    expect(overview.text).not.toContain('id="task-report-parts"');
    const english = await lead.get(`/reviews/${id}?lang=en`);
    expect(english.text).toContain('id="tag-panel">Completed – 1 rater</strong>');
    expect(english.text).toContain('id="tag-findings">None written</strong>');
    // The program's list of reviews files a self-assessment's date as its date, not as a visit's.
    const program = await lead.get(`/programs/${s.programId}`);
    expect(program.text).toContain('<th role="columnheader" scope="col">Datum</th>');
    expect(program.text).not.toContain('Besöksdatum');
  });

  it('when a peer review is finalised, then the confirmation still says everyone logged in may read it and links to the report', async () => {
    const s = await createProgramScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    const done = await (await s.login(s.lead)).get(`/reviews/${s.reviewId}/finalised`);
    expect(done.text).toContain('<h1>Granskningen är slutförd</h1>');
    expect(done.text).toContain('Resultatet kan läsas av alla inloggade.');
    expect(done.text).toContain('href="/municipalities/0180/report.pdf"');
  });
});
