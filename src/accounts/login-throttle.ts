// Login rate limiting: after too many failed logins for one account, or from one client address, within a window,
// further attempts are refused for a while without checking the password. Counters live in SQLite (restarts keep them).
// Account counters exist for any email typed, known or not, so a lock-out never reveals whether an account exists.
//
// Each attempt takes its place in both counters *before* its password is checked, in one transaction, and counts as
// a failure until it succeeds. So attempts sent at once cannot all read "not locked" before any failure is written:
// the limit-th attempt locks the account (or address) as it is let through, later ones are refused unchecked, and a
// correct password checked meanwhile does not log in once another attempt has locked the account.
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { CounterChange, FailureCounter, LoginAttemptStore } from './login-attempt-store.js';

export type LoginThrottlePolicy = {
  /** Failed logins for one account within the window that lock it. */
  readonly loginMaxFailures: number;
  /** Failed logins from one client address within the window that lock the address. */
  readonly loginMaxFailuresPerIp: number;
  readonly loginWindowMs: number;
  readonly loginLockMs: number;
};

/** Which counter holds a lock: the account's (its e-mail's, or a user's codes), the client address's, or both. */
export type LockedBy = 'account' | 'address' | 'both';

export type LoginLock = { readonly lockedUntil: number; readonly lockedBy: LockedBy };

/** An attempt let through to the password check, holding its place in the account's and the address's counters. */
export type LoginReservation = {
  readonly accountKey: string;
  readonly clientKey: string;
  /** The locks this attempt set itself (it took the last place), told apart from locks other attempts set. */
  readonly accountLockedUntil: number | undefined;
  readonly clientLockedUntil: number | undefined;
  /** The address's window this attempt was counted in, so a success gives back its own place only. */
  readonly clientWindowStartedAt: number;
};

export type LoginAttempt =
  | { readonly allowed: true; readonly reservation: LoginReservation }
  | { readonly allowed: false; readonly lock: LoginLock };

export type LoginThrottle = {
  /**
   * Takes a place for one attempt in the account's and the address's counters, in one write, before the password
   * is checked. Refused with the lock in force when either is locked: the password must not even be checked then.
   */
  reserveAttempt(email: string, ip: string | undefined, now?: number): LoginAttempt;
  /** The password was wrong (the failure was counted when the place was taken): the lock in force, if any. */
  recordFailure(reservation: LoginReservation, now?: number): LoginLock | undefined;
  /**
   * The password was right. Unless another attempt locked the account or the address meanwhile (then that lock is
   * returned and nobody logs in), clears the account's counter and gives back this attempt's place at the address
   * (not the address's other failures: one good login must not reset a spray).
   */
  recordSuccess(reservation: LoginReservation, now?: number): LoginLock | undefined;
  /** Lifts the account's lock and forgets its failures (an administrator has just set a new password). */
  unlockAccount(email: string): void;
  /** Lifts the lock of a user's second-factor codes and forgets their failures (the factor has just been reset). */
  unlockMfa(userId: number): void;
};

function hashKey(scope: 'account' | 'ip', value: string): string {
  return `${scope}:${createHash('sha256').update(value).digest('hex')}`;
}

/**
 * What a user's second-factor codes are counted under, given to reserveAttempt in place of an e-mail: apart from the
 * password's counter (keyed by e-mail), and sharing the address's with logins.
 */
export function mfaThrottleKey(userId: number): string {
  return `mfa:${userId}`;
}

/** Emails compare case-insensitively, as at login. */
export function accountKey(email: string): string {
  return hashKey('account', email.trim().toLowerCase());
}

/**
 * IPv4 addresses count one by one; IPv6 addresses by their /64 network, because one subscriber usually gets a whole
 * /64 and could otherwise rotate through addresses. IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4 address.
 */
export function clientKey(ip: string | undefined): string {
  const address = (ip ?? 'unknown').trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return hashKey('ip', mapped[1]);
  if (isIPv4(address) || !address.includes(':')) return hashKey('ip', address);
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? [''];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return hashKey(
    'ip',
    `${groups
      .slice(0, 4)
      .map((g) => Number.parseInt(g || '0', 16).toString(16))
      .join(':')}::/64`,
  );
}

/** The counter after one more failure, under a limit. Pure, so the policy can be tested without a database. */
export function countFailure(current: FailureCounter | undefined, now: number, limit: number, policy: LoginThrottlePolicy): FailureCounter {
  const windowOver = current === undefined || now - current.windowStartedAt >= policy.loginWindowMs;
  const lockOver = current?.lockedUntil !== undefined && current.lockedUntil <= now;
  const failures = windowOver || lockOver || current === undefined ? 1 : current.failures + 1;
  const windowStartedAt = windowOver || lockOver || current === undefined ? now : current.windowStartedAt;
  const lockedUntil = failures >= limit ? now + policy.loginLockMs : undefined;
  return { failures, windowStartedAt, lockedUntil, expiresAt: Math.max(windowStartedAt + policy.loginWindowMs, lockedUntil ?? 0) };
}

function activeLock(counter: FailureCounter | undefined, now: number, lockedBy: 'account' | 'address'): LoginLock | undefined {
  return counter?.lockedUntil !== undefined && counter.lockedUntil > now ? { lockedUntil: counter.lockedUntil, lockedBy } : undefined;
}

/** The account's and the address's locks as one: the later time decides when the user may try again. */
function combineLocks(account: LoginLock | undefined, address: LoginLock | undefined): LoginLock | undefined {
  if (!account) return address;
  if (!address) return account;
  return { lockedUntil: Math.max(account.lockedUntil, address.lockedUntil), lockedBy: 'both' };
}

/** The address's counter once a successful attempt gives back its place; undefined when nothing is left to count. */
export function releaseAttempt(
  current: FailureCounter | undefined,
  reservation: Pick<LoginReservation, 'clientLockedUntil' | 'clientWindowStartedAt'>,
  policy: LoginThrottlePolicy,
): FailureCounter | undefined {
  // A counter that started a new window since holds other attempts only.
  if (current === undefined || current.windowStartedAt !== reservation.clientWindowStartedAt) return current;
  const failures = Math.max(0, current.failures - 1);
  const lockedUntil = current.lockedUntil === reservation.clientLockedUntil ? undefined : current.lockedUntil;
  if (failures === 0 && lockedUntil === undefined) return undefined;
  return {
    failures,
    windowStartedAt: current.windowStartedAt,
    lockedUntil,
    expiresAt: Math.max(current.windowStartedAt + policy.loginWindowMs, lockedUntil ?? 0),
  };
}

export function createLoginThrottle(store: LoginAttemptStore, policy: LoginThrottlePolicy, clock: () => number = Date.now): LoginThrottle {
  /** A lock in force that this attempt did not set itself. */
  const othersLock = (
    counter: FailureCounter | undefined,
    own: number | undefined,
    now: number,
    lockedBy: 'account' | 'address',
  ): LoginLock | undefined => {
    const lock = activeLock(counter, now, lockedBy);
    return lock && lock.lockedUntil !== own ? lock : undefined;
  };

  return {
    reserveAttempt: (email, ip, now = clock()) => {
      const keys = [accountKey(email), clientKey(ip)] as const;
      return store.changeCounters<LoginAttempt>(keys, now, ([account, client]) => {
        const lock = combineLocks(activeLock(account, now, 'account'), activeLock(client, now, 'address'));
        if (lock) return { changes: [], result: { allowed: false, lock } };
        const nextAccount = countFailure(account, now, policy.loginMaxFailures, policy);
        const nextClient = countFailure(client, now, policy.loginMaxFailuresPerIp, policy);
        return {
          changes: [
            { key: keys[0], counter: nextAccount },
            { key: keys[1], counter: nextClient },
          ],
          result: {
            allowed: true,
            reservation: {
              accountKey: keys[0],
              clientKey: keys[1],
              accountLockedUntil: nextAccount.lockedUntil,
              clientLockedUntil: nextClient.lockedUntil,
              clientWindowStartedAt: nextClient.windowStartedAt,
            },
          },
        };
      });
    },

    recordFailure: (reservation, now = clock()) =>
      combineLocks(
        activeLock(store.findCounter(reservation.accountKey), now, 'account'),
        activeLock(store.findCounter(reservation.clientKey), now, 'address'),
      ),

    recordSuccess: (reservation, now = clock()) =>
      store.changeCounters<LoginLock | undefined>([reservation.accountKey, reservation.clientKey], now, ([account, client]) => {
        const lock = combineLocks(
          othersLock(account, reservation.accountLockedUntil, now, 'account'),
          othersLock(client, reservation.clientLockedUntil, now, 'address'),
        );
        if (lock) return { changes: [], result: lock };
        const changes: CounterChange[] = [
          { key: reservation.accountKey, counter: undefined },
          { key: reservation.clientKey, counter: releaseAttempt(client, reservation, policy) },
        ];
        return { changes, result: undefined };
      }),

    unlockAccount: (email) => store.deleteCounter(accountKey(email)),
    unlockMfa: (userId) => store.deleteCounter(accountKey(mfaThrottleKey(userId))),
  };
}
