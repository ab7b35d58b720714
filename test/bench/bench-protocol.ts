// What the benchmark's parts share without importing each other's entry points (run-bench.ts and bench-server.ts run on import).
import { MEMORY_ENV, MEMORY_NODE_OPTIONS } from '../../src/memory-settings.js';
import type { BenchData } from './bench-data.js';

/** The line bench-server.ts prints once it serves; JSON of BenchServerReady follows on the same line. */
export const BENCH_READY_PREFIX = 'BENCH-READY ';

export type BenchServerReady = {
  readonly appUrl: string;
  readonly data: BenchData;
  readonly setupMs: number;
};

/** What a benchmark case module (e.g. test/bench/report-bench.ts) is handed: the running app, logged in. */
export type BenchContext = {
  readonly appUrl: string;
  /** Cookie header of the logged-in benchmark user. */
  readonly cookie: string;
  readonly data: BenchData;
};

// Every benchmark server process runs with the memory settings of the systemd unit and the image, MEMORY_ENV and
// MEMORY_NODE_OPTIONS (src/memory-settings.ts says why; test/server/production-start.test.ts checks that the unit and
// the image carry them). A minimum young generation of 16 MB as well was tried and left out: see
// docs/operations.md#memory.

/** How the benchmark's output names what its servers run with. */
export function describeServerSettings(): string {
  return [...Object.entries(MEMORY_ENV).map(([name, value]) => `${name}=${value}`), ...MEMORY_NODE_OPTIONS].join(' ');
}
