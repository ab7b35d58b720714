// npm run backup -- <file> [--force]: a consistent copy of the configured database, safe while the server runs.
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { describeFailure, parseFileCommandLine, answerWithoutRunning } from '../cli/command-line.js';
import { formatCommand } from '../cli/shell-command.js';
import { backupDatabase } from './backup.js';

function usage(): string {
  return `Usage: ${formatCommand('backup', '<backup-file> [--force]')}   (--force overwrites an existing file)`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const ArgsSchema = z.object({
  file: z.string({ error: 'name the backup file' }).trim().min(1, 'name the backup file'),
  force: z.boolean().default(false),
});

async function runBackup(argv: readonly string[]): Promise<number> {
  const parsed = parseFileCommandLine(argv, ['force'], ArgsSchema);
  if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'backup', usage());
  const { args } = parsed;
  try {
    const config = loadConfig();
    const info = await backupDatabase(config.databaseFile, args.file, { force: args.force });
    console.log(
      `Backup of ${config.databaseFile} written to ${info.file} (${formatBytes(info.sizeBytes)}, schema version ${info.schemaVersion}, integrity ok).`,
    );
    return 0;
  } catch (error) {
    // A stack trace only for a bug; what the operator can fix (configuration, paths, permissions) gets one line.
    const message = describeFailure(error);
    console.error(`backup failed: ${message}`);
    return 1;
  }
}

process.exitCode = await runBackup(process.argv.slice(2));
