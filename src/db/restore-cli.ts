// npm run restore -- <file>: replaces the configured database with a backup. The server must be stopped.
import { z } from 'zod';
import { describeMfaKeyForRestore } from '../accounts/mfa-key.js';
import { createTotpSecretStore } from '../accounts/mfa-store.js';
import { loadConfig } from '../config.js';
import { describeOperatorError, parseFileCommandLine, answerWithoutRunning } from '../cli/command-line.js';
import { formatCommand } from '../cli/shell-command.js';
import { BackupError, restoreDatabase } from './backup.js';
import type { Db } from './open-database.js';

function usage(): string {
  return `Usage: ${formatCommand('restore', '<backup-file>')}   (stop the server first)`;
}

const ArgsSchema = z.object({
  file: z.string({ error: 'name the backup file to restore' }).trim().min(1, 'name the backup file to restore'),
});

function runRestore(argv: readonly string[]): number {
  const parsed = parseFileCommandLine(argv, [], ArgsSchema);
  if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'restore', usage());
  const { args } = parsed;
  try {
    const config = loadConfig();
    // A restore onto a new machine is where the key for TOTP secrets, kept apart from the backups, is most often missing.
    const checkMfaKey = (db: Db): string[] => {
      const warning = describeMfaKeyForRestore(
        { key: config.mfaKey, file: config.mfaKeyFile },
        createTotpSecretStore(db).listSealedSecrets(),
      );
      return warning === undefined ? [] : [warning];
    };
    const result = restoreDatabase(args.file, config.databaseFile, new Date(), checkMfaKey);
    const migrated =
      result.backupSchemaVersion === result.schemaVersion
        ? `schema version ${result.schemaVersion}`
        : `schema version ${result.backupSchemaVersion}, migrated to ${result.schemaVersion}`;
    console.log(`Restored ${args.file} into ${result.databaseFile} (${migrated}).`);
    console.log(
      result.previousFile
        ? `The database it replaced is kept as ${result.previousFile}; delete it once you are sure.`
        : 'There was no database there before.',
    );
    for (const warning of result.warnings) console.error(`restore warning: ${warning}`);
    // Also printed after a test restore into a scratch folder, where no server is waiting.
    console.log(
      `Start the server that uses ${result.databaseFile} again (sudo systemctl start hf-fidelity, or npm start in development); after a test restore into a scratch folder, there is nothing to start.`,
    );
    return 0;
  } catch (error) {
    // Refusals (a bad backup, the server still running) and what the operator can fix get one line; a bug its stack trace.
    const message = describeOperatorError(error);
    if (message === undefined) console.error(`restore failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    else console.error(`restore ${error instanceof BackupError ? 'refused' : 'failed'}: ${message}`);
    return 1;
  }
}

process.exitCode = runRestore(process.argv.slice(2));
