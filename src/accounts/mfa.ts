// The second factor for local accounts: TOTP codes (RFC 6238, otplib) and one-time recovery codes. Pure apart from
// the clock and the random source; what is stored lives in mfa-store.ts, the pages in mfa-routes.ts.
import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';

export const RECOVERY_CODE_COUNT = 10;
/** One period either side, for clocks a little off (the default of most services). */
const TOTP_TOLERANCE_SECONDS = 30;
const ISSUER = 'hf-fidelity';
// Letters and digits without those people confuse (0/o, 1/l/i): 31 symbols, so ten carry about 49.5 bits.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function createTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// address an authenticator app reads (typed in or from a QR code the user makes themselves). */
export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret });
}

/** The secret in groups of four, easier to type into an app by hand. */
export function formatSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export type TotpCheck =
  | {
      readonly valid: true;
      readonly timeStep: number;
      /** The last code accepted was of a later period than this one: the server's clock ran ahead then and was set back. */
      readonly clockSetBack: boolean;
    }
  | { readonly valid: false };

const TOTP_PERIOD_SECONDS = 30;

/**
 * A six-digit code for the secret, now or a period either side, and later than the last code accepted (no replay).
 * `nowSeconds` is the machine's clock, which the phone's code follows (not the app's injected clock).
 *
 * A last accepted period beyond the tolerance ahead of now cannot have been a code of now: it was accepted while the
 * server's clock ran ahead. Holding to it would refuse every right code until real time caught up (an hour ahead,
 * an hour locked out, each refusal counting towards the lock-out). Such a period is set aside for this check, and the
 * store's counter moves back to the period accepted now (useTimeStep with the set-aside period).
 */
export async function checkTotp(
  secret: string,
  code: string,
  lastUsedStep: number | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const latestPossible = Math.floor((nowSeconds + TOTP_TOLERANCE_SECONDS) / TOTP_PERIOD_SECONDS);
  const clockSetBack = lastUsedStep !== undefined && lastUsedStep > latestPossible;
  const after = lastUsedStep === undefined || clockSetBack ? undefined : lastUsedStep;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: nowSeconds,
      epochTolerance: TOTP_TOLERANCE_SECONDS,
      ...(after === undefined ? {} : { afterTimeStep: after }),
    });
    // The union's HOTP half has no timeStep; a TOTP check (the default strategy) always has one.
    return result.valid && 'timeStep' in result ? { valid: true, timeStep: result.timeStep, clockSetBack } : { valid: false };
  } catch {
    // otplib throws on malformed input; for us that is just a wrong code.
    return { valid: false };
  }
}

/** Ten codes of ten symbols (about 49.5 bits each) shown as xxxxx-xxxxx: high-entropy, so a SHA-256 hash is enough at rest. */
export function createRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const symbols = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)] ?? 'a').join('');
    return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
  });
}

/** Case, spaces and dashes do not matter when a code is typed. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}

/** A typed code that looks like a recovery code rather than a TOTP code. */
export function looksLikeRecoveryCode(code: string): boolean {
  return normalizeRecoveryCode(code).length === 10;
}
