// How many SQL statements a piece of synchronous code runs on a database: for tests that hold a batch read to a fixed
// number of statements, however many rows it reads. It wraps the statement methods of better-sqlite3 for the call
// alone and puts them back before returning, so nothing else (another test in the same worker) is counted or changed.
import type { Database } from 'better-sqlite3';

const METHODS = ['run', 'get', 'all', 'iterate'] as const;

export function countStatements<T>(db: Database, work: () => T): { readonly result: T; readonly statements: readonly string[] } {
  const prototype = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<(typeof METHODS)[number], unknown>;
  const originals = METHODS.map((method) => [method, prototype[method]] as const);
  const statements: string[] = [];
  for (const [method, original] of originals) {
    const call = original as (this: { source: string }, ...args: unknown[]) => unknown;
    prototype[method] = function (this: { source: string }, ...args: unknown[]) {
      statements.push(this.source.replace(/\s+/g, ' ').trim());
      return call.apply(this, args);
    };
  }
  try {
    return { result: work(), statements };
  } finally {
    for (const [method, original] of originals) prototype[method] = original;
  }
}
