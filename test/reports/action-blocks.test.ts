// The report's action tables: an open action past its due date is marked overdue against the report's date (the
// newest review's finalisation), so the mark follows from the data and the same data always gives the same PDF.
import { describe, expect, it } from 'vitest';
import type { LastRoundReportData } from '../../src/actions/report-part.js';
import { buildActionBlocks } from '../../src/reports/action-blocks.js';
import type { Block } from '../../src/reports/report-model-types.js';

const section = { id: 's1', code: 'A1', title: { sv: 'Bostad', en: 'Housing' } };

function item(text: string, status: 'not_started' | 'in_progress' | 'done' | 'dropped', dueOn: string | undefined) {
  return { sectionId: 's1', position: 1, text, status, ownerName: 'Sofia Ek', dueOn, latestNote: undefined };
}

const lastRound: LastRoundReportData = {
  reviewId: 1,
  sections: [section],
  recommendations: [
    item('Öppen och försenad', 'in_progress', '2025-12-31'),
    item('Klar trots datumet', 'done', '2025-12-31'),
    item('Öppen, förfaller på rapportdagen', 'not_started', '2026-03-10'),
    item('Öppen utan datum', 'in_progress', undefined),
  ],
};

/** Each row's status cell, as text. */
function statusCells(blocks: readonly Block[]): string[] {
  const table = blocks.find((block) => block.type === 'table');
  if (table?.type !== 'table') throw new Error('no table');
  return table.rows.map((row) => (row[2] ?? []).map((paragraph) => paragraph.text).join(' | '));
}

describe('the action tables of the report', () => {
  it('when an open action is past its due date on the report date, then its status says overdue; closed, undated and due-that-day ones do not', () => {
    const blocks = buildActionBlocks({ lastRound, actionPlan: { ...lastRound, recommendations: [] } }, 'p1', 'sv', '2026-03-10');
    expect(statusCells(blocks)).toEqual([
      'Pågår | Försenad: inte klar 2026-03-10, när granskningen slutfördes',
      'Klar',
      'Inte påbörjad',
      'Pågår',
    ]);
  });

  it('when there is no report date, then nothing is marked', () => {
    const blocks = buildActionBlocks({ lastRound, actionPlan: { ...lastRound, recommendations: [] } }, 'p1', 'sv');
    expect(statusCells(blocks)[0]).toBe('Pågår');
  });
});
