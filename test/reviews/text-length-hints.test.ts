// The review forms' long text boxes say their limit in their hint before any refusal ("Högst 2 000 tecken."), with
// the figure the form's schema holds them to: the rating note, the consensus rationale, and the findings and barriers
// boxes, on the consensus section page and on the whole-review findings and barriers pages.
import { describe, expect, it } from 'vitest';
import { NOTE_MAX, RATIONALE_MAX } from '../../src/reviews/review-forms.js';
import { createReviewScenario, createScenarioInConsensus, startRating } from '../helpers/review-scenario.js';

/** The hint paragraph of a field: its text, as the page shows it. */
function hintOf(html: string, field: string): string | undefined {
  return new RegExp(`<p class="hint" id="hint-${field.replace(/[.-]/g, '\\$&')}">([^<]*)</p>`).exec(html)?.[1];
}

describe('the length limits in the review forms\u2019 hints', () => {
  it('when a rater opens a section, then each note says it may be at most 2 000 characters, in Swedish and in English', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('no section');
    const rater = await s.login(s.reviewerA);
    const page = await rater.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    expect(NOTE_MAX).toBe(2000);
    expect(hintOf(page.text, `note__${indicator.id}`)).toMatch(/ Högst 2\u00a0000 tecken\.$/);
    expect(page.text.match(/Högst 2\u00a0000 tecken\./g)).toHaveLength(section.indicators.length);
    const english = await rater.get(`/reviews/${s.reviewId}/rate/${section.id}?lang=en`);
    expect(hintOf(english.text, `note__${indicator.id}`)).toMatch(/ At most 2,000 characters\.$/);
  });

  it('when the lead opens a consensus section, then each rationale says 4 000 and the strengths and recommendations 8 000', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('no section');
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    expect(RATIONALE_MAX).toBe(4000);
    expect(hintOf(page.text, `rationale__${indicator.id}`)).toMatch(/ Högst 4\u00a0000 tecken\.$/);
    expect(page.text.match(/Högst 4\u00a0000 tecken\./g)).toHaveLength(section.indicators.length);
    expect(hintOf(page.text, `strengths__${section.id}`)).toBe('Högst 8\u00a0000 tecken.');
    expect(hintOf(page.text, `recommendations__${section.id}`)).toBe('Högst 8\u00a0000 tecken.');
    // The hint is how the box is described to a screen reader.
    expect(page.text).toContain(
      `<textarea id="f-strengths__${section.id}" name="strengths__${section.id}" rows="3" aria-describedby="hint-strengths__${section.id}">`,
    );
    const english = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}?lang=en`);
    expect(hintOf(english.text, `rationale__${indicator.id}`)).toMatch(/ At most 4,000 characters\.$/);
  });

  it('when the lead opens the whole-review findings page or the barriers page, then every box says 8 000', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const findings = await lead.get(`/reviews/${s.reviewId}/findings`);
    expect(findings.status).toBe(200);
    for (const section of s.rubric.sections) {
      expect(hintOf(findings.text, `strengths__${section.id}`), section.code).toBe('Högst 8\u00a0000 tecken.');
      expect(hintOf(findings.text, `recommendations__${section.id}`), section.code).toBe('Högst 8\u00a0000 tecken.');
    }
    const barriers = await lead.get(`/reviews/${s.reviewId}/barriers`);
    expect(barriers.status).toBe(200);
    expect(hintOf(barriers.text, 'barriers__systemic')).toMatch(/ Högst 8\u00a0000 tecken\.$/);
  });

  it('when the lead opens the overall judgement, then its hint says it may be at most 3 000 characters', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/judgement`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Högst 3\u00a0000 tecken.');
  });
});
