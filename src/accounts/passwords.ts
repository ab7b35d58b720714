// Password hashing with argon2id. Production hashes at the OWASP-recommended cost (19 MiB, 2 passes: about 25 ms a
// hash here); tests hash at argon2's floor so a suite that creates thousands of users does not spend minutes on it.
// argon2.verify reads the parameters from the hash itself, so hashes of either cost verify the same way.
import argon2 from 'argon2';
import type { PasswordHashing } from '../config.js';

export type { PasswordHashing } from '../config.js';

const OPTIONS = {
  owasp: { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  test: { type: argon2.argon2id, memoryCost: 1_024, timeCost: 1, parallelism: 1 },
} as const satisfies Record<PasswordHashing, object>;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string, cost: PasswordHashing = 'owasp'): Promise<string> {
  return argon2.hash(password, OPTIONS[cost]);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
