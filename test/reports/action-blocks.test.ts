// The report's action tables: an open action past its due date is marked overdue against the day the parts describe
// the actions as of (the report model's actionsAsOf), which each part's intro names, so the mark follows from the data
// and the same data always gives the same PDF.
import { describe, expect, it } from 'vitest';
import type { LastRoundReportData } from '../../src/actions/report-part.js';
import { buildActionBlocks } from '../../src/reports/action-blocks.js';
import type { Block } from '../../src/reports/report-model-types.js';

const section = { id: 's1', code: 'A1', title: { sv: 'Bostad', en: 'Housing' } };

function item(text: string, status: 'not_started' | 'in_progress' | 'done' | 'dropped', dueOn: string | undefined) {
  return { sectionId: 's1', position: 1, text, status, ownerName: 'Sofia Ek', dueOn, latestNote: undefined, savedOn: '2026-01-10' };
}

const lastRound: LastRoundReportData = {
  reviewId: 1,
  sections: [section],
  recommendations: [
    item('Öppen och försenad', 'in_progress', '2025-12-31'),
    item('Klar trots datumet', 'done', '2025-12-31'),
    item('Öppen, förfaller samma dag', 'not_started', '2026-03-10'),
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
  it('when an open action is past its due date on the as-of day, then its status says overdue; closed, undated and due-that-day ones do not', () => {
    const blocks = buildActionBlocks({ lastRound, actionPlan: { ...lastRound, recommendations: [] } }, 'p1', 'sv', '2026-03-10');
    expect(statusCells(blocks)).toEqual(['Pågår | Försenad: inte klar 2026-03-10', 'Klar', 'Inte påbörjad', 'Pågår']);
  });

  it('when the parts are built, then each intro names the as-of day, in Swedish and in English', () => {
    const intros = (locale: 'sv' | 'en') =>
      buildActionBlocks({ lastRound, actionPlan: lastRound }, 'p1', locale, '2026-11-03').flatMap((block) =>
        block.type === 'paragraph' ? [block.paragraph.text] : [],
      );
    const swedish = intros('sv');
    expect(swedish).toHaveLength(2);
    for (const intro of swedish) expect(intro).toContain('Läget enligt åtgärdsplanen den 3 november 2026:');
    const english = intros('en');
    expect(english).toHaveLength(2);
    for (const intro of english) expect(intro).toContain('Status as recorded in the action plan on 3 November 2026:');
  });
});
