// Reads the rubric snapshots reviews are pinned to. A snapshot never changes once stored, so the parsed
// rubric can be kept for the life of the store without ever going stale.
import type { Db } from '../db/open-database.js';
import { parseRubricSnapshot } from './load-rubrics.js';
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
