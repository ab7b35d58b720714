// Login rate limiting: after too many failed logins for one account, or from one client address, within a window,
// further attempts are refused for a while without checking the password. Counters live in SQLite (restarts keep them).
// Account counters exist for any email typed, known or not, so a lock-out never reveals whether an account exists.
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { CounterUpdate, FailureCounter, LoginAttemptStore } from './login-attempt-store.js';

export type LoginThrottlePolicy = {
  /** Failed logins for one account within the window that lock it. */
  readonly loginMaxFailures: number;
  /** Failed logins from one client address within the window that lock the address. */
  readonly loginMaxFailuresPerIp: number;
  readonly loginWindowMs: number;
  readonly loginLockMs: number;
};

export type LoginLock = { readonly lockedUntil: number };

export type LoginThrottle = {
  /** The lock in force for this email or address, if any: the password must not even be checked then. */
  findLock(email: string, ip: string | undefined, now?: number): LoginLock | undefined;
  /** Counts a failed login; returns the lock when this failure reached a limit. */
  recordFailure(email: string, ip: string | undefined, now?: number): LoginLock | undefined;
  /** A successful login clears the account's counter (not the address's: one good login must not reset a spray). */
  recordSuccess(email: string): void;
  /** Lifts the account's lock and forgets its failures (an administrator has just set a new password). */
  unlockAccount(email: string): void;
};

function hashKey(scope: 'account' | 'ip', value: string): string {
  return `${scope}:${createHash('sha256').update(value).digest('hex')}`;
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
  return hashKey('ip', `${groups.slice(0, 4).map((g) => Number.parseInt(g || '0', 16).toString(16)).join(':')}::/64`);
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

function activeLock(counter: FailureCounter | undefined, now: number): LoginLock | undefined {
  return counter?.lockedUntil !== undefined && counter.lockedUntil > now ? { lockedUntil: counter.lockedUntil } : undefined;
}

/** The later of two locks: the one that decides when the user may try again. */
function laterLock(a: LoginLock | undefined, b: LoginLock | undefined): LoginLock | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.lockedUntil >= b.lockedUntil ? a : b;
}

export function createLoginThrottle(store: LoginAttemptStore, policy: LoginThrottlePolicy, clock: () => number = Date.now): LoginThrottle {
  return {
    findLock: (email, ip, now = clock()) =>
      laterLock(activeLock(store.findCounter(accountKey(email)), now), activeLock(store.findCounter(clientKey(ip)), now)),

    recordFailure: (email, ip, now = clock()) => {
      const updates: CounterUpdate[] = [
        { key: accountKey(email), next: (current) => countFailure(current, now, policy.loginMaxFailures, policy) },
        { key: clientKey(ip), next: (current) => countFailure(current, now, policy.loginMaxFailuresPerIp, policy) },
      ];
      const [account, client] = store.updateCounters(updates, now);
      return laterLock(activeLock(account, now), activeLock(client, now));
    },

    recordSuccess: (email) => store.deleteCounter(accountKey(email)),
    unlockAccount: (email) => store.deleteCounter(accountKey(email)),
  };
}
