// What the benchmark's parts share without importing each other's entry points (run-bench.ts and bench-server.ts run on import).
import type { BenchData } from './bench-data.js';

/** The line bench-server.ts prints once it serves; JSON of BenchServerReady follows on the same line. */
export const BENCH_READY_PREFIX = 'BENCH-READY ';

export type BenchServerReady = {
  readonly appUrl: string;
  readonly baselineUrl: string;
  readonly data: BenchData;
  readonly setupMs: number;
};

/** What a benchmark case module (e.g. test/bench/report-bench.ts) is handed: the running app, logged in. */
export type BenchContext = {
  readonly appUrl: string;
  readonly baselineUrl: string;
  /** Cookie header of the logged-in benchmark user. */
  readonly cookie: string;
  readonly data: BenchData;
};
