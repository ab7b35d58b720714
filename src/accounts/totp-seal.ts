// TOTP secrets sealed at rest: AES-256-GCM with the installation's key (mfa-key.ts), kept outside the database, so a
// copy of the database file alone (a backup, a disk image of it) gives no one's second factor. The user's id is the
// additional authenticated data: a sealed secret copied into another user's row does not open.
import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';

/** Sealed values start with their version, so a later scheme can be read beside this one. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** What otplib makes (base32): a secret stored before sealing existed. */
const CLEAR_SECRET = /^[A-Z2-7]+=*$/;

export type OpenedTotpSecret =
  | { readonly ok: true; readonly secret: string; readonly sealed: boolean }
  /**
   * 'does_not_open': the key is not the one it was sealed with, or the value or its row's user id was changed.
   * 'unreadable': neither a sealed value of a known version nor a secret stored in clear.
   */
  | { readonly ok: false; readonly reason: 'does_not_open' | 'unreadable' };

function additionalData(userId: number): Buffer {
  return Buffer.from(`hf-fidelity:user_totp:${userId}`, 'utf8');
}

/** `v1:<iv>:<ciphertext>:<tag>`, each part base64url, with a fresh random IV. */
export function sealTotpSecret(key: KeyObject, userId: number, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(userId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

export function isSealedTotpSecret(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`);
}

/** The secret of a stored value; one stored in clear (before sealing existed) is read as it is until it is sealed. */
export function openTotpSecret(key: KeyObject, userId: number, stored: string): OpenedTotpSecret {
  if (CLEAR_SECRET.test(stored)) return { ok: true, secret: stored, sealed: false };
  const [version, iv, ciphertext, tag, extra] = stored
    .split(':')
    .map((part, index) => (index === 0 ? part : Buffer.from(part, 'base64url')));
  if (
    version !== VERSION ||
    !(iv instanceof Buffer) ||
    !(ciphertext instanceof Buffer) ||
    !(tag instanceof Buffer) ||
    extra !== undefined
  ) {
    return { ok: false, reason: 'unreadable' };
  }
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return { ok: false, reason: 'unreadable' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(userId));
    decipher.setAuthTag(tag);
    const secret = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    return { ok: true, secret, sealed: true };
  } catch {
    // final() throws when the tag does not match: a wrong key, or a changed value, IV or user id.
    return { ok: false, reason: 'does_not_open' };
  }
}
