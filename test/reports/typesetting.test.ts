// The demo's Stockholm report as a board would read it: long words of the rubric are hyphenated
// where a narrow column breaks them, and no page ends with a heading. Rendered by the real renderer, with the
// program's own work (action plan and outcomes), in Swedish and English, and read back with pdftotext.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { makeTestServices } from '../helpers/test-app.js';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createProgramWorkReportSource } from '../helpers/test-app.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel, type ReportModel } from '../../src/reports/report-model.js';
import { loadHyphenators } from '../../src/reports/pdf/hyphenate.js';
import { buildAndRenderReport } from '../../src/reports/pdf/build-and-render.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import type { Block } from '../../src/reports/report-model.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import type { Rubric } from '../../src/rubrics/rubric-schema.js';
import { extractPdfPages, extractPdfText } from './pdf-text.js';
import { testReportFonts } from './report-fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Rendered = { readonly model: ReportModel; readonly pdf: Uint8Array; readonly pageCount: number };

let data: ReportData;
const rendered = new Map<Locale, Rendered>();

beforeAll(async () => {
  const db = openDatabase(':memory:');
  migrate(db);
  await seedDemo(makeTestServices(db, loadRubrics(join(root, 'rubrics'))));
  const reviews = createReviewStore(db);
  const gathered = gatherReportData(
    { municipalities: createMunicipalityStore(db), reviews, programWork: createProgramWorkReportSource(db) },
    '0180',
  );
  if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
  data = gathered.data;
  for (const locale of ['sv', 'en'] as const) {
    // What the renderer runs (inline or in a worker), with the fonts the other report tests use.
    const result = await buildAndRenderReport({ data, locale }, testReportFonts());
    rendered.set(locale, { model: buildReportModel(data, locale), pdf: result.pdf, pageCount: result.pageCount });
  }
}, 120_000);

function get(locale: Locale): Rendered {
  const found = rendered.get(locale);
  if (!found) throw new Error(`no ${locale} report`);
  return found;
}

/** Every word of the rubric's texts in `locale` longer than `min` letters, lower case. */
function longRubricWords(rubric: Rubric, locale: Locale, min: number): Set<string> {
  const texts: string[] = [
    rubric.title[locale],
    ...rubric.parts.map((part) => part.title[locale]),
    ...rubric.fidelity_levels.map((level) => level.label[locale]),
  ];
  for (const section of rubric.sections) {
    texts.push(section.title[locale], section.description[locale]);
    for (const indicator of section.indicators) {
      texts.push(indicator.text[locale], ...Object.values(indicator.scale.anchors).map((anchor) => anchor[locale]));
    }
  }
  const words = texts.flatMap((text) => text.split(/[^\p{L}]+/u)).filter((word) => word.length > min);
  return new Set(words.map((word) => word.toLocaleLowerCase(locale)));
}

/**
 * Lines of the extracted text where a long word is broken without a hyphen: a line ending in a fragment whose
 * continuation starts the next line. pdftotext joins a word broken after a hyphen, so only unhyphenated breaks
 * remain as two fragments.
 */
function unhyphenatedBreaks(text: string, words: ReadonlySet<string>, locale: Locale): string[] {
  const lines = text.split('\n').map((line) => line.trim());
  const found: string[] = [];
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    if (!next || line.endsWith('-')) return;
    const tail = /(\p{L}+)$/u.exec(line)?.[1];
    const head = /^(\p{L}+)/u.exec(next)?.[1];
    if (!tail || !head) return;
    if (words.has(`${tail}${head}`.toLocaleLowerCase(locale)) && !words.has(tail.toLocaleLowerCase(locale))) found.push(`${tail}|${head}`);
  });
  return found;
}

/** The headings of the report's chapters, as printed. */
function headingTexts(model: ReportModel): Set<string> {
  return new Set(model.chapters.flatMap((chapter) => chapter.blocks.flatMap((block) => (block.type === 'heading' ? [block.text] : []))));
}

describe('hyphenation', () => {
  it('breaks a compound the report prints often at its joints, in any case; other words by the patterns', () => {
    const { sv } = loadHyphenators();
    expect(sv('procentenheter')).toEqual([7]);
    expect(sv('Förstahandskontrakt')).toEqual([6, 11]);
    expect(sv('arbetslivsorienterad')).toEqual([6, 10]);
    expect(sv('granskningen').length).toBeGreaterThan(0);
  });
});

describe('the demo report’s typesetting', { timeout: 120_000 }, () => {
  for (const locale of ['sv', 'en'] as const) {
    it(`when the ${locale} report breaks a rubric word longer than 12 letters, then it breaks it with a hyphen`, () => {
      const { pdf } = get(locale);
      const rubric = data.programs[0]?.latest.review.rubric.rubric;
      if (!rubric) throw new Error('no rubric');
      const words = longRubricWords(rubric, locale, 12);
      expect(words.size).toBeGreaterThan(10);
      const text = extractPdfText(pdf);
      expect(unhyphenatedBreaks(text, words, locale)).toEqual([]);
      // The hyphenation is there: some long word of the rubric is broken with a hyphen in a narrow column.
      const hyphenated = extractPdfText(pdf, { layout: true })
        .split('\n')
        .flatMap((line) => [...line.matchAll(/(\p{L}{2,})-(?=\s|$)/gu)].map((match) => match[1] ?? ''));
      expect(hyphenated.length).toBeGreaterThan(0);
      // Never inside a name, nor inside a part of a compound the report prints often: at its joint, if at all.
      expect(hyphenated).not.toContain('Stock');
      expect(hyphenated).not.toContain('procen');
      expect(hyphenated).not.toContain('Arbetslivso');
    });

    it(`when a ${locale} page ends, then it does not end with a heading`, () => {
      const { pdf, model, pageCount } = get(locale);
      const headings = headingTexts(model);
      const endings: string[] = [];
      const pages = extractPdfPages(pdf, { layout: true });
      expect(pages).toHaveLength(pageCount);
      for (let page = 1; page <= pageCount; page++) {
        const lines = (pages[page - 1] ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '');
        // The last line is the footer (verification code and page number).
        const last = lines[lines.length - 2];
        if (last !== undefined && headings.has(last)) endings.push(`page ${page}: ${last}`);
      }
      expect(endings).toEqual([]);
    });
  }
});

/** A table of three tall rows: its header and first rows need more room than a page's last few lines. */
const TALL_TABLE: Block = {
  type: 'table',
  caption: 'Tabell',
  columns: [
    { header: 'Första', share: 0.2, align: 'left' },
    { header: 'Andra', share: 0.8, align: 'left' },
  ],
  rows: [0, 1, 2].map(() => [
    [{ text: 'Ett långt värde som bryts över flera rader i en smal kolumn, så att raden blir hög. '.repeat(3), style: 'body' as const }],
    [{ text: 'Kort.', style: 'body' as const }],
  ]),
  rowHeaders: true,
  columnHeaders: true,
};

/**
 * Renders `opening` (a heading and what comes before the table) and the tall table after 30 to 52 filler lines, so the
 * heading lands at every height near the foot of a page once; returns the filler counts where a page's last line
 * (above the footer) is one of `stranded`, the table having gone on to the next page.
 */
async function strandedAt(opening: readonly Block[], stranded: readonly string[]): Promise<number[]> {
  const fonts = testReportFonts();
  const base = get('sv').model;
  const found: number[] = [];
  for (let fillers = 30; fillers <= 52; fillers++) {
    const blocks: Block[] = [
      ...Array.from({ length: fillers }, (_, i): Block => ({ type: 'paragraph', paragraph: { text: `Rad ${i + 1}.`, style: 'body' } })),
      ...opening,
      TALL_TABLE,
    ];
    const model = {
      ...base,
      contents: { heading: base.contents.heading, entries: [] },
      chapters: [{ id: 'test', runningTitle: 'Test', blocks }],
    };
    const { pdf, pageCount } = await renderReportPdf(model, fonts);
    const pages = extractPdfPages(pdf, { layout: true });
    expect(pages).toHaveLength(pageCount);
    for (let page = 1; page <= pageCount; page++) {
      const lines = (pages[page - 1] ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      // The page's last line: a heading, or any line of an intro (a hyphen at its end is the line break's).
      const last = (lines[lines.length - 2] ?? '').replace(/-$/, '');
      if (stranded.some((text) => text === last || (last.length > 12 && text.includes(last)))) found.push(fillers);
    }
  }
  return found;
}

describe('keeping a heading with what follows it', { timeout: 120_000 }, () => {
  it('when a heading falls where its table’s header and first rows do not fit, then the heading moves to the next page with them', async () => {
    const heading = 'Rubrik som hör till tabellen';
    expect(await strandedAt([{ type: 'heading', level: 2, text: heading, id: 'test/heading', outline: false }], [heading])).toEqual([]);
  });

  it('when a heading and its one-line intro fall where the table after them does not fit, then all three start the next page', async () => {
    const heading = 'Rubrik med en inledning';
    const intro = 'En rad som inleder tabellen.';
    const opening: Block[] = [
      { type: 'heading', level: 2, text: heading, id: 'test/heading', outline: false },
      { type: 'paragraph', paragraph: { text: intro, style: 'muted' } },
    ];
    expect(await strandedAt(opening, [heading, intro])).toEqual([]);
  });

  it('when a heading and an intro of three lines fall where the table after them does not fit, then all three start the next page', async () => {
    const heading = 'Åtgärdsplan efter den här granskningen';
    // The action plan's intro, as the demo report had it alone at the foot of a page with its table on the next.
    const intro =
      'Granskningens rekommendationer och verksamhetens åtgärder för dem, med status, ansvarig, datum och senaste anteckning ur åtgärdsplanen när rapporten togs fram. Verksamhetens medarbetare skriver planen i hf-fidelity efter granskningen.';
    const opening: Block[] = [
      { type: 'heading', level: 2, text: heading, id: 'test/heading', outline: false },
      { type: 'paragraph', paragraph: { text: intro, style: 'body' } },
    ];
    expect(await strandedAt(opening, [heading, intro])).toEqual([]);
  });

  it('when a table of four rows falls at the foot of a page, then it is never split: all its rows stand on one page', async () => {
    const fonts = testReportFonts();
    const base = get('sv').model;
    const rowTexts = [1, 2, 3, 4].map((n) => `Nivårad ${n}`);
    const levels: Block = {
      type: 'table',
      caption: 'Nivåer',
      columns: [
        { header: 'Nivå', share: 0.3, align: 'left' },
        { header: 'Gräns', share: 0.7, align: 'left' },
      ],
      rows: rowTexts.map((text) => [[{ text, style: 'body' as const }], [{ text: 'En rad om gränsen.', style: 'body' as const }]]),
      rowHeaders: true,
      columnHeaders: true,
    };
    const split: number[] = [];
    for (let fillers = 28; fillers <= 38; fillers++) {
      const blocks: Block[] = [
        ...Array.from({ length: fillers }, (_, i): Block => ({ type: 'paragraph', paragraph: { text: `Rad ${i + 1}.`, style: 'body' } })),
        levels,
      ];
      const model = {
        ...base,
        contents: { heading: base.contents.heading, entries: [] },
        chapters: [{ id: 'test', runningTitle: 'Test', blocks }],
      };
      const pages = extractPdfPages((await renderReportPdf(model, fonts)).pdf, { layout: true });
      const pagesOfRows = new Set(rowTexts.map((text) => pages.findIndex((page) => page.includes(text))));
      if (pagesOfRows.size !== 1) split.push(fillers);
    }
    expect(split).toEqual([]);
  });
});

/** A table of `count` one-line rows (`${name} 01`, …), with column headers `Delområde` and `Värde`. */
function lineTable(name: string, count: number): { readonly block: Block; readonly rowTexts: readonly string[] } {
  const rowTexts = Array.from({ length: count }, (_, i) => `${name} ${String(i + 1).padStart(2, '0')}`);
  const block: Block = {
    type: 'table',
    caption: name,
    columns: [
      { header: 'Delområde', share: 0.7, align: 'left' },
      { header: 'Värde', share: 0.3, align: 'right' },
    ],
    rows: rowTexts.map((text) => [[{ text, style: 'body' as const }], [{ text: '75 %', style: 'body' as const }]]),
    rowHeaders: true,
    columnHeaders: true,
  };
  return { block, rowTexts };
}

/** Where a table landed after `fillers` filler lines: the page (from 0) of its heading, of each row, of the last filler. */
type TablePlacement = {
  readonly fillers: number;
  readonly headingPage: number;
  readonly lastFillerPage: number;
  readonly rowPages: readonly number[];
  readonly pages: readonly string[];
};

/**
 * Renders one chapter of `fillers` one-line paragraphs, a heading, a one-line intro, `table` and then `after`, for
 * every filler count in `range`, so that the table starts at every height near the foot of a page once.
 */
async function placeTable(
  table: { readonly block: Block; readonly rowTexts: readonly string[] },
  after: readonly Block[],
  range: readonly [number, number],
): Promise<TablePlacement[]> {
  const fonts = testReportFonts();
  const base = get('sv').model;
  const heading = 'Rubrik över tabellen';
  const placements: TablePlacement[] = [];
  for (let fillers = range[0]; fillers <= range[1]; fillers++) {
    const blocks: Block[] = [
      ...Array.from({ length: fillers }, (_, i): Block => ({ type: 'paragraph', paragraph: { text: `Rad ${i + 1}.`, style: 'body' } })),
      { type: 'heading', level: 2, text: heading, id: 'test/heading', outline: false },
      { type: 'paragraph', paragraph: { text: 'En rad som inleder tabellen.', style: 'muted' } },
      table.block,
      ...after,
    ];
    const model = {
      ...base,
      contents: { heading: base.contents.heading, entries: [] },
      chapters: [{ id: 'test', runningTitle: 'Test', blocks }],
    };
    const pages = extractPdfPages((await renderReportPdf(model, fonts)).pdf, { layout: true });
    const lines = pages.map((page) => page.split('\n').map((line) => line.trim()));
    const pageOf = (text: string) => lines.findIndex((page) => page.some((line) => line === text || line.startsWith(`${text} `)));
    placements.push({
      fillers,
      headingPage: pageOf(heading),
      lastFillerPage: pageOf(`Rad ${fillers}.`),
      rowPages: table.rowTexts.map(pageOf),
      pages,
    });
  }
  return placements;
}

/** The rows on the page the table starts on. */
const rowsOnFirstPage = (placement: TablePlacement) => placement.rowPages.filter((page) => page === Math.min(...placement.rowPages)).length;
const isSplit = (placement: TablePlacement) => new Set(placement.rowPages).size > 1;

describe('where a table starts near the foot of a page', { timeout: 120_000 }, () => {
  it('when a medium table would start with fewer than two fifths of its rows at the foot of a page, then it starts the next page whole, with its heading and intro', async () => {
    // 12 rows of one line: medium (not short, at most 15 rows and 0.6 of the page's body); two fifths of 12 is 5. The
    // table ends the chapter, so the page after a split would be short anyway.
    const table = lineTable('Mellanrad', 12);
    const placements = await placeTable(table, [], [16, 44]);
    for (const placement of placements) {
      expect(placement.rowPages, `${placement.fillers} fillers`).not.toContain(-1);
      expect(placement.headingPage, `${placement.fillers} fillers`).toBe(Math.min(...placement.rowPages));
    }
    const thinSplits = placements.filter((placement) => isSplit(placement) && rowsOnFirstPage(placement) < 5);
    expect(thinSplits.map((placement) => `${placement.fillers}: ${rowsOnFirstPage(placement)} rows`)).toEqual([]);
    // The positions tried include one where the table moved whole to the next page, heading and intro with it …
    const moved = placements.filter((placement) => !isSplit(placement) && placement.headingPage > placement.lastFillerPage);
    expect(moved.length).toBeGreaterThan(0);
    for (const placement of moved) expect(placement.pages[placement.headingPage]).toContain('En rad som inleder tabellen.');
    // … and ones where enough of it fitted to split as before, its header repeated on the next page.
    const splits = placements.filter(isSplit);
    expect(splits.length).toBeGreaterThan(0);
    for (const placement of splits) expect(placement.pages[Math.max(...placement.rowPages)]).toMatch(/Delområde\s+Värde/);
  });

  it('when a long table starts at the foot of a page, then it still splits after its first rows, its header repeated', async () => {
    const table = lineTable('Långrad', 30);
    const placements = await placeTable(table, [], [16, 44]);
    for (const placement of placements) {
      expect(placement.headingPage, `${placement.fillers} fillers`).toBe(Math.min(...placement.rowPages));
    }
    // Started low, only its first two to four rows stand on the first page, and the rest follow under the header.
    const low = placements.filter((placement) => isSplit(placement) && rowsOnFirstPage(placement) < 5);
    expect(low.length).toBeGreaterThan(0);
    for (const placement of low) {
      expect(rowsOnFirstPage(placement)).toBeGreaterThanOrEqual(2);
      expect(placement.headingPage).toBe(placement.lastFillerPage);
      expect(placement.pages[placement.headingPage + 1]).toMatch(/Delområde\s+Värde/);
    }
  });

  it('when what follows a medium table would fit below its rest on the next page, then the table splits as before: moving it would push that on', async () => {
    const table = lineTable('Mellanrad', 12);
    const after: Block[] = [{ type: 'paragraph', paragraph: { text: 'Text som följer tabellen.', style: 'body' } }];
    const placements = await placeTable(table, after, [16, 44]);
    const thinSplits = placements.filter((placement) => isSplit(placement) && rowsOnFirstPage(placement) < 5);
    expect(thinSplits.length).toBeGreaterThan(0);
    for (const placement of thinSplits) expect(placement.headingPage).toBe(placement.lastFillerPage);
  });
});
