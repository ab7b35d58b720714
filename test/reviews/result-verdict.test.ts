import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { loadTestRubrics, MINI_RUBRIC_FILE, makeTestApp, ROOT, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

const CAPPED_FILE = `${ROOT}test/fixtures/rubrics/capped-mix.yaml`;

/** A final review on the capped-mix rubric with the given consensus scores. */
async function finalCappedReview(consensus: Record<string, number>): Promise<ReviewScenario> {
  const app = makeTestApp({ rubrics: loadTestRubrics([SHIPPED_RUBRIC_FILE, MINI_RUBRIC_FILE, CAPPED_FILE]) });
  const s = await createReviewScenario({ app, rubricId: 'capped-mix' });
  startRating(s);
  for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min);
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('no consensus phase');
  for (const { indicator } of listIndicators(s.rubric)) {
    const score = consensus[indicator.id];
    if (score === undefined) throw new Error(`no score for ${indicator.id}`);
    const saved = s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: indicator.id, score, notApplicable: false, rationale: 'Enligt underlagen.' },
      s.lead.id,
    );
    if (saved.outcome !== 'saved') throw new Error('consensus not saved');
  }
  if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
  return s;
}

async function resultPage(s: ReviewScenario, query = ''): Promise<string> {
  const agent = await s.login(s.outsider);
  const response = await agent.get(`/reviews/${s.reviewId}/result${query}`);
  expect(response.status).toBe(200);
  return response.text;
}

describe('the level on the result page', () => {
  it('when a critical item is at its minimum, then the page gives the band, the capped level and the reason', async () => {
    // K1 (2 + 2) / 4 = 100 %, M1 (1 + 5) / 10 = 60 %: 80 %, the band of Bra; the caseload at 1 caps it at Godkänd.
    const s = await finalCappedReview({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 1, 'm1-plan': 5, 'q1-contact': 1 });
    const html = await resultPage(s);
    expect(html).toContain('<strong>Godkänd</strong>');
    // The capped level's rubric definition is a band (60–79 %) the 80 % beside it is not in: it is left out.
    expect(html).not.toContain('60–79 % av maxpoängen.');
    expect(html).toContain('Nivån avgörs av Kärna och Metod: 80\u00a0% av maxpoängen, inom bandet för Bra (från 80\u00a0%).');
    expect(html).toContain(
      '<strong>Nivån begränsas till Godkänd: indikatorn M1.1 ”Rimlig ärendemängd” fick 1 av 5 (över 20).</strong> En kärnkomponent saknas helt.',
    );
    // The indicator's statement is named as the indicator, so it is not read as the finding; the part beside the level
    // by its one name, its title.
    expect(html).toContain('Kvalitet redovisas vid sidan av nivån och påverkar den inte.');
    const english = await resultPage(s, '?lang=en');
    expect(english).toContain('The level is capped at Fair: indicator M1.1 “Reasonable caseload” scored 1 of 5 (over 20).');
    expect(english).toContain('Reported beside the level, which it does not change: Quality.');
  });

  it('when the page gives the share in the top two levels, then it is a count of indicators, with no percent beside the level', async () => {
    // 3 of the 4 deciding indicators in the top two levels of their scale: a percent (75 %) beside the level would be
    // read as its figure or as a threshold; the one beside it is the percent of maximum.
    const s = await finalCappedReview({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 3, 'm1-plan': 5, 'q1-contact': 1 });
    const html = await resultPage(s);
    expect(html).toContain('<dt>På de två högsta nivåerna</dt><dd>3 av 4 bedömda indikatorer på skalans två högsta nivåer</dd>');
    const english = await resultPage(s, '?lang=en');
    expect(english).toContain('<dt>In the top two levels</dt><dd>3 of 4 rated indicators at the top two levels of their scale</dd>');
  });

  it('when no critical item fails, then the band decides and no cap is shown', async () => {
    const s = await finalCappedReview({ 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 3, 'm1-plan': 5, 'q1-contact': 1 });
    const html = await resultPage(s);
    expect(html).toContain('<strong>Bra</strong>. Minst 80 % av maxpoängen.');
    expect(html).not.toContain('Nivån begränsas');
  });
});
