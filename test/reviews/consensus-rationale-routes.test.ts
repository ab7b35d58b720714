// The consensus section page asks for a rationale where the decision goes beyond the raters or caps the verdict:
// "ej tillämplig" when every rater gave a score (audit item 4), and a core indicator at a score that caps the review's
// level even inside the raters' spread (audit item 2). The label says so beforehand; the earlier per-indicator form
// (tabs opened before) holds to the same rules.
import { describe, expect, it } from 'vitest';
import { readForm } from '../helpers/form-fields.js';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { postForm } from '../helpers/test-app.js';

/**
 * In the first section (A1): A1.3, a core element, rated 2, 3 and 1; A1.5 rated 3, 3 and 4; A1.6 rated 3, N/A and 2.
 * Everything else min + 1.
 */
async function inConsensus(): Promise<ReviewScenario> {
  const s = await createReviewScenario();
  startRating(s);
  const plans: Record<number, readonly (number | 'na')[]> = { 2: [2, 3, 1], 4: [3, 3, 4], 5: [3, 'na', 2] };
  for (const [rater, person] of [s.lead, s.reviewerA, s.reviewerB].entries()) {
    rateAndSubmit(s, person.id, (min, _max, index) => plans[index]?.[rater] ?? min + 1);
  }
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start the consensus');
  return s;
}

function indicators(s: ReviewScenario) {
  const section = s.rubric.sections[0];
  const [, , core, , scored, withNa] = section?.indicators ?? [];
  if (!section || !core?.critical || !scored?.scale.allow_na || !withNa?.scale.allow_na) throw new Error('unexpected first section');
  return { section, core, scored, withNa };
}

async function openSection(s: ReviewScenario) {
  const { section } = indicators(s);
  const lead = await s.login(s.lead);
  const pageUrl = `/reviews/${s.reviewId}/consensus/${section.id}`;
  const page = await lead.get(pageUrl);
  const form = readForm(page.text, 'consensus-form');
  return {
    lead,
    pageUrl,
    page,
    form,
    post: (fields: Record<string, string>) =>
      lead
        .post(form.action)
        .type('form')
        .send({ ...form.fields, ...fields }),
  };
}

const consensusOf = (s: ReviewScenario, indicatorId: string) =>
  s.reviews.listConsensus(s.reviewId).find((c) => c.indicatorId === indicatorId);
const labelOf = (html: string, indicatorId: string) =>
  /<label for="f-rationale__[^"]+">([\s\S]*?)<\/label>/
    .exec(html.slice(html.indexOf(`<label for="f-rationale__${indicatorId}"`)))?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');

describe('a core indicator decided at a score that caps the level', () => {
  it('when A1.3 (a core element, rated 2, 3, 1) is decided 1 without a rationale, then 422 says it caps the level; 2 needs none; 1 with a rationale is saved', async () => {
    const s = await inConsensus();
    const { section, core } = indicators(s);
    const { page, post } = await openSection(s);
    expect(labelOf(page.text, core.id)).toBe(
      `Motivering ${section.code}.3 – krävs när poängen ligger utanför bedömarnas spridning (lägst–högst): 1–3, och för 1, som begränsar granskningens nivå (kärnkomponent)`,
    );
    const refused = await post({ [`score__${core.id}`]: '1', focus: core.id });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      `${section.code}.3: Indikatorn är en kärnkomponent, och poängen 1 begränsar hela granskningens nivå till högst Delvis modelltrohet. Skriv en motivering.`,
    );
    expect(refused.text).toContain(`href="#f-rationale__${core.id}"`);
    expect(consensusOf(s, core.id)).toBeUndefined();
    expect((await post({ [`score__${core.id}`]: '2', focus: core.id })).status).toBe(303);
    expect(consensusOf(s, core.id)).toMatchObject({ score: 2, rationale: '' });
    const again = await openSection(s);
    expect(
      (await again.post({ [`score__${core.id}`]: '1', [`rationale__${core.id}`]: 'Lägenheterna är samlade i ett boende.' })).status,
    ).toBe(303);
    expect(consensusOf(s, core.id)).toMatchObject({ score: 1, rationale: 'Lägenheterna är samlade i ett boende.' });
  });

  it('when the page is in English, then the label and the message say the same', async () => {
    const s = await inConsensus();
    const { section, core } = indicators(s);
    const { lead, pageUrl } = await openSection(s);
    await lead.get(`/language/en?next=${encodeURIComponent(pageUrl)}`);
    const page = await lead.get(pageUrl);
    expect(labelOf(page.text, core.id)).toBe(
      `Rationale ${section.code}.3 – required when the score lies outside the raters’ spread (lowest–highest): 1–3, and for 1, which caps the review’s level (core element)`,
    );
    const form = readForm(page.text, 'consensus-form');
    const refused = await lead
      .post(form.action)
      .type('form')
      .send({ ...form.fields, [`score__${core.id}`]: '1' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      'The indicator is a core element, and a score of 1 limits the whole review’s level to Partial fidelity at most.',
    );
  });
});

describe('"ej tillämplig" decided where the raters gave scores', () => {
  it('when every rater scored A1.5 (3, 3, 4) and N/A is chosen without a rationale, then 422; with one, it is saved', async () => {
    const s = await inConsensus();
    const { section, scored } = indicators(s);
    const { page, post } = await openSection(s);
    expect(labelOf(page.text, scored.id)).toBe(
      `Motivering ${section.code}.5 – krävs när poängen ligger utanför bedömarnas spridning (lägst–högst): 3–4, och för Ej tillämplig, som ingen bedömare valde`,
    );
    const refused = await post({ [`score__${scored.id}`]: 'na', focus: scored.id });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      `${section.code}.5: Ingen bedömare valde Ej tillämplig, så beslutet går utöver det bedömarna sa. Skriv en motivering.`,
    );
    expect(readForm(refused.text, 'consensus-form').fields[`score__${scored.id}`]).toBe('na');
    expect(consensusOf(s, scored.id)).toBeUndefined();
    const saved = await post({ [`score__${scored.id}`]: 'na', [`rationale__${scored.id}`]: 'Alla bor i kommunala lägenheter.' });
    expect(saved.status).toBe(303);
    expect(consensusOf(s, scored.id)).toMatchObject({ notApplicable: true, rationale: 'Alla bor i kommunala lägenheter.' });
  });

  it('when a rater chose N/A on A1.6, then N/A needs no rationale and the label does not ask for one', async () => {
    const s = await inConsensus();
    const { withNa } = indicators(s);
    const { page, post } = await openSection(s);
    expect(labelOf(page.text, withNa.id)).not.toContain('Ej tillämplig');
    expect((await post({ [`score__${withNa.id}`]: 'na' })).status).toBe(303);
    expect(consensusOf(s, withNa.id)).toMatchObject({ notApplicable: true, rationale: '' });
  });

  it('when a tab opened before posts the earlier per-indicator form with N/A on A1.5 and no rationale, then 422 there too', async () => {
    const s = await inConsensus();
    const { scored } = indicators(s);
    const { lead, pageUrl } = await openSection(s);
    const refused = await postForm(lead, pageUrl, `/reviews/${s.reviewId}/consensus/${scored.id}`, {
      score: 'na',
      rationale: '',
      version: '0',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Ingen bedömare valde Ej tillämplig');
    expect(readForm(refused.text, 'consensus-form').fields[`score__${scored.id}`]).toBe('na');
    expect(consensusOf(s, scored.id)).toBeUndefined();
  });
});
