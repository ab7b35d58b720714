// What the benchmark's parts share without importing each other's entry points (run-bench.ts and bench-server.ts run on import).
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

/**
 * The environment every benchmark server process runs with, as the systemd unit and the image give it
 * (docs/operations.md#memory; test/server/production-start.test.ts checks that they carry it). glibc's malloc keeps up
 * to 8 arenas per core, and after the first 19 MiB argon2 block is freed it raises its threshold for mapping large
 * blocks alone, so every later one stays in the arena of the libuv thread that hashed it: a server that has checked
 * passwords on 4 threads kept about 76 MB it did not use. MALLOC_ARENA_MAX=2 shares two arenas among the threads;
 * MALLOC_MMAP_THRESHOLD_=131072 fixes the threshold at glibc's default, so each block over 128 KiB is mapped alone and
 * given back to the system when freed.
 */
export const BENCH_SERVER_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/**
 * The node options every benchmark server process starts with: those of the systemd unit and the image
 * (test/server/production-start.test.ts checks that they carry them). --max-semi-space-size=16: Node 24's V8 lets the
 * young generation grow to twice Node 20's (64 MB of new space against 32), which kept about 100 MB more after the
 * research pages; 16 MB is Node 20's own size. (A minimum of 16 MB as well was tried and left out: see
 * docs/operations.md#memory.)
 */
export const BENCH_SERVER_NODE_OPTIONS = ['--max-semi-space-size=16'] as const;

/** How the benchmark's output names what its servers run with. */
export function describeServerSettings(): string {
  return [...Object.entries(BENCH_SERVER_ENV).map(([name, value]) => `${name}=${value}`), ...BENCH_SERVER_NODE_OPTIONS].join(' ');
}
