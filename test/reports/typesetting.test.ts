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
import { pageBreakFaults } from './page-breaks.js';
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

/** The outcome part of the demo's program chapter: its heading, the heading after its tables, whole header words. */
const OUTCOME_PART = {
  sv: {
    heading: 'Utfall',
    end: 'Verksamhetens kommentarer till siffrorna',
    headers: ['Erbjudits', 'Förstahandskontrakt', 'Kvar i insatsen', 'Avhysningar', 'Deltagare per case manager', 'hyresavtal'],
    caseload: '23,0 (46 / 2)',
  },
  en: {
    heading: 'Outcomes',
    end: 'The program’s comments on the figures',
    headers: ['Offered a', 'First-hand leases', 'Evictions', 'Complaints', 'Participants per case manager', 'Terminated'],
    caseload: '23.0 (46 / 2)',
  },
} as const;

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

    it(`when a ${locale} page ends, then no heading, heading's intro or table header stands at its foot parted from what follows`, () => {
      expect(pageBreakFaults(get(locale).pdf)).toEqual([]);
    });

    it(`when the ${locale} report sets the outcome tables, then no header word is hyphenated and the caseload shows its basis`, () => {
      const { heading, end, headers, caseload } = OUTCOME_PART[locale];
      const lines = extractPdfText(get(locale).pdf, { layout: true }).split('\n');
      const from = lines.findIndex((line) => line.trim() === heading);
      const to = lines.findIndex((line, index) => index > from && line.trim() === end);
      expect(from).toBeGreaterThan(-1);
      expect(to).toBeGreaterThan(from);
      const part = lines.slice(from, to);
      // A cell's line ending in a letter and a hyphen is a word broken in a narrow column ("Erbju-", "Av-", "mana-").
      expect(part.flatMap((line) => [...line.matchAll(/\p{L}+-(?=\s|$)/gu)].map((match) => match[0]))).toEqual([]);
      const joined = part.map((line) => line.trim()).join(' ');
      for (const header of headers) expect(joined).toContain(header);
      // The since-start period's caseload is the one at its end (46 participants, 2 case managers), not a 15-year mean.
      expect(joined.split(caseload)).toHaveLength(3);
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

/** One of placeOpening's renderings: the PDF, and the page (from 0) each text first stands on. */
type OpeningPlacement = {
  readonly fillers: number;
  readonly pdf: Uint8Array;
  readonly lastFillerPage: number;
  pageOf(text: string): number;
};

/**
 * Renders one chapter of `fillers` one-line paragraphs and then `blocks`, for every filler count in `range`, so that
 * the blocks start at every height near the foot of a page once. The cover is left empty: only the chapter matters.
 */
async function placeOpening(blocks: readonly Block[], range: readonly [number, number]): Promise<OpeningPlacement[]> {
  const fonts = testReportFonts();
  const base = get('sv').model;
  const placements: OpeningPlacement[] = [];
  for (let fillers = range[0]; fillers <= range[1]; fillers++) {
    const model = {
      ...base,
      cover: { ...base.cover, blocks: [] },
      contents: { heading: base.contents.heading, entries: [] },
      chapters: [
        {
          id: 'test',
          runningTitle: 'Test',
          blocks: [
            ...Array.from(
              { length: fillers },
              (_, i): Block => ({ type: 'paragraph', paragraph: { text: `Rad ${i + 1}.`, style: 'body' } }),
            ),
            ...blocks,
          ],
        },
      ],
    };
    const { pdf } = await renderReportPdf(model, fonts);
    const lines = extractPdfPages(pdf, { layout: true }).map((page) => page.split('\n').map((line) => line.trim()));
    const pageOf = (text: string) => lines.findIndex((page) => page.some((line) => line === text || line.startsWith(`${text} `)));
    placements.push({ fillers, pdf, lastFillerPage: pageOf(`Rad ${fillers}.`), pageOf });
  }
  return placements;
}

const heading = (level: 2 | 3, text: string): Block => ({ type: 'heading', level, text, id: `test/${text}`, outline: false });
const paragraph = (text: string, style: 'body' | 'muted' | 'strong' = 'body'): Block => ({ type: 'paragraph', paragraph: { text, style } });

/** A section's opening as the report builds it: heading, part label, description, line of figures, a note. */
const SECTION_OPENING: readonly Block[] = [
  heading(2, 'B1 Kompetens och erfarenhet'),
  paragraph('Överenskommelsens sex områden', 'muted'),
  paragraph(
    'Teamet har den utbildning, handledning och kompetens som behövs för att stödja personer med samsjuklighet, och personalen stannar kvar.',
  ),
  paragraph('Medelvärde 2,33 (skala 1–4) · 58,3 % av maxpoängen · 3 av 4 indikatorer bedömda', 'strong'),
  paragraph('Ej tillämpliga: 1.', 'muted'),
];

/**
 * The filler counts that move placeOpening's blocks from high on a page down to its foot and over onto the next: its
 * chapter shares the page of the (empty) contents, which holds 36 filler lines.
 */
const FOOT: readonly [number, number] = [14, 38];

/** The faults pageBreakFaults finds in each rendering, by filler count. */
const faultsOf = (placements: readonly OpeningPlacement[]) =>
  placements.flatMap((placement) => pageBreakFaults(placement.pdf).map((fault) => `${placement.fillers} fillers: ${fault}`));

describe('keeping a heading’s whole opening together', { timeout: 120_000 }, () => {
  it('when a section’s heading, part label, description and figures fall where its table’s header and first whole row do not fit, then all of them start the next page together', async () => {
    const placements = await placeOpening([...SECTION_OPENING, TALL_TABLE], FOOT);
    expect(faultsOf(placements)).toEqual([]);
    const moved = placements.filter((placement) => placement.pageOf('B1 Kompetens och erfarenhet') > placement.lastFillerPage);
    expect(moved.length).toBeGreaterThan(0);
    for (const placement of moved) expect(placement.pageOf('Ej tillämpliga: 1.')).toBe(placement.pageOf('B1 Kompetens och erfarenhet'));
  });

  it('when a table’s first row is taller than the two rows a table may start with, then its header never stands alone at the foot of a page', async () => {
    // TALL_TABLE's rows are 180 pt each, taller than TABLE_OPENING_MAX: the header used to start where only that fitted.
    expect(faultsOf(await placeOpening([TALL_TABLE], FOOT))).toEqual([]);
  });

  it('when a heading’s intro leads on to subheadings with lists, then heading, intro, the first subheading and its first item start a page together', async () => {
    const barriers: Block[] = [
      heading(2, 'Hinder'),
      paragraph(
        'Vad panelen såg stå i vägen för modelltroheten, för verksamheten som helhet: strukturella hinder, hinder i organisationen och hinder hos medarbetarna.',
      ),
      heading(3, 'Strukturella hinder'),
      { type: 'list', items: ['Få lediga hyresrätter med förstahandskontrakt i kommunen.'] },
      heading(3, 'Hinder i organisationen'),
      { type: 'list', items: ['Hög personalomsättning.'] },
    ];
    const placements = await placeOpening(barriers, FOOT);
    expect(faultsOf(placements)).toEqual([]);
    const moved = placements.filter((placement) => placement.pageOf('Hinder') > placement.lastFillerPage);
    expect(moved.length).toBeGreaterThan(0);
    for (const placement of moved) {
      expect(placement.pageOf('• Få lediga hyresrätter med förstahandskontrakt i kommunen.')).toBe(placement.pageOf('Hinder'));
    }
  });

  it('when a section ends with its last heading and “Inga angivna.”, then those stay at the foot of the page while the next section’s opening goes on', async () => {
    const placements = await placeOpening(
      [heading(3, 'Rekommendationer'), paragraph('Inga angivna.', 'muted'), ...SECTION_OPENING, TALL_TABLE],
      FOOT,
    );
    expect(faultsOf(placements)).toEqual([]);
    const parted = placements.filter(
      (placement) =>
        placement.pageOf('Rekommendationer') === placement.lastFillerPage &&
        placement.pageOf('B1 Kompetens och erfarenhet') === placement.lastFillerPage + 1,
    );
    expect(parted.length).toBeGreaterThan(0);
  });

  it('when the text after a heading runs longer than an intro, then the heading is not pushed on by it: it stays with the text’s first lines', async () => {
    const text = Array.from(
      { length: 6 },
      (_, i): Block =>
        paragraph(
          `Stycke ${i + 1}: en text som går över två rader, så att sex stycken tillsammans är längre än en inledning till tabellen.`,
        ),
    );
    const placements = await placeOpening([heading(2, 'Rubrik före lång text'), ...text, TALL_TABLE], FOOT);
    const kept = placements.filter(
      (placement) =>
        placement.pageOf('Rubrik före lång text') === placement.lastFillerPage && placement.pageOf('Första') > placement.lastFillerPage,
    );
    expect(kept.length).toBeGreaterThan(0);
  });

  it('when a heading’s chain is taller than a page, then it breaks as text does: the heading keeps its intro where they fit, and the table starts the next page', async () => {
    // One row of 57 lines (663 pt): it fits below the header on a page, but not below heading and intro too.
    const rows = Array.from({ length: 57 }, (_, i) => `Rad ${i + 1} i cellen`).join('\n');
    const tallRow: Block = {
      type: 'table',
      caption: 'En hög rad',
      columns: [
        { header: 'Första', share: 0.3, align: 'left' },
        { header: 'Andra', share: 0.7, align: 'left' },
      ],
      rows: [[[{ text: 'Högsta raden', style: 'body' }], [{ text: rows, style: 'body' }]]],
      rowHeaders: true,
      columnHeaders: true,
    };
    const placements = await placeOpening(
      [heading(2, 'Rubrik över en hög rad'), paragraph('En rad som inleder tabellen.', 'muted'), tallRow],
      FOOT,
    );
    const kept = placements.filter((placement) => placement.pageOf('Rubrik över en hög rad') === placement.lastFillerPage);
    expect(kept.length).toBeGreaterThan(0);
    for (const placement of kept) expect(placement.pageOf('Högsta raden')).toBe(placement.lastFillerPage + 1);
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

/** A table of `count` rows (`${name} 01`, …) each `lines` lines tall, with the column headers of lineTable. */
function tallRowsTable(name: string, count: number, lines: number): { readonly block: Block; readonly rowTexts: readonly string[] } {
  const { block, rowTexts } = lineTable(name, count);
  if (block.type !== 'table') throw new Error('not a table');
  const value = Array.from({ length: lines }, (_, i) => `${i + 1} av ${lines}`).join('\n');
  return {
    block: { ...block, rows: rowTexts.map((text) => [[{ text, style: 'body' as const }], [{ text: value, style: 'body' as const }]]) },
    rowTexts,
  };
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

/** The rows on the page the table starts on, and on the page it ends on. */
const rowsOnFirstPage = (placement: TablePlacement) => placement.rowPages.filter((page) => page === Math.min(...placement.rowPages)).length;
const rowsOnLastPage = (placement: TablePlacement) => placement.rowPages.filter((page) => page === Math.max(...placement.rowPages)).length;
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

  it('when moving a medium table whole would push on the text after it, then it splits as the page falls', async () => {
    // A page of text follows: moved whole, the table would push every line of it down, and the pages after with it.
    const table = lineTable('Mellanrad', 12);
    const after = Array.from(
      { length: 60 },
      (_, i): Block => ({ type: 'paragraph', paragraph: { text: `Text ${i + 1}.`, style: 'body' } }),
    );
    const placements = await placeTable(table, after, [16, 44]);
    const thinSplits = placements.filter((placement) => isSplit(placement) && rowsOnFirstPage(placement) < 5);
    expect(thinSplits.length).toBeGreaterThan(0);
    for (const placement of thinSplits) expect(placement.headingPage).toBe(placement.lastFillerPage);
  });

  it('when a table of three tall rows would split with one row on either side, then it starts the next page whole, with its heading and intro', async () => {
    // Three rows of seven lines: too tall to be kept whole as a short table (220 pt), so before they split 2 + 1 or
    // 1 + 2. The table ends the chapter, so moving it adds no page.
    const table = tallRowsTable('Högrad', 3, 7);
    const placements = await placeTable(table, [], [16, 50]);
    for (const placement of placements) expect(placement.rowPages, `${placement.fillers} fillers`).not.toContain(-1);
    expect(placements.filter(isSplit).map((placement) => `${placement.fillers}: ${placement.rowPages.join(' ')}`)).toEqual([]);
    const moved = placements.filter((placement) => placement.headingPage > placement.lastFillerPage);
    expect(moved.length).toBeGreaterThan(0);
    for (const placement of moved)
      expect(placement.rowPages).toEqual([placement.headingPage, placement.headingPage, placement.headingPage]);
  });

  it('when a table would leave its last row alone on the next page and moving it whole would push on what follows, then it breaks a row earlier', async () => {
    // Seven rows of three lines, then 30 lines of text that end the chapter: moved whole, the table would push the
    // text over the next page's foot; broken a row earlier, the next page still holds all of it.
    const table = tallRowsTable('Sjurad', 7, 3);
    const text = Array.from({ length: 30 }, (_, i) => `Text efter tabellen, rad ${i + 1}.`).join('\n');
    const placements = await placeTable(table, [{ type: 'paragraph', paragraph: { text, style: 'body' } }], [16, 50]);
    const lastRowAlone = placements.filter((placement) => isSplit(placement) && rowsOnLastPage(placement) === 1);
    expect(lastRowAlone.map((placement) => `${placement.fillers}: ${placement.rowPages.join(' ')}`)).toEqual([]);
    const earlier = placements.filter((placement) => isSplit(placement) && rowsOnFirstPage(placement) === 5);
    expect(earlier.length).toBeGreaterThan(0);
    for (const placement of earlier) {
      expect(rowsOnLastPage(placement)).toBe(2);
      expect(placement.pages[Math.max(...placement.rowPages)]).toMatch(/Delområde\s+Värde/);
    }
  });
});
