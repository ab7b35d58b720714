// The method appendix says how far each program's raters agreed before the consensus, from the review's submitted
// individual ratings, with the figures and the alpha band of the review's result page.
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { binaryParser, extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario, type ReportScenario } from './report-fixtures.js';

/**
 * The three raters' scores of the shipped rubric's 70 indicators. Raters 0 and 1 always agree; rater 2 agrees on the
 * first 50 and is 1 point higher on 10 (3, 3, 4) and 2 points higher on 10 (2, 2, 4).
 *
 * Pairs: 3 per indicator, 210. Exactly the same: 3 × 50 + 1 × 20 = 170 of 210 = 80.95 %. At most 1 apart:
 * 3 × 50 + 3 × 10 + 1 × 10 = 190 of 210 = 90.48 %.
 * Ordinal alpha (Krippendorff 2011): coincidences o(2,2) = 40, o(3,3) = 70, o(4,4) = 60, o(3,4) = o(2,4) = 10 (each
 * way), so n(2) = 50, n(3) = 80, n(4) = 80, n = 210; δ(2,3) = 65², δ(3,4) = 80², δ(2,4) = (210 − 65)²;
 * α = 1 − (n − 1) · Σ o·δ / Σ n·n·δ = 1 − 209 · 548,500 / 283,920,000 = 0.596: below 0.667, unreliable.
 */
function knownScore(rater: number, indicator: number): number {
  if (indicator < 20) return 4;
  if (indicator < 40) return 3;
  if (indicator < 50) return 2;
  const shared = indicator < 60 ? 3 : 2;
  return rater === 2 ? 4 : shared;
}

function gather(s: ReportScenario): ReportData {
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
  return gathered.data;
}

/** The paragraphs under the method appendix's agreement heading, up to the next heading. */
function agreementParagraphs(data: ReportData, locale: Locale): string[] {
  const method = buildReportModel(data, locale).chapters.find((chapter) => chapter.id === 'method');
  const blocks = method?.blocks ?? [];
  const start = blocks.findIndex((block) => block.type === 'heading' && block.id === 'method/agreement');
  const end = blocks.findIndex((block, index) => index > start && block.type === 'heading');
  expect(start).toBeGreaterThan(0);
  return blocks.slice(start + 1, end).flatMap((block) => (block.type === 'paragraph' ? [block.paragraph.text] : []));
}

async function downloadText(s: ReportScenario, locale: Locale): Promise<string> {
  const agent = await s.login(s.reader);
  const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf?lang=${locale}`).buffer(true).parse(binaryParser);
  expect(response.status).toBe(200);
  return normalizeSpace(extractPdfText(response.body as Buffer));
}

const KNOWN = {
  sv: '3 bedömare gav var för sig poäng på 70 indikatorer. Av 210 par hade 81,0\u00a0% exakt samma poäng och 90,5\u00a0% högst 1 poäng ifrån varandra. Krippendorffs alfa (ordinal) är 0,596 (inte tillförlitlig).',
  en: '3 raters scored 70 indicators independently. Of 210 pairs, 81.0% had exactly the same score and 90.5% were at most 1 point apart. Krippendorff’s alpha (ordinal) is 0.596 (unreliable).',
} as const;

describe('the method appendix: agreement between raters', { timeout: 60_000 }, () => {
  it('when three raters submitted known scores, then the PDF gives the pairs’ exact and within-1 shares and alpha with its band, in Swedish and English', async () => {
    const s = await createReportScenario({ raterScores: knownScore });
    const sv = await downloadText(s, 'sv');
    expect(sv).toContain(`Samstämmighet mellan bedömarna ${'Måtten räknas på de bedömningar som varje bedömare skickade in på egen hand'}`);
    expect(sv).toContain(KNOWN.sv.replace(/\u00a0/g, ' '));
    expect(sv).toContain(
      'Vilka indikatorer bedömarna skilde sig mest på, och fler mått, visas på granskningens resultatsida i hf-fidelity.',
    );
    // The limits no longer send the reader to the app for what the appendix now says.
    expect(sv).toContain('Hur samstämmiga bedömarna var innan de enades redovisas i avsnittet Samstämmighet mellan bedömarna.');
    expect(sv).not.toContain('redovisas i hf-fidelity för varje granskning');
    // The bands are the method's (Krippendorff's), not the software's.
    expect(sv).toContain('Den tolkas med Krippendorffs egna gränser: minst 0,800 tillförlitlig');
    expect(sv).not.toContain('tolkas som i hf-fidelity');
    const en = await downloadText(s, 'en');
    expect(en).toContain('Agreement between raters The figures are computed from the ratings each rater submitted alone');
    expect(en).toContain(KNOWN.en);
    expect(en).toContain('It is read by Krippendorff’s own thresholds: at least 0.800 reliable');
    // In the model, the Swedish percents have a no-break space before the sign.
    expect(agreementParagraphs(gather(s), 'sv')).toContain(KNOWN.sv);
  });

  it('when every rater gave every indicator the same score, then alpha cannot be computed and the appendix says why', async () => {
    const s = await createReportScenario({ raterScores: () => 3 });
    const data = gather(s);
    expect(agreementParagraphs(data, 'sv')).toEqual([
      expect.stringContaining('Måtten räknas på'),
      '3 bedömare gav var för sig poäng på 70 indikatorer. Av 210 par hade 100,0\u00a0% exakt samma poäng och 100,0\u00a0% högst 1 poäng ifrån varandra. Krippendorffs alfa (ordinal) kan inte beräknas, eftersom poängen inte varierar: alla bedömarnas poäng är lika.',
    ]);
    // No indicator to list on the result page, so no pointer to it.
    expect(agreementParagraphs(data, 'en')).toEqual([
      expect.stringContaining('The figures are computed'),
      '3 raters scored 70 indicators independently. Of 210 pairs, 100.0% had exactly the same score and 100.0% were at most 1 point apart. Krippendorff’s alpha (ordinal) cannot be computed, because the scores do not vary: every score the raters gave is the same.',
    ]);
  });

  it('when only one rater submitted, then the appendix says agreement needs two, and the others’ unsubmitted ratings are not counted', async () => {
    const s = await createReportScenario({ submittingRaters: 1 });
    expect(agreementParagraphs(gather(s), 'sv')[1]).toBe(
      'Samstämmigheten mellan bedömarna kan inte beräknas: det behövs minst två bedömare som skickat in poäng, och här var det 1.',
    );
    expect(agreementParagraphs(gather(s), 'en')[1]).toBe(
      'Agreement between the raters cannot be computed: it needs at least two raters who submitted scores, and there were 1.',
    );
  });

  it('when the report has two programs, then each program’s paragraph is named; a draft has no pointer to a result page', async () => {
    const s = await createReportScenario({ programs: 2, raterScores: knownScore });
    const data = gather(s);
    const paragraphs = agreementParagraphs(data, 'sv');
    expect(paragraphs.slice(1, 3)).toEqual(data.programs.map(({ program }) => `${program.name}: ${KNOWN.sv}`));
    expect(paragraphs).toHaveLength(4);
    expect(agreementParagraphs({ ...data, draft: true }, 'sv')).toHaveLength(3);
  });

  it('when the indicators use several scales, then the figures are given per scale, never pooled', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const [, paragraph] = agreementParagraphs(gather(s), 'en');
    expect(paragraph).toMatch(/^3 raters scored \d+ indicators independently\. The indicators use different scales \(0–2, 1–5\)\./);
    expect(paragraph).toMatch(/Scale 0–2: Of \d+ pairs, /);
    expect(paragraph).toMatch(/Scale 1–5: Of \d+ pairs, .* Krippendorff’s alpha \(ordinal\) is /);
  });

  it('when two raters scored one indicator (the rest not applicable), then the counts read in the singular, in both languages', async () => {
    // mini-five's c1-beta (the second indicator) is the one that may not be marked not applicable.
    const s = await createReportScenario({
      rubricId: 'mini-five',
      submittingRaters: 2,
      raterScores: (_rater, indicator) => (indicator === 1 ? 2 : 'na'),
    });
    const data = gather(s);
    const [, swedish] = agreementParagraphs(data, 'sv');
    expect(swedish).toMatch(/^2 bedömare gav var för sig poäng på 1 indikator\. /);
    expect(swedish).toContain('Av 1 par hade ');
    const [, english] = agreementParagraphs(data, 'en');
    expect(english).toMatch(/^2 raters scored 1 indicator independently\. /);
    expect(english).toContain('Of 1 pair, ');
    expect(english).not.toContain('1 indicators');
  });
});
