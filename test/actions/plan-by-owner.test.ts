// The action plan and the result page group a review's recommendations by owner and sort them by priority:
// the provider's first, then the social-services office, the board, the housing company, then "not given".
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createProgramScenario, type ProgramScenario } from '../helpers/program-scenario.js';
import { rateAndSubmit, startRating } from '../helpers/review-scenario.js';

async function finalWithPriorities(): Promise<ProgramScenario> {
  const s = await createProgramScenario();
  startRating(s);
  for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
  s.reviews.transition(s.reviewId, 'rating', 'consensus');
  for (const { indicator } of listIndicators(s.rubric)) {
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
      s.lead.id,
    );
  }
  const [a, b] = s.rubric.sections;
  if (!a || !b) throw new Error('missing');
  s.reviews.replaceFindings(
    s.reviewId,
    [
      {
        sectionId: a.id,
        strengths: [],
        recommendations: ['Bostadsbolaget tecknar kontrakt', 'Låg sak för utföraren', 'Utan ansvarig'],
        recommendationMeta: [
          { priority: 'high', owner: 'housing' },
          { priority: 'low', owner: 'provider' },
          { priority: 'medium', owner: undefined },
        ],
      },
      {
        sectionId: b.id,
        strengths: [],
        recommendations: ['Viktig sak för utföraren'],
        recommendationMeta: [{ priority: 'high', owner: 'provider' }],
      },
    ],
    s.lead.id,
  );
  s.reviews.saveJudgement(s.reviewId, 'Bedömning.', 0, s.lead.id);
  s.reviews.transition(s.reviewId, 'consensus', 'final');
  return s;
}

const order = (html: string, needles: readonly string[]) => needles.map((needle) => html.indexOf(needle));

describe('recommendations by owner', () => {
  it('when the program lead opens the action plan, then the recommendations are grouped by owner and sorted by priority', async () => {
    const s = await finalWithPriorities();
    const page = await (await s.login(s.programLead)).get(`/programs/${s.programId}/actions`);
    expect(page.status).toBe(200);
    const at = order(page.text, [
      '<h2>Utföraren av stödet</h2>',
      'Viktig sak för utföraren',
      'Låg sak för utföraren',
      '<h2>Hyresvärdar och bostadsbolag</h2>',
      'Bostadsbolaget tecknar kontrakt',
      '<h2>Ej angiven</h2>',
      'Utan ansvarig',
    ]);
    expect(at.every((index) => index > -1)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });

  it('when anyone opens the result page, then it lists the recommendations by owner, highest priority first', async () => {
    const s = await finalWithPriorities();
    const page = await (await s.login(s.outsider)).get(`/reviews/${s.reviewId}/result`);
    expect(page.status).toBe(200);
    const section = page.text.slice(page.text.indexOf('id="recommendations-by-owner"'));
    const at = order(section, [
      '<h3>Utföraren av stödet</h3>',
      '<strong>Hög</strong>',
      'Viktig sak för utföraren',
      'Låg sak för utföraren',
      '<h3>Hyresvärdar och bostadsbolag</h3>',
      '<h3>Ej angiven</h3>',
    ]);
    expect(at.every((index) => index > -1)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });
});
