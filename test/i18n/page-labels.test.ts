// The labels of statuses, kinds, roles and workflow steps that the main pages get from their routes (not built
// from pieces in the view): each shows as its text in the page's language, never as a key.
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/http/view-renderer.js';
import { createTranslator } from '../../src/i18n/messages.js';
import { createReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

const sv = createTranslator('sv');
/** A rendered key looks like "reviews.status.rating": a namespace, a dot, a name. */
const RENDERED_KEY = /\b(reviews|common|conflicts|audit|research|municipalities)\.[a-z]\w*(\.\w+)*\b/;

function mainOf(html: string): string {
  const match = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  if (!match?.[1]) throw new Error('no <main> on the page');
  return match[1].replace(/<[^>]*>/g, ' ');
}

describe('labels computed by the routes of the main pages', () => {
  it('when the coordinator opens a draft review, then its kind, status, help, roles and step button are texts', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    const coordinator = await s.login(s.coordinator);
    const response = await coordinator.get(`/reviews/${s.reviewId}`);
    expect(response.status).toBe(200);
    const html = response.text;
    for (const key of [
      'reviews.kind.peer_review',
      'reviews.status.draft',
      'reviews.statusHelp.draft',
      'reviews.panelRole.lead',
      'reviews.panelRole.reviewer',
      'reviews.transition.rating',
      'reviews.transitionConfirm.rating',
      'reviews.tasks.status.cannotStart',
    ] as const) {
      expect(html).toContain(escapeHtml(sv(key)));
    }
    expect(mainOf(html)).not.toMatch(RENDERED_KEY);
  });

  it('when a panel member opens the result preview, then its kind, status and barrier headings are texts', async () => {
    const s = await createReviewScenario();
    startRating(s);
    if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
    const lead = await s.login(s.lead);
    const response = await lead.get(`/reviews/${s.reviewId}/result`);
    expect(response.status).toBe(200);
    const html = response.text;
    for (const key of [
      'reviews.kind.peer_review',
      'reviews.status.consensus',
      'reviews.consensus.barrierLabels.systemic',
      'reviews.consensus.barrierLabels.organisational',
      'reviews.consensus.barrierLabels.individual',
    ] as const) {
      expect(html).toContain(escapeHtml(sv(key)));
    }
    expect(mainOf(html)).not.toMatch(RENDERED_KEY);
  });

  it('when the lead opens a consensus section with a recommendation, then its priority and owner choices are texts', async () => {
    const s = await createReviewScenario();
    startRating(s);
    if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
    const section = s.rubric.sections[0];
    if (!section) throw new Error('rubric without sections');
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: section.id, strengths: [], recommendations: ['Följ upp tiden till nycklar'] }]);
    const lead = await s.login(s.lead);
    const response = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    expect(response.status).toBe(200);
    const html = response.text;
    for (const key of [
      'reviews.recommendation.priority.high',
      'reviews.recommendation.priority.low',
      'reviews.recommendation.owner.none',
      'reviews.recommendation.owner.social_services',
    ] as const) {
      expect(html).toContain(`>${escapeHtml(sv(key))}</option>`);
    }
    expect(mainOf(html)).not.toMatch(RENDERED_KEY);
  });

  it('when the program lead opens the outcome form, then its kinds, field labels and hints are texts', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const response = await agent.get(`/programs/${s.programId}/outcomes`);
    expect(response.status).toBe(200);
    const html = response.text;
    for (const key of [
      'outcomes.kinds.period',
      'outcomes.kinds.since_start',
      'outcomes.fields.moved_in',
      'outcomes.hints.moved_in',
      'outcomes.fields.case_managers',
      'outcomes.hints.case_managers',
    ] as const) {
      expect(html).toContain(escapeHtml(sv(key)));
    }
    expect(mainOf(html)).not.toMatch(/\boutcomes\.(kinds|fields|hints)\./);
  });
});
