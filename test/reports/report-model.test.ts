import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { listChartShapes } from '../../src/reports/report-charts.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { type Block, buildReportModel, type ReportModel } from '../../src/reports/report-model.js';
import { CONTENT_WIDTH } from '../../src/reports/report-page.js';
import { createReportScenario, type ReportScenario } from './report-fixtures.js';

function gather(s: ReportScenario): ReportData {
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
  return gathered.data;
}

function figuresOf(model: ReportModel): Extract<Block, { type: 'figure' }>[] {
  return model.chapters.flatMap((chapter) =>
    chapter.blocks.filter((block): block is Extract<Block, { type: 'figure' }> => block.type === 'figure'),
  );
}

describe('gatherReportData', { timeout: 30_000 }, () => {
  it('when a program has several final reviews, then the latest is reported and the trend uses the one before with the same rubric id', async () => {
    const s = await createReportScenario({ reviewsPerProgram: 3, reviewRubricIds: ['bostad-forst', 'mini-five', 'bostad-forst'] });
    const [program] = gather(s).programs;
    const [first, , third] = s.programs[0]?.reviewIds ?? [];
    expect(program?.latest.review.id).toBe(third);
    expect(program?.previous?.review.id).toBe(first);
  });

  it('when a program has no final review, then it is named but not reported, and without any the result says so', async () => {
    const s = await createReportScenario();
    const municipalities = createMunicipalityStore(s.db);
    const municipality = municipalities.findMunicipalityByCode(s.municipalityCode);
    if (!municipality) throw new Error('no municipality');
    municipalities.insertProgram({
      municipalityId: municipality.id,
      name: 'Nytt program',
      supportProvider: 'X',
      housingPartners: '',
      supportModel: 'act',
      startDate: undefined,
    });
    const data = gather(s);
    expect(data.programs.map((p) => p.program.name)).toEqual([s.programs[0]?.name]);
    expect(data.programsWithoutFinalReview).toEqual(['Nytt program']);
    const empty = municipalities.insertMunicipality({ code: '0127', name: 'Botkyrka' });
    expect(gatherReportData({ municipalities, reviews: s.reviews }, '0127')).toEqual({
      kind: 'no-final-review',
      municipality: { id: empty, code: '0127', name: 'Botkyrka' },
    });
    expect(gatherReportData({ municipalities, reviews: s.reviews }, '9999')).toEqual({ kind: 'unknown-municipality' });
  });
});

describe('buildReportModel', { timeout: 30_000 }, () => {
  it('when built twice from the same data, then the models are equal, and Swedish and English share the verification code', async () => {
    const s = await createReportScenario({ programs: 2, reviewsPerProgram: 2 });
    const data = gather(s);
    const sv = buildReportModel(data, 'sv');
    expect(buildReportModel(data, 'sv')).toEqual(sv);
    const en = buildReportModel(data, 'en');
    expect(en.verification).toEqual(sv.verification);
    expect(sv.verification.code).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(sv.verification.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sv.verification.hash.slice(0, 12).toUpperCase()).toBe(sv.verification.code.replace(/-/g, ''));
    expect(sv.meta.title).toBe('Bostad först – modelltrohet i Stockholm');
    expect(en.meta.title).toBe('Housing First fidelity – Stockholm');
  });

  it('when any reported data changes, then the verification code changes', async () => {
    const s = await createReportScenario();
    const data = gather(s);
    const code = buildReportModel(data, 'sv').verification.code;
    const [program] = data.programs;
    if (!program) throw new Error('no program');
    const [first, ...rest] = program.latest.consensus;
    if (!first) throw new Error('no consensus');
    const changedRationale: ReportData = {
      ...data,
      programs: [
        { ...program, latest: { ...program.latest, consensus: [{ ...first, rationale: `${first.rationale} Ändrad.` }, ...rest] } },
      ],
    };
    expect(buildReportModel(changedRationale, 'sv').verification.code).not.toBe(code);
    const renamed: ReportData = { ...data, municipality: { ...data.municipality, name: 'Solna' } };
    expect(buildReportModel(renamed, 'sv').verification.code).not.toBe(code);
  });

  it('when built, then the creation date is when the latest review was finalised, and no rater id is in the model', async () => {
    const s = await createReportScenario({ programs: 2 });
    const data = gather(s);
    const model = buildReportModel(data, 'sv');
    const finalised = data.programs.map((p) => p.latest.review.finalisedAt ?? '').sort();
    expect(model.meta.creationDate).toBe(new Date(finalised.at(-1) ?? '').toISOString());
    const json = JSON.stringify(model);
    expect(json).not.toMatch(/rater(Id)?"/i);
  });

  it('when the shipped rubric is used, then the principles get a radar with a spoke per section and the agreement areas bars', async () => {
    const s = await createReportScenario({ reviewsPerProgram: 2 });
    const model = buildReportModel(gather(s), 'sv');
    const rubric = s.rubric.rubric;
    const [radar, bars, trend] = figuresOf(model).map((figure) => figure.chart);
    const principles = rubric.sections.filter((section) => section.kind === rubric.parts[0]?.id);
    const areas = rubric.sections.filter((section) => section.kind === rubric.parts[1]?.id);
    expect(radar?.kind).toBe('radar');
    expect(radar?.kind === 'radar' ? radar.spokes.map((spoke) => spoke.sectionId) : []).toEqual(principles.map((section) => section.id));
    expect(bars?.kind === 'bars' ? bars.rows.map((row) => row.sectionId) : []).toEqual(areas.map((section) => section.id));
    expect(trend?.kind === 'bars' ? trend.rows.map((row) => row.sectionId) : []).toEqual(rubric.sections.map((section) => section.id));
    // The levels' thresholds are drawn where the part decides the level (the principles), not on the agreement areas,
    // which are reported beside it.
    expect(radar?.kind === 'radar' ? radar.thresholds.length : 0).toBeGreaterThan(0);
    expect(bars?.kind === 'bars' ? bars.thresholds : undefined).toEqual([]);
    const [radarFigure, barsFigure] = figuresOf(model);
    expect(radarFigure?.note).toBeDefined();
    expect(barsFigure?.note).toBeUndefined();
    for (const figure of figuresOf(model)) {
      expect(figure.chart.width).toBeLessThanOrEqual(CONTENT_WIDTH);
      expect(figure.alt.length).toBeGreaterThan(20);
    }
  });

  it('when the rubric is mini-five (1–5 and 0–2 scales, three sections), then its charts scale: a bar per section, all inside the box', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five', reviewsPerProgram: 2 });
    const model = buildReportModel(gather(s), 'en');
    const figures = figuresOf(model);
    // Core has two sections (too few for a radar), Extra one, and the trend covers all three.
    expect(figures.map((figure) => figure.chart.kind)).toEqual(['bars', 'bars', 'bars']);
    expect(figures.map((figure) => (figure.chart.kind === 'bars' ? figure.chart.rows.length : 0))).toEqual([2, 1, 3]);
    for (const figure of figures) {
      const { rects, points } = listChartShapes(figure.chart);
      for (const rect of [...rects, ...points.map((point) => ({ ...point, width: 0, height: 0 }))]) {
        expect(rect.x).toBeGreaterThanOrEqual(0);
        expect(rect.y).toBeGreaterThanOrEqual(0);
        expect(rect.x + rect.width).toBeLessThanOrEqual(figure.chart.width);
        expect(rect.y + rect.height).toBeLessThanOrEqual(figure.chart.height);
      }
    }
    // The latest review: C1 scores 2 and 3 of 5 (50 %); C2 mixes a 0–2 and two 1–5 scales, 2 + 5 + 5 of 12 (100 %).
    const core = figures[0]?.chart;
    if (core?.kind !== 'bars') throw new Error('no bar chart');
    const [c1, c2] = core.rows;
    expect([c1?.sectionId, c1?.valueLabel.text, c2?.sectionId, c2?.valueLabel.text]).toEqual(['c1-first', '50%', 'c2-second', '100%']);
    expect(c1?.bar.width).toBeCloseTo(core.plot.width / 2, 1);
    expect(c2?.bar.width).toBeCloseTo(core.plot.width, 1);
  });

  it('when a section lists its indicators, then the spread is in the app’s words: a range, a unanimous score said so, each with its count', async () => {
    const s = await createReportScenario();
    const spreadsOf = (locale: 'sv' | 'en') =>
      buildReportModel(gather(s), locale)
        .chapters.flatMap((chapter) => chapter.blocks)
        .filter(
          (block): block is Extract<Block, { type: 'table' }> =>
            block.type === 'table' && /^(Bedömarnas|Raters’) spread|^Bedömarnas spridning/.test(block.columns[2]?.header ?? ''),
        )
        .flatMap((table) => table.rows.map((row) => row[2]?.[0]?.text ?? ''));
    const sv = spreadsOf('sv');
    expect(sv.length).toBeGreaterThan(0);
    expect(sv.filter((text) => !/^\d+(–\d+ \(\d+ bedömare\)| \(\d+ bedömare, alla gav samma poäng\)| \(1 bedömare\))$/.test(text))).toEqual(
      [],
    );
    expect(sv.some((text) => text.includes('alla gav samma poäng'))).toBe(true);
    expect(sv.some((text) => /^\d+–\d+ /.test(text))).toBe(true);
    expect(spreadsOf('en').some((text) => text.endsWith('raters, all gave the same score)'))).toBe(true);
  });

  it('when built, then the contents list every chapter and every section of every program', async () => {
    const s = await createReportScenario({ programs: 2, reviewsPerProgram: 2 });
    const data = gather(s);
    const model = buildReportModel(data, 'sv');
    const chapters = model.contents.entries.filter((entry) => entry.level === 1).map((entry) => entry.text);
    expect(chapters).toEqual(['Översikt', ...data.programs.map((p) => p.program.name), 'Bilaga: Metod']);
    expect([...chapters].slice(1, -1).sort()).toEqual(s.programs.map((p) => p.name).sort());
    const sectionEntries = model.contents.entries.filter((entry) => /^[AB]\d /.test(entry.text));
    expect(sectionEntries).toHaveLength(s.rubric.rubric.sections.length * 2);
    expect(new Set(model.contents.entries.map((entry) => entry.target)).size).toBe(model.contents.entries.length);
  });
});
