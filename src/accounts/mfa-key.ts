// The installation's key for TOTP secrets (totp-seal.ts), kept outside the database: MFA_KEY, or else the key file
// mfa.key in DATA_DIR, made on first start with 32 random bytes, readable by its owner only (and refused when it is
// not). A database whose sealed secrets have no key here is refused at start, rather than let every administrator
// find out at their next login.
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { MfaKeyTextSchema } from '../config.js';
import { openTotpSecret } from './totp-seal.js';

export type MfaKey = KeyObject;

/** Where the installation's key comes from: MFA_KEY when set, else the key file. */
export type MfaKeySource = { readonly key: MfaKey | undefined; readonly file: string };

export type LoadedMfaKey = {
  readonly key: MfaKey;
  /** For the start log: 'MFA_KEY', or the key file's path. */
  readonly from: string;
  /** The key file was made now: the operator is told to keep a copy. */
  readonly created: boolean;
};

/** A sealed secret as stored, for checking the key against the database. */
export type StoredTotpSecret = { readonly userId: number; readonly stored: string };

/**
 * A key the database cannot be used with, or a key file that holds no key or that others than its owner may use: one
 * line, naming the file and the fix.
 */
export class MfaKeyError extends Error {
  override name = 'MfaKeyError';
}

const RESET_HINT =
  'if the key is lost for good, run npm run mfa:reset -- --all (node dist/accounts/mfa-reset-cli.js --all in production), and everyone sets up TOTP again (docs/operations.md#the-mfa-key).';

/** What the operator is told when a key file was made: the server's log and the tools that may make it first say it alike. */
export function describeNewKeyFile(file: string): string {
  return `Made the key for TOTP secrets, ${file}: keep a copy of it once, apart from the database backups, which do not hold it (docs/operations.md#the-mfa-key).`;
}

/** 32 random bytes, held in memory only: for tests and for a database that lives in memory. */
export function generateMfaKey(): MfaKey {
  return createSecretKey(randomBytes(32));
}

/** Permission bits of the key file's group and others: any of them set, and the key is no longer the owner's alone. */
const SHARED_MODE_BITS = 0o077;

/**
 * Refuses a key file its group or others may use, as ssh refuses such a private key: whoever can read it can open
 * every second factor in the database. Checked on the opened file, so the mode and the key read are of one file.
 * Windows has no such bits (Node reports 0666 there), so it is not checked there.
 */
function checkKeyFileMode(file: string, fd: number): void {
  if (process.platform === 'win32') return;
  const mode = fstatSync(fd).mode & 0o777;
  if ((mode & SHARED_MODE_BITS) === 0) return;
  throw new MfaKeyError(
    `the key file ${file} has mode ${mode.toString(8).padStart(4, '0')}: its group or others may read or write it, and it must be readable by its owner only, as ssh requires of a private key. ` +
      `Fix: chmod 600 ${file} (owned by the server's user), then start again (docs/operations.md#the-mfa-key).`,
  );
}

function readKeyFile(file: string): MfaKey {
  const fd = openSync(file, 'r');
  let text: string;
  try {
    checkKeyFileMode(file, fd);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const parsed = MfaKeyTextSchema.safeParse(text);
  if (!parsed.success) {
    throw new MfaKeyError(
      `the key file ${file} holds no usable key (32 random bytes written as base64 or hex). Restore it from where it was kept, or set MFA_KEY to the key; ${RESET_HINT}`,
    );
  }
  return parsed.data;
}

/**
 * Writes a new key file, owner-only (0600) whatever the umask: written in full under a temporary name, then linked
 * to its name, which fails if another process made it meanwhile (then that one's key is used), so no process ever
 * reads half a key. Synced with its folder, since secrets are sealed with it right after.
 */
function createKeyFile(file: string): MfaKey {
  // DATA_DIR itself may not exist yet when DATABASE_FILE points elsewhere.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const bytes = randomBytes(32);
  const temporary = `${file}.${randomBytes(6).toString('hex')}.new`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${bytes.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    return readKeyFile(file);
  } finally {
    unlinkSync(temporary);
  }
  const folder = openSync(dirname(file), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
  return createSecretKey(bytes);
}

/**
 * What a restore says when the restored database holds sealed TOTP secrets that the key here will not open: there is
 * none (a restore onto a new machine, without mfa.key), or it is another one (a key file a first start made here). The
 * server would refuse to start on it (loadMfaKey); said at the restore, with what to copy, the operator need not find
 * out at the start. Undefined when nothing is sealed or the key opens a secret. Reads the key; never makes one.
 */
export function describeMfaKeyForRestore(source: MfaKeySource, sealed: readonly StoredTotpSecret[]): string | undefined {
  if (sealed.length === 0) return undefined;
  const count = `${sealed.length} sealed TOTP secret(s)`;
  const copy =
    `Before starting the server, copy mfa.key from the data folder of the installation the backup was made on to ${source.file}, ` +
    `owned by the server's user and readable by it only (e.g. sudo install -m 600 -o hf-fidelity -g hf-fidelity mfa.key ${source.file}), ` +
    `or set MFA_KEY to its contents; ${RESET_HINT}`;
  let key: MfaKey;
  let from: string;
  if (source.key !== undefined) {
    key = source.key;
    from = 'MFA_KEY';
  } else if (existsSync(source.file)) {
    try {
      key = readKeyFile(source.file);
    } catch (error) {
      if (error instanceof MfaKeyError) return `the restored database holds ${count}, and ${error.message}`;
      // Not readable by this user (EACCES), who is meant to be the server's: the server could not read it either.
      const reason = error instanceof Error ? error.message : String(error);
      return `the restored database holds ${count}, and their key file ${source.file} cannot be read (${reason}): give it to the server's user, mode 0600, before starting the server (docs/operations.md#the-mfa-key).`;
    }
    from = source.file;
  } else {
    return `the restored database holds ${count}, but their key is not here: MFA_KEY is not set and ${source.file} does not exist, so the server will refuse to start. ${copy}`;
  }
  if (sealed.some((row) => openTotpSecret(key, row.userId, row.stored).ok)) return undefined;
  return `none of the ${count} in the restored database opens with the key from ${from}: it is not the key they were sealed with (one a first start made here?), so the server will refuse to start. ${copy}`;
}

/**
 * The installation's key, checked against the secrets sealed in the database: refused (MfaKeyError) when they exist
 * and there is no key, or when not one of them opens with the key found (a key file made anew beside a restored
 * database). A key file is made only when no secret is sealed yet.
 */
export function loadMfaKey(source: MfaKeySource, sealed: readonly StoredTotpSecret[]): LoadedMfaKey {
  let loaded: LoadedMfaKey;
  if (source.key !== undefined) loaded = { key: source.key, from: 'MFA_KEY', created: false };
  else if (existsSync(source.file)) loaded = { key: readKeyFile(source.file), from: source.file, created: false };
  else if (sealed.length > 0) {
    throw new MfaKeyError(
      `the database holds ${sealed.length} sealed TOTP secret(s), but their key is missing: MFA_KEY is not set and the key file ${source.file} does not exist. ` +
        `Restore mfa.key from where it was kept into DATA_DIR (or set MFA_KEY to its contents) and start again; ${RESET_HINT}`,
    );
  } else loaded = { key: createKeyFile(source.file), from: source.file, created: true };
  if (sealed.length > 0 && !sealed.some((row) => openTotpSecret(loaded.key, row.userId, row.stored).ok)) {
    throw new MfaKeyError(
      `none of the ${sealed.length} sealed TOTP secret(s) in the database opens with the key from ${loaded.from}: it is not the key they were sealed with. ` +
        `Put back the key file kept with this installation (or set MFA_KEY to it) and start again; ${RESET_HINT}`,
    );
  }
  return loaded;
}
