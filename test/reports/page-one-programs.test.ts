// Page 1 of a report on a municipality with several programs, read from the rendered PDF: the whole verdict (each
// program's level, judgement and most important recommendation) stays on page 1 for three programs in both languages,
// also when the panel's texts are long, the shared rubric is named once, and the page stays tagged.
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import type { Finding } from '../../src/reviews/review-types.js';
import {
  attributesOf,
  flattenStruct,
  nameOf,
  pageContent,
  readContent,
  readPdf,
  readStructTree,
  type StructNode,
  textOf,
} from '../helpers/pdf-structure.js';
import { extractPdfText, listOutlineTitles, normalizeSpace } from './pdf-text.js';
import { createReportScenario, RECOMMENDATION, testReportFonts } from './report-fixtures.js';

type Scenario = Awaited<ReturnType<typeof createReportScenario>>;

let shared: Promise<{ s: Scenario; data: ReportData }> | undefined;

/** A municipality of three programs with two reviews each, made once for the file: the tests change only copies of its data. */
function threePrograms(): Promise<{ s: Scenario; data: ReportData }> {
  shared ??= (async () => {
    const s = await createReportScenario({ programs: 3, reviewsPerProgram: 2 });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    return { s, data: gathered.data };
  })();
  return shared;
}

type Rendered = { pdf: Uint8Array; pages: string[] };

async function render(data: ReportData, locale: Locale): Promise<Rendered> {
  const { pdf } = await renderReportPdf(buildReportModel(data, locale), testReportFonts());
  const pages = extractPdfText(pdf)
    .split('\f')
    .filter((page) => page.trim() !== '')
    .map(normalizeSpace);
  return { pdf, pages };
}

const sharedReports = new Map<string, Promise<Rendered>>();

/** The report on threePrograms' data as it is ('plain') or atItsFullest, rendered once per language for the file. */
function renderThree(form: 'plain' | 'fullest', locale: Locale): Promise<Rendered> {
  const key = `${form}/${locale}`;
  let report = sharedReports.get(key);
  if (!report) {
    report = threePrograms().then(({ data }) => render(form === 'plain' ? data : atItsFullest(data), locale));
    sharedReports.set(key, report);
  }
  return report;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** The level each program's row of page 1's result table gives, by program, as the model has it. */
function levelsOf(data: ReportData, locale: Locale): Map<string, string> {
  const table = buildReportModel(data, locale).cover.blocks.find((block) => block.type === 'table' && block.columns.length === 5);
  if (table?.type !== 'table') throw new Error('no result table');
  return new Map(table.rows.map((row) => [row[0]?.[0]?.text ?? '', row[1]?.[0]?.text ?? '']));
}

/**
 * Page 1 at its fullest: each program's level capped and a section fallen since the last review (the section of the
 * last core element, all at the scale's minimum), and long texts as a panel may write them: a judgement of 40
 * sentences (about 4,000 characters) and ten recommendations of about 450 characters each, the most important one for
 * the landlords, six of the other nine for the board or social services.
 */
function atItsFullest(data: ReportData): ReportData {
  return {
    ...data,
    programs: data.programs.map((program) => {
      const name = program.program.name;
      const { sections } = program.latest.review.rubric.rubric;
      const [section] = sections;
      const fallen = sections.findLast((candidate) => candidate.indicators.some((indicator) => indicator.critical));
      if (!section || !fallen) throw new Error('no section');
      const minimum = new Map(fallen.indicators.map((indicator) => [indicator.id, indicator.scale.min]));
      const consensus = program.latest.consensus.map((decided) => ({
        ...decided,
        score: minimum.get(decided.indicatorId) ?? decided.score,
      }));
      const sentences = Array.from(
        { length: 40 },
        (_, i) => `Mening ${i + 1} om ${name} säger att stödet är frivilligt och att bostaden är en vanlig lägenhet med eget kontrakt.`,
      );
      const owners = ['board', 'provider', 'social_services'] as const;
      const findings: Finding[] = Array.from({ length: 10 }, (_, i) => ({
        sectionId: section.id,
        kind: 'recommendation',
        position: i + 1,
        text: `Åtgärd ${i + 1} för ${name}. ${'Skriv ner rutinen och följ upp den med hyresvärdarna varje kvartal. '.repeat(6)}`.trim(),
        priority: i === 0 ? 'high' : 'low',
        owner: i === 0 ? 'housing' : owners[i % 3],
      }));
      return { ...program, latest: { ...program.latest, consensus, judgement: { text: sentences.join(' '), version: 1 }, findings } };
    }),
  };
}

describe('page 1 of a report on several programs', { timeout: 120_000 }, () => {
  it('when rendered in Swedish and English, then page 1 alone names each program with its level, the programs without a judgement and each first recommendation', async () => {
    const { data } = await threePrograms();
    const names = data.programs.map(({ program }) => program.name);
    for (const [locale, noJudgement] of [
      ['sv', `Panelen har inte skrivit någon samlad bedömning för ${names.join(', ')}.`],
      ['en', `The panel has written no overall judgement for ${names.join(', ')}.`],
    ] as const) {
      const { pdf, pages } = await renderThree('plain', locale);
      const [page1 = '', page2 = ''] = pages;
      const levels = levelsOf(data, locale);
      for (const name of names) {
        // In the basis, the result table, the line on the judgements and beside the recommendation.
        expect(count(page1, name), `${locale} ${name}`).toBe(4);
        expect(page1).toContain(levels.get(name));
      }
      expect(page1).toContain(noJudgement);
      expect(count(page1, RECOMMENDATION)).toBe(3);
      // Nothing of the verdict runs over: page 2 is the contents.
      expect(page2).not.toContain(RECOMMENDATION);
      expect(page2).toMatch(locale === 'sv' ? /Innehåll Översikt/ : /Contents Overview/);
      // A change and its unit, and the percent of maximum, are not broken inside a word.
      const layout = extractPdfText(pdf, { layout: true, page: 1 });
      expect(layout).not.toMatch(/procent-\s*$|percent-\s*$|maxpoäng-\s*$/m);
      expect(layout).toMatch(locale === 'sv' ? /\sprocentenheter\s/ : /\spercentage points\s/);
    }
  });

  it('when every level is capped, a section fell and the panel’s texts are long, then page 1 still gives each program’s judgement and first recommendation in part, says where the rest is, and the chapter prints the judgement whole', async () => {
    const { data } = await threePrograms();
    const long = atItsFullest(data);
    for (const [locale, judgementRest, moreRest, capped, fell] of [
      [
        'sv',
        /Hela texten på sida \d+\./g,
        /Ytterligare 9 på sidorna \d+–\d+, varav 6 till socialnämnden eller socialtjänsten\./g,
        'Begränsad av kärnkomponent: B2.1 (1 av 4)',
        'Störst nedgång',
      ],
      [
        'en',
        /Full text on page \d+\./g,
        /9 more on pages \d+–\d+, 6 of them for the social-services board or social services\./g,
        'Capped by core element: B2.1 (1 of 4)',
        'Largest fall',
      ],
    ] as const) {
      const { pdf, pages } = await renderThree('fullest', locale);
      const [page1 = '', page2 = ''] = pages;
      expect(count(page1, capped)).toBe(3);
      // The section that fell is in the part reported beside the level: the compact table has no room to say so, so it
      // does not name it beside the overall change.
      expect(count(page1, fell)).toBe(0);
      for (const { program } of long.programs) {
        const name = program.name;
        // The judgement's first sentence, cut after it, and the most important recommendation's first sentence.
        expect(page1, `${locale} ${name}`).toContain(
          `Mening 1 om ${name} säger att stödet är frivilligt och att bostaden är en vanlig lägenhet med eget kontrakt. …`,
        );
        expect(page1).not.toContain(`Mening 2 om ${name}`);
        expect(page1).toContain(`Åtgärd 1 för ${name}. …`);
        expect(page1).not.toContain(`Åtgärd 2 för ${name}`);
      }
      expect(page1.match(judgementRest)).toHaveLength(3);
      expect(page1.match(moreRest)).toHaveLength(3);
      expect(page2).toMatch(locale === 'sv' ? /Innehåll Översikt/ : /Contents Overview/);
      // Each program's chapter has the judgement whole, under its own heading, bookmarked and in the contents.
      const rest = pages.slice(1).join(' ');
      for (const { program } of long.programs) expect(rest).toContain(`Mening 40 om ${program.name}`);
      const heading = locale === 'sv' ? 'Panelens samlade bedömning' : "The panel's overall judgement";
      expect(listOutlineTitles(pdf).filter((title) => title === heading)).toHaveLength(3);
    }
  });

  it('when the panel’s texts are cut, then each program’s row gives the page of its judgement whole and the pages of its other recommendations', async () => {
    const { data } = await threePrograms();
    const long = atItsFullest(data);
    for (const [locale, judgementHeading, byOwner, judgementOnPage, moreOnPages] of [
      [
        'sv',
        'Panelens samlade bedömning',
        'Rekommendationer efter ansvarig',
        /Hela texten på sida (\d+)\./,
        /Ytterligare 9 på sidorna (\d+)–(\d+)/,
      ],
      ['en', "The panel's overall judgement", 'Recommendations by owner', /Full text on page (\d+)\./, /9 more on pages (\d+)–(\d+)/],
    ] as const) {
      const { pdf, pages } = await renderThree('fullest', locale);
      // Page 1's judgement table as laid out, a block of lines per program's row (each starting with the program's name).
      const layout = extractPdfText(pdf, { layout: true, page: 1 });
      const table = layout.slice(layout.lastIndexOf(judgementHeading));
      const rows = table.split(/\n(?= Bostad först )/).slice(1);
      expect(rows, locale).toHaveLength(3);
      for (const { program } of long.programs) {
        const name = program.name;
        const row = rows.find((lines) => lines.includes(`Mening 1 om ${name}`)) ?? '';
        // The judgement whole, under its heading in the program's chapter.
        const judgementPage = Number(row.match(judgementOnPage)?.[1]);
        expect(pages[judgementPage - 1], `${locale} ${name}`).toContain(`${judgementHeading} Mening 1 om ${name} `);
        // The first recommendation (cut) and the nine after it, in their rows under the chapter's Rekommendationer
        // efter ansvarig: from the page of the first of them to that of the last.
        const [, from, to] = row.match(moreOnPages) ?? [];
        const heading = pages.findIndex((page, index) => index >= judgementPage && page.includes(`${byOwner} `));
        const rowPages = Array.from(
          { length: 10 },
          (_, i) => pages.findIndex((page, index) => index >= heading && page.includes(`Åtgärd ${i + 1} för ${name}. `)) + 1,
        );
        expect([Number(from), Number(to)], `${locale} ${name}`).toEqual([Math.min(...rowPages), Math.max(...rowPages)]);
      }
    }
  });

  it('when two programs are at their fullest, then page 1 holds them with more of each judgement', async () => {
    const s = await createReportScenario({ programs: 2, reviewsPerProgram: 2 });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    const data = atItsFullest(gathered.data);
    for (const locale of ['sv', 'en'] as const) {
      const [page1 = '', page2 = ''] = (await render(data, locale)).pages;
      for (const { program } of data.programs) {
        expect(page1, `${locale} ${program.name}`).toContain(`Mening 2 om ${program.name}`);
        expect(page1).not.toContain(`Mening 3 om ${program.name}`);
        expect(page1).toContain(`Åtgärd 1 för ${program.name}`);
      }
      expect(page2).toMatch(locale === 'sv' ? /Innehåll Översikt/ : /Contents Overview/);
    }
  });

  it('when one program’s panel wrote no judgement, then its row says so and the others give theirs', async () => {
    const { data } = await threePrograms();
    const [first, second, third] = data.programs;
    if (!first || !second || !third) throw new Error('three programs expected');
    const judged = (program: typeof first, text: string) => ({
      ...program,
      latest: { ...program.latest, judgement: { text, version: 1 } },
    });
    const programs = [judged(first, 'Stödet är frivilligt.'), second, judged(third, 'Kontrakten är egna.')];
    const [page1 = ''] = (await render({ ...data, programs }, 'sv')).pages;
    expect(page1).toContain('Stödet är frivilligt.');
    expect(page1).toContain('Kontrakten är egna.');
    expect(count(page1, 'Panelen har inte skrivit någon samlad bedömning.')).toBe(1);
    // Both short: whole on page 1, so no pointer to the chapter.
    expect(page1).not.toContain('Hela texten');
  });

  it('when a municipality has one uncapped program, then page 1 says what its change is of, from and to, unbroken', async () => {
    const s = await createReportScenario({ programs: 1, reviewsPerProgram: 2 });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    for (const [locale, change] of [
      ['sv', /[+−±][\d,]+ procentenheter av maxpoängen, från [\d,]+ % till [\d,]+ %; förra nivån \S+ modelltrohet \(\d{4}-\d\d-\d\d\)\./],
      [
        'en',
        /[+−±][\d.]+ percentage points of the maximum, from [\d.]+% to [\d.]+%; the previous level \S+ fidelity \(\d{4}-\d\d-\d\d\)\./,
      ],
    ] as const) {
      const { pdf } = await renderReportPdf(buildReportModel(gathered.data, locale), testReportFonts());
      expect(normalizeSpace(extractPdfText(pdf, { page: 1 }))).toMatch(change);
      expect(extractPdfText(pdf, { page: 1, layout: true })).not.toMatch(/percent-|procent-/);
    }
  });

  it('when every program was reviewed with the same version of the rubric, then page 1 names it once, in the basis', async () => {
    const { s } = await threePrograms();
    for (const locale of ['sv', 'en'] as const) {
      const [page1 = ''] = (await renderThree('plain', locale)).pages;
      const title = s.rubric.rubric.title[locale];
      expect(count(page1, title), locale).toBe(1);
      expect(page1).toContain(
        `${locale === 'sv' ? 'Bedömningsmall' : 'Rubric'}: ${title}, version ${s.rubric.rubric.version} ${locale === 'sv' ? 'Uppgifterna avser' : 'The data are as of'}`,
      );
    }
  });

  it('when the programs were reviewed with different versions of the rubric, then each program’s row names its own', async () => {
    const { s, data } = await threePrograms();
    const programs = data.programs.map((program, index) =>
      index === 1 ? { ...program, latest: { ...program.latest, review: { ...program.latest.review, rubricVersion: '1.9' } } } : program,
    );
    const [page1 = ''] = (await render({ ...data, programs }, 'sv')).pages;
    expect(count(page1, s.rubric.rubric.title.sv)).toBe(3);
    expect(page1).toContain(`${s.rubric.rubric.title.sv}, version 1.9`);
  });

  it('when page 1 of the English report is read as tagged structure, then its headings do not skip, its tables have headers, and the panel’s Swedish text beside English words carries its language', async () => {
    const { pdf } = await renderThree('fullest', 'en');
    const file = readPdf(pdf);
    const nodes = flattenStruct(readStructTree(file));
    const onPage1 = (node: StructNode): boolean =>
      node.content.some((content) => content.page === 0) || node.children.some((child) => onPage1(child));
    const page1 = nodes.filter(onPage1);
    // Every marked sequence of page 1, the cells' paragraphs included, belongs to exactly one element.
    const owned = page1.flatMap((node) => node.content.filter((content) => content.page === 0).map((content) => content.mcid));
    expect(new Set(owned).size).toBe(owned.length);
    const firstPage = file.pages[0];
    if (!firstPage) throw new Error('no page 1');
    expect([...readContent(pageContent(file, firstPage.dict)).mcids].sort((a, b) => a - b)).toEqual([...owned].sort((a, b) => a - b));
    expect(page1.filter((node) => /^H\d$/.test(node.type)).map((node) => node.type)).toEqual(['H1', 'H2']);
    // The basis (rows headed by their first cell), the result and the judgements (also a header row).
    const tables = page1.filter((node) => node.type === 'Table');
    expect(tables).toHaveLength(3);
    const scopeOf = (cell: StructNode) =>
      nameOf(
        attributesOf(file, cell)
          .find((attributes) => nameOf(attributes.get('O')) === 'Table')
          ?.get('Scope'),
      );
    tables.forEach((table, tableIndex) => {
      table.children.forEach((row, rowIndex) => {
        const headerRow = tableIndex > 0 && rowIndex === 0;
        row.children.forEach((cell, cellIndex) => {
          const expected = headerRow ? ['TH', 'Column'] : cellIndex === 0 ? ['TH', 'Row'] : ['TD', undefined];
          expect([cell.type, scopeOf(cell)], `table ${tableIndex} row ${rowIndex} cell ${cellIndex}`).toEqual(expected);
        });
      });
    });
    // The judgement table: in each row the judgement is the panel's Swedish, the line after it English, each a
    // paragraph of its own, the Swedish one marked sv-SE; the recommendation is the panel's Swedish in the report's
    // words (section, priority, owner), so in the cell of English lines only its Swedish is a Span marked sv-SE.
    const judgementTable = tables[2];
    const rows = judgementTable?.children.slice(1) ?? [];
    expect(rows).toHaveLength(3);
    const shape = (node: StructNode): unknown[] => [node.type, textOf(node.dict.get('Lang')), ...node.children.map(shape)];
    for (const row of rows) {
      const [, judgement, recommendations] = row.children;
      expect(judgement && shape(judgement)).toEqual(['TD', undefined, ['P', 'sv-SE'], ['P', undefined]]);
      // The recommendation and the line pointing to the rest: a paragraph each, so they are not read as one run of words.
      expect(recommendations && shape(recommendations)).toEqual(['TD', undefined, ['P', undefined, ['Span', 'sv-SE']], ['P', undefined]]);
    }
  });
});
