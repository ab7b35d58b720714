// `npm run bench`: loads the main pages of the app as a logged-in user with autocannon and compares each with
// the baseline (plain express + a static EJS page of the same size), measured in the same run.
// Method (see the stack notes): short windows, app and baseline interleaved in alternating order, and the
// median of the per-window ratios, because a single long run varies by almost 2x on a shared machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchData } from './bench-data.js';
import { BENCH_READY_PREFIX, type BenchContext, type BenchServerReady } from './bench-protocol.js';

const CONNECTIONS = 10;
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 5);
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 2);
const WARMUP_SECONDS = 1;
/** Targets from the issue: every page at least this share of the baseline's requests per second … */
const MIN_RATIO = 0.4;
/** … and a 99th percentile latency below this many milliseconds. */
const MAX_P99_MS = 100;

const SERVER_SCRIPT = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
const REPORT_BENCH = fileURLToPath(new URL('./report-bench.ts', import.meta.url));
const RESEARCH_BENCH = fileURLToPath(new URL('../research/research-bench.ts', import.meta.url));

/**
 * One page under load. Later features add their pages to the list built in listBenchCases. A reference case
 * is measured and shown the same way but not held to the targets (it explains the others).
 */
export type BenchCase = { readonly name: string; readonly path: string; readonly status?: number; readonly reference?: boolean };

type WindowResult = {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** CPU time the server process spent per request (all its threads), from /proc: steadier than requests/s on a shared machine. */
  readonly cpuMicrosPerRequest: number | undefined;
};

export type CaseResult = {
  readonly name: string;
  readonly reference: boolean;
  readonly bytes: number;
  readonly app: WindowResult;
  readonly baseline: WindowResult;
  readonly ratio: number;
  readonly meetsTargets: boolean;
};

export function listBenchCases(data: BenchData): BenchCase[] {
  const { reviewIds } = data;
  return [
    { name: 'review overview', path: `/reviews/${reviewIds.consensus}` },
    { name: 'rating form', path: `/reviews/${reviewIds.rating}/rate/${data.firstSectionId}` },
    { name: 'consensus view', path: `/reviews/${reviewIds.consensus}/consensus` },
    { name: 'consensus section page', path: `/reviews/${reviewIds.consensus}/consensus/${data.firstSectionId}` },
    { name: 'result page', path: `/reviews/${reviewIds.final}/result` },
    // What every page pays before its own work: security headers, session and user, language, CSRF token, all
    // routers, the layout. The smallest page through the whole stack is the 404 page of a logged-in user.
    { name: 'reference: logged-in 404 page', path: '/no-such-page', status: 404, reference: true },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function startBenchServer(): Promise<BenchServerReady & { child: ChildProcess }> {
  // A separate process: the load generator must not share the server's event loop.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(BENCH_READY_PREFIX));
      if (line) resolve({ child, ...(JSON.parse(line.slice(BENCH_READY_PREFIX.length)) as BenchServerReady) });
    });
  });
}

/** Logs in through the real login form and returns the session cookie. */
async function logIn(appUrl: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${appUrl}/login`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error('no CSRF token on the login page');
  const response = await fetch(`${appUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith('hf.sid='))?.split(';')[0];
  if (response.status !== 303 || !session) throw new Error(`benchmark login failed: ${response.status}`);
  return session;
}

/** CPU milliseconds (user + system, all threads) a process has used so far, or undefined where /proc is missing. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name: utime and stime are the 14th and 15th fields, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

async function loadWindow(url: string, cookie: string, seconds: number, serverPid: number | undefined, status = 200): Promise<WindowResult> {
  const cpuBefore = processCpuMs(serverPid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie } });
  const cpuAfter = processCpuMs(serverPid);
  // A redirect to the login page or an error page would be fast and meaningless: count only the expected answers.
  const expected = (result.statusCodeStats as Record<string, { count: number } | undefined>)[String(status)]?.count ?? 0;
  if (expected !== result.requests.total || result.errors > 0) {
    throw new Error(`${url}: ${result.requests.total - expected} answers other than ${status} and ${result.errors} errors under load`);
  }
  const cpuMicrosPerRequest =
    cpuBefore !== undefined && cpuAfter !== undefined && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : undefined;
  return { requestsPerSecond: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, cpuMicrosPerRequest };
}

async function measureCase(context: BenchContext, benchCase: BenchCase, serverPid: number | undefined): Promise<CaseResult> {
  const appUrl = `${context.appUrl}${benchCase.path}`;
  const status = benchCase.status ?? 200;
  const probe = await fetch(appUrl, { headers: { cookie: context.cookie }, redirect: 'manual' });
  if (probe.status !== status) throw new Error(`${benchCase.name}: GET ${benchCase.path} gave ${probe.status}`);
  const bytes = Buffer.byteLength(await probe.text());
  const baselineUrl = `${context.baselineUrl}/page?bytes=${bytes}`;
  const loadApp = (seconds: number) => loadWindow(appUrl, context.cookie, seconds, serverPid, status);
  const loadBaseline = (seconds: number) => loadWindow(baselineUrl, '', seconds, serverPid);
  await loadApp(WARMUP_SECONDS);
  await loadBaseline(WARMUP_SECONDS);
  const app: WindowResult[] = [];
  const baseline: WindowResult[] = [];
  for (let window = 0; window < WINDOWS; window++) {
    // Alternate which goes first, so a drift in the machine's speed does not favour one side.
    if (window % 2 === 0) {
      app.push(await loadApp(WINDOW_SECONDS));
      baseline.push(await loadBaseline(WINDOW_SECONDS));
    } else {
      baseline.push(await loadBaseline(WINDOW_SECONDS));
      app.push(await loadApp(WINDOW_SECONDS));
    }
  }
  const cpuValues = (windows: readonly WindowResult[]) => windows.map((w) => w.cpuMicrosPerRequest).filter((v): v is number => v !== undefined);
  const summarize = (windows: readonly WindowResult[]): WindowResult => ({
    requestsPerSecond: median(windows.map((w) => w.requestsPerSecond)),
    p50: median(windows.map((w) => w.p50)),
    p99: median(windows.map((w) => w.p99)),
    cpuMicrosPerRequest: cpuValues(windows).length === windows.length ? median(cpuValues(windows)) : undefined,
  });
  const ratio = median(app.map((w, i) => w.requestsPerSecond / (baseline[i]?.requestsPerSecond ?? Number.NaN)));
  const appSummary = summarize(app);
  return {
    name: benchCase.name,
    reference: benchCase.reference === true,
    bytes,
    app: appSummary,
    baseline: summarize(baseline),
    ratio,
    meetsTargets: benchCase.reference === true || (ratio >= MIN_RATIO && appSummary.p99 < MAX_P99_MS),
  };
}

export function formatTable(results: readonly CaseResult[]): string {
  const header = ['page', 'KB', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', '× stack', 'baseline req/s', 'baseline p99 ms', 'baseline CPU µs/req', 'app/baseline', 'targets'];
  const micros = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));
  // A page's CPU per request against the reference row's (the whole stack doing no work of its own).
  const stackMicros = results.find((r) => r.reference)?.app.cpuMicrosPerRequest;
  const timesStack = (value: number | undefined) => (value === undefined || stackMicros === undefined ? '–' : `${(value / stackMicros).toFixed(1)}×`);
  const rows = results.map((r) => [
    r.name,
    (r.bytes / 1024).toFixed(1),
    r.app.requestsPerSecond.toFixed(0),
    r.app.p50.toFixed(1),
    r.app.p99.toFixed(1),
    micros(r.app.cpuMicrosPerRequest),
    timesStack(r.app.cpuMicrosPerRequest),
    r.baseline.requestsPerSecond.toFixed(0),
    r.baseline.p99.toFixed(1),
    micros(r.baseline.cpuMicrosPerRequest),
    `${(r.ratio * 100).toFixed(0)} %`,
    r.reference ? '(reference)' : r.meetsTargets ? 'met' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The PDF report's own benchmark (issue 3), run in the same session when that file exists. */
async function runReportBenchIfPresent(context: BenchContext): Promise<void> {
  if (!existsSync(REPORT_BENCH)) {
    console.log('\n(report benchmark: test/bench/report-bench.ts does not exist yet, skipped)');
    return;
  }
  const module = (await import(new URL('./report-bench.ts', import.meta.url).href)) as {
    runReportBench?: (context: BenchContext) => Promise<unknown>;
  };
  if (typeof module.runReportBench !== 'function') throw new Error('test/bench/report-bench.ts does not export runReportBench()');
  console.log('');
  await module.runReportBench(context);
}

/**
 * The research benchmark (issue 6: 290 municipalities × 10 rounds, about 700,000 ratings; comparison page, CSV
 * export speed and server memory, agreement statistics). It builds its own data set and servers, so it runs as a
 * child process after the page benchmarks; its misses count like theirs.
 */
function runResearchBench(): Promise<boolean> {
  console.log('\nresearch benchmark (test/research/research-bench.ts)');
  const child = spawn(process.execPath, ['--import', 'tsx', RESEARCH_BENCH], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code === 0));
  });
}

async function runBench(): Promise<boolean> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`hf-fidelity benchmark · ${cpus().length} cores, ${cpu} · Node ${process.version}`);
  console.log(`autocannon: ${CONNECTIONS} connections, ${WINDOWS} interleaved windows of ${WINDOW_SECONDS} s per side after ${WARMUP_SECONDS} s warm-up`);
  const server = await startBenchServer();
  try {
    const { data } = server;
    console.log(
      `data: ${data.counts.municipalities} municipalities, ${data.counts.reviews} reviews, ${data.counts.ratings} ratings (built in ${(server.setupMs / 1000).toFixed(1)} s)`,
    );
    const context: BenchContext = { appUrl: server.appUrl, baselineUrl: server.baselineUrl, cookie: await logIn(server.appUrl, data.email, data.password), data };
    const results: CaseResult[] = [];
    for (const benchCase of listBenchCases(data)) {
      process.stdout.write(`measuring ${benchCase.name} …\n`);
      results.push(await measureCase(context, benchCase, server.child.pid));
    }
    console.log('');
    console.log(formatTable(results));
    console.log(`\ntargets: every page ≥ ${MIN_RATIO * 100} % of the baseline's requests/s (median of per-window ratios) and p99 < ${MAX_P99_MS} ms`);
    console.log('CPU µs/req: CPU time of the server process (all threads) per request, median of the windows; × stack: that CPU time against the reference row');
    console.log('the reference row (the smallest page through the whole stack) is not held to the targets');
    const allMet = results.every((r) => r.meetsTargets);
    console.log(allMet ? 'all targets met' : `targets MISSED: ${results.filter((r) => !r.meetsTargets).map((r) => r.name).join(', ')}`);
    await runReportBenchIfPresent(context);
    server.child.kill('SIGTERM');
    const researchMet = await runResearchBench();
    return allMet && researchMet;
  } finally {
    server.child.kill('SIGTERM');
  }
}

runBench().then(
  (allMet) => {
    process.exitCode = allMet ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
