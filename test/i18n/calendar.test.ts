import { describe, expect, it } from 'vitest';
import { todayIso } from '../../src/actions/action-status.js';
import { todayInSweden } from '../../src/i18n/calendar.js';

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
    expect(todayIso(new Date('2026-12-31T23:15:00Z'))).toBe('2027-01-01');
  });
});
