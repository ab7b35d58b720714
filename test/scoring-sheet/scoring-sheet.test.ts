import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, startRating } from '../helpers/review-scenario.js';
import { postForm } from '../helpers/test-app.js';
import { binaryParser, extractPdfText, normalizeSpace } from '../reports/pdf-text.js';

// The sheets render on the worker the test apps share (test/helpers/test-app.ts); starting it takes a few seconds on a
// busy machine.
describe('GET /reviews/:id/scoring-sheet.pdf', { timeout: 60_000 }, () => {
  it('when a coordinator asks for a rater’s sheet, then it is a PDF with every indicator, its anchors, the rater and the boxes’ legend', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const agent = await s.login(s.coordinator);
    const response = await agent.get(`/reviews/${s.reviewId}/scoring-sheet.pdf?rater=${s.reviewerA.id}`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/pdf');
    expect(response.headers['cache-control']).toContain('no-store');
    const pdf = response.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = normalizeSpace(extractPdfText(pdf));
    expect(text).toContain('Bedömningsformulär för platsbesök');
    expect(text).toContain('Anna Andersson');
    expect(text).toContain('Bostad först Stockholm (Stockholm)');
    for (const { section, indicator } of listIndicators(s.rubric)) {
      expect(text).toContain(section.code);
      expect(text).toContain(indicator.text.sv);
      for (const anchor of Object.values(indicator.scale.anchors)) expect(text).toContain(anchor.sv);
    }
    expect(text).toContain('Ej tillämplig');
    expect(text).toContain('I = Intervju');
    expect(text).toMatch(/Sida 1 av \d+/);
    // Tagged like the report: language and title set, headings as headings, the levels as a list, in reading order.
    const info = spawnSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' }).stdout;
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(pdf.toString('latin1')).toContain('/Lang (sv-SE)');
    const structure = spawnSync('pdfinfo', ['-struct-text', '-'], { input: pdf, encoding: 'utf8' }).stdout;
    expect(structure).toMatch(/^\s+H1 \(block\)\n\s+"Bedömningsformulär för platsbesök/m);
    const [firstSection] = s.rubric.sections;
    expect(structure).toContain(`"${firstSection?.code}`);
    expect(structure).toMatch(/^\s+H2 \(block\)/m);
    expect(structure).toMatch(/^\s+H3 \(block\)/m);
    expect(structure).toMatch(/^\s+L \(block\)\n\s+LI \(block\)/m);
    // The page footer is an artifact: not in the structure.
    expect(structure).not.toMatch(/Sida 1 av/);
  });

  it('follows ?lang=en, and without ?rater gives a sheet with an empty name line', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const agent = await s.login(s.lead);
    const response = await agent.get(`/reviews/${s.reviewId}/scoring-sheet.pdf?lang=en`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    expect(text).toContain('Scoring sheet for the site visit');
    expect(text).toContain('Alpha is present.');
    expect(text).not.toContain('Anna Andersson');
  });

  it('is for the panel and coordinators: others get a 404, as does a rater who is not on the panel', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const path = `/reviews/${s.reviewId}/scoring-sheet.pdf`;
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(path)).status).toBe(404);
    const rater = await s.login(s.reviewerB);
    expect((await rater.get(`${path}?rater=${s.outsider.id}`)).status).toBe(404);
    expect((await rater.get(`${path}?rater=abc`)).status).toBe(404);
    expect((await rater.get(`${path}?rater=${s.reviewerB.id}`)).status).toBe(200);
  });

  it('is offered on the overview: the rater gets their own sheet and the paper hint, the coordinator every rater’s', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const rater = await s.login(s.reviewerA);
    const overview = await rater.get(`/reviews/${s.reviewId}`);
    expect(overview.text).toContain(`/reviews/${s.reviewId}/scoring-sheet.pdf?rater=${s.reviewerA.id}`);
    expect(overview.text).not.toContain(`scoring-sheet.pdf?rater=${s.reviewerB.id}`);
    expect(overview.text).toContain('Har du bedömt på papper?');
    const coordinator = await s.login(s.coordinator);
    const all = await coordinator.get(`/reviews/${s.reviewId}`);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) expect(all.text).toContain(`scoring-sheet.pdf?rater=${person.id}`);
    expect(all.text).not.toContain('Har du bedömt på papper?');
  });
});

describe('entering marks from paper', () => {
  it('when a rater saves one section and leaves, then the marks are kept, nothing is submitted, and they can go on later', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const agent = await s.login(s.reviewerA);
    const first = s.rubric.sections[0];
    if (!first) throw new Error('no section');
    const path = `/reviews/${s.reviewId}/rate/${first.id}`;
    const fields: Record<string, string | string[]> = {};
    for (const indicator of first.indicators) {
      fields[`score__${indicator.id}`] = String(indicator.scale.min + 1);
      fields[`evidence__${indicator.id}`] = [indicator.evidence[0] ?? 'I'];
      fields[`note__${indicator.id}`] = 'Från pappret.';
      fields[`version__${indicator.id}`] = '0';
    }
    const saved = await postForm(agent, path, path, { ...fields, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(path);
    const stored = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id);
    expect(stored).toHaveLength(first.indicators.length);
    expect(stored.every((r) => r.note === 'Från pappret.')).toBe(true);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.submittedAt).toBeUndefined();

    // Later, in a new session: the section shows what was saved, and the summary the progress.
    const again = await s.login(s.reviewerA);
    const page = await again.get(path);
    for (const indicator of first.indicators) {
      expect(page.text).toMatch(new RegExp(`name="score__${indicator.id}" value="${indicator.scale.min + 1}" checked`));
    }
    const summary = await again.get(`/reviews/${s.reviewId}/rate`);
    // The start page counts the rated indicators over the whole rubric and marks the section done.
    expect(summary.text).toContain(`Du har bedömt ${first.indicators.length} av ${listIndicators(s.rubric).length} indikatorer.`);
    // Submitting with sections left is refused, so a half-entered sheet is never submitted by mistake.
    expect((await postForm(again, `/reviews/${s.reviewId}/rate`, `/reviews/${s.reviewId}/submit`, {})).status).toBe(422);
  });
});

describe('createSheetRenderer', { timeout: 60_000 }, () => {
  it('renders in a worker thread one sheet at a time, and refuses more waiting sheets than it allows instead of queueing them all', async () => {
    const { createSheetRenderer, SheetRendererBusyError } = await import('../../src/scoring-sheet/scoring-sheet-renderer.js');
    const { buildScoringSheetModel } = await import('../../src/scoring-sheet/scoring-sheet-model.js');
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    const review = s.reviews.findReviewById(s.reviewId);
    if (!review) throw new Error('no review');
    const renderer = createSheetRenderer({ maxQueue: 1 });
    const model = buildScoringSheetModel(review, 'Anna Andersson', 'sv');
    // The first starts at once and the second waits; a third finds the queue full.
    const first = renderer.render(model);
    const second = renderer.render(model);
    await expect(renderer.render(model)).rejects.toBeInstanceOf(SheetRendererBusyError);
    expect((await first).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await second).subarray(0, 5).toString()).toBe('%PDF-');
    // Once they are done there is room again.
    expect((await renderer.render(model)).length).toBeGreaterThan(1000);
  });
});

describe('renderScoringSheetPdf', () => {
  it('keeps the words it shapes with the fonts for the next sheet, and a sheet from used fonts has the bytes of one from fresh fonts', async () => {
    const { loadReportFonts } = await import('../../src/reports/pdf/render-report-pdf.js');
    const { renderScoringSheetPdf } = await import('../../src/scoring-sheet/render-scoring-sheet.js');
    const { buildScoringSheetModel } = await import('../../src/scoring-sheet/scoring-sheet-model.js');
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    const review = s.reviews.findReviewById(s.reviewId);
    if (!review) throw new Error('no review');
    const used = loadReportFonts();
    await renderScoringSheetPdf(buildScoringSheetModel(review, undefined, 'en'), used);
    // A worker renders sheet after sheet with one set of fonts: the shapes of the words are kept, as a report's are.
    expect(Object.keys(used.shapes.regular.current).length).toBeGreaterThan(0);
    expect(Object.keys(used.shapes.bold.current).length).toBeGreaterThan(0);
    const model = buildScoringSheetModel(review, 'Anna Andersson', 'sv');
    const fromUsed = await renderScoringSheetPdf(model, used);
    const fromFresh = await renderScoringSheetPdf(model, loadReportFonts());
    expect(Buffer.compare(fromUsed, fromFresh)).toBe(0);
  });
});
