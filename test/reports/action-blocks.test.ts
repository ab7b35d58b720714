// The report's action tables: an open action past its due date is marked overdue against the day the parts describe
// the actions as of (the report model's actionsAsOf), which each part's intro names, so the mark follows from the data
// and the same data always gives the same PDF. The mark is the status itself, since the date it was due, as prominent
// as any other status; last round's statuses are said of the action, never as a goal reached. Which indicator a
// recommendation is about is read from its text (recommendation-progress.ts).
import { describe, expect, it } from 'vitest';
import type { LastRoundReportData } from '../../src/actions/report-part.js';
import type { Locale } from '../../src/i18n/locale.js';
import { buildActionBlocks } from '../../src/reports/action-blocks.js';
import { findNamedIndicator } from '../../src/reports/recommendation-progress.js';
import type { Block, TableBlock } from '../../src/reports/report-model-types.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';

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
    item('Avbruten efter datumet', 'dropped', '2025-12-31'),
  ],
};

function tables(blocks: readonly Block[]): TableBlock[] {
  return blocks.flatMap((block) => (block.type === 'table' ? [block] : []));
}

/** Each row's status cell, as text, and the style of its first paragraph. */
function statusCells(table: TableBlock | undefined): string[] {
  if (!table) throw new Error('no table');
  const column = table.columns.findIndex((c) => c.header === 'Status');
  return table.rows.map((row) => (row[column] ?? []).map((paragraph) => paragraph.text).join(' | '));
}

const build = (locale: Locale) => tables(buildActionBlocks({ lastRound, actionPlan: lastRound }, 'p1', locale, '2026-03-10', undefined));

describe('the action tables of the report', () => {
  it('when an open action is past its due date on the as-of day, then its status says overdue since that date; closed, undated and due-that-day ones do not', () => {
    const [last, plan] = build('sv');
    // Last round's statuses are the action's: "Klar" alone read as the goal reached.
    expect(statusCells(last)).toEqual([
      'Försenad, klar senast 2025-12-31 | Åtgärden pågår',
      'Åtgärden klar',
      'Åtgärden inte påbörjad',
      'Åtgärden pågår',
      'Åtgärden avbruten',
    ]);
    expect(statusCells(plan)).toEqual(['Försenad, klar senast 2025-12-31 | Pågår', 'Klar', 'Inte påbörjad', 'Pågår', 'Avbruten']);
    const [englishLast, englishPlan] = build('en');
    expect(statusCells(englishLast)).toEqual([
      'Overdue, due 2025-12-31 | Action in progress',
      'Action done',
      'Action not started',
      'Action in progress',
      'Action dropped',
    ]);
    expect(statusCells(englishPlan)).toEqual(['Overdue, due 2025-12-31 | In progress', 'Done', 'Not started', 'In progress', 'Dropped']);
  });

  it('when an action is overdue, then its mark is in the weight of any other status, not small print under it', () => {
    for (const table of build('sv')) {
      const column = table.columns.findIndex((c) => c.header === 'Status');
      const [overdue, done] = table.rows.map((row) => row[column] ?? []);
      expect(overdue?.[0]).toMatchObject({ text: 'Försenad, klar senast 2025-12-31', style: 'strong' });
      expect(overdue?.[1]?.style).toBe('body');
      expect(done?.[0]?.style).toBe('strong');
    }
  });

  it('when the parts are built, then each intro names the as-of day, in Swedish and in English', () => {
    const intros = (locale: 'sv' | 'en') =>
      buildActionBlocks({ lastRound, actionPlan: lastRound }, 'p1', locale, '2026-11-03', undefined).flatMap((block) =>
        block.type === 'paragraph' ? [block.paragraph.text] : [],
      );
    const swedish = intros('sv');
    expect(swedish).toHaveLength(2);
    for (const intro of swedish) expect(intro).toContain('Läget enligt åtgärdsplanen den 3 november 2026:');
    const english = intros('en');
    expect(english).toHaveLength(2);
    for (const intro of english) expect(intro).toContain('Status as recorded in the action plan on 3 November 2026:');
  });

  it('when the tables are built, then their columns fill the page width exactly', () => {
    for (const table of build('sv')) expect(table.columns.reduce((sum, column) => sum + column.share, 0)).toBeCloseTo(1, 9);
  });
});

/** The mini rubric's first section: C1.1 (“Alfa finns.”, “Alpha is present.”) and C1.2 (“Beta registreras.”). */
const rubricSection = (() => {
  const found = loadRubricFile(new URL('../fixtures/rubrics/mini-five.yaml', import.meta.url).pathname).rubric.sections[0];
  if (!found) throw new Error('no section');
  return found;
})();

describe('which indicator a recommendation is about', () => {
  it('when it quotes one indicator’s statement, in either language and however it is cased or spaced, then that indicator', () => {
    expect(findNamedIndicator(rubricSection, '”Beta  REGISTRERAS” nådde 2 av 5.')?.number).toBe('C1.2');
    expect(findNamedIndicator(rubricSection, 'Check that alpha is present in every file.')?.number).toBe('C1.1');
  });

  it('when it names one indicator’s number, then that indicator, but not a longer number that starts the same way', () => {
    expect(findNamedIndicator(rubricSection, 'Höj C1.2 till 4.')?.number).toBe('C1.2');
    expect(findNamedIndicator(rubricSection, 'Se C1.2, C1.20 gäller inte.')?.number).toBe('C1.2');
    expect(findNamedIndicator(rubricSection, 'Se C1.10, C1.21 och XC1.1.')).toBeUndefined();
  });

  it('when it names none, or more than one, then no indicator: the section’s mean stands for it', () => {
    expect(findNamedIndicator(rubricSection, 'Följ upp tiden från beslut till nycklar.')).toBeUndefined();
    expect(findNamedIndicator(rubricSection, 'C1.1 och C1.2 behöver en gemensam rutin.')).toBeUndefined();
  });
});
