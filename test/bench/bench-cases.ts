// The pages `npm run bench` loads, with their targets: shared by run-bench.ts and profile-pages.ts.
import type { BenchData } from './bench-data.js';

/**
 * One page under load. Later features add their pages as one line each in listBenchCases. `maxTimesFloor` is the
 * page's target for its CPU time per request against the floor's; a page without one is held to the p99 target only.
 */
export type BenchCase = {
  readonly name: string;
  readonly path: string;
  readonly status?: number;
  readonly maxTimesFloor?: number;
};

/** The floor: what every page pays before doing any work of its own. */
export const FLOOR_CASE: BenchCase = { name: 'floor: logged-in 404 page', path: '/no-such-page', status: 404 };

export function listBenchCases(data: BenchData): BenchCase[] {
  const { reviewIds } = data;
  return [
    { name: 'review overview', path: `/reviews/${reviewIds.consensus}`, maxTimesFloor: 2 },
    { name: 'rating form', path: `/reviews/${reviewIds.rating}/rate/${data.firstSectionId}`, maxTimesFloor: 2 },
    { name: 'consensus view', path: `/reviews/${reviewIds.consensus}/consensus` },
    { name: 'consensus section page', path: `/reviews/${reviewIds.consensus}/consensus/${data.firstSectionId}`, maxTimesFloor: 2 },
    { name: 'result page', path: `/reviews/${reviewIds.final}/result`, maxTimesFloor: 2.5 },
  ];
}
