import { describe, expect, it } from 'vitest';
import { createDemoYears, DEMO_STORY_NEWEST_DAY, findDemoYearShift } from '../../src/demo/demo-years.js';

describe('findDemoYearShift', () => {
  it('when the demo is seeded on or after the story’s newest day in 2026, then it keeps the story’s years', () => {
    expect(DEMO_STORY_NEWEST_DAY).toBe('2026-11-16');
    expect(findDemoYearShift('2026-11-16')).toBe(0);
    expect(findDemoYearShift('2026-12-07')).toBe(0);
    expect(findDemoYearShift('2027-11-15')).toBe(0);
  });

  it('when the demo is seeded later, then it moves the story by the most whole years that leave its newest day behind', () => {
    expect(findDemoYearShift('2027-11-16')).toBe(1);
    expect(findDemoYearShift('2029-05-10')).toBe(2);
    expect(findDemoYearShift('2029-12-10')).toBe(3);
    expect(findDemoYearShift('2028-02-29')).toBe(1);
  });

  it('when the demo is seeded before the story’s newest day, then it moves the story back', () => {
    expect(findDemoYearShift('2026-11-15')).toBe(-1);
    expect(findDemoYearShift('2025-06-01')).toBe(-2);
  });
});

describe('createDemoYears', () => {
  it('when the story is moved two years, then days, instants and the years its texts name move with it', () => {
    const years = createDemoYears('2029-05-10');
    expect(years.shift).toBe(2);
    expect(years.day('2026-03-10')).toBe('2028-03-10');
    expect(years.day('2026-03-17T15:00:00.000Z')).toBe('2028-03-17T15:00:00.000Z');
    expect(years.day('2010-06-01')).toBe('2012-06-01');
    expect(years.text('sedan hösten 2025. Den ena tillsattes 20 april 2026, över 20 deltagare, 7,5 hp')).toBe(
      'sedan hösten 2027. Den ena tillsattes 20 april 2028, över 20 deltagare, 7,5 hp',
    );
    expect(years.text('Verksamhetsplan 2026\nUppföljning av utfall 2025')).toBe('Verksamhetsplan 2028\nUppföljning av utfall 2027');
  });

  it('when a story date is 29 February, then it refuses it: a moved year may have no such day', () => {
    expect(() => createDemoYears('2029-05-10').day('2024-02-29')).toThrow(/29 February/);
    expect(createDemoYears('2029-05-10').day('2024-02-28')).toBe('2026-02-28');
  });
});
