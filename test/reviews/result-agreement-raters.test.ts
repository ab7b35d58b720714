// The result page's agreement block needs two raters at least; and a peer review keeps its own wording in the
// status transitions next to a self-assessment's.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { postForm } from '../helpers/test-app.js';
import { rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';

/** The page's own content, without the header. */
function mainOf(html: string): string {
  const match = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  if (!match?.[1]) throw new Error('no <main> on the page');
  return match[1];
}

/** A final self-assessment on mini-five rated by the program lead alone, through the store. */
function finalLoneSelfAssessment(s: ProgramScenario): number {
  const rubric = s.rubrics.get('mini-five');
  if (!rubric) throw new Error('rubric missing');
  const id = s.selfAssessments.startSelfAssessment({
    programId: s.programId,
    rubric,
    leadId: s.programLead.id,
    coRaterIds: [],
    date: '2026-02-01',
  });
  const indicators = listIndicators(rubric.rubric);
  const ratings = indicators.map(({ indicator }, index) => ({
    indicatorId: indicator.id,
    score: index === 0 ? indicator.scale.min : indicator.scale.max,
    notApplicable: false,
    evidence: [],
    note: '',
  }));
  expect(s.reviews.saveRatings(id, s.programLead.id, ratings).outcome).toBe('saved');
  expect(
    s.reviews.submitRatings(
      id,
      s.programLead.id,
      indicators.map(({ indicator }) => indicator.id),
    ),
  ).toBe('submitted');
  expect(s.reviews.transition(id, 'rating', 'consensus')).toBe(true);
  expect(s.selfAssessments.adoptAgreedRatings(id, s.programLead.id)).toMatchObject({ outcome: 'adopted', undecided: 0 });
  expect(s.reviews.transition(id, 'consensus', 'final')).toBe(true);
  return id;
}

describe('GET /reviews/:id/result: agreement and the number of raters', () => {
  it('when a single rater submitted, then there is no agreement block, only a one-line note, in Swedish and English', async () => {
    const s = await createProgramScenario();
    const id = finalLoneSelfAssessment(s);
    const agent = await s.login(s.programLead);
    const response = await agent.get(`/reviews/${id}/result`);
    expect(response.status).toBe(200);
    const html = mainOf(response.text);
    expect(html).not.toContain('id="agreement"');
    expect(html).not.toContain('Samstämmighet mellan bedömarna');
    expect(html).not.toContain('Kan inte beräknas');
    expect(html).not.toContain('ICC');
    expect(html).toContain('Samstämmighet mellan bedömare beräknas bara när minst två bedömare har skickat in sina bedömningar.');
    const english = mainOf((await agent.get(`/reviews/${id}/result?lang=en`)).text);
    expect(english).toContain('Agreement between raters is computed only when at least two raters have submitted their ratings.');
    expect(english).not.toContain('id="agreement"');
  });

  it('when two raters or more submitted, then the agreement block is shown and the note is not', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (_min, max, index) => (index === 0 ? 'na' : max));
    const agent = await s.login(s.outsider);
    const html = mainOf((await agent.get(`/reviews/${s.reviewId}/result`)).text);
    expect(html).toContain('<h2 id="agreement">Samstämmighet mellan bedömarna</h2>');
    expect(html).not.toContain('minst två bedömare har skickat in');
  });

  it('when the review is still in consensus, then neither the block nor the note is shown', async () => {
    const s = await createProgramScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, () => 3);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    const agent = await s.login(s.lead);
    const html = mainOf((await agent.get(`/reviews/${s.reviewId}/result`)).text);
    expect(html).not.toContain('id="agreement"');
    expect(html).not.toContain('minst två bedömare har skickat in');
  });
});

describe('POST /reviews/:id/status: a peer review keeps its wording', () => {
  it('when a peer review is finalised, then the flash still speaks of the review', async () => {
    const s = await createProgramScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, () => 3);
    const lead = await s.login(s.lead);
    expect((await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'consensus' })).status).toBe(303);
    const started = await lead.get(`/reviews/${s.reviewId}`);
    expect(started.text).toContain('Konsensusfasen har startat.');
    // The task list offers finalising only once every indicator has a consensus; it says so until then.
    expect(started.text).toContain('Granskningen kan slutföras när alla indikatorer har konsensus.');
    expect(started.text).not.toContain('/adopt"');
    for (const { indicator } of listIndicators(s.rubric)) {
      const input = { indicatorId: indicator.id, score: 3, notApplicable: false, rationale: '' };
      expect(s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome).toBe('saved');
    }
    s.reviews.saveJudgement(s.reviewId, 'Verksamheten följer modellen i stort.', 0, s.lead.id);
    expect((await lead.get(`/reviews/${s.reviewId}`)).text).toContain('Granskningen låses. Inga ändringar kan göras efteråt.');
    expect((await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'final' })).status).toBe(303);
    const done = await lead.get(`/reviews/${s.reviewId}`);
    expect(done.text).toContain('Granskningen är slutförd och låst.');
    expect(done.text).not.toContain('Självskattningen');
    expect(done.text).toContain('<h1>Granskning av Bostad först Stockholm</h1>');
  });
});
