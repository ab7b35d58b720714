// What the command-line tools share: reading their options (node:util parseArgs, then a zod schema, with --help),
// and telling an operator's mistake, answered in one line, from a bug, which deserves its stack trace.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { BackupError, hasCode } from '../db/backup.js';
import { NewerSchemaError } from '../db/migrate.js';

export type ParsedCommandLine<T> = { kind: 'help' } | { kind: 'args'; args: T } | { kind: 'error'; message: string };

/** Reads string options (plus --help/-h) strictly, no positionals, and parses them with `schema`. */
export function parseCommandLine<T>(argv: readonly string[], optionNames: readonly string[], schema: z.ZodType<T>): ParsedCommandLine<T> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(optionNames.map((name) => [name, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const { help: _help, ...rest } = values;
  const parsed = schema.safeParse(rest);
  return parsed.success ? { kind: 'args', args: parsed.data } : { kind: 'error', message: z.prettifyError(parsed.error) };
}

/**
 * Reads a command that takes one file (a positional argument, given to the schema as `file`) and boolean flags
 * (plus --help/-h), strictly, and parses them with `schema`: the backup and restore commands.
 */
export function parseFileCommandLine<T>(argv: readonly string[], flagNames: readonly string[], schema: z.ZodType<T>): ParsedCommandLine<T> {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(flagNames.map((name) => [name, { type: 'boolean' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length > 1) return { kind: 'error', message: 'give exactly one backup file' };
  const { help: _help, ...flags } = values;
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
  if (error instanceof BackupError || error instanceof NewerSchemaError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  // System errors (errno codes: EACCES, ENOSPC, ...) name their code and path in the message already; Node's
  // own ERR_... codes mean the program called something wrongly.
  if (/^E[A-Z0-9]+$/.test(code)) return error.message;
  if (hasCode(error, SQLITE_OPERATOR_CODES)) return `${error.message} (${code})`;
  return undefined;
}

/** What a command prints when it fails: the one line for an operator's mistake, the stack trace for a bug. */
export function describeFailure(error: unknown): string {
  return describeOperatorError(error) ?? (error instanceof Error ? (error.stack ?? error.message) : String(error));
}
