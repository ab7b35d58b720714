// Consensus one section per page: the section list, the section page with its ordering,
// filter and error summary, and strengths and recommendations saved per section with a version.
import { describe, expect, it } from 'vitest';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { readForm } from '../helpers/form-fields.js';
import { expectErrorSummaryFirst, extractCsrfToken, postForm } from '../helpers/test-app.js';

/** Three raters; in the first section the second indicator splits them most, the fourth a little. */
async function inConsensus(rubricId?: string): Promise<ReviewScenario> {
  const s = await createReviewScenario(rubricId ? { rubricId } : {});
  startRating(s);
  rateAndSubmit(s, s.lead.id, (min) => min + 1);
  rateAndSubmit(s, s.reviewerA.id, (min, max, index) => (index === 1 ? max : index === 3 ? min + 2 : min + 1));
  rateAndSubmit(s, s.reviewerB.id, (min, _max, index) => (index === 1 ? min : min + 1));
  s.reviews.transition(s.reviewId, 'rating', 'consensus');
  return s;
}

const firstSection = (s: ReviewScenario) => {
  const section = s.rubric.sections[0];
  if (!section || section.indicators.length < 4) throw new Error('the first section needs four indicators');
  return section;
};

describe('GET /reviews/:id/consensus', () => {
  it('when the lead opens the consensus, then every section is listed with decided of total and a link to its page', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const [first] = section.indicators;
    if (!first) throw new Error('missing');
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: first.id, score: first.scale.min + 1, notApplicable: false, rationale: '' },
      s.lead.id,
    );
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/reviews/${s.reviewId}/consensus/${section.id}"`);
    expect(page.text).toContain(`1 av ${section.indicators.length} beslutade`);
    for (const other of s.rubric.sections) expect(page.text).toContain(`/consensus/${other.id}"`);
    // No indicator forms on the list page.
    expect(page.text).not.toContain(`action="/reviews/${s.reviewId}/consensus/${first.id}"`);
  });
});

describe('GET /reviews/:id/consensus/:sectionId', () => {
  it('when the lead opens a section, then its indicators have full codes, anchors beside each choice, the raters side by side, evidence written out, most disagreement first', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const [i1, i2, , i4] = section.indicators;
    if (!i1 || !i2 || !i4) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${section.code}.2 ${i2.text.sv}`);
    // Ordered by disagreement: .2 (min to max) before .4 (one step) before .1 (all agree).
    const at = (id: string) => page.text.indexOf(`id="ind-${id}"`);
    expect(at(i2.id)).toBeGreaterThan(-1);
    expect(at(i2.id)).toBeLessThan(at(i4.id));
    expect(at(i4.id)).toBeLessThan(at(i1.id));
    // The anchor text is part of each choice's label.
    const block = page.text.slice(at(i2.id), at(i4.id));
    const anchor = i2.scale.anchors[String(i2.scale.max)]?.sv ?? '';
    expect(block).toMatch(
      new RegExp(
        `value="${i2.scale.max}"> <span><span class="anchor-level">${i2.scale.max}</span> ${anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    for (const name of ['Lena Lead', 'Anna Andersson', 'Bertil Berg']) expect(block).toContain(name);
    // Evidence written out with the rubric's label, not its code.
    const source = s.rubric.evidence_sources.find((e) => e.code === i2.evidence[0]);
    expect(block).toContain(`<td role="cell" data-label="Underlag">${source?.label.sv}</td>`);
    // The rationale's label says when it is required, with the raters' spread.
    expect(block).toContain(`krävs när poängen ligger utanför bedömarnas spridning (lägst–högst): ${i2.scale.min}–${i2.scale.max}`);
    // Only this section's indicators.
    const other = s.rubric.sections[1]?.indicators[0];
    expect(page.text).not.toContain(`id="ind-${other?.id}"`);
  });

  it('when the filter is on, then only the undecided indicators are shown, through a link that works without JavaScript', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const [i1, i2] = section.indicators;
    if (!i1 || !i2) throw new Error('missing');
    s.reviews.saveConsensus(s.reviewId, { indicatorId: i2.id, score: i2.scale.min + 1, notApplicable: false, rationale: '' }, s.lead.id);
    const lead = await s.login(s.lead);
    const all = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    expect(all.text).toContain(`href="/reviews/${s.reviewId}/consensus/${section.id}?undecided=1"`);
    expect(all.text).toContain(`id="ind-${i2.id}"`);
    const filtered = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}?undecided=1`);
    expect(filtered.status).toBe(200);
    expect(filtered.text).not.toContain(`id="ind-${i2.id}"`);
    expect(filtered.text).toContain(`id="ind-${i1.id}"`);
    expect(filtered.text).toContain(`href="/reviews/${s.reviewId}/consensus/${section.id}"`);
  });

  it('when every rater gave the same score, then the spread says that score once and that all gave it, and the rationale is asked for any other', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    // Every rater gave min + 1 to the first indicator (see inConsensus).
    const i1 = section.indicators[0];
    if (!i1) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    const block = page.slice(page.indexOf(`id="ind-${i1.id}"`), page.indexOf('</section>', page.indexOf(`id="ind-${i1.id}"`)));
    const score = i1.scale.min + 1;
    expect(block).toMatch(new RegExp(String.raw`Bedömarnas spridning \(lägst–högst\):\s+${score} \(3 bedömare, alla gav samma poäng\)`));
    expect(block).not.toContain(`${score}–${score}`);
    expect(block).toContain(`krävs när poängen inte är ${score}, som alla bedömare gav`);
    // In English, the label and the value word it as the result page and the report do.
    const english = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}?lang=en`)).text;
    const englishBlock = english.slice(
      english.indexOf(`id="ind-${i1.id}"`),
      english.indexOf('</section>', english.indexOf(`id="ind-${i1.id}"`)),
    );
    expect(englishBlock).toMatch(
      new RegExp(String.raw`Raters’ spread \(lowest–highest\):\s+${score} \(3 raters, all gave the same score\)`),
    );
  });

  it('when the raters gave different scores, then the spread gives the lowest and highest and how many raters scored', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    // The second indicator: min, max and min + 1 (see inConsensus).
    const i2 = section.indicators[1];
    if (!i2) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = (await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`)).text;
    const block = page.slice(page.indexOf(`id="ind-${i2.id}"`), page.indexOf('</section>', page.indexOf(`id="ind-${i2.id}"`)));
    expect(block).toMatch(new RegExp(String.raw`Bedömarnas spridning \(lägst–högst\):\s+${i2.scale.min}–${i2.scale.max} \(3 bedömare\)`));
    expect(block).not.toContain('bedömare:');
  });

  it('when a section of five indicators is shown, then its HTML stays under 40 KB', async () => {
    const s = await inConsensus();
    const section = s.rubric.sections.find((candidate) => candidate.indicators.length >= 5) ?? firstSection(s);
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    expect(page.status).toBe(200);
    expect(section.indicators.length).toBeGreaterThanOrEqual(4);
    expect(Buffer.byteLength(page.text)).toBeLessThan(40 * 1024);
  });

  it('when the section does not exist, then 404', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    expect((await lead.get(`/reviews/${s.reviewId}/consensus/no-such-section`)).status).toBe(404);
  });

  it('when an indicator’s save address is opened (a reload, an old link), then it leads to the indicator on its section page', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const i2 = section.indicators[1];
    if (!i2) throw new Error('missing');
    const lead = await s.login(s.lead);
    const opened = await lead.get(`/reviews/${s.reviewId}/consensus/${i2.id}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${section.id}#ind-${i2.id}`);
  });
});

describe('POST /reviews/:id/consensus/:indicatorId', () => {
  it('when the lead saves a score, then the page returns to the same section and indicator', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const i2 = section.indicators[1];
    if (!i2) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = `/reviews/${s.reviewId}/consensus/${section.id}`;
    const saved = await postForm(lead, page, `/reviews/${s.reviewId}/consensus/${i2.id}`, {
      score: String(i2.scale.min + 1),
      rationale: '',
      version: '0',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${page}#ind-${i2.id}`);
    const filtered = await postForm(lead, page, `/reviews/${s.reviewId}/consensus/${i2.id}`, {
      score: String(i2.scale.min + 2),
      rationale: '',
      version: '1',
      undecided: '1',
    });
    // With the filter on, the indicator just decided is no longer shown: the page comes back at an undecided one.
    const anchor = /^[^#]*\?undecided=1#(ind-[\w-]+)$/.exec(filtered.headers.location ?? '')?.[1];
    expect(anchor).toBeDefined();
    expect(anchor).not.toBe(`ind-${i2.id}`);
    expect((await lead.get(`${page}?undecided=1`)).text).toContain(`id="${anchor}"`);
    expect(s.reviews.listConsensus(s.reviewId).find((c) => c.indicatorId === i2.id)).toMatchObject({ score: i2.scale.min + 2 });
  });

  it('when a score outside the spread has no rationale, then the section page comes back with 422, the summary first and focused, linking to the field, values kept', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const i4 = section.indicators[3];
    if (!i4) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    const { action, fields } = readForm(page.text, 'consensus-form');
    const refused = await lead
      .post(action)
      .type('form')
      .send({ ...fields, [`score__${i4.id}`]: String(i4.scale.max), focus: i4.id });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<title>Fel: ');
    expectErrorSummaryFirst(refused.text, `f-rationale__${i4.id}`);
    expect(refused.text).toContain(`id="f-rationale__${i4.id}"`);
    expect(refused.text).toContain(
      `>${section.code}.4: Konsensuspoängen ligger utanför bedömarnas spridning (lägst–högst). Skriv en motivering.`,
    );
    expect(refused.text).toContain(`value="${i4.scale.max}" checked`);
    // The message also stands beside its own box, and only there.
    expect(refused.text.match(/<p class="field-error" id="err-[^"]+">/g)).toEqual([`<p class="field-error" id="err-rationale__${i4.id}">`]);
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(0);
  });

  it('when a tab opened before posts one indicator’s earlier form with a score outside the spread, then the section’s form comes back with it, 422', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const i4 = section.indicators[3];
    if (!i4) throw new Error('missing');
    const lead = await s.login(s.lead);
    const refused = await postForm(lead, `/reviews/${s.reviewId}/consensus/${section.id}`, `/reviews/${s.reviewId}/consensus/${i4.id}`, {
      score: String(i4.scale.max),
      rationale: '',
      version: '0',
    });
    expect(refused.status).toBe(422);
    expectErrorSummaryFirst(refused.text, `f-rationale__${i4.id}`);
    expect(refused.text).toContain(`name="score__${i4.id}" value="${i4.scale.max}" checked`);
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(0);
  });

  it('when the refused page’s language is switched, then the switch leads back to the section page the form came from, not the save address', async () => {
    const s = await inConsensus();
    const section = firstSection(s);
    const i4 = section.indicators[3];
    if (!i4) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = `/reviews/${s.reviewId}/consensus/${section.id}?undecided=1`;
    const form = await lead.get(page);
    const post = (referer: string) =>
      lead
        .post(`/reviews/${s.reviewId}/consensus/${i4.id}`)
        .set('Host', 'hf.example')
        .set('Referer', referer)
        .type('form')
        .send({ _csrf: extractCsrfToken(form.text), score: String(i4.scale.max), rationale: '', version: '0' });
    // A browser sends the form's page as the Referer (the Referrer-Policy is same-origin).
    const refused = await post(`http://hf.example${page}`);
    expect(refused.status).toBe(422);
    const switchTo = `/language/en?next=${encodeURIComponent(page)}`;
    expect(refused.text).toContain(`href="${switchTo}"`);
    const switched = await lead.get(switchTo);
    expect(switched.headers.location).toBe(page);
    expect((await lead.get(page)).status).toBe(200);
    // Another site's Referer is not followed: the switch (back to Swedish now) then leads home.
    expect((await post('https://elsewhere.example/reviews/1')).text).toContain(`href="/language/sv?next=${encodeURIComponent('/')}"`);
  });
});

describe('strengths and recommendations per section', () => {
  const findingsUrl = (s: ReviewScenario, sectionId: string) => `/reviews/${s.reviewId}/consensus/${sectionId}/findings`;

  it('when the lead saves a section’s findings, then only that section is replaced and the page returns to them', async () => {
    const s = await inConsensus();
    const [a, b] = s.rubric.sections;
    if (!a || !b) throw new Error('missing');
    s.reviews.replaceFindings(
      s.reviewId,
      [{ sectionId: b.id, strengths: ['B stark'], recommendations: ['B rek'] }],
      s.lead.id,
      undefined,
      undefined,
    );
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${a.id}`);
    const { action, fields } = readForm(page.text, 'consensus-form');
    expect(action).toBe(`/reviews/${s.reviewId}/consensus/${a.id}/save`);
    const saved = await lead
      .post(action)
      .type('form')
      .send({
        ...fields,
        [`strengths__${a.id}`]: 'Tydliga rutiner\n- Bra samverkan',
        [`recommendations__${a.id}`]: 'Skriv ned rutinen',
        focus: 'findings',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/reviews/${s.reviewId}/consensus/${a.id}#findings`);
    expect(s.reviews.listFindings(s.reviewId)).toEqual(
      expect.arrayContaining([
        { sectionId: a.id, kind: 'strength', position: 1, text: 'Tydliga rutiner' },
        { sectionId: a.id, kind: 'strength', position: 2, text: 'Bra samverkan' },
        { sectionId: a.id, kind: 'recommendation', position: 1, text: 'Skriv ned rutinen', priority: 'medium' },
        { sectionId: b.id, kind: 'strength', position: 1, text: 'B stark' },
      ]),
    );
    expect(s.reviews.listFindings(s.reviewId)).toHaveLength(5);
    // No indicator was decided by that save: their empty choices are not decisions.
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(0);
  });

  it('when another section was saved since the page was shown, then the save is no conflict; when the same section was, then 409 with both texts', async () => {
    const s = await inConsensus();
    const [a, b] = s.rubric.sections;
    if (!a || !b) throw new Error('missing');
    const tab1 = await s.login(s.lead);
    const tab2 = await s.login(s.lead);
    const pageA1 = readForm((await tab1.get(`/reviews/${s.reviewId}/consensus/${a.id}`)).text, 'consensus-form');
    const pageA2 = readForm((await tab2.get(`/reviews/${s.reviewId}/consensus/${a.id}`)).text, 'consensus-form');
    const pageB = readForm((await tab2.get(`/reviews/${s.reviewId}/consensus/${b.id}`)).text, 'consensus-form');
    // Tab 2 saves section B: the review-wide version goes up.
    const savedB = await tab2
      .post(pageB.action)
      .type('form')
      .send({ ...pageB.fields, [`strengths__${b.id}`]: 'B från flik två' });
    expect(savedB.status).toBe(303);
    // Tab 1 saves section A, based on the older version: section A itself did not change, so it is saved.
    const savedA = await tab1
      .post(pageA1.action)
      .type('form')
      .send({ ...pageA1.fields, [`strengths__${a.id}`]: 'A från flik ett' });
    expect(savedA.status).toBe(303);
    // Tab 2 saves section A from its old page: section A changed since, so nothing is written.
    const stale = await tab2
      .post(pageA2.action)
      .type('form')
      .send({ ...pageA2.fields, [`strengths__${a.id}`]: 'A från flik två' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('A från flik ett');
    expect(stale.text).toContain('A från flik två');
    expect(stale.text).toContain(`Någon annan sparade styrkorna för avsnitt ${a.code} medan du arbetade`);
    const strengths = s.reviews
      .listFindings(s.reviewId)
      .filter((f) => f.kind === 'strength')
      .map((f) => f.text);
    expect(strengths.sort()).toEqual(['A från flik ett', 'B från flik två']);
    // Saving again from the 409 page (based on what is stored now) replaces it on purpose.
    const again = readForm(stale.text, 'consensus-form');
    expect(again.fields[`strengths__${a.id}`]).toBe('A från flik två');
    expect((await tab2.post(again.action).type('form').send(again.fields)).status).toBe(303);
    expect(s.reviews.listFindings(s.reviewId).find((f) => f.sectionId === a.id)?.text).toBe('A från flik två');
  });

  it('when a tab opened before posts the section’s earlier findings form, then it is still saved, and a stale one gets 409 on the section’s form', async () => {
    const s = await inConsensus();
    const [a] = s.rubric.sections;
    if (!a) throw new Error('missing');
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${a.id}`);
    const { fields } = readForm(page.text, 'consensus-form');
    // The earlier form's own field names: version and base.
    const earlier = { version: fields.findings_version, base: fields.findings_base };
    const saved = await postForm(lead, `/reviews/${s.reviewId}/consensus/${a.id}`, findingsUrl(s, a.id), {
      ...earlier,
      [`strengths__${a.id}`]: 'Från en gammal flik',
    } as Record<string, string>);
    expect(saved.status).toBe(303);
    expect(s.reviews.listFindings(s.reviewId).map((f) => f.text)).toEqual(['Från en gammal flik']);
    const stale = await postForm(lead, `/reviews/${s.reviewId}/consensus/${a.id}`, findingsUrl(s, a.id), {
      ...earlier,
      [`strengths__${a.id}`]: 'Från en annan gammal flik',
    } as Record<string, string>);
    expect(stale.status).toBe(409);
    expect(readForm(stale.text, 'consensus-form').fields[`strengths__${a.id}`]).toBe('Från en annan gammal flik');
  });

  it('when a rater who is not the lead posts findings, then 403 and nothing is stored; they see the texts read-only', async () => {
    const s = await inConsensus();
    const [a] = s.rubric.sections;
    if (!a) throw new Error('missing');
    s.reviews.replaceFindings(
      s.reviewId,
      [{ sectionId: a.id, strengths: ['Stark punkt'], recommendations: [] }],
      s.lead.id,
      undefined,
      undefined,
    );
    const rater = await s.login(s.reviewerA);
    const page = await rater.get(`/reviews/${s.reviewId}/consensus/${a.id}`);
    expect(page.text).toContain('<li>Stark punkt</li>');
    expect(page.text).not.toContain('id="consensus-form"');
    const refused = await postForm(rater, `/reviews/${s.reviewId}/consensus/${a.id}`, findingsUrl(s, a.id), {
      [`strengths__${a.id}`]: 'Annat',
    });
    expect(refused.status).toBe(403);
    expect(s.reviews.listFindings(s.reviewId).map((f) => f.text)).toEqual(['Stark punkt']);
  });
});

describe('barriers on their own page', () => {
  it('when the lead saves barriers, then they are stored, the findings are untouched, and a stale page gets 409', async () => {
    const s = await inConsensus();
    const [a] = s.rubric.sections;
    if (!a) throw new Error('missing');
    s.reviews.replaceFindings(
      s.reviewId,
      [{ sectionId: a.id, strengths: ['Stark'], recommendations: [] }],
      s.lead.id,
      undefined,
      undefined,
    );
    const lead = await s.login(s.lead);
    const url = `/reviews/${s.reviewId}/barriers`;
    const page = await lead.get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Strukturella hinder');
    const form = {
      _csrf: extractCsrfToken(page.text),
      version: /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '',
      base: /name="base" value="([0-9a-f]+)"/.exec(page.text)?.[1] ?? '',
    };
    const saved = await lead
      .post(url)
      .type('form')
      .send({ ...form, barriers__systemic: 'Brist på hyresrätter' });
    expect(saved.status).toBe(303);
    expect(s.reviews.listBarriers(s.reviewId)).toEqual([{ category: 'systemic', position: 1, text: 'Brist på hyresrätter' }]);
    expect(s.reviews.listFindings(s.reviewId)).toHaveLength(1);
    const stale = await lead
      .post(url)
      .type('form')
      .send({ ...form, barriers__systemic: 'Något annat' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Brist på hyresrätter');
    expect(stale.text).toContain('Något annat');
  });
});
