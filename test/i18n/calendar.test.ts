import { describe, expect, it } from 'vitest';
import { swedishDayOf, todayInSweden } from '../../src/i18n/calendar.js';

describe('todayInSweden', () => {
  it('is already the next day in Sweden while it is still yesterday in UTC (winter time, UTC+1)', () => {
    // 00:30 on 15 March in Stockholm.
    expect(todayInSweden(new Date('2026-03-14T23:30:00Z'))).toBe('2026-03-15');
    expect(todayInSweden(new Date('2026-03-14T22:59:59Z'))).toBe('2026-03-14');
  });

  it('follows summer time (UTC+2)', () => {
    expect(todayInSweden(new Date('2026-07-01T22:30:00Z'))).toBe('2026-07-02');
    expect(todayInSweden(new Date('2026-07-01T21:59:59Z'))).toBe('2026-07-01');
  });

  it('is the day overdue actions are judged by', () => {
    expect(todayInSweden(new Date('2026-12-31T23:15:00Z'))).toBe('2027-01-01');
  });
});

// todayInSweden keeps the day of each recent UTC hour: Stockholm's offset is whole hours and its switches fall on whole
// UTC hours, so that is exact. Each pair asks the earlier instant first, so a memo keyed too coarsely would answer
// the later one with the earlier one's day.
describe('todayInSweden, asked again within the same UTC hour', () => {
  const day = (iso: string) => todayInSweden(new Date(iso));

  it('when midnight in Sweden falls between two UTC hours in summer time (CEST), then each gets its own day', () => {
    expect(day('2026-06-30T21:59:59.999Z')).toBe('2026-06-30');
    expect(day('2026-06-30T22:00:00.000Z')).toBe('2026-07-01');
    expect(day('2026-06-30T22:59:59.999Z')).toBe('2026-07-01');
  });

  it('when midnight in Sweden falls between two UTC hours in winter time (CET), then each gets its own day, across a new year', () => {
    expect(day('2026-12-31T22:59:59.999Z')).toBe('2026-12-31');
    expect(day('2026-12-31T23:00:00.000Z')).toBe('2027-01-01');
    expect(day('2026-12-31T23:59:59.999Z')).toBe('2027-01-01');
  });

  it('when summer time starts (last Sunday of March, 01:00 UTC), then the days around it and the next midnight are right', () => {
    expect(day('2026-03-28T22:59:59.999Z')).toBe('2026-03-28');
    expect(day('2026-03-28T23:00:00.000Z')).toBe('2026-03-29');
    expect(day('2026-03-29T00:59:59.999Z')).toBe('2026-03-29');
    expect(day('2026-03-29T01:00:00.000Z')).toBe('2026-03-29');
    // Midnight is now 22:00 UTC, an hour earlier than the night before.
    expect(day('2026-03-29T21:59:59.999Z')).toBe('2026-03-29');
    expect(day('2026-03-29T22:00:00.000Z')).toBe('2026-03-30');
  });

  it('when summer time ends (last Sunday of October, 01:00 UTC), then the days around it and the next midnight are right', () => {
    expect(day('2026-10-24T21:59:59.999Z')).toBe('2026-10-24');
    expect(day('2026-10-24T22:00:00.000Z')).toBe('2026-10-25');
    expect(day('2026-10-25T00:59:59.999Z')).toBe('2026-10-25');
    expect(day('2026-10-25T01:00:00.000Z')).toBe('2026-10-25');
    // Midnight is now 23:00 UTC, an hour later than the night before.
    expect(day('2026-10-25T22:00:00.000Z')).toBe('2026-10-25');
    expect(day('2026-10-25T22:59:59.999Z')).toBe('2026-10-25');
    expect(day('2026-10-25T23:00:00.000Z')).toBe('2026-10-26');
  });

  it('when the same hour is asked twice with another hour in between, then it keeps its day', () => {
    expect(day('2026-06-30T22:10:00Z')).toBe('2026-07-01');
    expect(day('2026-06-30T21:10:00Z')).toBe('2026-06-30');
    expect(day('2026-06-30T22:50:00Z')).toBe('2026-07-01');
    expect(day('2026-06-30T21:50:00Z')).toBe('2026-06-30');
  });

  it('when more hours are asked than are kept, then an hour asked again still gets its own day', () => {
    const start = Date.UTC(2026, 5, 1, 0, 30);
    const expected = (hours: number) => (hours % 24 >= 22 ? 1 : 0);
    for (let hours = 0; hours < 24 * 5; hours++) {
      const asked = todayInSweden(new Date(start + hours * 3_600_000));
      expect(asked).toBe(`2026-06-0${1 + Math.floor(hours / 24) + expected(hours)}`);
    }
    expect(day('2026-06-01T22:45:00Z')).toBe('2026-06-02');
    expect(day('2026-06-01T21:45:00Z')).toBe('2026-06-01');
  });

  it('when an instant is from before Sweden kept whole-hour time (local mean time, +00:53), then its day is still right', () => {
    expect(day('1850-01-01T23:00:00Z')).toBe('1850-01-01');
    expect(day('1850-01-01T23:30:00Z')).toBe('1850-01-02');
  });

  it('when a stored instant is turned into its Swedish day, then the same hour rules hold', () => {
    expect(swedishDayOf('2026-12-31T22:59:59.999Z')).toBe('2026-12-31');
    expect(swedishDayOf('2026-12-31T23:00:00.000Z')).toBe('2027-01-01');
    expect(swedishDayOf('2026-12-31')).toBe('2026-12-31');
  });
});
