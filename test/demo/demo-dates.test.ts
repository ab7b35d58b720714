import { describe, expect, it } from 'vitest';
import {
  addMonths,
  createDemoDates,
  DEMO_STORY_NEWEST_DAY,
  DEMO_STORY_VISIT_DAY,
  findDemoMonthShift,
  findDemoYearShift,
} from '../../src/demo/demo-dates.js';

describe('findDemoMonthShift', () => {
  it('when the demo is seeded from the story’s newest day to a month later, then it keeps the story’s dates', () => {
    expect(DEMO_STORY_NEWEST_DAY).toBe('2026-11-16');
    expect(findDemoMonthShift('2026-11-16')).toBe(0);
    expect(findDemoMonthShift('2026-12-07')).toBe(0);
    expect(findDemoMonthShift('2026-12-15')).toBe(0);
  });

  it('when the demo is seeded later, then it moves the story by the most whole months that leave its newest day behind', () => {
    expect(findDemoMonthShift('2026-12-16')).toBe(1);
    expect(findDemoMonthShift('2027-03-15')).toBe(3);
    expect(findDemoMonthShift('2027-10-02')).toBe(10);
    expect(findDemoMonthShift('2027-11-16')).toBe(12);
    expect(findDemoMonthShift('2028-02-29')).toBe(15);
    expect(findDemoMonthShift('2029-05-10')).toBe(29);
  });

  it('when the demo is seeded before the story’s newest day, then it moves the story back', () => {
    expect(findDemoMonthShift('2026-11-15')).toBe(-1);
    expect(findDemoMonthShift('2026-01-20')).toBe(-10);
    expect(findDemoMonthShift('2025-06-01')).toBe(-18);
  });
});

describe('findDemoYearShift', () => {
  it('when the story’s visit stays in its year, then the outcome periods keep their years', () => {
    expect(DEMO_STORY_VISIT_DAY).toBe('2026-03-10');
    // Up to nine months on, the visit lies in June to December 2026: the periods stay 2024 and 2025.
    for (const months of [0, 1, 3, 9]) expect(findDemoYearShift(months)).toBe(0);
    // Two months back, the visit is in January 2026.
    expect(findDemoYearShift(-2)).toBe(0);
  });

  it('when the visit moves into another year, then the periods move by as many whole years', () => {
    expect(findDemoYearShift(10)).toBe(1);
    expect(findDemoYearShift(21)).toBe(1);
    expect(findDemoYearShift(22)).toBe(2);
    expect(findDemoYearShift(24)).toBe(2);
    expect(findDemoYearShift(29)).toBe(2);
    expect(findDemoYearShift(-3)).toBe(-1);
    expect(findDemoYearShift(-14)).toBe(-1);
    expect(findDemoYearShift(-15)).toBe(-2);
  });

  it('when the demo is seeded on any day, then its last outcome year ends before the moved visit and so before the seed day', () => {
    for (let months = -30; months <= 40; months += 1) {
      const lastYearEnd = addMonths('2025-12-31', findDemoYearShift(months) * 12);
      const visit = addMonths(DEMO_STORY_VISIT_DAY, months);
      expect(lastYearEnd < visit).toBe(true);
      // And it is the latest year that does: the year after it ends on or after the visit.
      expect(addMonths(lastYearEnd, 12) >= visit).toBe(true);
      expect(lastYearEnd < addMonths(DEMO_STORY_NEWEST_DAY, months)).toBe(true);
    }
  });
});

describe('addMonths', () => {
  it('when a day moves by whole months, then it keeps its day of month and its time, across years both ways', () => {
    expect(addMonths('2026-03-10', 3)).toBe('2026-06-10');
    expect(addMonths('2026-11-16', 2)).toBe('2027-01-16');
    expect(addMonths('2026-03-17T15:00:00.000Z', 10)).toBe('2027-01-17T15:00:00.000Z');
    expect(addMonths('2026-02-15', -3)).toBe('2025-11-15');
    expect(addMonths('2010-06-01', 0)).toBe('2010-06-01');
  });

  it('when the 31st moves into a 30-day month, then it becomes the 30th', () => {
    expect(addMonths('2025-12-31', 4)).toBe('2026-04-30');
    expect(addMonths('2026-03-31T09:00:00.000Z', -3)).toBe('2025-12-31T09:00:00.000Z');
    expect(addMonths('2026-05-31', 1)).toBe('2026-06-30');
  });

  it('when a late day moves into February, then it becomes February’s last day, the 29th only in a leap year', () => {
    expect(addMonths('2025-12-31', 2)).toBe('2026-02-28');
    expect(addMonths('2026-04-29T10:00:00.000Z', 10)).toBe('2027-02-28T10:00:00.000Z');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    // Every day the story could hold, moved by any month count, is a real day.
    for (let shift = -30; shift <= 30; shift += 1) {
      for (const day of ['2024-01-29', '2024-01-30', '2024-01-31', '2025-08-31']) {
        const moved = addMonths(day, shift);
        expect(new Date(`${moved}T00:00:00.000Z`).toISOString().slice(0, 10)).toBe(moved);
      }
    }
  });
});

describe('createDemoDates', () => {
  it('when the story is moved three months, then its days and the months, seasons and years its texts name move with it', () => {
    const dates = createDemoDates('2027-03-15');
    expect(dates.shift).toBe(3);
    expect(dates.periodShift).toBe(0);
    expect(dates.day('2026-03-10')).toBe('2026-06-10');
    expect(dates.day('2025-12-31')).toBe('2026-03-31');
    expect(dates.year('2026-10-12')).toBe('2027');
    expect(dates.month('2026-10-12')).toBe('januari');
    expect(dates.monthYear('2010-06-01')).toBe('september 2010');
    expect(dates.date('2026-04-20')).toBe('20 juli 2026');
    expect(dates.seasonYear('2024-10-01')).toBe('januari 2025');
    expect(dates.season('2025-07-01')).toBe('hösten');
  });

  it('when the story is moved by months, then its outcome periods move by whole years and stay calendar years', () => {
    // Three months on, the visit is in June 2026: the periods are still 2024 and 2025, read as years.
    const march = createDemoDates('2027-03-15');
    expect([march.periodDay('2025-01-01'), march.periodDay('2025-12-31')]).toEqual(['2025-01-01', '2025-12-31']);
    expect(march.periodDay('2026-01-26T10:00:00.000Z')).toBe('2026-01-26T10:00:00.000Z');
    expect(march.periodStart('2024-01-01')).toBe('2024');
    expect(march.period('2025-01-01', '2025-12-31')).toBe('2025');
    // Ten months on, the visit is in January 2027: they are 2025 and 2026.
    const october = createDemoDates('2027-10-02');
    expect([october.shift, october.periodShift]).toEqual([10, 1]);
    expect([october.periodDay('2025-01-01'), october.periodDay('2025-12-31')]).toEqual(['2026-01-01', '2026-12-31']);
    expect(october.periodDay('2026-01-26T10:00:00.000Z')).toBe('2027-01-26T10:00:00.000Z');
    expect(october.periodStart('2024-01-01')).toBe('2025');
    expect(october.period('2025-01-01', '2025-12-31')).toBe('2026');
    // A period that is no calendar year still names its months.
    expect(october.period('2024-07-01', '2025-06-30')).toBe('juli 2025–juni 2026');
    expect(october.periodStart('2024-07-01')).toBe('juli 2025');
  });

  it('when the story keeps its dates, then its texts read as written for 7 December 2026', () => {
    const dates = createDemoDates('2026-12-07');
    expect([dates.shift, dates.periodShift]).toEqual([0, 0]);
    expect(dates.seasonYear('2025-10-01')).toBe('hösten 2025');
    expect(dates.season('2025-10-01')).toBe('hösten');
    expect(dates.periodStart('2024-01-01')).toBe('2024');
    expect(dates.period('2025-01-01', '2025-12-31')).toBe('2025');
    expect(dates.date('2026-04-20')).toBe('20 april 2026');
    expect(dates.monthYear('2027-01-15')).toBe('januari 2027');
  });
});
