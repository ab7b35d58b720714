// "Next review due" is counted once (src/reviews/follow-up.ts) for the app and the PDF: from the later of the site
// visit and the finalisation, whose day is the Swedish day of its stored UTC instant.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/messages.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { describeLatestResult } from '../../src/reviews/latest-result.js';
import { gatherReportData } from '../../src/reports/report-data.js';
import { buildReportModel, type ReportModel } from '../../src/reports/report-model.js';
import { createReportScenario, type ReportScenario } from './report-fixtures.js';

/** Moves the only review's visit and finalisation to the given days and instant. */
function stampDates(s: ReportScenario, visit: string, finalisedAt: string): number {
  const reviewId = s.programs[0]?.reviewIds[0] ?? 0;
  s.db.prepare('UPDATE reviews SET visit_start = ?, visit_end = ?, finalised_at = ? WHERE id = ?').run(visit, visit, finalisedAt, reviewId);
  return reviewId;
}

function paragraphsOf(model: ReportModel): string[] {
  return [...model.cover.blocks, ...model.chapters.flatMap((chapter) => chapter.blocks)].flatMap((block) =>
    block.type === 'paragraph' ? [block.paragraph.text] : [],
  );
}

function buildModel(s: ReportScenario): ReportModel {
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(`no report data: ${gathered.kind}`);
  return buildReportModel(gathered.data, 'sv');
}

function latestOf(s: ReportScenario) {
  const program = s.programs[0];
  if (!program) throw new Error('no program');
  return describeLatestResult(
    s.reviews,
    { id: program.id, municipalityCode: s.municipalityCode },
    createTranslator('sv'),
    'sv',
    '2026-06-01',
  );
}

describe('the next review due, in the app and in the report', { timeout: 30_000 }, () => {
  it('when a review is finalised months after its visit, then the app counts from the finalisation as the report does', async () => {
    const s = await createReportScenario({ reviewsPerProgram: 1 });
    stampDates(s, '2026-01-15', '2026-04-20T09:00:00.000Z');
    const latest = latestOf(s);
    const followUp = paragraphsOf(buildModel(s)).find((text) => text.includes('bör nästa granskning göras'));
    expect(followUp).toContain('att granskningen slutfördes 20 april 2026');
    expect(latest?.nextDue?.date.slice(5)).toBe('04-20');
    expect(followUp).toContain(latest?.nextDue?.dateText ?? 'no due date');
  });

  it('when the finalisation is at 23:30 UTC, then its day is the next Swedish day, in the follow-up and the report date', async () => {
    const s = await createReportScenario({ reviewsPerProgram: 1 });
    // 23:30 UTC on 19 May is 01:30 on 20 May in Sweden (summer time).
    stampDates(s, '2026-01-15', '2026-05-19T23:30:00.000Z');
    const paragraphs = paragraphsOf(buildModel(s));
    expect(paragraphs.find((text) => text.includes('bör nästa granskning göras'))).toContain('att granskningen slutfördes 20 maj 2026');
    expect(paragraphs.join('\n')).not.toContain('19 maj 2026');
    expect(latestOf(s)?.nextDue?.date.slice(5)).toBe('05-20');
  });
});
