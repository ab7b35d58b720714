// Page 1 of a report on one program, read from the rendered PDF: it stays one page when the panel's texts are at the
// allowed maxima and everything page 1 can say is said (the level capped by several core elements, a section fallen,
// the next review overdue, overdue actions), and says on which page each cut or left-out text is whole.
import { describe, expect, it } from 'vitest';
import type { RecommendationOutcome } from '../../src/actions/report-part.js';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import type { Finding } from '../../src/reviews/review-types.js';
import { extractPdfPages, extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario, testReportFonts } from './report-fixtures.js';

/** The longest texts the forms take: a judgement of 3,000 characters, a recommendation of 1,000. */
const JUDGEMENT_MAX = 3000;
const RECOMMENDATION_MAX = 1000;

/** Sentences numbered from 1 up to `length` characters, so a test can tell where a text was cut. */
function sentences(prefix: string, length: number, paragraphEvery = 0): string {
  let text = '';
  for (let i = 1; ; i++) {
    const sentence = `${prefix} ${i} säger att stödet är frivilligt och att bostaden är en vanlig lägenhet.`;
    const separator = text === '' ? '' : paragraphEvery > 0 && (i - 1) % paragraphEvery === 0 ? '\n\n' : ' ';
    if (text.length + separator.length + sentence.length > length) return text;
    text += separator + sentence;
  }
}

let shared: Promise<ReportData> | undefined;

/** One program with two final reviews, gathered once for the file: the tests change only copies of its data. */
function oneProgram(): Promise<ReportData> {
  shared ??= (async () => {
    const s = await createReportScenario({ reviewsPerProgram: 2 });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    return gathered.data;
  })();
  return shared;
}

const outcome = (finding: Finding, dueOn: string, notedOn?: string): RecommendationOutcome => ({
  sectionId: finding.sectionId,
  position: finding.position,
  text: finding.text,
  status: 'in_progress',
  ownerName: 'Sofia Ek',
  dueOn,
  latestNote: notedOn ? { notedOn, text: 'Arbetet pågår.' } : undefined,
  savedOn: '2026-05-06',
});

/** The program's action plans, every action under way: last round's due at the start of 2025, this round's on 30 September 2026, one note on this round's first dated `notedOn`. */
function withPlans(data: ReportData, notedOn: string, findings?: readonly Finding[]): ReportData {
  const [program] = data.programs;
  if (!program) throw new Error('no program');
  const { sections } = program.latest.review.rubric.rubric;
  const latestFindings = findings ?? program.latest.findings;
  const previousFindings = program.previous?.findings.filter((finding) => finding.kind === 'recommendation') ?? [];
  const part = (reviewId: number, items: RecommendationOutcome[]) => ({
    reviewId,
    sections: sections.map(({ id, code, title }) => ({ id, code, title })),
    recommendations: items,
  });
  const lastRound = part(
    program.previous?.review.id ?? 0,
    previousFindings.map((finding) => outcome(finding, '2025-01-31')),
  );
  return {
    ...data,
    programs: [
      {
        ...program,
        latest: { ...program.latest, findings: latestFindings },
        programWork: {
          lastRound,
          earlierRounds: [{ ...lastRound, roundDate: program.previous?.review.visitStart ?? '' }],
          actionPlan: part(
            program.latest.review.id,
            latestFindings
              .filter((finding) => finding.kind === 'recommendation')
              .map((finding, i) => outcome(finding, '2026-09-30', i === 0 ? notedOn : undefined)),
          ),
          outcomes: [],
        },
      },
    ],
  };
}

/**
 * Page 1 at its fullest: the level capped by every core element of two sections, at the scale's minimum, a judgement
 * of 3,000 characters in paragraphs, ten recommendations of 1,000, five of high priority and five for the board or
 * social services (the first for the section that capped the level), and action plans whose newest note is years after
 * the finalisation: every action is overdue then, and so is the next review.
 */
function atTheMaxima(data: ReportData): ReportData {
  const [program] = data.programs;
  if (!program) throw new Error('no program');
  const { sections } = program.latest.review.rubric.rubric;
  const cored = sections.filter((section) => section.indicators.some((indicator) => indicator.critical));
  const capping = [cored[0], cored.at(-1)].filter((section) => section !== undefined);
  const minimum = new Map(
    capping.flatMap((section) =>
      section.indicators.filter((indicator) => indicator.critical).map((indicator) => [indicator.id, indicator.scale.min] as const),
    ),
  );
  const consensus = program.latest.consensus.map((decided) => ({ ...decided, score: minimum.get(decided.indicatorId) ?? decided.score }));
  const owners = ['board', 'provider', 'social_services', 'housing'] as const;
  const findings: Finding[] = Array.from({ length: 10 }, (_, i) => ({
    sectionId: (i === 0 ? capping.at(-1) : sections[i % sections.length])?.id ?? '',
    kind: 'recommendation',
    position: i + 1,
    text: sentences(`Åtgärd ${i + 1} mening`, RECOMMENDATION_MAX),
    priority: i < 5 ? 'high' : 'low',
    owner: owners[i % owners.length],
  }));
  const judged = {
    ...data,
    programs: [
      {
        ...program,
        latest: { ...program.latest, consensus, judgement: { text: sentences('Mening', JUDGEMENT_MAX, 4), version: 1 } },
      },
    ],
  };
  return withPlans(judged, '2030-01-15', findings);
}

type Rendered = { readonly pages: readonly string[] };

async function render(data: ReportData, locale: Locale): Promise<Rendered> {
  const { pdf } = await renderReportPdf(buildReportModel(data, locale), testReportFonts());
  return { pages: extractPdfPages(pdf).map(normalizeSpace) };
}

/** The page (from 1) a "sida N" / "page N" in `text` after `before` gives. */
function pageAfter(text: string, before: string): number {
  return pagesAfter(text, before)[0];
}

/** The first and last page (from 1) a "sida N" / "sidorna N–M" / "page N" / "pages N–M" in `text` after `before` gives. */
function pagesAfter(text: string, before: string): [number, number] {
  const match = text.slice(text.indexOf(before)).match(/(?:sidorna|sida|pages|page) (\d+)(?:–(\d+))?/);
  const first = Number(match?.[1] ?? 0);
  return [first, Number(match?.[2] ?? first)];
}

/** The page (from 1) where the row of "Åtgärd `n`" stands under `byOwner` (the first page from its heading's that has it). */
function rowPage(pages: readonly string[], byOwner: string, n: number): number {
  // After page 1 and the contents, which name the heading too.
  const heading = pages.findIndex((page, index) => index > 1 && page.includes(`${byOwner} `));
  if (heading === -1) return 0;
  const at = pages.findIndex((page, index) => index >= heading && page.includes(`Åtgärd ${n} mening 1 `));
  return at + 1;
}

describe('page 1 of a report on one program', { timeout: 120_000 }, () => {
  it('when every text is at its allowed maximum and everything page 1 says is at its longest, then page 1 is one page, gives the openings and says on which page each is whole', async () => {
    const data = atTheMaxima(await oneProgram());
    for (const [locale, judgementOnPage, judgementHeading, byOwner, capped] of [
      [
        'sv',
        'Hela texten på sida',
        'Panelens samlade bedömning Mening 1 ',
        'Rekommendationer efter ansvarig',
        'Begränsad av kärnkomponenterna A1.1 (1 av 4), A1.2 (1 av 4), A1.3 (1 av 4) och B2.1 (1 av 4).',
      ],
      [
        'en',
        'Full text on page',
        "The panel's overall judgement Mening 1 ",
        'Recommendations by owner',
        'Capped by the core elements A1.1 (1 of 4), A1.2 (1 of 4), A1.3 (1 of 4) and B2.1 (1 of 4).',
      ],
    ] as const) {
      const { pages } = await render(data, locale);
      const [page1 = '', page2 = ''] = pages;
      // Nothing of page 1 runs over: page 2 is the contents.
      expect(page2, locale).toMatch(locale === 'sv' ? /Innehåll Innehåll/ : /Contents Contents/);
      expect(page1).toContain(capped);
      // The judgement's opening, cut after a whole sentence, and the page of the chapter that has it whole.
      expect(page1).toMatch(/Mening \d+ säger att stödet är frivilligt och att bostaden är en vanlig lägenhet\. …/);
      expect(page1).not.toContain('Mening 20 ');
      const judgementPage = pageAfter(page1, judgementOnPage);
      expect(pages[judgementPage - 1]).toContain(judgementHeading);
      expect(pages[judgementPage - 1]).toContain('Mening 30 ');
      // All three most important recommendations, each cut after a whole sentence (what the level waits for, first,
      // keeps the most), and one line for the rest: the recommendations of high priority left out, by section, and the
      // pages where their rows under Rekommendationer efter ansvarig stand, whole.
      for (const n of [1, 2, 3]) {
        expect(page1, `${locale} Åtgärd ${n}`).toMatch(
          new RegExp(`Åtgärd ${n} mening 1 säger att stödet är frivilligt och att bostaden är en vanlig lägenhet\\. (?:.* )?… \\(`),
        );
      }
      expect(page1).toMatch(/Åtgärd 1 mening 1 [^…]*… \(B2;/);
      expect(page1).not.toContain('Åtgärd 1 mening 5 ');
      expect(page1).not.toContain('Åtgärd 4 mening 1 ');
      expect(page1).toMatch(
        locale === 'sv'
          ? /Hela texterna, ytterligare 2 rekommendationer med prioritet hög \(.*\) och 2 till socialnämnden eller socialtjänsten \(/
          : /Full texts, 2 more recommendations of high priority \(.*\) and 2 for the social-services board or social services \(/,
      );
      // The three cut, the two of high priority and the two for the board left out: the pages from the first of their
      // rows to the last, not the page of the heading above them.
      const [from, to] = pagesAfter(page1, locale === 'sv' ? 'Hela texterna' : 'Full texts');
      const rows = [1, 2, 3, 4, 5, 7, 9].map((n) => rowPage(pages, byOwner, n));
      expect(rows.every((row) => row > 2)).toBe(true);
      expect([from, to]).toEqual([Math.min(...rows), Math.max(...rows)]);
      expect(to).toBeGreaterThan(from);
      expect(page1).toContain(locale === 'sv' ? `: sidorna ${from}–${to} (${byOwner}).` : `: pages ${from}–${to} (${byOwner}).`);
    }
  });

  it('when page 1 gives the result as a list of facts, then a label wraps between its words, never inside one', async () => {
    const data = await oneProgram();
    for (const [locale, label] of [
      ['sv', ['Sedan förra', 'granskningen']],
      ['en', ['Since the last review']],
    ] as const) {
      const { pdf } = await renderReportPdf(buildReportModel(data, locale), testReportFonts());
      const lines = extractPdfText(pdf, { layout: true, page: 1 }).split('\n');
      // A label's line ends in the value beside it, or alone: never in a hyphen before the value (or the line's end).
      for (const line of lines) expect(line, `${locale}: ${line}`).not.toMatch(/^ \S.*?\p{L}-(?:\s{2,}|$)/u);
      const at = lines.findIndex((line) => line.startsWith(` ${label[0]}  `));
      expect(at, locale).toBeGreaterThan(0);
      label.slice(1).forEach((rest, index) => {
        expect(lines[at + 1 + index]).toMatch(new RegExp(`^ ${rest}\\s`));
      });
    }
  });

  it('when the program’s action plan has a note dated after the next review was due, then page 1, the cover and the follow-up say that the next review is overdue, and page 1 counts the overdue actions', async () => {
    const data = withPlans(atTheMaxima(await oneProgram()), '2030-01-15');
    const { pages } = await render(data, 'sv');
    const [page1 = ''] = pages;
    const text = pages.join(' ');
    expect(page1).toContain('Uppgifterna avser läget den 15 januari 2030');
    expect(page1).toMatch(
      /Nästa granskning är försenad: den skulle ha gjorts senast \d+ \S+ \d{4}, före den 15 januari 2030 som uppgifterna avser\./,
    );
    expect(text).toMatch(
      /Tiden för nästa granskning har redan gått ut: den slutade \d+ \S+ \d{4}, före den 15 januari 2030 som rapportens uppgifter avser\./,
    );
    // Every action under way is overdue on that day; the one for the recommendation on B2.1, which capped the level, too.
    expect(page1).toContain('11 åtgärder var försenade den 15 januari 2030 (1 från förra granskningen, 10 från den här).');
    expect(page1).toContain('Bland dem den för B2.1, som begränsar nivån (klar senast 30 september 2026).');
    const english = (await render(data, 'en')).pages[0] ?? '';
    expect(english).toContain('The data are as of 15 January 2030');
    expect(english).toContain('On 15 January 2030 11 actions were overdue (1 from the previous review, 10 from this one).');
    expect(english).toMatch(
      /The next review is overdue: it was due by \d+ \S+ \d{4}, before 15 January 2030, the day the data are as of\./,
    );
  });

  it('when nothing was recorded after the finalisation, then the data are as of the finalisation, the next review is not overdue and page 1 says when it is due', async () => {
    const base = await oneProgram();
    const finalised = base.programs[0]?.latest.review.finalisedAt ?? '';
    const data = withPlans(base, finalised.slice(0, 10));
    const [page1 = ''] = (await render(data, 'sv')).pages;
    expect(page1).toMatch(
      /Senaste slutförda granskning per verksamhet \(slutförd \d+ \S+ \d{4}\) .* Uppgifterna avser läget den \d+ \S+ \d{4}/,
    );
    expect(page1).toMatch(/Nästa granskning senast \d{4}-\d\d-\d\d\./);
    expect(page1).not.toContain('försenad:');
  });
});

describe('page 1 of a report on several programs, with their action plans', { timeout: 120_000 }, () => {
  it('when a program has overdue actions, then one line under the result table counts them per program, and the next review is marked overdue', async () => {
    const s = await createReportScenario({ programs: 2, reviewsPerProgram: 2 });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    const [first, second] = gathered.data.programs;
    if (!first || !second) throw new Error('two programs expected');
    const planned = (program: typeof first, notedOn: string) =>
      withPlans({ ...gathered.data, programs: [program] }, notedOn).programs[0] ?? program;
    const data = { ...gathered.data, programs: [planned(first, '2030-01-15'), planned(second, '2026-01-01')] };
    const { pages } = await render(data, 'sv');
    const [page1 = ''] = pages;
    expect(page1).toContain(`Försenade åtgärder den 15 januari 2030: ${first.program.name} 2; ${second.program.name} 2.`);
    expect(page1.split('Försenad ')).toHaveLength(3);
    expect(pages[1]).toMatch(/Innehåll Innehåll/);
  });
});
