// npm run mfa:reset -- --all
// The way out when the key that seals TOTP secrets (MFA_KEY or DATA_DIR/mfa.key) is lost for good: removes every TOTP
// enrolment and recovery code, each audited as turned off. Everyone then sets TOTP up again; administrators are asked
// to at their next login. Works without the key, so it builds no services (they refuse a database without its key).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { describeFailure, openCommandDatabase, parseCommandLine, answerWithoutRunning } from '../cli/command-line.js';
import { DatabaseInUseError, lockDatabaseForTool } from '../db/backup.js';
import type { DatabaseLock } from '../db/database-lock.js';
import type { Db } from '../db/open-database.js';
import { createTotpSecretStore } from './mfa-store.js';

const USAGE = [
  'Usage: npm run mfa:reset -- --all',
  'Removes every TOTP second factor and recovery code from the configured database (DATA_DIR or DATABASE_FILE), for when',
  'the key that seals them (MFA_KEY or DATA_DIR/mfa.key) is lost. Everyone sets TOTP up again; administrators at their next login.',
].join('\n');

const ArgsSchema = z.object({ all: z.boolean().optional() });

function resetMfa(argv: readonly string[]): number {
  const parsed = parseCommandLine(argv, [], ArgsSchema, ['all']);
  if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'mfa:reset', USAGE);
  if (parsed.args.all !== true) {
    // Removing everyone's second factor is never a default: the flag says it was meant.
    console.error('mfa:reset: give --all to remove every TOTP second factor; nothing was changed.');
    console.error(USAGE);
    return 1;
  }
  let db: Db | undefined;
  let lock: DatabaseLock | undefined;
  try {
    const config = loadConfig();
    // Never a new, empty database where a mistyped path points.
    if (config.databaseFile !== ':memory:' && !existsSync(config.databaseFile)) {
      console.error(`mfa:reset: there is no database at ${config.databaseFile}: check DATA_DIR (or DATABASE_FILE); nothing was changed.`);
      return 1;
    }
    // With the server stopped, as for a restore (docs/operations.md): nobody then sets TOTP up with the running
    // server's key while every second factor is being removed. The lock also keeps a server from starting meanwhile.
    if (config.databaseFile !== ':memory:') lock = lockDatabaseForTool(config.databaseFile, 'mfa:reset');
    db = openCommandDatabase(config, 'mfa:reset');
    const removed = createTotpSecretStore(db).removeAllTotp();
    console.log(
      `Removed TOTP from ${removed} account(s), with their recovery codes. Each sets it up again: administrators are asked to at their next login, others on their account page.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      console.error(`mfa:reset refused: ${error.message} Nothing was changed.`);
      return 1;
    }
    console.error(`mfa:reset failed: ${describeFailure(error)}`);
    return 1;
  } finally {
    db?.close();
    lock?.release();
  }
}

process.exitCode = resetMfa(process.argv.slice(2));
