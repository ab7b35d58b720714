// The second factor's rows (migration 12): the TOTP secret, sealed with the installation's key (totp-seal.ts),
// hashed recovery codes and lock-outs. The audit log is written by the tables' triggers, with the acting user set
// for each write.
import { createActorScope } from '../db/audit-actor.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import type { MfaKey, StoredTotpSecret } from './mfa-key.js';
import { isSealedTotpSecret, type OpenedTotpSecret, openTotpSecret, sealTotpSecret } from './totp-seal.js';

export type TotpEnrolment = {
  readonly userId: number;
  /** The secret, or why it does not open with this key (then no code is accepted; recovery codes still are). */
  readonly secret: OpenedTotpSecret;
  readonly lastUsedStep: number | undefined;
  readonly enabledAt: string;
};

type TotpRow = { user_id: number; secret: string; last_used_step: number | null; enabled_at: string };

export type MfaStore = ReturnType<typeof createMfaStore>;

/**
 * `key` is the installation's key for TOTP secrets; undefined in a process that never reads or writes a second factor
 * (the report tool), where using the store is a programming error.
 */
export function createMfaStore(db: Db, clock: Clock, maybeKey: MfaKey | undefined) {
  const keyOf = (): MfaKey => {
    if (maybeKey === undefined) throw new Error('this process was built without the key for TOTP secrets');
    return maybeKey;
  };
  const runAs = createActorScope(db);
  const findStmt = db.prepare('SELECT user_id, secret, last_used_step, enabled_at FROM user_totp WHERE user_id = ?');
  const insertStmt = db.prepare('INSERT INTO user_totp (user_id, secret, enabled_at, recovery_codes_created_at) VALUES (?, ?, ?, ?)');
  const deleteStmt = db.prepare('DELETE FROM user_totp WHERE user_id = ?');
  // Only moves forward: two requests with codes of different periods cannot step the counter back.
  const useStepStmt = db.prepare(
    'UPDATE user_totp SET last_used_step = ? WHERE user_id = ? AND (last_used_step IS NULL OR last_used_step < ?)',
  );
  // After the server's clock was set back (checkTotp's clockSetBack): the counter moves back to the period accepted
  // now, from exactly the value the check set aside, so a concurrent use cannot be undone.
  const stepBackStmt = db.prepare('UPDATE user_totp SET last_used_step = ? WHERE user_id = ? AND last_used_step = ?');
  const renewStmt = db.prepare('UPDATE user_totp SET recovery_codes_created_at = ? WHERE user_id = ?');
  const deleteCodesStmt = db.prepare('DELETE FROM mfa_recovery_codes WHERE user_id = ?');
  const insertCodeStmt = db.prepare('INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES (?, ?)');
  const useCodeStmt = db.prepare('UPDATE mfa_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL');
  const countCodesStmt = db.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL');
  const insertLockoutStmt = db.prepare('INSERT INTO mfa_lockouts (user_id, locked_until, created_at) VALUES (?, ?, ?)');

  const replaceCodes = (userId: number, codeHashes: readonly string[]): void => {
    deleteCodesStmt.run(userId);
    for (const hash of codeHashes) insertCodeStmt.run(userId, hash);
  };

  const enable = db.transaction((userId: number, secret: string, codeHashes: readonly string[], timeStep: number): boolean =>
    runAs(userId, () => {
      if (findStmt.get(userId) !== undefined) return false;
      const now = clock().toISOString();
      insertStmt.run(userId, sealTotpSecret(keyOf(), userId, secret), now, now);
      useStepStmt.run(timeStep, userId, timeStep);
      replaceCodes(userId, codeHashes);
      return true;
    }),
  );

  const disable = db.transaction((userId: number, actorId: number): void =>
    runAs(actorId, () => {
      deleteStmt.run(userId);
      deleteCodesStmt.run(userId);
    }),
  );

  const renewCodes = db.transaction((userId: number, codeHashes: readonly string[]): void =>
    runAs(userId, () => {
      renewStmt.run(clock().toISOString(), userId);
      replaceCodes(userId, codeHashes);
    }),
  );

  const useCode = db.transaction((userId: number, codeHash: string): boolean =>
    runAs(userId, () => useCodeStmt.run(clock().toISOString(), userId, codeHash).changes === 1),
  );

  const recordLockout = db.transaction((userId: number, lockedUntil: number): void =>
    runAs(userId, () => {
      insertLockoutStmt.run(userId, lockedUntil, clock().toISOString());
    }),
  );

  return {
    findTotp: (userId: number): TotpEnrolment | undefined => {
      const row = findStmt.get(userId) as TotpRow | undefined;
      return row
        ? {
            userId: row.user_id,
            secret: openTotpSecret(keyOf(), row.user_id, row.secret),
            lastUsedStep: row.last_used_step ?? undefined,
            enabledAt: row.enabled_at,
          }
        : undefined;
    },
    /** Turns TOTP on with its first accepted code's time step and fresh recovery codes; false if it already was on. */
    enableTotp: (userId: number, secret: string, codeHashes: readonly string[], timeStep: number): boolean =>
      enable(userId, secret, codeHashes, timeStep),
    disableTotp: (userId: number, actorId: number): void => disable(userId, actorId),
    /** Records a code's time step as used; false when that step (or a later one) was used already: a replay. */
    useTimeStep: (userId: number, timeStep: number, setAside?: number): boolean =>
      (setAside === undefined ? useStepStmt.run(timeStep, userId, timeStep) : stepBackStmt.run(timeStep, userId, setAside)).changes === 1,
    renewRecoveryCodes: (userId: number, codeHashes: readonly string[]): void => renewCodes(userId, codeHashes),
    /** Uses up one recovery code; false when it is not one of the user's unused codes. */
    useRecoveryCode: (userId: number, codeHash: string): boolean => useCode(userId, codeHash),
    countRecoveryCodes: (userId: number): number => (countCodesStmt.get(userId) as { n: number }).n,
    recordLockout: (userId: number, lockedUntil: number): void => recordLockout(userId, lockedUntil),
  };
}

export type TotpSecretStore = ReturnType<typeof createTotpSecretStore>;

/**
 * The TOTP rows as stored, for what is done before (or without) a key: checking the key against the database at
 * start, sealing secrets stored in clear before sealing existed, removing every enrolment when the key is lost, and
 * removing one person's when they lost both their phone and their recovery codes and no administrator can do it.
 */
export function createTotpSecretStore(db: Db) {
  const runAs = createActorScope(db);
  const listStmt = db.prepare('SELECT user_id, secret FROM user_totp ORDER BY user_id');
  const sealStmt = db.prepare('UPDATE user_totp SET secret = ? WHERE user_id = ? AND secret = ?');
  const deleteAllTotpStmt = db.prepare('DELETE FROM user_totp');
  const deleteAllCodesStmt = db.prepare('DELETE FROM mfa_recovery_codes');
  const deleteTotpStmt = db.prepare('DELETE FROM user_totp WHERE user_id = ?');
  const deleteCodesStmt = db.prepare('DELETE FROM mfa_recovery_codes WHERE user_id = ?');
  const listStored = (): StoredTotpSecret[] =>
    (listStmt.all() as { user_id: number; secret: string }[]).map((row) => ({ userId: row.user_id, stored: row.secret }));

  const sealClear = db.transaction((key: MfaKey): number => {
    let sealed = 0;
    for (const row of listStored()) {
      if (isSealedTotpSecret(row.stored)) continue;
      const opened = openTotpSecret(key, row.userId, row.stored);
      // Left as it is when it is not a secret at all: the login refuses its codes and logs why.
      if (opened.ok) sealed += sealStmt.run(sealTotpSecret(key, row.userId, opened.secret), row.userId, row.stored).changes;
    }
    return sealed;
  });

  // Each removed enrolment is audited by the delete trigger as 'disabled', with no acting user of the app: the tool
  // that runs this records itself as the one who acted (openCommandDatabase).
  const removeAll = db.transaction((): number =>
    runAs(undefined, () => {
      deleteAllCodesStmt.run();
      return deleteAllTotpStmt.run().changes;
    }),
  );

  const removeOne = db.transaction((userId: number): boolean =>
    runAs(undefined, () => {
      deleteCodesStmt.run(userId);
      return deleteTotpStmt.run(userId).changes === 1;
    }),
  );

  return {
    listSealedSecrets: (): StoredTotpSecret[] => listStored().filter((row) => isSealedTotpSecret(row.stored)),
    /** Seals every secret stored in clear, in one transaction; the number sealed. */
    sealClearSecrets: (key: MfaKey): number => sealClear(key),
    /** Removes every TOTP enrolment and recovery code (the key is lost); the number of users who had one. */
    removeAllTotp: (): number => removeAll(),
    /** Removes one user's TOTP enrolment and recovery codes, audited as the removeAllTotp ones are; false if they had none. */
    removeTotp: (userId: number): boolean => removeOne(userId),
  };
}
