import { describe, expect, it } from 'vitest';
import { computeOutcomeFigures, periodsOverlap } from '../../src/outcomes/retention.js';
import { buildOutcomePeriodView } from '../../src/outcomes/outcome-view.js';
import { NO_DETAILS } from '../../src/outcomes/outcome-store.js';

const counts = { movedIn: 29, stillFirstFlat: 18, stillInProgram: 21, firstHandLeases: 5, clients: 40, caseManagers: 5 };

describe('computeOutcomeFigures', () => {
  it('computes both retention figures and the first-hand lease share over everyone who moved in', () => {
    const figures = computeOutcomeFigures(counts);
    expect(figures.housingRetention).toBeCloseTo((18 / 29) * 100, 10);
    expect(figures.programRetention).toBeCloseTo((21 / 29) * 100, 10);
    expect(figures.firstHandLeaseShare).toBeCloseTo((5 / 29) * 100, 10);
    expect(figures.clientsPerCaseManager).toBe(8);
  });

  it('gives no figure (null, not 0 %) when its denominator is 0', () => {
    const figures = computeOutcomeFigures({
      ...counts,
      movedIn: 0,
      stillFirstFlat: 0,
      stillInProgram: 0,
      firstHandLeases: 0,
      caseManagers: 0,
    });
    expect(figures).toEqual({ housingRetention: null, programRetention: null, firstHandLeaseShare: null, clientsPerCaseManager: null });
  });

  it('handles part-time case managers', () => {
    expect(computeOutcomeFigures({ ...counts, clients: 25, caseManagers: 2.5 }).clientsPerCaseManager).toBe(10);
  });
});

describe('periodsOverlap', () => {
  it('counts a shared day as overlap, and adjacent periods as none', () => {
    expect(periodsOverlap({ start: '2025-01-01', end: '2025-06-30' }, { start: '2025-06-30', end: '2025-12-31' })).toBe(true);
    expect(periodsOverlap({ start: '2025-01-01', end: '2025-06-30' }, { start: '2025-07-01', end: '2025-12-31' })).toBe(false);
    expect(periodsOverlap({ start: '2025-03-01', end: '2025-03-31' }, { start: '2025-01-01', end: '2025-12-31' })).toBe(true);
  });
});

describe('buildOutcomePeriodView', () => {
  it('formats the shares with their fractions for the locale', () => {
    const period = {
      ...counts,
      id: 1,
      programId: 1,
      periodStart: '2010-01-01',
      periodEnd: '2014-12-31',
      evictions: 2,
      complaints: 7,
      note: '',
      updatedAt: '',
      version: 1,
      kind: 'period' as const,
      details: NO_DETAILS,
    };
    const sv = buildOutcomePeriodView(period, 'sv');
    expect(sv.housingRetention).toBe('18 / 29 (62\u00a0%)');
    expect(sv.programRetention).toBe('21 / 29 (72\u00a0%)');
    expect(sv.firstHandLeaseShare).toBe('5 / 29 (17\u00a0%)');
    expect(sv.clientsPerCaseManager).toBe('8,0');
    expect(buildOutcomePeriodView({ ...period, caseManagers: 2.5 }, 'en').caseManagers).toBe('2.5');
    expect(buildOutcomePeriodView({ ...period, caseManagers: 2.25 }, 'sv').caseManagers).toBe('2,25');
  });
});
