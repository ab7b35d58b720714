// Two tabs on one consensus section (the audit of the lead's meeting, item 1): the page judges each findings box on its
// own (strengths, recommendations, the recommendations' priorities and owners) against what it showed. A box the
// page did not change is never written from its older copy, so another tab's save of it stands, and a findings box
// changed in another tab does not refuse the decisions of this one. When the same box was changed in both, the save
// is still all or nothing, by design: the page names that box, and only it, and gives everything back as typed.
import { describe, expect, it } from 'vitest';
import { type FormFields, readForm } from '../helpers/form-fields.js';
import { createScenarioInConsensus, type ReviewScenario } from '../helpers/review-scenario.js';

function firstSection(s: ReviewScenario) {
  const section = s.rubric.sections[0];
  const [i1, i2] = section?.indicators ?? [];
  if (!section || !i1 || !i2) throw new Error('the first section needs two indicators');
  return { section, i1, i2, strengths: `strengths__${section.id}`, recommendations: `recommendations__${section.id}` };
}

/** One browser tab of the lead's on the section page: its form as shown, and a post of it with what was typed. */
async function openTab(s: ReviewScenario) {
  const { section } = firstSection(s);
  const lead = await s.login(s.lead);
  const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
  expect(page.status).toBe(200);
  const form = readForm(page.text, 'consensus-form');
  const post = (fields: FormFields) =>
    lead
      .post(form.action)
      .type('form')
      .send({ ...form.fields, ...fields });
  return { lead, form, post };
}

const textsOf = (s: ReviewScenario, kind: 'strength' | 'recommendation') =>
  s.reviews
    .listFindings(s.reviewId)
    .filter((f) => f.kind === kind)
    .map((f) => f.text);
const consensusOf = (s: ReviewScenario, indicatorId: string) =>
  s.reviews.listConsensus(s.reviewId).find((c) => c.indicatorId === indicatorId);
const count = (html: string, text: string) => html.split(text).length - 1;

describe('two tabs on one consensus section: each findings box is judged on its own', () => {
  it('when tab 1 saved a strength and tab 2 types only a recommendation, then tab 2 saves without a conflict, and saving its old page again keeps the strength', async () => {
    const s = await createScenarioInConsensus();
    const { strengths, recommendations } = firstSection(s);
    const tab1 = await openTab(s);
    const tab2 = await openTab(s);
    expect((await tab1.post({ [strengths]: 'Egna kontrakt från första dagen', focus: 'findings' })).status).toBe(303);
    const saved = await tab2.post({ [recommendations]: 'Skriv ned rutinen för hyresskulder', focus: 'findings' });
    expect(saved.status).toBe(303);
    expect(textsOf(s, 'strength')).toEqual(['Egna kontrakt från första dagen']);
    expect(textsOf(s, 'recommendation')).toEqual(['Skriv ned rutinen för hyresskulder']);
    // The audit's last step: tab 2 pressed Save again on its old page. The strengths it never touched are not wiped.
    expect((await tab2.post({ [recommendations]: 'Skriv ned rutinen för hyresskulder', focus: 'findings' })).status).toBe(303);
    expect(textsOf(s, 'strength')).toEqual(['Egna kontrakt från första dagen']);
  });

  it('when tab 1 changed only the strengths and tab 2 only one indicator, then tab 2’s decision is saved and the strengths stand', async () => {
    const s = await createScenarioInConsensus();
    const { i1, strengths } = firstSection(s);
    const tab1 = await openTab(s);
    const tab2 = await openTab(s);
    expect((await tab1.post({ [strengths]: 'Tydlig styrgrupp', focus: 'findings' })).status).toBe(303);
    const saved = await tab2.post({ [`score__${i1.id}`]: String(i1.scale.min + 1), focus: i1.id });
    expect(saved.status).toBe(303);
    expect(consensusOf(s, i1.id)).toMatchObject({ score: i1.scale.min + 1 });
    expect(textsOf(s, 'strength')).toEqual(['Tydlig styrgrupp']);
  });

  it('when both tabs changed the strengths, then 409 names that box alone, says the decisions were not saved either, keeps everything typed, and saving again replaces it', async () => {
    const s = await createScenarioInConsensus();
    const { section, i1, strengths, recommendations } = firstSection(s);
    const tab1 = await openTab(s);
    const tab2 = await openTab(s);
    expect((await tab1.post({ [strengths]: 'Styrka från flik ett', focus: 'findings' })).status).toBe(303);
    const stale = await tab2.post({
      [strengths]: 'Styrka från flik två',
      [recommendations]: 'Rekommendation från flik två',
      [`score__${i1.id}`]: String(i1.scale.min + 1),
      focus: 'findings',
    });
    expect(stale.status).toBe(409);
    // The notice names the part that clashed and says the page saves all or nothing.
    expect(stale.text).toContain(`Någon annan sparade styrkorna för avsnitt ${section.code} medan du arbetade`);
    expect(stale.text).toContain('Sidan sparar allt eller inget, så inget på den sparades, inte heller det som inte krockade.');
    // One message, at the strengths, naming them; none at the recommendations, which only this tab changed.
    const message = `Sedan sidan visades har någon annan sparat styrkorna för avsnitt ${section.code}`;
    expect(count(stale.text, message)).toBe(2); // beside the box, and in the summary linking to it
    expect(stale.text).toContain(`href="#f-${strengths}"`);
    expect(stale.text).not.toContain(`href="#f-${recommendations}"`);
    expect(stale.text).toContain(`id="stored-${strengths}"`);
    expect(stale.text).not.toContain(`id="stored-${recommendations}"`);
    // Nothing was written, and everything typed is on the form given back.
    expect(textsOf(s, 'strength')).toEqual(['Styrka från flik ett']);
    expect(textsOf(s, 'recommendation')).toEqual([]);
    expect(consensusOf(s, i1.id)).toBeUndefined();
    const again = readForm(stale.text, 'consensus-form');
    expect(again.fields[strengths]).toBe('Styrka från flik två');
    expect(again.fields[recommendations]).toBe('Rekommendation från flik två');
    expect(again.fields[`score__${i1.id}`]).toBe(String(i1.scale.min + 1));
    // Saving again replaces the strengths knowingly, with the rest.
    expect((await tab2.lead.post(again.action).type('form').send(again.fields)).status).toBe(303);
    expect(textsOf(s, 'strength')).toEqual(['Styrka från flik två']);
    expect(textsOf(s, 'recommendation')).toEqual(['Rekommendation från flik två']);
    expect(consensusOf(s, i1.id)).toMatchObject({ score: i1.scale.min + 1 });
  });

  it('when the recommendations clash and the page never touched the strengths, then the form given back shows the stored strengths, and saving again keeps them', async () => {
    const s = await createScenarioInConsensus();
    const { section, strengths, recommendations } = firstSection(s);
    const tab1 = await openTab(s);
    const tab2 = await openTab(s);
    expect(
      (await tab1.post({ [strengths]: 'Styrka från flik ett', [recommendations]: 'Rekommendation ett', focus: 'findings' })).status,
    ).toBe(303);
    const stale = await tab2.post({ [recommendations]: 'Rekommendation två', focus: 'findings' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(`Sedan sidan visades har någon annan sparat rekommendationerna för avsnitt ${section.code}`);
    expect(stale.text).not.toContain(`Sedan sidan visades har någon annan sparat styrkorna`);
    const again = readForm(stale.text, 'consensus-form');
    expect(again.fields[strengths]).toBe('Styrka från flik ett');
    expect(again.fields[recommendations]).toBe('Rekommendation två');
    expect((await tab2.lead.post(again.action).type('form').send(again.fields)).status).toBe(303);
    expect(textsOf(s, 'strength')).toEqual(['Styrka från flik ett']);
    expect(textsOf(s, 'recommendation')).toEqual(['Rekommendation två']);
  });

  it('when tab 1 set a recommendation’s priority and tab 2 adds a line without touching the rows, then the priority stands; when both changed the rows, then 409 names the rows', async () => {
    const s = await createScenarioInConsensus();
    const { section, recommendations } = firstSection(s);
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: section.id, strengths: [], recommendations: ['Skriv rutinen'] }], s.lead.id);
    const tab1 = await openTab(s);
    const tab2 = await openTab(s);
    const tab3 = await openTab(s);
    const priority = `rec_priority__${section.id}__0`;
    const owner = `rec_owner__${section.id}__0`;
    expect((await tab1.post({ [priority]: 'high', focus: 'findings' })).status).toBe(303);
    expect((await tab2.post({ [recommendations]: 'Skriv rutinen\nUtbilda personalen', focus: 'findings' })).status).toBe(303);
    const stored = s.reviews.listFindings(s.reviewId).filter((f) => f.kind === 'recommendation');
    expect(stored.map((f) => [f.text, f.priority, f.owner])).toEqual([
      ['Skriv rutinen', 'high', undefined],
      ['Utbilda personalen', 'medium', undefined],
    ]);
    // Tab 3 changes the owner of the same row on its old page: the rows were saved elsewhere meanwhile.
    const stale = await tab3.post({ [owner]: 'board', focus: 'findings' });
    expect(stale.status).toBe(409);
    const message = `Sedan sidan visades har någon annan sparat prioritet och ansvarig för rekommendationerna i avsnitt ${section.code}`;
    expect(stale.text).toContain(message);
    expect(stale.text).toContain(`href="#f-${priority}"`);
    expect(stale.text).toContain(`aria-describedby="err-${priority}" aria-invalid="true"`);
    expect(stale.text).toContain(`id="stored-rec_meta__${section.id}"`);
    expect(stale.text).toContain('<li>Skriv rutinen – Hög, ej angiven</li>');
    // Its recommendations box was not touched: it now shows both lines as stored, and the owner it chose is kept.
    const again = readForm(stale.text, 'consensus-form');
    expect(again.fields[recommendations]).toBe('Skriv rutinen\nUtbilda personalen');
    expect(again.fields[owner]).toBe('board');
    expect(s.reviews.listFindings(s.reviewId).filter((f) => f.kind === 'recommendation')).toEqual(stored);
  });

  it('when a tab opened before posts the section’s earlier findings form, then it is judged box by box too', async () => {
    const s = await createScenarioInConsensus();
    const { section, strengths, recommendations } = firstSection(s);
    const tab1 = await openTab(s);
    const old = await openTab(s);
    expect((await tab1.post({ [strengths]: 'Styrka från flik ett', focus: 'findings' })).status).toBe(303);
    const saved = await old.lead
      .post(`/reviews/${s.reviewId}/consensus/${section.id}/findings`)
      .type('form')
      .send({
        _csrf: old.form.fields._csrf,
        version: old.form.fields.findings_version,
        base: old.form.fields.findings_base,
        [strengths]: '',
        [recommendations]: 'Från en gammal flik',
      });
    expect(saved.status).toBe(303);
    expect(textsOf(s, 'strength')).toEqual(['Styrka från flik ett']);
    expect(textsOf(s, 'recommendation')).toEqual(['Från en gammal flik']);
  });
});
