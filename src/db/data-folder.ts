// The folder that holds the database (DATA_DIR, or DATABASE_FILE's folder): made on a development machine's first
// start, never in production or by a tool, where a missing one is far more often a mistyped path than a new install.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The database's folder is missing, and this start or command does not make it. */
export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

/** How to make the folder on purpose: private to the server's user, as the systemd unit and the image make theirs. */
export function describeCreatingDataFolder(folder: string): string {
  return (
    `For a new installation, create it first, mode 700 and owned by the server's user: ` +
    `sudo install -d -m 700 -o hf-fidelity -g hf-fidelity ${folder} (that user's name in place of hf-fidelity). ` +
    `The systemd unit (StateDirectory=) and the container image (/data) make theirs.`
  );
}

/** Whether `folder` exists as a folder; false when it or a folder above it is missing, or a file stands in the path. */
export function folderExists(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

/**
 * Makes the database's folder on a first start outside production (./data for `npm start`), but only inside a folder
 * that exists. With `production` a missing folder stops the start: a mistyped DATA_DIR (or DATABASE_FILE) would
 * otherwise start a new, empty installation with a fresh setup link, every account and review seemingly gone while
 * monitoring stays green. The systemd unit and the container image make their data folders themselves.
 */
export function makeDatabaseFolder(file: string, options: { readonly production: boolean }): void {
  // Absolute, so the message names the folder really tried: a relative DATA_DIR is read from the working directory.
  const folder = resolve(dirname(file));
  if (folderExists(folder)) return;
  const typo = 'Check DATA_DIR (or DATABASE_FILE) for a typo.';
  if (options.production) {
    throw new DataFolderError(
      `the database's folder ${folder} does not exist, and with NODE_ENV=production it is not created. ${typo} ${describeCreatingDataFolder(folder)}`,
    );
  }
  if (!folderExists(dirname(folder))) {
    throw new DataFolderError(
      `the database's folder ${folder} does not exist, nor does ${dirname(folder)}, so nothing was created. ${typo} ${describeCreatingDataFolder(folder)}`,
    );
  }
  mkdirSync(folder);
}
