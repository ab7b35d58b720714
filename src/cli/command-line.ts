// What the command-line tools share: reading their options (node:util parseArgs, then a zod schema, with --help and
// --version),
// opening the database as a tool that writes, and telling an operator's mistake, answered in one line, from a bug,
// which deserves its stack trace.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MfaKeyError } from '../accounts/mfa-key.js';
import { describeAppVersion } from '../app-version.js';
import { ConfigError } from '../config.js';
import { recordCommandActor } from '../db/audit-actor.js';
import { BackupError, hasCode } from '../db/backup.js';
import { DataFolderError, makeDatabaseFolder } from '../db/data-folder.js';
import { ForeignDatabaseError } from '../db/database-identity.js';
import { LockFileError } from '../db/database-lock.js';
import { MigrationError, migrate, NewerSchemaError, OlderSchemaError, requireCurrentSchema } from '../db/migrate.js';
import { type DatabasePaths, MissingDatabaseError, refuseMissingDatabase } from '../db/missing-database.js';
import { type Db, openDatabase, ReadOnlyDatabaseError, runningUser } from '../db/open-database.js';
import { RubricLoadError } from '../rubrics/load-rubrics.js';

export type ParsedCommandLine<T> = { kind: 'help' } | { kind: 'version' } | { kind: 'args'; args: T } | { kind: 'error'; message: string };

/**
 * What a tool does with a command line that is not for running it: prints the usage for --help or the version for
 * --version (exit code 0), or the refusal and the usage (1).
 * `if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'backup', usage());`
 */
export function answerWithoutRunning(parsed: Exclude<ParsedCommandLine<unknown>, { kind: 'args' }>, tool: string, usage: string): number {
  if (parsed.kind === 'help') {
    console.log(usage);
    return 0;
  }
  if (parsed.kind === 'version') {
    console.log(describeAppVersion());
    return 0;
  }
  console.error(`${tool}: ${parsed.message}`);
  console.error(usage);
  return 1;
}

/** Reads string options and boolean flags (plus --help/-h and --version) strictly, no positionals, and parses them with `schema`. */
export function parseCommandLine<T>(
  argv: readonly string[],
  optionNames: readonly string[],
  schema: z.ZodType<T>,
  flagNames: readonly string[] = [],
): ParsedCommandLine<T> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(optionNames.map((name) => [name, { type: 'string' as const }])),
        ...Object.fromEntries(flagNames.map((name) => [name, { type: 'boolean' as const }])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const { help: _help, version: _version, ...rest } = values;
  const parsed = schema.safeParse(rest);
  return parsed.success ? { kind: 'args', args: parsed.data } : { kind: 'error', message: z.prettifyError(parsed.error) };
}

/**
 * Reads a command that takes one file (a positional argument, given to the schema as `file`) and boolean flags
 * (plus --help/-h and --version), strictly, and parses them with `schema`: the backup and restore commands.
 */
export function parseFileCommandLine<T>(argv: readonly string[], flagNames: readonly string[], schema: z.ZodType<T>): ParsedCommandLine<T> {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(flagNames.map((name) => [name, { type: 'boolean' as const }])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (positionals.length > 1) return { kind: 'error', message: 'give exactly one backup file' };
  const { help: _help, version: _version, ...flags } = values;
  const result = schema.safeParse({ file: positionals[0], ...flags });
  return result.success ? { kind: 'args', args: result.data } : { kind: 'error', message: z.prettifyError(result.error) };
}

// SQLite result codes that describe the file or the machine (a path that cannot be opened, a read-only or full
// disk, a file that is not a database or is damaged, a lock held elsewhere), not a mistake in the program.
const SQLITE_OPERATOR_CODES = [
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_PERM',
  'SQLITE_AUTH',
];

/**
 * For the command-line tools: one line describing an error the person running the command can fix (bad
 * configuration, a refusal of ours, a file-system error such as EACCES, ENOENT, EISDIR or ENOSPC, a database file
 * that cannot be used), or undefined for anything else, which is a bug and deserves its stack trace.
 */
export function describeOperatorError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof ConfigError) {
    // Its message lists the problems on lines of their own, the variable's name on a line below each.
    return `${error.message
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join(' ')} (check the environment variables)`;
  }
  // Each says what to do already (ReadOnlyDatabaseError names its SQLite code in its sentence).
  if (
    error instanceof BackupError ||
    error instanceof NewerSchemaError ||
    error instanceof OlderSchemaError ||
    error instanceof MigrationError ||
    error instanceof ForeignDatabaseError ||
    error instanceof MissingDatabaseError ||
    error instanceof MfaKeyError ||
    error instanceof ReadOnlyDatabaseError ||
    error instanceof DataFolderError ||
    error instanceof LockFileError
  ) {
    return error.message;
  }
  if (error instanceof RubricLoadError) {
    return `${error.message
      .split('\n')
      .map((line) => line.trim())
      .join(' ')} (fix that file, or point RUBRICS_DIR at the folder of the rubric files; unset, the shipped rubrics are used)`;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  // System errors (errno codes: EACCES, ENOSPC, ...) name their code and path in the message already; Node's
  // own ERR_... codes mean the program called something wrongly.
  if (/^E[A-Z0-9]+$/.test(code)) return withAdvice(error.message, code);
  if (hasCode(error, SQLITE_OPERATOR_CODES)) return withAdvice(`${error.message} (${code})`, code);
  return undefined;
}

/** What an operator can do about a failure the machine or a file explains: the message gets it as a second sentence. */
const ADVICE: readonly (readonly [RegExp, string])[] = [
  [
    /^SQLITE_(NOTADB|CORRUPT)/,
    'The database file is damaged or is not an hf-fidelity database: keep it aside, and restore the latest backup (docs/backup.md).',
  ],
  [
    /^SQLITE_(BUSY|LOCKED)/,
    'Another program holds the database (a second server, a restore, an sqlite3 shell): stop it, then start again.',
  ],
  [/^(SQLITE_FULL|ENOSPC)/, 'The disk is full: free space on it, then start again.'],
  [/^SQLITE_IOERR/, 'Reading or writing the disk failed: check that it has free space and no errors (dmesg), then start again.'],
  [/^EADDRINUSE$/, 'Another program (or a second hf-fidelity) listens on that port: stop it, or set PORT to a free port.'],
  [
    /^(ENOTFOUND|EADDRNOTAVAIL|EAI_AGAIN)$/,
    'HOST must be an address of this machine (127.0.0.1, ::1, 0.0.0.0) or a name for one: check HOST.',
  ],
  [/^ENOENT$/, 'Check the path: DATA_DIR, DATABASE_FILE and RUBRICS_DIR name folders and files that must exist or be creatable.'],
  [/^(EACCES|EPERM)$/, "Give the server's user access to that path, or point DATA_DIR (or RUBRICS_DIR) elsewhere."],
];

function withAdvice(message: string, code: string): string {
  const advice = ADVICE.find(([pattern]) => pattern.test(code))?.[1];
  if (advice === undefined || message.includes(advice)) return message;
  // A message that ends its sentence itself ("…mistyped?") takes no second full stop.
  return /[.?!]$/.test(message) ? `${message} ${advice}` : `${message}. ${advice}`;
}

/** What a command prints when it fails: the one line for an operator's mistake, the stack trace for a bug. */
export function describeFailure(error: unknown): string {
  return describeOperatorError(error) ?? (error instanceof Error ? (error.stack ?? error.message) : String(error));
}

/**
 * The database as a command-line tool that writes opens it (mfa:reset, admin:create, seed:demo): migrated, and with
 * its audit entries recorded as the command's, run by this process's OS user, its name the one personal detail kept.
 * `schema: 'current'` is for a tool that may run beside the server: the database must already be at this program's
 * schema version (OlderSchemaError otherwise), and nothing is migrated.
 */
export function openCommandDatabase(
  paths: DatabasePaths,
  command: string,
  options: { readonly schema: 'migrate' | 'current' } = { schema: 'migrate' },
): Db {
  const file = paths.databaseFile;
  if (file !== ':memory:') {
    // As at the server's start: never a new, empty installation where a mistyped DATA_DIR points (in production), or
    // over the traces of one whose database is gone, which a later start would then take for the real one.
    makeDatabaseFolder(file, { production: process.env.NODE_ENV === 'production' });
    refuseMissingDatabase(paths);
  }
  let db: Db;
  try {
    db = openDatabase(file);
  } catch (error) {
    // The tool's fix, not the server's: run it as the server's user rather than give the files to whoever ran it.
    throw error instanceof ReadOnlyDatabaseError ? new ReadOnlyDatabaseError(file, error.code, 'tool') : error;
  }
  try {
    if (options.schema === 'current') requireCurrentSchema(db, file, command);
    else migrate(db);
    recordCommandActor(db, command, runningUser());
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
