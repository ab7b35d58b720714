// The worker pool the PDF report and the scoring sheet run on, with a tiny echo worker: results, failures, the
// bounded queue, time limits, crashed workers, closing, and shares of one pool.
import { describe, expect, it, vi } from 'vitest';
import { createWorkerPool, sharePool } from '../../src/workers/worker-pool.js';

type Job = { readonly kind: 'echo' | 'fail' | 'crash'; readonly value?: string; readonly ms?: number };
type Result = { readonly value: string; readonly threadId: number };

class BusyError extends Error {}

function makePool(overrides: { maxWorkers?: number; maxQueue?: number; timeoutMs?: number; idleMs?: number; keepWarm?: number } = {}) {
  return createWorkerPool<Job, Result>({
    workerUrl: new URL('./echo-worker.mjs', import.meta.url),
    label: 'echo',
    maxWorkers: overrides.maxWorkers ?? 2,
    maxQueue: overrides.maxQueue ?? 2,
    idleMs: overrides.idleMs ?? 5_000,
    ...(overrides.keepWarm === undefined ? {} : { keepWarm: overrides.keepWarm }),
    timeoutMs: overrides.timeoutMs ?? 5_000,
    busyError: (waiting) => new BusyError(`${waiting} waiting`),
  });
}

describe('createWorkerPool', () => {
  it('runs jobs in worker threads, at most maxWorkers at once, and reuses them', async () => {
    const pool = makePool({ maxWorkers: 2, maxQueue: 4 });
    try {
      const results = await Promise.all(['a', 'b', 'c', 'd'].map((value) => pool.run({ kind: 'echo', value, ms: 30 })));
      expect(results.map((r) => r.value)).toEqual(['a', 'b', 'c', 'd']);
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects a job the worker fails with its message, and goes on with the next one', async () => {
    const pool = makePool();
    try {
      await expect(pool.run({ kind: 'fail' })).rejects.toThrow(/the echo failed in its worker: asked to fail/);
      await expect(pool.run({ kind: 'echo', value: 'after' })).resolves.toMatchObject({ value: 'after' });
    } finally {
      await pool.close();
    }
  });

  it('refuses jobs beyond the running and waiting ones with the busy error, at once', async () => {
    const pool = makePool({ maxWorkers: 1, maxQueue: 1 });
    try {
      const running = pool.run({ kind: 'echo', value: 'running', ms: 200 });
      const waiting = pool.run({ kind: 'echo', value: 'waiting' });
      await expect(pool.run({ kind: 'echo', value: 'too many' })).rejects.toBeInstanceOf(BusyError);
      await expect(Promise.all([running, waiting])).resolves.toHaveLength(2);
    } finally {
      await pool.close();
    }
  });

  it('stops a job past its time limit and serves the next one on a fresh worker', async () => {
    // The limit also covers the fresh worker's start, which takes more than 100 ms on a loaded machine: 1 s.
    const pool = makePool({ maxWorkers: 1, timeoutMs: 1_000 });
    try {
      await expect(pool.run({ kind: 'echo', value: 'slow', ms: 10_000 })).rejects.toThrow(/took longer than 1000 ms/);
      await expect(pool.run({ kind: 'echo', value: 'next' })).resolves.toMatchObject({ value: 'next' });
    } finally {
      await pool.close();
    }
  });

  it('rejects the job of a worker that crashed, and replaces the worker', async () => {
    const pool = makePool({ maxWorkers: 1 });
    try {
      const first = await pool.run({ kind: 'echo', value: 'before' });
      await expect(pool.run({ kind: 'crash' })).rejects.toThrow(/the echo worker stopped \(exit code 3\)/);
      const after = await pool.run({ kind: 'echo', value: 'after' });
      expect(after.value).toBe('after');
      expect(after.threadId).not.toBe(first.threadId);
    } finally {
      await pool.close();
    }
  });

  it('when closed, rejects the waiting jobs and refuses new ones', async () => {
    const pool = makePool({ maxWorkers: 1, maxQueue: 2 });
    // Settled promises, so closing cannot leave a rejection unhandled while it runs.
    const running = pool.run({ kind: 'echo', value: 'running', ms: 300 }).catch((error: unknown) => error);
    const waiting = pool.run({ kind: 'echo', value: 'waiting' }).catch((error: unknown) => error);
    await pool.close();
    expect(String(await waiting)).toMatch(/closed/);
    expect(await running).toBeInstanceOf(Error);
    await expect(pool.run({ kind: 'echo', value: 'late' })).rejects.toThrow(/closed/);
  });

  it('when workers have been idle past idleMs, then all but one stop, and that one serves the next job warm', async () => {
    // Only the pool's own timers are faked: the workers' messages still arrive as they do.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pool = makePool({ maxWorkers: 2, maxQueue: 2, idleMs: 1_000 });
    try {
      const before = await Promise.all(['a', 'b'].map((value) => pool.run({ kind: 'echo', value })));
      const threads = new Set(before.map((r) => r.threadId));
      expect(threads.size).toBe(2);
      vi.advanceTimersByTime(5_000);
      const after = await Promise.all(['c', 'd'].map((value) => pool.run({ kind: 'echo', value })));
      const kept = after.filter((r) => threads.has(r.threadId));
      expect(kept).toHaveLength(1);
      vi.advanceTimersByTime(60_000);
      // Long after: still one of the two workers of the last round, not a fresh one.
      expect(after.map((r) => r.threadId)).toContain((await pool.run({ kind: 'echo', value: 'e' })).threadId);
    } finally {
      vi.useRealTimers();
      await pool.close();
    }
  });

  it('when keepWarm is 0, then an idle worker stops after idleMs and the next job starts a fresh one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pool = makePool({ maxWorkers: 1, idleMs: 1_000, keepWarm: 0 });
    try {
      const first = await pool.run({ kind: 'echo', value: 'first' });
      vi.advanceTimersByTime(5_000);
      const next = await pool.run({ kind: 'echo', value: 'next' });
      expect(next.threadId).not.toBe(first.threadId);
    } finally {
      vi.useRealTimers();
      await pool.close();
    }
  });

  it('when shared, runs every share on the pool’s workers; a closed share refuses its own jobs while the others go on', async () => {
    const pool = makePool({ maxWorkers: 1, maxQueue: 2 });
    const first = sharePool(pool, 'echo');
    const second = sharePool(pool, 'echo');
    try {
      const a = await first.run({ kind: 'echo', value: 'a' });
      const b = await second.run({ kind: 'echo', value: 'b' });
      expect([a.value, b.value]).toEqual(['a', 'b']);
      expect(b.threadId).toBe(a.threadId);
      // Settled promises, so closing cannot leave a rejection unhandled while it runs.
      const unanswered = first.run({ kind: 'echo', value: 'running', ms: 200 }).catch((error: unknown) => error);
      const othersJob = second.run({ kind: 'echo', value: 'queued' });
      await first.close();
      expect(String(await unanswered)).toMatch(/the echo workers are closed/);
      await expect(first.run({ kind: 'echo', value: 'late' })).rejects.toThrow(/closed/);
      // The pool and the other share were not closed with it: the same worker answers.
      expect(await othersJob).toEqual({ value: 'queued', threadId: a.threadId });
      expect(await second.run({ kind: 'echo', value: 'after' })).toEqual({ value: 'after', threadId: a.threadId });
    } finally {
      await pool.close();
    }
  });

  it('when a shared pool’s job fails, then only that share’s job is rejected, with the pool’s message', async () => {
    const pool = makePool({ maxWorkers: 1 });
    const share = sharePool(pool, 'echo');
    try {
      await expect(share.run({ kind: 'fail' })).rejects.toThrow(/the echo failed in its worker: asked to fail/);
      await expect(share.run({ kind: 'echo', value: 'next' })).resolves.toMatchObject({ value: 'next' });
    } finally {
      await pool.close();
    }
  });
});
