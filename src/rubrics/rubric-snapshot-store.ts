// The rubric snapshots reviews are pinned to: stored once per exact content, and read back. A snapshot never changes
// once stored, so the parsed rubric can be kept for the life of the reader without ever going stale.
import type { Db } from '../db/open-database.js';
import { type LoadedRubric, parseRubricSnapshot } from './load-rubrics.js';
import type { Rubric } from './rubric-schema.js';

export function createRubricSnapshotReader(db: Db): (snapshotId: number) => Rubric {
  const cache = new Map<number, Rubric>();
  const jsonStmt = db.prepare('SELECT content_json FROM rubric_snapshots WHERE id = ?');
  return (snapshotId) => {
    const cached = cache.get(snapshotId);
    if (cached) return cached;
    const row = jsonStmt.get(snapshotId) as { content_json: string } | undefined;
    if (!row) throw new Error(`rubric snapshot ${snapshotId} is missing`);
    const rubric = parseRubricSnapshot(row.content_json);
    cache.set(snapshotId, rubric);
    return rubric;
  };
}

/**
 * Stores a rubric's snapshot unless one with the same content is stored, and gives its id. It runs inside the
 * caller's transaction (a new review and its snapshot are written together), so it opens none of its own.
 */
export function createRubricSnapshotWriter(db: Db): (loaded: LoadedRubric, at: string) => number {
  const byHashStmt = db.prepare('SELECT id FROM rubric_snapshots WHERE content_hash = ?');
  const insertStmt = db.prepare(
    'INSERT INTO rubric_snapshots (rubric_id, version, content_hash, content_json, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  return ({ rubric, contentHash, canonicalJson }, at) => {
    const existing = byHashStmt.get(contentHash) as { id: number } | undefined;
    return existing?.id ?? Number(insertStmt.run(rubric.id, rubric.version, contentHash, canonicalJson, at).lastInsertRowid);
  };
}
