// The consensus section page has one form for the whole section. In a meeting the lead types in one indicator, moves
// on and presses Save beside another: everything typed on the page is saved, all or nothing. What did not change is
// not written; a save based on an older page writes nothing and gives everything back as typed.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { type FormFields, readForm } from '../helpers/form-fields.js';
import { type ReviewScenario, createScenarioInConsensus } from '../helpers/review-scenario.js';

/** Three raters who all gave min + 1: a score of min + 1 needs no rationale, any other does. */
function firstSection(s: ReviewScenario) {
  const section = s.rubric.sections[0];
  const [i1, i2, i3] = section?.indicators ?? [];
  if (!section || !i1 || !i2 || !i3) throw new Error('the first section needs three indicators');
  return { section, i1, i2, i3 };
}

const consensusOf = (s: ReviewScenario, indicatorId: string) =>
  s.reviews.listConsensus(s.reviewId).find((c) => c.indicatorId === indicatorId);
const auditCount = (s: ReviewScenario) =>
  (s.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'consensus'").get() as { n: number }).n;

async function openSection(s: ReviewScenario, query = '') {
  const { section } = firstSection(s);
  const lead = await s.login(s.lead);
  const pageUrl = `/reviews/${s.reviewId}/consensus/${section.id}${query}`;
  const page = await lead.get(pageUrl);
  expect(page.status).toBe(200);
  const form = readForm(page.text, 'consensus-form');
  const post = (fields: FormFields) => lead.post(form.action).type('form').send(fields);
  return { lead, pageUrl, page, form, post };
}

describe('the consensus section page: one form for the section', () => {
  it('when the lead types one indicator’s decision and then saves beside another, then both are saved and the page returns to the one saved', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1, i2 } = firstSection(s);
    const { lead, form, post, page } = await openSection(s);
    expect(form.action).toBe(`/reviews/${s.reviewId}/consensus/${section.id}/save`);
    // Every Save button on the page belongs to the one form, and the page says what they save.
    expect(countForms(page.text)).toBe(1);
    expect(page.text).not.toContain('data-unsaved>');
    expect(page.text).toContain('Alla Spara-knappar på sidan sparar allt du har skrivit på den');
    const saved = await post({
      ...form.fields,
      [`score__${i1.id}`]: String(i1.scale.max),
      [`rationale__${i1.id}`]: 'Alla team arbetar så, enligt intervjuerna.',
      [`score__${i2.id}`]: String(i2.scale.min + 1),
      focus: i2.id,
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}#ind-${i2.id}`);
    expect(consensusOf(s, i1.id)).toMatchObject({
      score: i1.scale.max,
      rationale: 'Alla team arbetar så, enligt intervjuerna.',
      version: 1,
    });
    expect(consensusOf(s, i2.id)).toMatchObject({ score: i2.scale.min + 1, rationale: '', version: 1 });
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(2);
    const after = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    // The notice stands where the page lands, under the indicator's heading, not at the top out of sight.
    expect(flashPlace(after.text)).toBe(`ind-${i2.id}`);
    // The notice names what was saved: the indicator whose Save was pressed first.
    expect(after.text).toContain(`Sparat: ${section.code}.2 och ${section.code}.1.`);
    expect(after.text).toContain('2 av');
  });

  it('when the lead saves and goes on, then the next section opens with the notice at its top; with the saved indicator filtered away, the page comes back at the next undecided one', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1 } = firstSection(s);
    const next = s.rubric.sections[1];
    if (!next) throw new Error('the rubric needs two sections');
    const { lead, form, post, page } = await openSection(s);
    // One primary button: save and go on to the next section; the per-indicator saves are secondary.
    expect(page.text.match(/<button type="submit" name="goto"[^>]*>/g)).toEqual([`<button type="submit" name="goto" value="${next.id}">`]);
    expect(page.text).toContain(`<button type="submit" name="focus" value="${i1.id}" class="secondary">`);
    const saved = await post({ ...form.fields, [`score__${i1.id}`]: String(i1.scale.min + 1), goto: next.id });
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${next.id}`);
    expect(consensusOf(s, i1.id)).toMatchObject({ score: i1.scale.min + 1 });
    expect(flashPlace((await lead.get(saved.headers.location ?? '')).text)).toBe('top');
    // Decided with the filter on: the indicator is no longer shown, so the page comes back at the next undecided one
    // (every rater gave the same scores, so the page's order is the rubric's), with the notice naming what was saved.
    const filtered = await openSection(s, '?undecided=1');
    const i2 = section.indicators[1];
    const i3 = section.indicators[2];
    if (!i2 || !i3) throw new Error('missing');
    const again = await filtered.post({ ...filtered.form.fields, [`score__${i2.id}`]: String(i2.scale.min + 1), focus: i2.id });
    expect(again.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}?undecided=1#ind-${i3.id}`);
    const landed = await filtered.lead.get(again.headers.location ?? '');
    expect(landed.text).toContain(`id="ind-${i3.id}"`);
    expect(flashPlace(landed.text)).toBe(`ind-${i3.id}`);
    expect(landed.text).toContain(`Sparat: ${section.code}.2.`);
  });

  it('when the page is saved again with nothing changed, then nothing is written, and the lead is told so', async () => {
    const s = await createScenarioInConsensus();
    const { i1, i2 } = firstSection(s);
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: i1.id, score: i1.scale.min + 1, notApplicable: false, rationale: 'Som alla' },
      s.lead.id,
    );
    const { lead, form, post, pageUrl } = await openSection(s);
    const logged = auditCount(s);
    expect((await post(form.fields)).status).toBe(303);
    expect(auditCount(s)).toBe(logged);
    expect(consensusOf(s, i1.id)?.version).toBe(1);
    expect((await lead.get(pageUrl)).text).toContain('Inget var ändrat sedan sidan visades, så inget behövde sparas.');
    // A change to one indicator writes that one alone: the other keeps its version and its log.
    expect((await post({ ...form.fields, [`score__${i2.id}`]: String(i2.scale.min + 1) })).status).toBe(303);
    expect(consensusOf(s, i1.id)?.version).toBe(1);
    expect(consensusOf(s, i2.id)?.version).toBe(1);
    expect(auditCount(s)).toBe(logged + 1);
  });

  it('when a rationale is typed without a score, then 422 asks for the score by its code, and everything typed is kept', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1, i2 } = firstSection(s);
    const { form, post } = await openSection(s);
    const refused = await post({
      ...form.fields,
      [`rationale__${i1.id}`]: 'Vi hann inte bestämma oss',
      [`score__${i2.id}`]: String(i2.scale.min + 1),
      [`strengths__${section.id}`]: 'Tydlig styrgrupp',
    });
    expect(refused.status).toBe(422);
    // Marked as holding what is not saved, so that leaving it asks first (views/assets/unsaved-changes.js).
    expect(refused.text).toMatch(/<form id="consensus-form"[^>]*data-unsaved>/);
    expect(refused.text).toContain(`Välj poängen för ${section.code}.1.`);
    expect(refused.text).toContain(`href="#f-score__${i1.id}"`);
    const kept = readForm(refused.text, 'consensus-form').fields;
    expect(kept[`rationale__${i1.id}`]).toBe('Vi hann inte bestämma oss');
    expect(kept[`score__${i2.id}`]).toBe(String(i2.scale.min + 1));
    expect(kept[`strengths__${section.id}`]).toBe('Tydlig styrgrupp');
    // All or nothing: the valid decision and the findings were not saved either.
    expect(s.reviews.listConsensus(s.reviewId)).toEqual([]);
    expect(s.reviews.listFindings(s.reviewId)).toEqual([]);
  });

  it('when another tab saved one of the indicators meanwhile, then 409 writes nothing, keeps everything typed and shows what is stored; saving again replaces it', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1, i2 } = firstSection(s);
    const tab1 = await openSection(s);
    const tab2 = await openSection(s);
    expect((await tab2.post({ ...tab2.form.fields, [`score__${i1.id}`]: String(i1.scale.min + 1) })).status).toBe(303);
    const stale = await tab1.post({
      ...tab1.form.fields,
      [`score__${i1.id}`]: String(i1.scale.max),
      [`rationale__${i1.id}`]: 'Flik ett',
      [`score__${i2.id}`]: String(i2.scale.min + 1),
      focus: i1.id,
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(`Någon annan sparade ${section.code}.1 medan du arbetade`);
    expect(stale.text).toContain(`${section.code}.1: `);
    expect(stale.text).toContain(`id="err-score__${i1.id}"`);
    // Nothing from the stale save was written, not even the indicator nobody else touched.
    expect(consensusOf(s, i1.id)).toMatchObject({ score: i1.scale.min + 1, rationale: '' });
    expect(consensusOf(s, i2.id)).toBeUndefined();
    const again = readForm(stale.text, 'consensus-form');
    expect(again.fields[`rationale__${i1.id}`]).toBe('Flik ett');
    expect(again.fields[`score__${i2.id}`]).toBe(String(i2.scale.min + 1));
    expect(again.fields[`version__${i1.id}`]).toBe('1');
    expect((await tab1.post(again.fields)).status).toBe(303);
    expect(consensusOf(s, i1.id)).toMatchObject({ score: i1.scale.max, rationale: 'Flik ett' });
    expect(consensusOf(s, i2.id)).toMatchObject({ score: i2.scale.min + 1 });
  });

  it('when the filter shows only undecided indicators, then the form holds only those, a save leaves the hidden ones alone, and returns to the filtered page at the next undecided one', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1, i2, i3 } = firstSection(s);
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: i1.id, score: i1.scale.min + 1, notApplicable: false, rationale: 'Klar' },
      s.lead.id,
    );
    const { form, post } = await openSection(s, '?undecided=1');
    expect(form.fields[`version__${i1.id}`]).toBeUndefined();
    expect(form.fields[`version__${i2.id}`]).toBe('0');
    const saved = await post({ ...form.fields, [`score__${i2.id}`]: String(i2.scale.min + 1), focus: i2.id });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}?undecided=1#ind-${i3.id}`);
    expect(consensusOf(s, i1.id)).toMatchObject({ rationale: 'Klar', version: 1 });
    expect(consensusOf(s, i2.id)).toMatchObject({ score: i2.scale.min + 1 });
  });

  it('when the review was finalised while the page was open, then 409 keeps what the lead typed in the boxes, without a Save, and nothing changes; others get 403', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1 } = firstSection(s);
    const { form, post } = await openSection(s);
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
    const before = s.reviews.listConsensus(s.reviewId);
    const refused = await post({
      ...form.fields,
      [`rationale__${i1.id}`]: 'Skrivet under mötet',
      [`strengths__${section.id}`]: 'En styrka',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Granskningen är slutförd och låst, så inget sparades.');
    const kept = readForm(refused.text, 'consensus-form').fields;
    expect(kept[`rationale__${i1.id}`]).toBe('Skrivet under mötet');
    expect(kept[`strengths__${section.id}`]).toBe('En styrka');
    expect(refused.text).not.toContain('name="focus"');
    expect(s.reviews.listConsensus(s.reviewId)).toEqual(before);
    const rater = await s.login(s.reviewerA);
    const other = await rater.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    expect(other.text).not.toContain('id="consensus-form"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(other.text)?.[1] ?? '';
    expect(
      (
        await rater
          .post(form.action)
          .type('form')
          .send({ ...form.fields, _csrf: csrf })
      ).status,
    ).toBe(403);
  });

  it('when the findings cannot be saved, then the decisions typed beside them are kept and not saved either', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1 } = firstSection(s);
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: section.id, strengths: [], recommendations: ['Skriv rutinen'] }], s.lead.id);
    const { form, post } = await openSection(s);
    const refused = await post({
      ...form.fields,
      [`score__${i1.id}`]: String(i1.scale.min + 1),
      [`rec_priority__${section.id}__0`]: 'urgent',
    });
    expect(refused.status).toBe(422);
    expect(readForm(refused.text, 'consensus-form').fields[`score__${i1.id}`]).toBe(String(i1.scale.min + 1));
    expect(s.reviews.listConsensus(s.reviewId)).toEqual([]);
  });
});

describe('the consensus section page: after a save', () => {
  it('when the filter is on and the lead picks a score on one indicator and saves beside another, then the notice names both and the page comes back at an undecided indicator that is shown', async () => {
    const s = await createScenarioInConsensus();
    const { section } = firstSection(s);
    const [a1, , , , a5, a6] = section.indicators;
    if (!a1 || !a5 || !a6) throw new Error('the first section needs six indicators');
    const { lead, form, post } = await openSection(s, '?undecided=1');
    const saved = await post({
      ...form.fields,
      [`score__${a1.id}`]: String(a1.scale.min + 1),
      [`score__${a5.id}`]: String(a5.scale.min + 1),
      focus: a5.id,
    });
    expect(saved.status).toBe(303);
    // Every rater gave the same scores, so the page's order is the rubric's: after A1.5 comes A1.6, still undecided.
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}?undecided=1#ind-${a6.id}`);
    const landed = await lead.get(saved.headers.location ?? '');
    expect(landed.text).toContain(`id="ind-${a6.id}"`);
    expect(landed.text).not.toContain(`id="ind-${a5.id}"`);
    expect(flashPlace(landed.text)).toBe(`ind-${a6.id}`);
    expect(landed.text).toContain(`Sparat: ${section.code}.5 och ${section.code}.1.`);
  });

  it('when the last undecided indicator is saved with the filter on, then the page comes back at the findings', async () => {
    const s = await createScenarioInConsensus();
    const { section } = firstSection(s);
    const last = section.indicators.at(-1);
    if (!last) throw new Error('missing');
    for (const indicator of section.indicators.slice(0, -1)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    const { lead, form, post } = await openSection(s, '?undecided=1');
    const saved = await post({ ...form.fields, [`score__${last.id}`]: String(last.scale.min + 1), focus: last.id });
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}?undecided=1#findings`);
    expect(flashPlace((await lead.get(saved.headers.location ?? '')).text)).toBe('findings');
  });

  it('when the filter is on and the lead saves and goes on, then the next section opens with the filter', async () => {
    const s = await createScenarioInConsensus();
    const { i1 } = firstSection(s);
    const next = s.rubric.sections[1];
    if (!next) throw new Error('the rubric needs two sections');
    const { lead, form, post } = await openSection(s, '?undecided=1');
    const saved = await post({ ...form.fields, [`score__${i1.id}`]: String(i1.scale.min + 1), goto: next.id });
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${next.id}?undecided=1`);
    const page = await lead.get(saved.headers.location ?? '');
    expect(page.text).toContain('<input type="hidden" name="undecided" value="1">');
    expect(page.text).toContain(`Sparat: ${s.rubric.sections[0]?.code}.1.`);
  });

  it('when "save and go on" creates recommendations, then the page stays on the section at their new priority and owner rows, and the next press, with them chosen, goes on', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1 } = firstSection(s);
    const next = s.rubric.sections[1];
    if (!next) throw new Error('the rubric needs two sections');
    const { lead, form, post } = await openSection(s);
    // No recommendation is saved yet, so the page has no rows to choose in.
    expect(form.fields[`rec_priority__${section.id}__0`]).toBeUndefined();
    const saved = await post({
      ...form.fields,
      [`score__${i1.id}`]: String(i1.scale.min + 1),
      [`recommendations__${section.id}`]: 'Skriv ned rutinen\nUtbilda personalen',
      goto: next.id,
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}#findings`);
    const stayed = await lead.get(saved.headers.location ?? '');
    expect(flashPlace(stayed.text)).toBe('findings');
    expect(stayed.text).toContain(
      `Sparat: ${section.code}.1 och rekommendationerna för avsnitt ${section.code}. Du är kvar på ${section.code}: nya rekommendationer (2) har prioritet Medel och ansvarig Ej angiven tills du väljer.`,
    );
    expect(stayed.text).toContain(`tryck sedan på ”Spara och gå till ${next.code}”`);
    // Everything saved, and the rows to choose in are there now.
    const again = readForm(stayed.text, 'consensus-form');
    expect(again.fields[`recommendations__${section.id}`]).toBe('Skriv ned rutinen\nUtbilda personalen');
    expect(again.fields[`rec_priority__${section.id}__1`]).toBe('medium');
    const onward = await lead
      .post(again.action)
      .type('form')
      .send({
        ...again.fields,
        [`rec_priority__${section.id}__0`]: 'high',
        [`rec_owner__${section.id}__0`]: 'board',
        [`rec_owner__${section.id}__1`]: 'provider',
        goto: next.id,
      });
    expect(onward.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${next.id}`);
    expect(s.reviews.listRecommendations(s.reviewId).map((f) => [f.text, f.priority, f.owner])).toEqual([
      ['Skriv ned rutinen', 'high', 'board'],
      ['Utbilda personalen', 'medium', 'provider'],
    ]);
    expect((await lead.get(onward.headers.location ?? '')).text).toContain(
      `Sparat: prioritet och ansvarig för rekommendationerna i avsnitt ${section.code}.`,
    );
  });

  it('when a plain save creates a recommendation, then the notice at the findings asks for its priority and owner, in either language', async () => {
    const s = await createScenarioInConsensus();
    const { section } = firstSection(s);
    const { lead, form, post } = await openSection(s);
    const saved = await post({ ...form.fields, [`recommendations__${section.id}`]: 'Skriv ned rutinen', focus: 'findings' });
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}#findings`);
    const page = await lead.get(saved.headers.location ?? '');
    expect(page.text).toContain(
      `Sparat: rekommendationerna för avsnitt ${section.code}. Nya rekommendationer (1) har prioritet Medel och ansvarig Ej angiven tills du väljer: välj i tabellen under rutan Rekommendationer och spara.`,
    );
    expect(page.text).toContain(`name="rec_priority__${section.id}__0"`);
    // In English, the same.
    await lead.get(`/language/en?next=${encodeURIComponent('/')}`);
    const englishForm = readForm((await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text, 'consensus-form');
    const savedEn = await lead
      .post(englishForm.action)
      .type('form')
      .send({ ...englishForm.fields, [`recommendations__${section.id}`]: 'Skriv ned rutinen\nNy rad', focus: 'findings' });
    const pageEn = await lead.get(savedEn.headers.location ?? '');
    expect(pageEn.text).toContain(
      `Saved: the list of recommendations for section ${section.code}. New recommendations (1) have priority Medium and owner Not given until you choose: choose in the table below the Recommendations box and save.`,
    );
  });
});

/** Where the page's one notice stands: at the top of the main content, or under the heading of the element with this id. */
function flashPlace(html: string): string {
  const notices = [...html.matchAll(/<p class="flash" role="status">/g)];
  expect(notices).toHaveLength(1);
  const at = notices[0]?.index ?? 0;
  if (/<main id="main" tabindex="-1">\s*$/.test(html.slice(0, at))) return 'top';
  const opened = [...html.slice(0, at).matchAll(/<(?:section|h2)[^>]* id="([^"]+)"/g)].at(-1);
  return opened?.[1]?.replace(/^h-findings$/, 'findings').replace(/^h-/, 'ind-') ?? 'unknown';
}

/** How many forms the page's main content has (the layout's own, such as signing out, are outside it). */
function countForms(html: string): number {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  return (main.match(/<form /g) ?? []).length;
}
