// npm run report -- --municipality <code> --out <file.pdf> [--lang en]: writes a municipality's fidelity
// report from the configured database, for batch use. Renders on its own thread: it serves nobody else.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import {
  describeFailure,
  describeOperatorError,
  parseCommandLine,
  type ParsedCommandLine,
  answerWithoutRunning,
} from '../cli/command-line.js';
import { formatCommand } from '../cli/shell-command.js';
import { migrate } from '../db/migrate.js';
import { type Db, openDatabase } from '../db/open-database.js';
import { LocaleSchema } from '../i18n/locale.js';
import { createServices, type Services, servicesConfigOf } from '../services.js';
import { gatherReportData } from './report-data.js';

function usage(): string {
  return `Usage: ${formatCommand('report', '--municipality <code> --out <file.pdf> [--lang sv|en]')}`;
}

const ArgsSchema = z.object({
  municipality: z
    .string({ error: '--municipality is required' })
    .regex(/^[0-9]{4}$/, '--municipality takes a four-digit municipality code, e.g. 0180'),
  out: z.string({ error: '--out is required' }).min(1, '--out is required'),
  lang: LocaleSchema.default('sv'),
});

type ReportArgs = z.infer<typeof ArgsSchema>;

function parseReportArgs(argv: readonly string[]): ParsedCommandLine<ReportArgs> {
  return parseCommandLine(argv, ['municipality', 'out', 'lang'], ArgsSchema);
}

/** Why the PDF cannot be written at `out`, checked before the work of rendering it; undefined when it looks writable. */
function findOutputProblem(out: string): string | undefined {
  const folder = dirname(out);
  if (existsSync(out) && statSync(out).isDirectory())
    return `--out ${out} is a folder; give the file name of the PDF, e.g. ${join(out, 'report.pdf')}.`;
  if (!existsSync(folder)) return `cannot write ${out}: the folder ${folder} does not exist.`;
  if (!statSync(folder).isDirectory()) return `cannot write ${out}: ${folder} is a file, not a folder.`;
  return undefined;
}

/**
 * Writes `data` to `file` whole or not at all: into a temporary file in the same folder, flushed to disk, then
 * renamed over `file`. A failed write (a full disk) leaves no truncated PDF behind and an earlier one untouched.
 */
function writeFileAtomically(file: string, data: Uint8Array): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'wx');
    try {
      for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

async function runReportCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseReportArgs(argv);
  if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'report', usage());
  const { municipality: code, out, lang } = parsed.args;
  let db: Db | undefined;
  let services: Services | undefined;
  try {
    const config = loadConfig(env);
    if (config.databaseFile !== ':memory:' && !existsSync(config.databaseFile)) {
      console.error(`report: there is no database at ${config.databaseFile} (set DATA_DIR or DATABASE_FILE).`);
      return 1;
    }
    const outputProblem = findOutputProblem(out);
    if (outputProblem !== undefined) {
      console.error(`report: ${outputProblem}`);
      return 1;
    }
    db = openDatabase(config.databaseFile);
    migrate(db);
    // Rendered on this thread: the tool serves nobody else. A report holds no second factor, so the tool needs no
    // MFA key and runs on a copy of the database without its key file.
    services = createServices(db, servicesConfigOf(config), { pdfRendering: 'inline', withoutMfa: true });
    const { municipalities, reviews, actions, outcomes } = services;
    const gathered = gatherReportData({ municipalities, reviews, programWork: { actions, outcomes } }, code);
    if (gathered.kind === 'unknown-municipality') {
      console.error(`report: there is no municipality with code ${code} in ${config.databaseFile}.`);
      return 1;
    }
    if (gathered.kind === 'no-final-review') {
      const { name } = gathered.municipality;
      console.error(`report: ${name} (${code}) has no final review yet; a report is built from final reviews only.`);
      return 1;
    }
    const rendered = await services.reportRenderer.render({ data: gathered.data, locale: lang });
    const existed = existsSync(out);
    try {
      writeFileAtomically(out, rendered.pdf);
    } catch (error) {
      const reason = describeOperatorError(error);
      if (reason === undefined) throw error;
      // The system's message (EFBIG, ENOSPC, EACCES on a write) does not name the file.
      console.error(
        `report failed: could not write ${out}: ${reason}. Nothing was written${existed ? '; the file already there is unchanged' : ''}.`,
      );
      return 1;
    }
    console.log(`Wrote ${out}: ${rendered.pageCount} pages, verification code ${rendered.verificationCode}.`);
    return 0;
  } catch (error) {
    // A stack trace only for a bug; what the operator can fix (configuration, paths, permissions, a full disk) gets one line.
    const message = describeFailure(error);
    console.error(`report failed: ${message}`);
    return 1;
  } finally {
    await services?.close();
    db?.close();
  }
}

process.exitCode = await runReportCli(process.argv.slice(2));
