// The task list and the consensus list count written sections and barrier categories from per-section and
// per-category counts, not from every finding's text: the counts must be those of the stored findings, and follow a save.
import { describe, expect, it } from 'vitest';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { readForm } from '../helpers/form-fields.js';
import { extractCsrfToken } from '../helpers/test-app.js';

const tagOf = (html: string, name: string) => new RegExp(`id="tag-${name}">([^<]*)<`).exec(html)?.[1];

/** The HTML of one step of the task list. */
function stepOf(html: string, name: string): string {
  const start = html.indexOf(`id="task-${name}"`);
  if (start < 0) throw new Error(`no step ${name}`);
  const end = html.indexOf('</li>\n  <li class="task-list__item"', start);
  return html.slice(start, end < 0 ? html.indexOf('</ol>', start) : end);
}

/** The findings badge of a section's row on the consensus list page. */
function findingsBadgeOf(html: string, s: ReviewScenario, sectionId: string): string | undefined {
  const row = html.slice(html.indexOf(`href="/reviews/${s.reviewId}/consensus/${sectionId}"`));
  return /<td[^>]*><strong class="badge[^"]*">[^<]*<\/strong><\/td>\s*<td[^>]*><strong class="badge[^"]*">([^<]*)</.exec(row)?.[1];
}

const formOf = (html: string) => ({
  _csrf: extractCsrfToken(html),
  version: /name="version" value="(\d+)"/.exec(html)?.[1] ?? '',
  base: /name="base" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '',
});

describe('task list counts of findings and barriers', () => {
  it('when two sections have findings and one category has barriers, then the counts are right, and they follow a save', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const [a, b, c] = s.rubric.sections;
    if (!a || !b || !c) throw new Error('the rubric needs three sections');
    const sections = s.rubric.sections.length;
    // Section A has both kinds (several of one), section B strengths only; two barriers of one category.
    s.reviews.replaceFindings(
      s.reviewId,
      [
        { sectionId: a.id, strengths: ['A styrka 1', 'A styrka 2'], recommendations: ['A rek'] },
        { sectionId: b.id, strengths: ['B styrka'], recommendations: [] },
      ],
      s.lead.id,
      [{ category: 'systemic', items: ['Hinder 1', 'Hinder 2'] }],
      undefined,
    );
    const lead = await s.login(s.lead);

    const page = (await lead.get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(page, 'findings')).toBe(`Påbörjad – 1 av ${sections}`);
    expect(tagOf(page, 'barriers')).toBe('Påbörjad – 1 av 3');
    expect(stepOf(page, 'findings')).not.toContain(`/consensus/${a.id}#findings`);
    expect(stepOf(page, 'findings')).toContain(`/consensus/${b.id}#findings`);
    expect(stepOf(page, 'findings')).toContain(`/consensus/${c.id}#findings`);

    const list = (await lead.get(`/reviews/${s.reviewId}/consensus`)).text;
    expect(findingsBadgeOf(list, s, a.id)).toBe('Klar');
    expect(findingsBadgeOf(list, s, b.id)).toBe('Påbörjad');
    expect(findingsBadgeOf(list, s, c.id)).toBe('Inte påbörjad');

    // B gets its recommendation and another category its barrier, through the forms.
    const pageB = (await lead.get(`/reviews/${s.reviewId}/consensus/${b.id}`)).text;
    const savedB = await lead
      .post(`/reviews/${s.reviewId}/consensus/${b.id}/save`)
      .type('form')
      .send({ ...readForm(pageB, 'consensus-form').fields, [`strengths__${b.id}`]: 'B styrka', [`recommendations__${b.id}`]: 'B rek' });
    expect(savedB.status).toBe(303);
    const barriersPage = (await lead.get(`/reviews/${s.reviewId}/barriers`)).text;
    const savedBarriers = await lead
      .post(`/reviews/${s.reviewId}/barriers`)
      .type('form')
      .send({
        ...formOf(barriersPage),
        barriers__systemic: 'Hinder 1\nHinder 2',
        barriers__organisational: 'Hinder 3',
        barriers__individual: '',
      });
    expect(savedBarriers.status).toBe(303);

    const after = (await lead.get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(after, 'findings')).toBe(`Påbörjad – 2 av ${sections}`);
    expect(tagOf(after, 'barriers')).toBe('Påbörjad – 2 av 3');
    expect(stepOf(after, 'findings')).not.toContain(`/consensus/${b.id}#findings`);
    const listAfter = (await lead.get(`/reviews/${s.reviewId}/consensus`)).text;
    expect(findingsBadgeOf(listAfter, s, b.id)).toBe('Klar');

    // Stored state: the counts are those of the stored rows.
    const counted = s.reviews.countFindingsBySection(s.reviewId);
    const stored = s.reviews.listFindings(s.reviewId);
    expect(counted).toEqual(
      [
        { sectionId: a.id, kind: 'recommendation', count: 1 },
        { sectionId: a.id, kind: 'strength', count: 2 },
        { sectionId: b.id, kind: 'recommendation', count: 1 },
        { sectionId: b.id, kind: 'strength', count: 1 },
      ].sort((x, y) => (x.sectionId === y.sectionId ? 0 : x.sectionId < y.sectionId ? -1 : 1)),
    );
    expect(counted.reduce((sum, row) => sum + row.count, 0)).toBe(stored.length);
    expect(s.reviews.countBarriersByCategory(s.reviewId).sort((x, y) => x.category.localeCompare(y.category))).toEqual([
      { category: 'organisational', count: 1 },
      { category: 'systemic', count: 2 },
    ]);
  });
});
