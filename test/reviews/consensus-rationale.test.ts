// When a consensus decision needs a rationale (src/reviews/consensus-rationale.ts): outside the raters' spread, "ej
// tillämplig" that no rater chose, and a core indicator at a score that counts towards a cap on the level.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/messages.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import { describeRationaleNeed, describeRationaleRule, findRationaleNeed } from '../../src/reviews/consensus-rationale.js';
import { summarizeSpread } from '../../src/reviews/rating-spread.js';

const FIXTURES = new URL('../fixtures/rubrics/', import.meta.url);
const capped = loadRubricFile(new URL('capped-mix.yaml', FIXTURES).pathname).rubric;
const shipped = loadRubricFile(new URL('../../rubrics/bostad-forst.yaml', import.meta.url).pathname).rubric;
const sv = createTranslator('sv');
const en = createTranslator('en');

const indicatorOf = (rubric: typeof shipped, id: string) => {
  const found = rubric.sections.flatMap((s) => s.indicators).find((i) => i.id === id);
  if (!found) throw new Error(`no indicator ${id}`);
  return found;
};
const spreadOf = (rubric: typeof shipped, id: string, scores: (number | 'na')[]) =>
  summarizeSpread(
    indicatorOf(rubric, id).scale,
    scores.map((score, raterId) => ({ raterId, score: score === 'na' ? null : score, notApplicable: score === 'na' })),
  );

describe('findRationaleNeed', () => {
  it('when a core indicator is decided at the minimum inside the spread, then it needs a rationale naming the cap', () => {
    const core = indicatorOf(shipped, 'a1-ordinary-housing');
    const spread = spreadOf(shipped, core.id, [2, 3, 1]);
    const need = findRationaleNeed(shipped, core, spread, { score: 1, notApplicable: false });
    expect(need).toMatchObject({ kind: 'core', score: 1, count: 1, level: { id: 'partial' } });
    expect(need && describeRationaleNeed(need, sv, 'sv')).toBe(
      'Indikatorn är en kärnkomponent, och poängen 1 begränsar hela granskningens nivå till högst Delvis modelltrohet. Skriv en motivering.',
    );
    expect(need && describeRationaleNeed(need, en, 'en')).toBe(
      'The indicator is a core element, and a score of 1 limits the whole review’s level to Partial fidelity at most. Write a rationale.',
    );
    expect(findRationaleNeed(shipped, core, spread, { score: 2, notApplicable: false })).toBeUndefined();
  });

  it('when an indicator that is not core is decided at the minimum inside the spread, then no rationale is needed', () => {
    const plain = indicatorOf(shipped, 'a1-time-to-housing');
    expect(findRationaleNeed(shipped, plain, spreadOf(shipped, plain.id, [2, 3, 1]), { score: 1, notApplicable: false })).toBeUndefined();
  });

  it('when "ej tillämplig" is decided, then it needs a rationale unless a rater chose it', () => {
    const optional = indicatorOf(shipped, 'a1-affordability');
    const scored = spreadOf(shipped, optional.id, [3, 3, 4]);
    const need = findRationaleNeed(shipped, optional, scored, { score: null, notApplicable: true });
    expect(need).toEqual({ kind: 'notApplicable' });
    expect(need && describeRationaleNeed(need, en, 'en')).toBe(
      'No rater chose Not applicable, so the decision goes beyond what the raters said. Write a rationale.',
    );
    expect(
      findRationaleNeed(shipped, optional, spreadOf(shipped, optional.id, [3, 'na', 4]), { score: null, notApplicable: true }),
    ).toBeUndefined();
  });

  it('when a core indicator’s score counts towards a cap that needs two, then the rationale says so', () => {
    const core = indicatorOf(capped, 'k1-lease');
    const need = findRationaleNeed(capped, core, spreadOf(capped, core.id, [1, 2]), { score: 1, notApplicable: false });
    expect(need).toMatchObject({ kind: 'core', count: 2, level: { id: 'poor' } });
    expect(need && describeRationaleNeed(need, sv, 'sv')).toBe(
      'Indikatorn är en kärnkomponent, och poängen 1 räknas till taket Svag, som gäller när 2 kärnkomponenter ligger så lågt. Skriv en motivering.',
    );
  });
});

describe('describeRationaleRule', () => {
  it('when the indicator is core, then the label names the scores that cap the level; when N/A is open and no rater chose it, it names that too', () => {
    const core = indicatorOf(shipped, 'a1-ordinary-housing');
    expect(describeRationaleRule(shipped, core, spreadOf(shipped, core.id, [2, 3, 1]), sv)).toBe(
      'krävs när poängen ligger utanför bedömarnas spridning (lägst–högst): 1–3, och för 1, som begränsar granskningens nivå (kärnkomponent)',
    );
    const optional = indicatorOf(shipped, 'a1-affordability');
    expect(describeRationaleRule(shipped, optional, spreadOf(shipped, optional.id, [3, 3, 4]), en)).toBe(
      'required when the score lies outside the raters’ spread (lowest–highest): 3–4, and for Not applicable, which no rater chose',
    );
    expect(describeRationaleRule(shipped, optional, spreadOf(shipped, optional.id, [3, 'na', 4]), sv)).toBe(
      'krävs när poängen ligger utanför bedömarnas spridning (lägst–högst): 3–4',
    );
    const sharedCap = indicatorOf(capped, 'k1-lease');
    expect(describeRationaleRule(capped, sharedCap, spreadOf(capped, sharedCap.id, [1, 2]), sv)).toBe(
      'krävs när poängen ligger utanför bedömarnas spridning (lägst–högst): 1–2, och för 0–1, som kan begränsa granskningens nivå (kärnkomponent)',
    );
  });
});
