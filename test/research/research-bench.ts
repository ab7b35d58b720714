// The research benchmark: 290 municipalities × 10 rounds on the shipped rubric with 4 raters
// (about 700,000 ratings). Measures the comparison page's median, the CSV export's rows per second and the
// server's resident memory while it streams, and the agreement statistics over everything. Then the
// import of a 10 MB file of a million bad lines: its time, the server's memory added, the page's size, and the
// p99 of another page requested meanwhile. And the server's resident memory after a pass over every research
// page and export, as production runs it (MEMORY_ENV and MEMORY_NODE_OPTIONS) and, for comparison, with glibc's malloc defaults.
//   npx tsx test/research/research-bench.ts            (prints one line per target and exits 1 if one is missed)
//   npx tsx test/research/research-bench.ts --import   (the import case alone, over an empty database)
// The server runs in a child process (node --import tsx) so its memory is its own; Linux only (/proc).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../../src/accounts/passwords.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { computeRubricAgreement } from '../../src/research/rubric-agreement.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import { MEMORY_ENV, MEMORY_NODE_OPTIONS } from '../../src/memory-settings.js';
import { describeServerSettings } from '../bench/bench-protocol.js';
import { generateBenchData } from './research-bench-data.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARGETS = {
  pageMedianMs: 300,
  exportRowsPerSecond: 100_000,
  serverRssMb: 200,
  agreementMs: 2000,
  importMs: 5000,
  importRssAddedMb: 100,
  importPageKb: 200,
  otherPageP99Ms: 200,
  passRssMb: 250,
} as const;
/** The import case's file: a header and a million lines of 10 bytes that are no rows, 10 MB in all (the upload limit is 10 MiB). */
const IMPORT_BAD_LINES = 1_000_000;
const EMAIL = 'research-bench@example.org';
const PASSWORD = 'research-bench-password';
const PAGE_SAMPLES = 21;

const directory = mkdtempSync(join(tmpdir(), 'hf-research-bench-'));
const file = join(directory, 'bench.db');

/** Generates the data set (through the import path), then times the agreement statistics over all of it. */
/** The bench's one account, an administrator and researcher, with its own password. */
async function insertBenchUser(db: Db): Promise<number> {
  const user = {
    email: EMAIL,
    displayName: 'Bench',
    affiliation: '',
    passwordHash: await hashPassword(PASSWORD),
    roles: ['admin', 'researcher'],
  } as const;
  return createUserStore(db).insertUser(user, undefined);
}

async function prepare(): Promise<{ ratings: number; agreementMs: number }> {
  const db = openDatabase(file);
  try {
    migrate(db);
    const userId = await insertBenchUser(db);
    const loaded = loadRubricFile(join(ROOT, 'rubrics/bostad-forst.yaml'));
    const reviews = createReviewStore(db);
    const ratings = generateBenchData(db, reviews, loaded, { municipalities: 290, rounds: 10, raters: 4, importedBy: userId });
    const started = performance.now();
    await computeRubricAgreement(createResearchStore(db), { rubricId: loaded.rubric.id, kind: undefined, year: undefined });
    return { ratings, agreementMs: performance.now() - started };
  } finally {
    db.close();
  }
}

type Server = { base: string; pid: number; stop(): void; rssMb(): number };

/** The server as production runs it (MEMORY_ENV and MEMORY_NODE_OPTIONS), or with glibc's malloc defaults (neither malloc setting) when `mallocDefaults`. */
async function startServer(mallocDefaults = false): Promise<Server> {
  const script = join(directory, 'server.ts');
  writeFileSync(
    script,
    `import { createSecretKey, randomBytes } from 'node:crypto';
     import { createApp } from ${JSON.stringify(join(ROOT, 'src/app.ts'))};
     import { defaultHttpConfig } from ${JSON.stringify(join(ROOT, 'src/config.ts'))};
     import { openDatabase } from ${JSON.stringify(join(ROOT, 'src/db/open-database.ts'))};
     import { loadRubricFile } from ${JSON.stringify(join(ROOT, 'src/rubrics/load-rubrics.ts'))};
     import { createServices } from ${JSON.stringify(join(ROOT, 'src/services.ts'))};
     const db = openDatabase(${JSON.stringify(file)});
     const loaded = loadRubricFile(${JSON.stringify(join(ROOT, 'rubrics/bostad-forst.yaml'))});
     const config = { ...defaultHttpConfig(), sessionSecret: 'research-bench-secret-research-bench', logRequests: false, viewCache: true };
     const app = createApp({ services: createServices(db, config, { rubrics: new Map([[loaded.rubric.id, loaded]]), mfaKey: createSecretKey(randomBytes(32)) }), config });
     const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...MEMORY_ENV };
  if (mallocDefaults) for (const name of Object.keys(MEMORY_ENV)) delete env[name];
  const child = spawn(process.execPath, [...MEMORY_NODE_OPTIONS, '--import', 'tsx', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
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
  let cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ _csrf: token, email: EMAIL, password: PASSWORD }),
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`login failed: ${response.status}`);
  cookie =
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ') || cookie;
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

/** Every research page and export, as a researcher would go through them (the first review's matrix for the matrix). */
const PASS_PATHS = [
  '/research',
  '/research?lang=en',
  '/research?kind=all',
  '/research?program=1',
  '/research?year=2020',
  '/research/export/ratings.csv?rubric=bostad-forst',
  '/research/export/ratings.csv?rubric=bostad-forst&kind=self_assessment',
  '/research/export/codebook.csv?rubric=bostad-forst',
  '/research/export/level-rules.csv?rubric=bostad-forst',
  '/research/reviews/1/matrix.csv',
  '/research/import',
  '/research/imports/1',
];

/**
 * Resident memory of a fresh server after four researchers have logged in at once (a server that has run a while
 * has checked passwords on each of its four libuv threads) and one of them has gone through PASS_PATHS, each read
 * to its end.
 */
async function measurePass(mallocDefaults: boolean): Promise<{ rssMb: number; startRssMb: number }> {
  const server = await startServer(mallocDefaults);
  try {
    const [cookie = ''] = await Promise.all([1, 2, 3, 4].map(() => logIn(server.base)));
    const startRssMb = server.rssMb();
    for (const path of PASS_PATHS) {
      const response = await fetch(`${server.base}${path}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    }
    return { rssMb: server.rssMb(), startRssMb };
  } finally {
    server.stop();
  }
}

type ImportFigures = {
  ms: number;
  status: number;
  pageKb: number;
  rssAddedMb: number;
  idleRssMb: number;
  otherP99Ms: number;
  otherRequests: number;
};

/**
 * Posts the 10 MB file of bad lines as the import form does (multipart), while a second session asks for another
 * page back to back; samples the server's resident memory every 20 ms.
 */
async function measureImport(): Promise<ImportFigures> {
  const server = await startServer();
  try {
    const importer = await logIn(server.base);
    const other = await logIn(server.base);
    const formPage = await fetch(`${server.base}/research/import`, { headers: { cookie: importer } });
    const token = /name="_csrf" value="([^"]+)"/.exec(await formPage.text())?.[1] ?? '';
    const header =
      'municipality_code,program,review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus\n';
    const file = Buffer.from(header + 'x,bad,row\n'.repeat(IMPORT_BAD_LINES));
    const otherPage = async () => {
      const started = performance.now();
      const response = await fetch(`${server.base}/research/import`, { headers: { cookie: other } });
      await response.text();
      if (response.status !== 200) throw new Error(`the other page answered ${response.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await otherPage();
    const idleRssMb = server.rssMb();
    let peak = idleRssMb;
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssMb());
    }, 20);
    const form = new FormData();
    form.append('_csrf', token);
    form.append('rubric', 'bostad-forst');
    form.append('kind', 'peer_review');
    form.append('csv_file', new Blob([file], { type: 'text/csv' }), 'bad-lines.csv');
    let importing = true;
    const otherTimes: number[] = [];
    const others = (async () => {
      while (importing) otherTimes.push(await otherPage());
    })();
    const started = performance.now();
    const response = await fetch(`${server.base}/research/import`, {
      method: 'POST',
      headers: { cookie: importer, origin: server.base },
      body: form,
    });
    const page = await response.text();
    const ms = performance.now() - started;
    importing = false;
    await others;
    clearInterval(sampler);
    otherTimes.sort((a, b) => a - b);
    return {
      ms,
      status: response.status,
      pageKb: Buffer.byteLength(page) / 1024,
      rssAddedMb: Math.max(peak, server.rssMb()) - idleRssMb,
      idleRssMb,
      otherP99Ms: otherTimes[Math.min(otherTimes.length - 1, Math.ceil(otherTimes.length * 0.99) - 1)] ?? Number.POSITIVE_INFINITY,
      otherRequests: otherTimes.length,
    };
  } finally {
    server.stop();
  }
}

function describeImport(figures: ImportFigures): (readonly [string, boolean])[] {
  return [
    [
      `import of a 10 MB file of ${IMPORT_BAD_LINES} bad lines answered ${figures.status} in ${figures.ms.toFixed(0)} ms (target < ${TARGETS.importMs} ms, status 422)`,
      figures.ms < TARGETS.importMs && figures.status === 422,
    ],
    [
      `  server memory added ${figures.rssAddedMb.toFixed(0)} MB over ${figures.idleRssMb.toFixed(0)} MB (target < ${TARGETS.importRssAddedMb} MB)`,
      figures.rssAddedMb < TARGETS.importRssAddedMb,
    ],
    [`  error page ${figures.pageKb.toFixed(1)} KB (target < ${TARGETS.importPageKb} KB)`, figures.pageKb < TARGETS.importPageKb],
    [
      `  another page meanwhile: p99 ${figures.otherP99Ms.toFixed(0)} ms over ${figures.otherRequests} requests (target < ${TARGETS.otherPageP99Ms} ms)`,
      figures.otherP99Ms < TARGETS.otherPageP99Ms,
    ],
  ];
}

/** The import case alone, over a database with just the bench user. */
async function runImportBench(): Promise<number> {
  try {
    const db = openDatabase(file);
    try {
      migrate(db);
      await insertBenchUser(db);
    } finally {
      db.close();
    }
    const lines = describeImport(await measureImport());
    for (const [text, ok] of lines) console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
    return lines.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function runResearchBench(): Promise<number> {
  try {
    const { ratings, agreementMs } = await prepare();
    const exported = await measureExport();
    const pageMedianMs = await measurePage();
    const imported = await measureImport();
    const pass = await measurePass(false);
    const passDefaults = await measurePass(true);
    const serverEnv = describeServerSettings();
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
      ...describeImport(imported),
      [
        `server resident memory after every research page and export ${pass.rssMb.toFixed(0)} MB, ${pass.startRssMb.toFixed(0)} MB after four logins (${serverEnv}; target < ${TARGETS.passRssMb} MB)`,
        pass.rssMb < TARGETS.passRssMb,
      ],
      [
        `  the same with glibc's malloc defaults: ${passDefaults.rssMb.toFixed(0)} MB, ${passDefaults.startRssMb.toFixed(0)} MB after four logins (for comparison)`,
        true,
      ],
    ] as const;
    for (const [text, ok] of lines) console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
    return lines.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

process.exitCode = process.argv.includes('--import') ? await runImportBench() : await runResearchBench();
