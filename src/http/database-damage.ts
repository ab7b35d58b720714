// A damaged database as the requests meet it. SQLite answers SQLITE_CORRUPT (or SQLITE_NOTADB) for a page that does not
// read as it should, and a page is read only when a request needs it: the readiness check reads the first pages of two
// tables, so damage elsewhere in the file is found by the first request that reads there. From then on the server is
// not ready (GET /readyz answers 503) until it is restarted, which for a damaged file means after a restore.

/** What the operator does about it, in the log lines that report it. */
export const DAMAGE_ADVICE = 'restore the latest backup (docs/backup.md)';

export type DatabaseDamage = {
  /** Records an error a request met; true when it is the first sign of damage, to be logged once. */
  note(error: unknown): boolean;
  /** The first damage met ("SQLITE_CORRUPT: database disk image is malformed"), or undefined while none was. */
  found(): string | undefined;
};

/** Whether an error is SQLite's answer for a damaged file (the primary codes and their extended ones). */
export function isDatabaseDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)(_|$)/.test(code);
}

/** Made once per app: the error handler notes what requests meet, the readiness check asks. */
export function createDatabaseDamage(): DatabaseDamage {
  let first: string | undefined;
  return {
    note: (error) => {
      if (first !== undefined || !isDatabaseDamage(error)) return false;
      const { code, message } = error as { code: string; message?: unknown };
      first = `${code}: ${typeof message === 'string' ? message : 'damaged'}`;
      return true;
    },
    found: () => first,
  };
}
