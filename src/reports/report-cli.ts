// npm run report -- --municipality <code> --out <file.pdf> [--lang en]: writes a municipality's fidelity
// report from the configured database, for batch use. Renders on its own thread: it serves nobody else.
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { type Db, openDatabase } from '../db/open-database.js';
import { LocaleSchema } from '../i18n/locale.js';
import { createMunicipalityStore } from '../municipalities/municipality-store.js';
import { createReviewStore } from '../reviews/review-store.js';
import { gatherReportData } from './report-data.js';
import { createProgramWorkReportSource } from '../program-work/report-part.js';
import { createReportRenderer } from './report-renderer.js';

const USAGE = 'Usage: npm run report -- --municipality <code> --out <file.pdf> [--lang sv|en]';

const ArgsSchema = z.object({
  municipality: z.string({ error: '--municipality is required' }).regex(/^[0-9]{4}$/, '--municipality takes a four-digit municipality code, e.g. 0180'),
  out: z.string({ error: '--out is required' }).min(1, '--out is required'),
  lang: LocaleSchema.default('sv'),
});

type ReportArgs = z.infer<typeof ArgsSchema>;

function parseReportArgs(argv: readonly string[]): { ok: true; args: ReportArgs } | { ok: false; message: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: { municipality: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
  return { ok: true, args: parsed.data };
}

async function runReportCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseReportArgs(argv);
  if (!parsed.ok) {
    console.error(`report: ${parsed.message}\n${USAGE}`);
    return 1;
  }
  const { municipality: code, out, lang } = parsed.args;
  let db: Db | undefined;
  try {
    const config = loadConfig(env);
    if (config.databaseFile !== ':memory:' && !existsSync(config.databaseFile)) {
      console.error(`report: there is no database at ${config.databaseFile} (set DATA_DIR or DATABASE_FILE).`);
      return 1;
    }
    db = openDatabase(config.databaseFile);
    migrate(db);
    const reviews = createReviewStore(db);
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(db), reviews, programWork: createProgramWorkReportSource(db, reviews) }, code);
    if (gathered.kind === 'unknown-municipality') {
      console.error(`report: there is no municipality with code ${code} in ${config.databaseFile}.`);
      return 1;
    }
    if (gathered.kind === 'no-final-review') {
      const { name } = gathered.municipality;
      console.error(`report: ${name} (${code}) has no final review yet; a report is built from final reviews only.`);
      return 1;
    }
    const rendered = await createReportRenderer({ mode: 'inline' }).render({ data: gathered.data, locale: lang });
    writeFileSync(out, rendered.pdf);
    console.log(`Wrote ${out}: ${rendered.pageCount} pages, verification code ${rendered.verificationCode}.`);
    return 0;
  } catch (error) {
    console.error(`report failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    db?.close();
  }
}

process.exitCode = await runReportCli(process.argv.slice(2));
