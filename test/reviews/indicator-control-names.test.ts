// Every form control on the rating form, the consensus section page and the readiness checklist names its indicator
// (WCAG 2.4.6, 1.3.1, 3.3.2): a screen reader moving from field to field hears each control's name alone, so "Poäng"
// or "Motivering" once per indicator cannot tell them apart. The names are computed from the page's HTML as the browser computes them.
import { readForm } from '../helpers/form-fields.js';
import { describe, expect, it } from 'vitest';
import type { Rubric } from '../../src/rubrics/rubric-schema.js';
import { listNamedControls, type NamedControl, textOfHtml } from '../helpers/control-names.js';
import { createReviewScenario, startRating, createScenarioInConsensus } from '../helpers/review-scenario.js';
import { createProgramScenario } from '../helpers/program-scenario.js';
import { extractCsrfToken, loadTestRubrics } from '../helpers/test-app.js';

const LOCALES = ['sv', 'en'] as const;

/** Each indicator's code ("A1.6"), from the rubric's own order. */
const codesOf = (rubric: Rubric) =>
  new Map(
    rubric.sections.flatMap((section) => section.indicators.map((indicator, index) => [indicator.id, `${section.code}.${index + 1}`])),
  );

const namesCode = (name: string, code: string) => new RegExp(`(^|\\s)${code.replace('.', '\\.')}($|[\\s:,–])`).test(name);

/** The page's controls, each with the indicator whose <section class="indicator"> holds it (undefined: the page's own). */
function controlsByIndicator(html: string): { indicatorId: string | undefined; control: NamedControl }[] {
  const sections = [...html.matchAll(/<section class="indicator"[^>]*aria-labelledby="h-([^"]+)">/g)].map((match) => ({
    id: match[1] ?? '',
    start: match.index,
    end: html.indexOf('</section>', match.index),
  }));
  return listNamedControls(html).map((control) => ({
    indicatorId: sections.find((section) => control.at > section.start && control.at < section.end)?.id,
    control,
  }));
}

/**
 * Checks the page: each indicator has the kinds of control expected, every one of them names the indicator's code,
 * and no name is shared by controls of two indicators. Gives back the controls that belong to no indicator.
 */
function expectEveryControlNamesItsIndicator(html: string, codes: ReadonlyMap<string, string>, kinds: readonly string[]) {
  const controls = controlsByIndicator(html);
  const indicatorIds = new Set(controls.flatMap(({ indicatorId }) => (indicatorId === undefined ? [] : [indicatorId])));
  expect(indicatorIds.size).toBeGreaterThan(1);
  const owners = new Map<string, Set<string>>();
  for (const indicatorId of indicatorIds) {
    const code = codes.get(indicatorId) ?? '';
    const own = controls.filter((entry) => entry.indicatorId === indicatorId).map(({ control }) => control);
    expect([...new Set(own.map((control) => control.kind))].sort(), code).toEqual([...kinds].sort());
    for (const control of own) {
      expect(namesCode(control.name, code), `${control.kind} named "${control.name}" should name ${code}`).toBe(true);
      owners.set(control.name, (owners.get(control.name) ?? new Set()).add(indicatorId));
    }
  }
  expect([...owners].filter(([, ids]) => ids.size > 1).map(([name]) => name)).toEqual([]);
  return controls.filter(({ indicatorId }) => indicatorId === undefined).map(({ control }) => control);
}

describe('the rating form: each control names its indicator', () => {
  it('when a rater opens any section, in Swedish or English, then every score group, evidence group and note names its indicator’s code', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const rater = await s.login(s.reviewerA);
    const codes = codesOf(s.rubric);
    for (const locale of LOCALES)
      for (const section of s.rubric.sections) {
        const page = await rater.get(`/reviews/${s.reviewId}/rate/${section.id}?lang=${locale}`);
        expect(page.status).toBe(200);
        expectEveryControlNamesItsIndicator(page.text, codes, ['radio', 'checkbox', 'textarea']);
      }
    // What the visible label reads is unchanged: the code is for the screen reader only.
    const first = s.rubric.sections[0];
    const page = await rater.get(`/reviews/${s.reviewId}/rate/${first?.id}`);
    expect(page.text).toContain(`<legend>Poäng<span class="visually-hidden"> ${first?.code}.1</span></legend>`);
  });

  it('when a note is refused, then the field’s own message repeats the summary’s words, and both name the indicator', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const section = s.rubric.sections[1];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('the rubric needs two sections');
    const rater = await s.login(s.reviewerA);
    const url = `/reviews/${s.reviewId}/rate/${section.id}`;
    const form = await rater.get(url);
    const refused = await rater
      .post(url)
      .type('form')
      .send({
        _csrf: extractCsrfToken(form.text),
        [`version__${indicator.id}`]: '0',
        [`note__${indicator.id}`]: 'x'.repeat(2001),
        action: 'save',
      });
    expect(refused.status).toBe(422);
    const code = `${section.code}.1`;
    const summary = textOfHtml(new RegExp(`<a href="#f-note__${indicator.id}">([^<]*)</a>`).exec(refused.text)?.[1] ?? '');
    const own = textOfHtml(
      new RegExp(`<p class="field-error" id="err-note__${indicator.id}">([\\s\\S]*?)</p>`).exec(refused.text)?.[1] ?? '',
    );
    expect(namesCode(summary, code)).toBe(true);
    expect(own).toBe(summary);
    expectEveryControlNamesItsIndicator(refused.text, codesOf(s.rubric), ['radio', 'checkbox', 'textarea']);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toEqual([]);
  });
});

describe('the consensus section page: each control names its indicator', () => {
  it('when the lead opens any section, in Swedish or English, then every score group, rationale and save button names its indicator’s code, and the findings boxes their section’s', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const codes = codesOf(s.rubric);
    for (const locale of LOCALES)
      for (const section of s.rubric.sections) {
        const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}?lang=${locale}`);
        expect(page.status).toBe(200);
        const rest = expectEveryControlNamesItsIndicator(page.text, codes, ['radio', 'textarea', 'button']);
        const findings = rest.filter((control) => control.kind === 'textarea');
        expect(findings).toHaveLength(2);
        for (const control of findings) expect(namesCode(control.name, section.code), control.name).toBe(true);
      }
  });

  it('when a rationale is missing, then the field’s own message is the summary’s words after the code, and the field still names its indicator', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const indicator = section?.indicators.find((candidate) => candidate.scale.max > candidate.scale.min + 1);
    if (!section || !indicator) throw new Error('the first section needs an indicator with three levels');
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    // Every rater gave min + 1: the maximum lies outside their spread and needs a rationale.
    const { action, fields } = readForm(page.text, 'consensus-form');
    const refused = await lead
      .post(action)
      .type('form')
      .send({ ...fields, [`score__${indicator.id}`]: String(indicator.scale.max) });
    expect(refused.status).toBe(422);
    const code = codesOf(s.rubric).get(indicator.id) ?? '';
    const summary = textOfHtml(new RegExp(`<a href="#f-rationale__${indicator.id}">([^<]*)</a>`).exec(refused.text)?.[1] ?? '');
    const own = textOfHtml(
      new RegExp(`<p class="field-error" id="err-rationale__${indicator.id}">([\\s\\S]*?)</p>`).exec(refused.text)?.[1] ?? '',
    );
    expect(own).not.toBe('');
    expect(summary).toBe(`${code}: ${own}`);
    const rationale = controlsByIndicator(refused.text).find(
      ({ indicatorId, control }) => indicatorId === indicator.id && control.kind === 'textarea',
    );
    expect(rationale?.control.name).toMatch(new RegExp(`^Motivering ${code.replace('.', '\\.')} – krävs`));
    expectEveryControlNamesItsIndicator(refused.text, codesOf(s.rubric), ['radio', 'textarea', 'button']);
    expect(s.reviews.listConsensus(s.reviewId)).toEqual([]);
  });

  it('when the program lead opens a section of the readiness checklist, then every status group, note and date names its indicator’s code', async () => {
    const rubric = loadTestRubrics().get('mini-five')?.rubric;
    if (!rubric) throw new Error('mini-five missing');
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    for (const section of rubric.sections) {
      const page = await agent.get(`/programs/${s.programId}/readiness/mini-five/sections/${section.id}`);
      expect(page.status).toBe(200);
      expectEveryControlNamesItsIndicator(page.text, codesOf(rubric), ['radio', 'textarea', 'date']);
    }
  });
});
