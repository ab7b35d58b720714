// Where a page's CPU time goes beyond the floor's: `npx tsx test/bench/profile-pages.ts [part of a page's name]`.
// 1. In this process, over the benchmark's data: one request per page with every SQL statement it runs counted
//    (better-sqlite3's statement methods wrapped), the translations it looks up and its size.
// 2. One bench server with a V8 CPU profile, each page loaded for PROFILE_SECONDS (8) in windows that alternate with
//    the floor's: each sample is charged to the first frame from the top of its stack that says what the work is for
//    (SQL, rendering, translation, the page's own code, the stack), and shown in µs per request beside the floor.
// A diagnostic, not a yardstick: the profiler costs time itself, so the multiples come from `npm run bench`.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { createBenchApp } from './bench-app.js';
import { logIn, startBenchServer } from './bench-client.js';
import type { BenchData } from './bench-data.js';
import { FLOOR_CASE, listBenchCases, type BenchCase } from './bench-cases.js';

const PROFILE_SECONDS = Number(process.env.PROFILE_SECONDS ?? 8);
const PROFILE_WINDOWS = 4;
/** Requests per page over which the SQL statements are timed (after as many to warm up). */
const TIMED_REQUESTS = 50;
/** PROFILE_DETAIL=<part of a category's name>: list only that category's functions. */
const DETAIL = process.env.PROFILE_DETAIL;

type Counts = Map<string, number>;
const bump = (counts: Counts, key: string, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by);

/** Statement counts and translation lookups of one request to each page, in this process. */
async function countPerRequest(cases: readonly BenchCase[]): Promise<void> {
  const bench = await createBenchApp();
  const statements: Counts = new Map();
  /** Nanoseconds in each statement (its rows made into objects included), over TIMED_REQUESTS requests. */
  const statementNanos: Counts = new Map();
  const translations: Counts = new Map();
  // Every statement of the app shares one prototype: wrapping its methods counts and times each execution with its SQL.
  const prototype = Object.getPrototypeOf(bench.db.prepare('SELECT 1')) as Record<string, unknown>;
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = prototype[method] as (this: { source: string }, ...args: unknown[]) => unknown;
    prototype[method] = function (this: { source: string }, ...args: unknown[]) {
      const sql = this.source.replace(/\s+/g, ' ').trim();
      bump(statements, sql);
      const started = process.hrtime.bigint();
      const result = original.apply(this, args);
      bump(statementNanos, sql, Number(process.hrtime.bigint() - started));
      return result;
    };
  }
  // The app mounted in one that wraps the translator the locale middleware sets on the request and its locals.
  const outer = express();
  type Translate = (key: string, params?: unknown) => string;
  const counting = new WeakSet<Translate>();
  outer.use((req: Request, res: Response, next: NextFunction) => {
    const wrap = (target: object) => {
      let wrapped: Translate | undefined;
      Object.defineProperty(target, 't', {
        configurable: true,
        // Enumerable, as a plain property: renderPage spreads res.locals into the view's locals.
        enumerable: true,
        get: () => wrapped,
        set: (t: Translate) => {
          // res.locals.t is set to req.t, which is counted already.
          if (counting.has(t)) {
            wrapped = t;
            return;
          }
          wrapped = (key, params) => {
            bump(translations, key);
            return t(key, params);
          };
          counting.add(wrapped);
        },
      });
    };
    wrap(req);
    res.locals = Object.create(null) as Record<string, unknown>;
    wrap(res.locals);
    next();
  });
  outer.use(bench.app);
  const server = outer.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const cookie = await logIn(url, bench.data.email, bench.data.password);
    for (const benchCase of cases) {
      const get = () => fetch(`${url}${benchCase.path}`, { headers: { cookie }, redirect: 'manual' });
      for (let warm = 0; warm < TIMED_REQUESTS; warm++) await (await get()).text();
      statementNanos.clear();
      for (let timed = 0; timed < TIMED_REQUESTS; timed++) await (await get()).text();
      statements.clear();
      translations.clear();
      const response = await get();
      const html = await response.text();
      const total = (counts: Counts) => [...counts.values()].reduce((sum, n) => sum + n, 0);
      console.log(
        `\n${benchCase.name} (${response.status}): ${Buffer.byteLength(html)} bytes, ${total(statements)} SQL statements, ${total(translations)} translations (${translations.size} keys)`,
      );
      const micros = (sql: string) => (statementNanos.get(sql) ?? 0) / TIMED_REQUESTS / 1000;
      console.log(`  ${[...statements.keys()].reduce((sum, sql) => sum + micros(sql), 0).toFixed(0)} µs in SQL, measured alone:`);
      for (const [sql, n] of [...statements].sort((a, b) => micros(b[0]) - micros(a[0]))) {
        console.log(`  ${String(n).padStart(3)} × ${micros(sql).toFixed(0).padStart(4)} µs  ${sql.slice(0, 130)}`);
      }
    }
  } finally {
    server.close();
    await bench.dispose();
  }
}

type ProfileNode = {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
};
type CpuProfile = {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
};

/** What a frame's work is for, or undefined for a frame that says nothing (Node's internals, natives): look further down. */
function categoryOf(frame: ProfileNode['callFrame']): string | undefined {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8/native, unattributed';
    if (functionName === '(idle)') return 'idle';
    return undefined;
  }
  if (url.includes('/node_modules/ejs/')) return 'template compile (one-off)';
  if (url.endsWith('.ejs') || url.includes('/src/http/view-renderer.ts') || url.includes('/src/http/render-page.ts'))
    return 'rendering (EJS)';
  if (url.includes('/node_modules/better-sqlite3/') || /-store\.ts$/.test(url)) return 'SQL (stores)';
  if (url.includes('/src/i18n/')) return 'translation';
  if (url.includes('/src/http/') || url.includes('/src/accounts/') || url.endsWith('/src/app.ts') || url.includes('/src/sign-on/'))
    return 'stack (our middleware)';
  if (url.includes('/src/')) return "page's own code (routes, view models)";
  if (url.includes('/node_modules/')) return 'stack (express, session, libraries)';
  return undefined;
}

/** Where the samples of some windows went: µs per category and per function (its own time), and the requests answered. */
type Tally = { readonly categories: Counts; readonly functions: Counts; busyMicros: number; requests: number };
const newTally = (): Tally => ({ categories: new Map(), functions: new Map(), busyMicros: 0, requests: 0 });

/** A stretch of load on one page: [from, to) on the monotonic clock in µs, which V8's profile timestamps share. */
type LoadWindow = { readonly tally: Tally; readonly from: number; readonly to: number };

function tallyProfile(profile: CpuProfile, windows: readonly LoadWindow[]): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  let time = profile.startTime;
  profile.samples.forEach((sample, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    time += micros;
    const tally = windows.find((w) => time >= w.from && time < w.to)?.tally;
    const leaf = byId.get(sample);
    if (!tally || !leaf) return;
    let category: string | undefined;
    for (let id: number | undefined = sample; id !== undefined && category === undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node) category = categoryOf(node.callFrame);
    }
    category ??= 'Node internals (sockets, HTTP parser, timers)';
    if (category === 'idle') return;
    tally.busyMicros += micros;
    bump(tally.categories, category, micros);
    const { functionName, url, lineNumber } = leaf.callFrame;
    const place = url.replace(/^.*\/(node_modules|src|views)\//, '$1/');
    bump(tally.functions, `${functionName || '(anonymous)'} ${place}:${lineNumber + 1} [${category}]`, micros);
  });
}

const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * One bench server with a CPU profile; each page loaded in PROFILE_WINDOWS windows of PROFILE_SECONDS / PROFILE_WINDOWS
 * that alternate with windows of the floor (as `npm run bench` does), so both sides see the same machine. The samples
 * are told apart by their time.
 */
async function profileCases(cases: readonly BenchCase[]): Promise<Map<BenchCase, { page: Tally; floor: Tally }>> {
  const file = join(tmpdir(), 'hf-profile-pages.cpuprofile');
  const server = await startBenchServer({ BENCH_CPU_PROFILE: file });
  // Each page beside its own floor windows: the machine's speed drifts between pages.
  const pages = new Map(cases.map((c) => [c, { page: newTally(), floor: newTally() }]));
  const windows: LoadWindow[] = [];
  const seconds = PROFILE_SECONDS / PROFILE_WINDOWS;
  try {
    const cookie = await logIn(server.appUrl, server.data.email, server.data.password);
    const load = async (benchCase: BenchCase, tally: Tally | undefined) => {
      const from = monotonicMicros();
      const result = await autocannon({
        url: `${server.appUrl}${benchCase.path}`,
        connections: 10,
        duration: seconds,
        headers: { cookie },
      });
      if (!tally) return;
      windows.push({ tally, from, to: monotonicMicros() });
      tally.requests += result.requests.total;
    };
    for (const [benchCase, { page, floor }] of pages) {
      // Unmeasured warm-up of both, as in the benchmark: the templates compile and the code is optimised.
      await load(benchCase, undefined);
      await load(FLOOR_CASE, undefined);
      for (let window = 0; window < PROFILE_WINDOWS; window++) {
        const pair = [() => load(benchCase, page), () => load(FLOOR_CASE, floor)];
        for (const run of window % 2 === 0 ? pair : pair.reverse()) await run();
      }
    }
  } finally {
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await exited;
  }
  console.log(`\nprofile: ${file}`);
  tallyProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, windows);
  return pages;
}

function printBreakdown(name: string, page: Tally, floor: Tally): void {
  const per = (micros: number | undefined, tally: Tally) => (micros ?? 0) / tally.requests;
  const names = [...new Set([...page.categories.keys(), ...floor.categories.keys()])].sort(
    (a, b) => per(page.categories.get(b), page) - per(page.categories.get(a), page),
  );
  const row = (label: string, a: number, b: number) =>
    console.log(`  ${label.padEnd(48)} ${a.toFixed(0).padStart(6)} ${b.toFixed(0).padStart(6)} ${(a - b).toFixed(0).padStart(6)}`);
  console.log(`\n${name}: µs per request of the main thread, under the profiler (${page.requests} requests; the floor ${floor.requests})`);
  console.log(`  ${'what'.padEnd(48)} ${'page'.padStart(6)} ${'floor'.padStart(6)} ${'beyond'.padStart(6)}`);
  for (const category of names) row(category, per(page.categories.get(category), page), per(floor.categories.get(category), floor));
  row('total', per(page.busyMicros, page), per(floor.busyMicros, floor));
  console.log('  the functions with the most time of their own beyond the floor:');
  const functions = [...page.functions.keys()]
    .map((fn) => ({ fn, beyond: per(page.functions.get(fn), page) - per(floor.functions.get(fn), floor) }))
    .filter(({ fn }) => DETAIL === undefined || fn.includes(DETAIL))
    .sort((a, b) => b.beyond - a.beyond)
    .slice(0, 20);
  for (const { fn, beyond } of functions) console.log(`    ${beyond.toFixed(1).padStart(6)} µs  ${fn}`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  // The cases need the data's ids, which are the same in every build of it (the data is deterministic).
  const probe = await createBenchApp();
  const data: BenchData = probe.data;
  await probe.dispose();
  const cases = listBenchCases(data).filter((c) => only === undefined || c.name.includes(only));
  await countPerRequest([FLOOR_CASE, ...cases]);
  if (process.env.PROFILE_SECONDS === '0') return;
  for (const [benchCase, { page, floor }] of await profileCases(cases)) printBreakdown(benchCase.name, page, floor);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
