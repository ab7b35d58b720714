// PDF/UA-1 without a validator (veraPDF is not obtainable on this machine): the demo's report and a scoring sheet,
// rendered by the real renderers, read back object by object (test/helpers/pdf-structure.ts) and checked against
// the rules of ISO 14289-1 that the renderers are responsible for, the ones pdfkit leaves to its callers.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { makeTestServices } from '../helpers/test-app.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReportRenderer } from '../../src/reports/report-renderer.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel, type ReportModel } from '../../src/reports/report-model.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { buildScoringSheetModel } from '../../src/scoring-sheet/scoring-sheet-model.js';
import { createSheetRenderer } from '../../src/scoring-sheet/scoring-sheet-renderer.js';
import {
  attributesOf,
  flattenStruct,
  nameOf,
  type PdfDict,
  type PdfFile,
  PdfRef,
  type PdfValue,
  pageContent,
  readContent,
  readParentTree,
  readPdf,
  readStructTree,
  type StructNode,
  textOf,
} from '../helpers/pdf-structure.js';
import { extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario } from './report-fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Rendered = { readonly pdf: Buffer; readonly file: PdfFile; readonly tree: StructNode };

function read(pdf: Buffer): Rendered {
  const file = readPdf(pdf);
  return { pdf, file, tree: readStructTree(file) };
}

let report: Rendered;
let reportModel: ReportModel;
let englishReport: Rendered;
let englishModel: ReportModel;
let sheet: Rendered;
let sheetTitle: string;

beforeAll(async () => {
  const db = openDatabase(':memory:');
  migrate(db);
  const summary = await seedDemo(makeTestServices(db, loadRubrics(join(root, 'rubrics'))));
  const reviews = createReviewStore(db);
  // The finished Stockholm review: every chapter part, both charts, the contents over the demo's pages.
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(db), reviews }, '0180');
  if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
  reportModel = buildReportModel(gathered.data, 'sv');
  report = read((await createReportRenderer({ mode: 'inline' }).render({ data: gathered.data, locale: 'sv' })).pdf);
  englishModel = buildReportModel(gathered.data, 'en');
  englishReport = read((await createReportRenderer({ mode: 'inline' }).render({ data: gathered.data, locale: 'en' })).pdf);
  const review = reviews.findReviewById(summary.ratingReview.id);
  if (!review) throw new Error('the demo has no review being rated');
  const sheetModel = buildScoringSheetModel(review, 'Greta Granskare', 'en');
  sheetTitle = sheetModel.title;
  sheet = read(await createSheetRenderer({ mode: 'inline' }).render(sheetModel));
}, 60_000);

function nodesOf(rendered: Rendered, type?: string): StructNode[] {
  const all = flattenStruct(rendered.tree);
  return type === undefined ? all : all.filter((node) => node.type === type);
}

/** The 0-based page a Link annotation goes to: its GoTo action's or its own destination, named or explicit. */
function linkTarget(file: PdfFile, annotation: PdfDict): number {
  const action = file.dict(annotation.get('A'));
  let destination: PdfValue | undefined = action ? file.resolve(action.get('D')) : file.resolve(annotation.get('Dest'));
  if (action) expect(nameOf(action.get('S'))).toBe('GoTo');
  const name = textOf(destination);
  if (name !== undefined) {
    // A named destination: looked up in the catalog's /Names /Dests name tree.
    const found = new Map<string, PdfValue>();
    const walk = (node: PdfDict | undefined) => {
      if (!node) return;
      const names = file.resolve(node.get('Names'));
      if (Array.isArray(names)) for (let i = 0; i + 1 < names.length; i += 2) found.set(textOf(names[i]) ?? '', names[i + 1] ?? null);
      const kids = file.resolve(node.get('Kids'));
      if (Array.isArray(kids)) for (const kid of kids) walk(file.dict(kid));
    };
    walk(file.dict(file.dict(file.catalog.get('Names'))?.get('Dests')));
    destination = file.resolve(found.get(name));
  }
  const explicit = Array.isArray(destination) ? destination : undefined;
  return file.pageIndex(explicit?.[0]);
}

for (const kind of ['report', 'sheet'] as const) {
  const rendered = () => (kind === 'report' ? report : sheet);

  describe(`PDF/UA-1: the ${kind === 'report' ? 'demo report' : 'scoring sheet'}`, () => {
    it('when read back, then the catalog declares a marked, tagged document with its language, title shown, and pdfuaid part 1', () => {
      const { file } = rendered();
      expect(file.dict(file.catalog.get('MarkInfo'))?.get('Marked')).toBe(true);
      expect(file.dict(file.catalog.get('StructTreeRoot'))).toBeDefined();
      expect(textOf(file.catalog.get('Lang'))).toBe(kind === 'report' ? 'sv-SE' : 'en-GB');
      expect(file.dict(file.catalog.get('ViewerPreferences'))?.get('DisplayDocTitle')).toBe(true);
      const title = textOf(file.resolve(file.dict(file.trailer.get('Info'))?.get('Title')));
      expect(title).toBe(kind === 'report' ? reportModel.meta.title : sheetTitle);
      const xmp = file.stream(file.catalog.get('Metadata'))?.toString('utf8') ?? '';
      expect(xmp).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
      expect(xmp).toContain('xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"');
      expect(xmp).toMatch(/<dc:title>\s*<rdf:Alt>\s*<rdf:li xml:lang="x-default">[^<]+<\/rdf:li>/);
      expect(file.dict(file.dict(file.catalog.get('Outlines')))?.get('First')).toBeInstanceOf(PdfRef);
    });

    it('when every page is walked, then all text and drawing is inside a tagged or artifact marked-content sequence, never both', () => {
      const { file } = rendered();
      expect(file.pages.length).toBeGreaterThan(1);
      file.pages.forEach((page, index) => {
        const content = readContent(pageContent(file, page.dict));
        expect(content.faults, `page ${index + 1}`).toEqual([]);
        const unmarked = content.drawn.filter((drawn) => drawn.marks.length === 0);
        expect(
          unmarked.map((drawn) => drawn.op),
          `page ${index + 1}: operators outside marked content`,
        ).toEqual([]);
        const mixed = content.drawn.filter(
          (drawn) => drawn.marks.some((mark) => mark.tag === 'Artifact') && drawn.marks.some((mark) => mark.mcid !== undefined),
        );
        expect(mixed.length, `page ${index + 1}: an artifact inside tagged content`).toBe(0);
        expect(content.drawn.some((drawn) => drawn.op === 'Tj' || drawn.op === 'TJ')).toBe(true);
      });
    });

    it('when the structure tree is walked, then every marked sequence belongs to exactly one element and the parent tree agrees', () => {
      const { file } = rendered();
      const owned = new Map<string, string>();
      for (const node of nodesOf(rendered())) {
        for (const { page, mcid } of node.content) {
          const key = `${page}:${mcid}`;
          expect(owned.has(key), `MCID ${key} owned twice`).toBe(false);
          owned.set(key, node.type);
        }
      }
      const parentTree = readParentTree(file);
      let marked = 0;
      file.pages.forEach((page, index) => {
        const { mcids } = readContent(pageContent(file, page.dict));
        const parents = file.resolve(parentTree.get(page.dict.get('StructParents') as number));
        for (const mcid of mcids) {
          expect(owned.has(`${index}:${mcid}`), `page ${index + 1} MCID ${mcid} belongs to no element`).toBe(true);
          expect(Array.isArray(parents) && parents[mcid] instanceof PdfRef, `page ${index + 1} MCID ${mcid} has no parent`).toBe(true);
          marked += 1;
        }
      });
      expect(marked).toBe(owned.size);
      // Only standard structure types.
      const standard =
        /^(StructTreeRoot|Document|Sect|Div|Part|H[1-6]|P|L|LI|Lbl|LBody|Table|TR|TH|TD|THead|TBody|Figure|Caption|TOC|TOCI|Link|Reference|Span)$/;
      for (const node of nodesOf(rendered())) expect(node.type).toMatch(standard);
    });

    it('when headings are read in order, then they start at H1 and never skip a level', () => {
      const levels = nodesOf(rendered())
        .filter((node) => /^H[1-6]$/.test(node.type))
        .map((node) => Number(node.type.slice(1)));
      expect(levels[0]).toBe(1);
      levels.forEach((level, index) => {
        expect(level, `heading ${index}`).toBeLessThanOrEqual((levels[index - 1] ?? 0) + 1);
      });
    });

    it('when fonts are listed, then each one is embedded', () => {
      const { file } = rendered();
      let fonts = 0;
      for (const page of file.pages) {
        const resources = file.dict(page.dict.get('Resources'));
        for (const font of file.dict(resources?.get('Font'))?.values() ?? []) {
          const dict = file.dict(font);
          const descendants = file.resolve(dict?.get('DescendantFonts'));
          const described = Array.isArray(descendants) ? file.dict(descendants[0]) : dict;
          const descriptor = file.dict(described?.get('FontDescriptor'));
          expect(descriptor?.has('FontFile2') || descriptor?.has('FontFile3') || descriptor?.has('FontFile')).toBe(true);
          fonts += 1;
        }
      }
      expect(fonts).toBeGreaterThan(0);
    });

    it('when a page carries annotations, then each is a tagged Link with a description, and the page orders tabs by structure', () => {
      const { file } = rendered();
      const linked = new Set(nodesOf(rendered(), 'Link').flatMap((node) => node.objects.map((object) => object.num)));
      const parentTree = readParentTree(file);
      for (const page of file.pages) {
        const annotations = file.resolve(page.dict.get('Annots'));
        if (!Array.isArray(annotations) || annotations.length === 0) continue;
        expect(nameOf(page.dict.get('Tabs'))).toBe('S');
        for (const ref of annotations) {
          const annotation = file.dict(ref);
          expect(nameOf(annotation?.get('Subtype'))).toBe('Link');
          expect(textOf(annotation?.get('Contents'))).toMatch(/\S/);
          expect(ref instanceof PdfRef && linked.has(ref.num)).toBe(true);
          expect(parentTree.get(annotation?.get('StructParent') as number)).toBeInstanceOf(PdfRef);
        }
      }
    });
  });
}

describe('PDF/UA-1: the demo report’s content', () => {
  it('when its figures are read, then the radar and bar charts are Figures with alternative text and a layout box', () => {
    const figures = nodesOf(report, 'Figure');
    const expected = reportModel.chapters.flatMap((chapter) => chapter.blocks).filter((block) => block.type === 'figure');
    expect(figures.length).toBe(expected.length);
    expect(figures.length).toBeGreaterThanOrEqual(2);
    // A part's chart names the part first, with its own capital, never mid-sentence ("över Överenskommelsens").
    const partAlts = figures.map((figure) => textOf(figure.dict.get('Alt')) ?? '').filter((alt) => alt.includes('per avsnitt: '));
    expect(partAlts.map((alt) => alt.slice(0, alt.indexOf(','))).sort()).toEqual([
      'Bostad först-principerna i ett radardiagram',
      'Överenskommelsens sex områden i ett stapeldiagram',
    ]);
    figures.forEach((figure, index) => {
      expect(textOf(figure.dict.get('Alt'))).toBe(expected[index]?.alt);
      expect(
        attributesOf(report.file, figure).some(
          (attributes) => nameOf(attributes.get('O')) === 'Layout' && Array.isArray(attributes.get('BBox')),
        ),
      ).toBe(true);
    });
  });

  it('when its tables are read, then every header cell carries a Table Scope, columns on the first row, rows in the first column', () => {
    const tables = nodesOf(report, 'Table');
    expect(tables.length).toBeGreaterThan(5);
    let headers = 0;
    for (const table of tables) {
      expect(table.children.length).toBeGreaterThan(0);
      table.children.forEach((row, rowIndex) => {
        expect(row.type).toBe('TR');
        row.children.forEach((cell, cellIndex) => {
          expect(['TH', 'TD']).toContain(cell.type);
          if (cell.type !== 'TH') return;
          headers += 1;
          const scope = attributesOf(report.file, cell).find((attributes) => nameOf(attributes.get('O')) === 'Table');
          expect(['Column', 'Row']).toContain(nameOf(scope?.get('Scope')));
          if (nameOf(scope?.get('Scope')) === 'Row') expect(cellIndex).toBe(0);
          else expect(rowIndex).toBe(0);
        });
      });
    }
    expect(headers).toBeGreaterThan(0);
  });

  it('when the page header and footer are read, then they are artifacts: no footer text in the tagged structure', () => {
    const structure = extractStructText(report.pdf);
    expect(structure).not.toContain(reportModel.footerCode);
    expect(normalizeSpace(extractPdfText(report.pdf))).toContain(reportModel.footerCode);
  });

  // Reads the tagged text of two whole reports: 1–2 s alone, over 5 s with both cores busy (a full run at load 10).
  it('when the tagged text is read aloud, then no two texts run together: a cell’s paragraphs and a contents line’s number stand apart', {
    timeout: 30_000,
  }, () => {
    for (const [rendered, capLead] of [
      [report, 'Nivån begränsas'],
      [englishReport, 'The level is capped'],
    ] as const) {
      const texts = readTaggedTexts(extractStructTextRaw(rendered.pdf)).filter((text) => !text.inFigure);
      // A word running into the next one's capital or a number into a word: "modelltrohetNivån", "(skala 1–4)34 av".
      const joined = texts.filter((text) => /[a-zåäö)%][A-ZÅÄÖ]|\)\d/.test(text.text)).map((text) => text.text);
      expect(joined).toEqual([]);
      // The verdict and the cap's reason in one cell: a P each.
      const cap = texts.find((text) => text.text.startsWith(capLead) && text.path.includes('TD'));
      expect(cap?.path.at(-1)).toBe('P');
      const contentsLines = texts.filter((text) => text.path.includes('TOCI'));
      expect(contentsLines.length).toBeGreaterThan(10);
      for (const line of contentsLines) expect(line.text).toMatch(/\S \d+$/);
    }
  });

  it('when a word is hyphenated at a line break, then its tagged text is the whole word, while the page shows the hyphen', () => {
    for (const [rendered, model] of [
      [report, reportModel],
      [englishReport, englishModel],
    ] as const) {
      const printed = JSON.stringify(model);
      const tagged = readElementTexts(extractStructTextRaw(rendered.pdf));
      // Every hyphenated word of the tagged text is one the report prints so ("Bostad först-principerna",
      // "Person-centred"): none is a word broken at a line's end ("principer-na", "återhämt-ning").
      const hyphenated = new Set(tagged.flatMap((text) => text.match(/\p{L}+-\p{L}+/gu) ?? []));
      expect(hyphenated.size).toBeGreaterThan(0);
      expect([...hyphenated].filter((word) => !printed.includes(word))).toEqual([]);
      // The page shows the hyphens: heads of words broken at a line's end, which the tagged text reads on into the rest.
      const heads = [...new Set(extractPdfText(rendered.pdf, { layout: true }).match(/\p{Ll}{3,}-(?=\s)/gu) ?? [])]
        .map((head) => head.slice(0, -1))
        .filter((head) => !printed.includes(`${head}- `));
      expect(heads.length).toBeGreaterThan(0);
      const words = tagged.join(' ');
      for (const head of heads) expect(words, head).toMatch(new RegExp(`${head}\\p{Ll}`, 'u'));
    }
  }, 30_000);

  it('when the English report prints the panel’s Swedish text, then those elements carry Lang sv-SE; the Swedish report marks none', () => {
    const marked = (rendered: Rendered) =>
      flattenStruct(rendered.tree).filter((node) => node.type !== 'Document' && textOf(node.dict.get('Lang')) !== undefined);
    const swedishInEnglish = marked(englishReport);
    expect(swedishInEnglish.every((node) => textOf(node.dict.get('Lang')) === 'sv-SE')).toBe(true);
    // The judgement on page 1 and the response are paragraphs; strengths, recommendations and barriers are lists.
    expect(swedishInEnglish.filter((node) => node.type === 'P').length).toBeGreaterThanOrEqual(2);
    expect(swedishInEnglish.filter((node) => node.type === 'L').length).toBeGreaterThanOrEqual(3);
    // A table cell of the panel's text (a recommendation in the table by owner) carries it too.
    expect(swedishInEnglish.filter((node) => node.type === 'TD').length).toBeGreaterThanOrEqual(1);
    const judgement = englishModel.cover.blocks.find(
      (block) => block.type === 'paragraph' && block.paragraph.text.startsWith('Bostad först Stockholm erbjuder vanliga'),
    );
    expect(judgement?.type === 'paragraph' && judgement.paragraph.lang).toBe('sv');
    expect(marked(report)).toEqual([]);
  });

  it('when the table of contents is read, then each entry is a TOCI holding a Link with its annotation, to the page of its heading', () => {
    checkContentsLinks(report, reportModel);
  });

  it('when the contents run over two pages (three programs, two rounds each, in English), then every line still links to its heading', async () => {
    const s = await createReportScenario({ programs: 3, reviewsPerProgram: 2 });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
    const model = buildReportModel(gathered.data, 'en');
    const rendered = read((await createReportRenderer({ mode: 'inline' }).render({ data: gathered.data, locale: 'en' })).pdf);
    expect(textOf(rendered.file.catalog.get('Lang'))).toBe('en-GB');
    const linkPages = new Set(
      flattenStruct(rendered.tree).flatMap((node) => (node.type === 'Link' ? node.objects.map((object) => object.page) : [])),
    );
    expect(linkPages.size).toBeGreaterThan(1);
    checkContentsLinks(rendered, model);
    // The trend chart joins the radar and bar charts, with its own alternative text.
    const figures = nodesOf(rendered, 'Figure');
    expect(figures.length).toBeGreaterThan(2 * 3);
    for (const figure of figures) expect(textOf(figure.dict.get('Alt'))).toMatch(/\S/);
  }, 60_000);
});

/**
 * The contents of a rendered report: one TOCI per entry, each with a Link that holds the line's marked text and
 * its Link annotation (on the same page, in that page's /Annots), whose destination is the page the entry's
 * heading starts on; the line prints that page's number.
 */
function checkContentsLinks(rendered: Rendered, model: ReportModel): void {
  const all = nodesOf(rendered);
  const toc = all.filter((node) => node.type === 'TOC');
  expect(toc.length).toBe(1);
  const items = toc[0]?.children ?? [];
  expect(items.length).toBe(model.contents.entries.length);
  // The tree's headings are the cover's title, the model's headings in order, and the contents' own heading.
  const contentsSection = all.find((node) => node.children.some((child) => child.type === 'TOC'));
  const contentsHeading = contentsSection?.children.find((child) => child.type === 'H1');
  const treeHeadings = all.filter((node) => /^H[1-6]$/.test(node.type) && node !== contentsHeading).slice(1);
  const modelHeadings = [...model.cover.blocks, ...model.chapters.flatMap((chapter) => chapter.blocks)].flatMap((block) =>
    block.type === 'heading' ? [block] : [],
  );
  expect(treeHeadings.map((node) => node.type)).toEqual(modelHeadings.map((block) => `H${block.level}`));
  const headingPage = new Map(modelHeadings.map((block, index) => [block.id, treeHeadings[index]?.content[0]?.page ?? -1]));
  // Each contents line as pdftotext lays it out: the entry's text, then its page number at the line's end.
  const lines = extractPdfText(rendered.pdf, { layout: true })
    .split('\f')
    .map((page) => page.split('\n').map((line) => normalizeSpace(line).trim()));
  let cursor = { page: -1, line: 0 };
  items.forEach((item, index) => {
    const entry = model.contents.entries[index];
    const label = `entry ${index} ${entry?.text}`;
    expect(item.type).toBe('TOCI');
    const link = flattenStruct(item).find((child) => child.type === 'Link');
    expect(link, label).toBeDefined();
    const [annotation, ...more] = link?.objects ?? [];
    expect(more.length).toBe(0);
    expect(annotation, label).toBeDefined();
    if (!link || !annotation || !entry) return;
    expect(nameOf(annotation.dict.get('Subtype'))).toBe('Link');
    expect(textOf(annotation.dict.get('Contents'))).toBe(entry.text);
    expect(link.content.length).toBeGreaterThan(0);
    expect(
      link.content.every((content) => content.page === annotation.page),
      label,
    ).toBe(true);
    const annots = rendered.file.resolve(rendered.file.pages[annotation.page]?.dict.get('Annots'));
    expect(Array.isArray(annots) && annots.some((ref) => ref instanceof PdfRef && ref.num === annotation.num), label).toBe(true);
    const target = linkTarget(rendered.file, annotation.dict);
    expect(target, label).toBe(headingPage.get(entry.target));
    if (cursor.page !== annotation.page) cursor = { page: annotation.page, line: 0 };
    const pageLines = lines[annotation.page] ?? [];
    const prefix = normalizeSpace(entry.text).slice(0, 20);
    const at = pageLines.findIndex((line, lineIndex) => lineIndex >= cursor.line && line.startsWith(prefix));
    expect(at, label).toBeGreaterThanOrEqual(0);
    expect(pageLines[at]?.match(/ (\d+)$/)?.[1], label).toBe(String(target + 1));
    cursor = { page: annotation.page, line: at + 1 };
  });
}

describe('PDF/UA-1: the scoring sheet’s content', () => {
  it('when its sections are read, then each has a bookmark', () => {
    const outline = sheet.file.dict(sheet.file.catalog.get('Outlines'));
    const titles: string[] = [];
    for (let item = sheet.file.dict(outline?.get('First')); item; item = sheet.file.dict(item.get('Next')))
      titles.push(textOf(item.get('Title')) ?? '');
    expect(titles.length).toBe(nodesOf(sheet, 'H2').length);
    expect(titles.length).toBeGreaterThan(1);
  });
});

/** The text of the tagged structure, as poppler reads it, its spaces normalised. */
function extractStructText(pdf: Buffer): string {
  return normalizeSpace(extractStructTextRaw(pdf));
}

/** The text of the tagged structure as poppler prints it, with its indentation. */
function extractStructTextRaw(pdf: Buffer): string {
  const result = spawnSync('pdfinfo', ['-struct-text', '-'], { input: pdf, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pdfinfo failed: ${result.stderr}`);
  return result.stdout;
}

type TaggedText = { readonly text: string; readonly path: readonly string[]; readonly inFigure: boolean };

/** Each quoted text of `pdfinfo -struct-text` with the element types above it, read from the indentation. */
function readTaggedTexts(structText: string): TaggedText[] {
  const stack: { readonly depth: number; readonly type: string }[] = [];
  const texts: TaggedText[] = [];
  for (const line of structText.split('\n')) {
    const depth = line.length - line.trimStart().length;
    const content = line.trim();
    if (content === '') continue;
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop();
    if (content.startsWith('"')) {
      const path = stack.map((entry) => entry.type);
      texts.push({ text: content.slice(1, -1), path, inFigure: path.includes('Figure') });
    } else {
      // An element's line ("TD", "Figure:", "P (block)"); its attribute lines ("/Scope /Row") name none.
      const type = /^([A-Z][A-Za-z0-9]*)(?::| |$)/.exec(content)?.[1];
      if (type !== undefined) stack.push({ depth, type });
    }
  }
  return texts;
}

/**
 * The text of each element as a screen reader gets it: the marked-content sequences an element holds directly, one
 * after another (pdfinfo prints each on a line of its own, at the same depth), joined.
 */
function readElementTexts(structText: string): string[] {
  const texts: string[] = [];
  let depth = -1;
  for (const line of structText.split('\n')) {
    const content = line.trim();
    const lineDepth = line.length - line.trimStart().length;
    if (content.startsWith('"')) {
      if (lineDepth === depth) texts[texts.length - 1] += content.slice(1, -1);
      else texts.push(content.slice(1, -1));
      depth = lineDepth;
    } else if (content !== '') depth = -1;
  }
  return texts;
}
