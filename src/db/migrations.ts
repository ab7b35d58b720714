// Append-only list of schema migrations: entry i brings the schema to version i + 1.
// Each lives in its own file under migrations/. Never edit or reorder one that has shipped; append a new one.
import * as m001 from './migrations/001-core.js';

export const MIGRATIONS: readonly string[] = [
  m001.sql,
  // (append new migrations above this line, one per line, in order)
];
