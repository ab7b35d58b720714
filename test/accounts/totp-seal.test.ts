// Sealing TOTP secrets at rest (src/accounts/totp-seal.ts): AES-256-GCM, the user id bound in, a clear outcome for
// anything that does not open.
import { describe, expect, it } from 'vitest';
import { generateMfaKey } from '../../src/accounts/mfa-key.js';
import { createTotpSecret } from '../../src/accounts/mfa.js';
import { isSealedTotpSecret, openTotpSecret, sealTotpSecret } from '../../src/accounts/totp-seal.js';

describe('sealTotpSecret and openTotpSecret', () => {
  const key = generateMfaKey();
  const secret = createTotpSecret();

  it('when a secret is sealed, then the value is versioned, holds no clear secret, differs each time, and opens for its user', () => {
    const first = sealTotpSecret(key, 7, secret);
    const second = sealTotpSecret(key, 7, secret);
    expect(first).toMatch(/^v1:[\w-]{16}:[\w-]+:[\w-]{22}$/);
    expect(first).not.toContain(secret);
    expect(second).not.toBe(first);
    expect(isSealedTotpSecret(first)).toBe(true);
    expect(openTotpSecret(key, 7, first)).toEqual({ ok: true, secret, sealed: true });
    expect(openTotpSecret(key, 7, second)).toEqual({ ok: true, secret, sealed: true });
  });

  it('when the key is another, the value was copied to another user, or a part was changed, then it does not open', () => {
    const sealed = sealTotpSecret(key, 7, secret);
    expect(openTotpSecret(generateMfaKey(), 7, sealed)).toEqual({ ok: false, reason: 'does_not_open' });
    expect(openTotpSecret(key, 8, sealed)).toEqual({ ok: false, reason: 'does_not_open' });
    const [version, iv, ciphertext, tag] = sealed.split(':') as [string, string, string, string];
    const flipped = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`;
    expect(openTotpSecret(key, 7, [version, iv, flipped, tag].join(':'))).toEqual({ ok: false, reason: 'does_not_open' });
  });

  it('when the value is a secret stored in clear before sealing, then it is read as it is, marked unsealed', () => {
    expect(isSealedTotpSecret(secret)).toBe(false);
    expect(openTotpSecret(key, 7, secret)).toEqual({ ok: true, secret, sealed: false });
  });

  it('when the value is neither sealed nor a secret, then it is unreadable rather than an exception', () => {
    for (const stored of ['', 'v2:a:b:c', 'v1:short:x:y', 'v1:a:b:c:d', 'not a secret']) {
      expect(openTotpSecret(key, 7, stored)).toEqual({ ok: false, reason: 'unreadable' });
    }
  });
});
