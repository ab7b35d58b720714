// The research benchmark of issue 6: 290 municipalities × 10 rounds on the shipped rubric with 4 raters
// (about 700,000 ratings). Measures the comparison page's median, the CSV export's rows per second and the
// server's resident memory while it streams, and the agreement statistics over everything.
//   npx tsx test/research/research-bench.ts            (prints one line per target and exits 1 if one is missed)
// The server runs in a child process (node --import tsx) so its memory is its own; Linux only (/proc).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../../src/accounts/passwords.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { computeRubricAgreement } from '../../src/research/rubric-agreement.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import { generateBenchData } from './research-bench-data.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARGETS = { pageMedianMs: 300, exportRowsPerSecond: 100_000, serverRssMb: 200, agreementMs: 2000 } as const;
const EMAIL = 'research-bench@example.org';
const PASSWORD = 'research-bench-password';
const PAGE_SAMPLES = 21;

const directory = mkdtempSync(join(tmpdir(), 'hf-research-bench-'));
const file = join(directory, 'bench.db');

/** Generates the data set (through the import path), then times the agreement statistics over all of it. */
async function prepare(): Promise<{ ratings: number; agreementMs: number }> {
  const db = openDatabase(file);
  try {
    migrate(db);
    const users = createUserStore(db);
    const userId = users.insertUser({ email: EMAIL, displayName: 'Bench', affiliation: '', passwordHash: await hashPassword(PASSWORD), roles: ['admin', 'researcher'] });
    const loaded = loadRubricFile(join(ROOT, 'rubrics/bostad-forst.yaml'));
    const reviews = createReviewStore(db);
    const ratings = generateBenchData(db, reviews, loaded, { municipalities: 290, rounds: 10, raters: 4, importedBy: userId });
    const started = performance.now();
    await computeRubricAgreement(createResearchStore(db, reviews), { rubricId: loaded.rubric.id, kind: undefined, year: undefined });
    return { ratings, agreementMs: performance.now() - started };
  } finally {
    db.close();
  }
}

type Server = { base: string; pid: number; stop(): void; rssMb(): number };

async function startServer(): Promise<Server> {
  const script = join(directory, 'server.ts');
  writeFileSync(
    script,
    `import { createApp } from ${JSON.stringify(join(ROOT, 'src/app.ts'))};
     import { defaultHttpConfig } from ${JSON.stringify(join(ROOT, 'src/config.ts'))};
     import { openDatabase } from ${JSON.stringify(join(ROOT, 'src/db/open-database.ts'))};
     import { loadRubricFile } from ${JSON.stringify(join(ROOT, 'src/rubrics/load-rubrics.ts'))};
     const db = openDatabase(${JSON.stringify(file)});
     const loaded = loadRubricFile(${JSON.stringify(join(ROOT, 'rubrics/bostad-forst.yaml'))});
     const app = createApp({ db, config: { ...defaultHttpConfig(), sessionSecret: 'research-bench-secret-research-bench', logRequests: false, viewCache: true }, rubrics: new Map([[loaded.rubric.id, loaded]]) });
     const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (data) => {
      const match = /PORT (\d+)/.exec(String(data));
      if (match?.[1]) resolve(match[1]);
    });
  });
  const pid = child.pid ?? 0;
  return {
    base: `http://127.0.0.1:${port}`,
    pid,
    stop: () => child.kill(),
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
  };
}

async function logIn(base: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  let cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ _csrf: token, email: EMAIL, password: PASSWORD }),
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
  cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || cookie;
  return cookie;
}

/** Streams the export on a fresh server, sampling the server's resident memory every 20 ms. */
async function measureExport(): Promise<{ rows: number; rowsPerSecond: number; peakRssMb: number; idleRssMb: number }> {
  const server = await startServer();
  try {
    const cookie = await logIn(server.base);
    const idleRssMb = server.rssMb();
    let peak = idleRssMb;
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssMb());
    }, 20);
    const started = performance.now();
    const response = await fetch(`${server.base}/research/export/ratings.csv?rubric=bostad-forst`, { headers: { cookie } });
    const reader = response.body?.getReader();
    let lines = 0;
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      for (const byte of chunk.value) if (byte === 10) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return { rows: lines - 1, rowsPerSecond: (lines - 1) / seconds, peakRssMb: Math.max(peak, server.rssMb()), idleRssMb };
  } finally {
    server.stop();
  }
}

async function measurePage(): Promise<number> {
  const server = await startServer();
  try {
    const cookie = await logIn(server.base);
    const times: number[] = [];
    for (let i = 0; i < PAGE_SAMPLES; i++) {
      const started = performance.now();
      const response = await fetch(`${server.base}/research${i % 2 === 1 ? '?program=1' : ''}`, { headers: { cookie } });
      await response.text();
      if (response.status !== 200) throw new Error(`comparison page answered ${response.status}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? Number.POSITIVE_INFINITY;
  } finally {
    server.stop();
  }
}

async function runResearchBench(): Promise<number> {
  try {
    const { ratings, agreementMs } = await prepare();
    const exported = await measureExport();
    const pageMedianMs = await measurePage();
    const lines = [
      [`data: ${ratings} ratings`, true],
      [`comparison page median ${pageMedianMs.toFixed(0)} ms (target < ${TARGETS.pageMedianMs} ms)`, pageMedianMs < TARGETS.pageMedianMs],
      [
        `export ${exported.rows} rows at ${Math.round(exported.rowsPerSecond)} rows/s (target ≥ ${TARGETS.exportRowsPerSecond})`,
        exported.rowsPerSecond >= TARGETS.exportRowsPerSecond,
      ],
      [
        `server resident memory while exporting ${exported.peakRssMb.toFixed(0)} MB, ${exported.idleRssMb.toFixed(0)} MB before (target < ${TARGETS.serverRssMb} MB)`,
        exported.peakRssMb < TARGETS.serverRssMb,
      ],
      [`agreement statistics ${agreementMs.toFixed(0)} ms (target < ${TARGETS.agreementMs} ms)`, agreementMs < TARGETS.agreementMs],
    ] as const;
    for (const [text, ok] of lines) console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
    return lines.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

process.exitCode = await runResearchBench();
