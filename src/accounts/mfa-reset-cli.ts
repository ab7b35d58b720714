// npm run mfa:reset -- --email <address>   |   npm run mfa:reset -- --all
// --email: one account's second factor, for someone who lost both their phone and their recovery codes when no
// administrator can remove it on the user's page (the sole administrator, at 3 a.m.). A change of one account's rows,
// safe beside the running server: the server reads the second factor from the database at every login and page and
// keeps none of it in memory, and in WAL mode its next read sees the change. It does not migrate (a server of an older
// version may run on the database); it needs no key, since it opens no secret.
// --all: the way out when the key that seals TOTP secrets (MFA_KEY or DATA_DIR/mfa.key) is lost for good: removes every
// TOTP enrolment and recovery code, each audited as turned off. Everyone then sets TOTP up again; administrators are
// asked to at their next login. Works without the key, so it builds no services (they refuse a database without its key).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { answerWithoutRunning, describeFailure, openCommandDatabase, parseCommandLine } from '../cli/command-line.js';
import { formatCommand } from '../cli/shell-command.js';
import { DatabaseInUseError, lockDatabaseForTool } from '../db/backup.js';
import type { DatabaseLock } from '../db/database-lock.js';
import type { Db } from '../db/open-database.js';
import { createLoginAttemptStore } from './login-attempt-store.js';
import { createLoginThrottle } from './login-throttle.js';
import { createTotpSecretStore } from './mfa-store.js';
import { createUserStore } from './user-store.js';

function usage(): string {
  return [
    `Usage: ${formatCommand('mfa:reset', '--email <address>')}`,
    `   or: ${formatCommand('mfa:reset', '--all')}`,
    "--email removes that one account's TOTP second factor and recovery codes (someone who lost both), also while the server",
    'runs; at the next password login they set it up again (administrators before any other page). --all removes every',
    "account's, for when the key that seals them (MFA_KEY or DATA_DIR/mfa.key) is lost; stop the server first.",
    "Run it as the server's user, with the server's DATA_DIR (or DATABASE_FILE).",
  ].join('\n');
}

const ArgsSchema = z
  .object({
    all: z.boolean().optional(),
    email: z
      .email('--email must be an email address')
      .transform((e) => e.trim().toLowerCase())
      .optional(),
  })
  .refine((args) => !(args.all === true && args.email !== undefined), 'give either --email or --all, not both');

type ResetArgs = z.infer<typeof ArgsSchema>;

function resetMfa(argv: readonly string[]): number {
  const parsed = parseCommandLine(argv, ['email'], ArgsSchema, ['all']);
  if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'mfa:reset', usage());
  const { args } = parsed;
  if (args.all !== true && args.email === undefined) {
    // Removing a second factor is never a default: the option says whose, or that everyone's was meant.
    console.error("mfa:reset: give --email <address> to remove one account's second factor, or --all for everyone's; nothing was changed.");
    console.error(usage());
    return 1;
  }
  try {
    const config = loadConfig();
    // Never a new, empty database where a mistyped path points.
    if (config.databaseFile !== ':memory:' && !existsSync(config.databaseFile)) {
      console.error(
        `mfa:reset: there is no database at ${resolve(config.databaseFile)}: check DATA_DIR (or DATABASE_FILE), and run it as the server's user with the server's settings; nothing was changed.`,
      );
      return 1;
    }
    return args.email === undefined ? resetEveryone(config) : resetOne(config, args.email);
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      console.error(`mfa:reset refused: ${error.message} Nothing was changed.`);
      return 1;
    }
    console.error(`mfa:reset failed: ${describeFailure(error)}`);
    return 1;
  }
}

type LoadedConfig = ReturnType<typeof loadConfig>;

function resetOne(config: LoadedConfig, email: NonNullable<ResetArgs['email']>): number {
  const file = config.databaseFile === ':memory:' ? config.databaseFile : resolve(config.databaseFile);
  let db: Db | undefined;
  try {
    db = openCommandDatabase(config, 'mfa:reset', { schema: 'current' });
    const user = createUserStore(db, systemClock).findUserByEmail(email);
    if (user === undefined) {
      console.error(`mfa:reset: there is no account ${email} in ${file}; check the address (or DATA_DIR); nothing was changed.`);
      return 1;
    }
    if (!user.active) {
      console.error(
        `mfa:reset: the account ${email} is deactivated, so it cannot log in either way; nothing was changed. An administrator reactivates it on the user's page first.`,
      );
      return 1;
    }
    const removed = createTotpSecretStore(db).removeTotp(user.id);
    // A lock-out of wrong codes would also stop the new TOTP being confirmed, with the same counter, until it ends.
    createLoginThrottle(createLoginAttemptStore(db), config.http).unlockMfa(user.id);
    if (!removed) {
      console.log(`${email} has no second factor in ${file}; nothing to remove (a lock-out of wrong codes, if any, is lifted).`);
      return 0;
    }
    const next =
      config.http.adminMfaRequired && user.roles.includes('admin')
        ? 'at the next password login they set TOTP up again, before any other page'
        : 'they log in with the password alone, and can set TOTP up again on their account page';
    console.log(`Removed the second factor (TOTP and recovery codes) of ${email} in ${file}, recorded in the audit log; ${next}.`);
    return 0;
  } finally {
    db?.close();
  }
}

function resetEveryone(config: LoadedConfig): number {
  let db: Db | undefined;
  let lock: DatabaseLock | undefined;
  try {
    // With the server stopped, as for a restore (docs/operations.md): nobody then sets TOTP up with the running
    // server's key while every second factor is being removed. The lock also keeps a server from starting meanwhile.
    if (config.databaseFile !== ':memory:') lock = lockDatabaseForTool(config.databaseFile, 'mfa:reset');
    db = openCommandDatabase(config, 'mfa:reset');
    const removed = createTotpSecretStore(db).removeAllTotp();
    console.log(
      `Removed TOTP from ${removed} account(s), with their recovery codes. Each sets it up again: administrators are asked to at their next login, others on their account page.`,
    );
    return 0;
  } finally {
    db?.close();
    lock?.release();
  }
}

process.exitCode = resetMfa(process.argv.slice(2));
