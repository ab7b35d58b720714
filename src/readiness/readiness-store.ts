// The readiness checklist: per program, rubric and indicator, whether the evidence the panel will ask for is ready.
import { todayInSweden } from '../i18n/calendar.js';
import { z } from 'zod';
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';

export const READINESS_STATUSES = ['ready', 'partly', 'missing'] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];
export const ReadinessStatusSchema = z.enum(READINESS_STATUSES);

export type ReadinessCheck = {
  readonly indicatorId: string;
  readonly status: ReadinessStatus;
  readonly note: string;
  /** YYYY-MM-DD: when the evidence was last checked. */
  readonly checkedOn: string;
  /** Goes up with every change; the form carries it so a save based on a stale form is caught. */
  readonly version: number;
};

/** What a section form sends for one indicator: a status or 'unchecked' (which clears it), a note, an optional date. */
export type ReadinessInput = {
  readonly indicatorId: string;
  readonly status: ReadinessStatus | 'unchecked';
  readonly note: string;
  /** Undefined: today when anything changed, otherwise the stored date stays. */
  readonly checkedOn: string | undefined;
  /** The version the form was based on (0: no check then); undefined skips the check (no form sent one). */
  readonly expectedVersion?: number | undefined;
};

/** A check someone else changed since the form was loaded, with what is stored now (undefined: cleared). */
export type ReadinessConflict = { readonly indicatorId: string; readonly current: ReadinessCheck | undefined };

export type ReadinessSaveOutcome =
  | { readonly outcome: 'saved'; readonly changed: number }
  | { readonly outcome: 'conflict'; readonly conflicts: readonly ReadinessConflict[] };

type CheckRow = { indicator_id: string; status: string; note: string; checked_on: string; version: number };

export type ReadinessStore = ReturnType<typeof createReadinessStore>;

export function createReadinessStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const checksStmt = db.prepare(
    'SELECT indicator_id, status, note, checked_on, version FROM readiness_checks WHERE program_id = ? AND rubric_id = ?',
  );
  const rubricsStmt = db.prepare('SELECT DISTINCT rubric_id FROM readiness_checks WHERE program_id = ? ORDER BY rubric_id');
  const upsertStmt = db.prepare(
    `INSERT INTO readiness_checks (program_id, rubric_id, indicator_id, status, note, checked_on, updated_by, updated_at)
     VALUES (@programId, @rubricId, @indicatorId, @status, @note, @checkedOn, @actorId, @now)
     ON CONFLICT (program_id, rubric_id, indicator_id) DO UPDATE SET
       status = excluded.status, note = excluded.note, checked_on = excluded.checked_on,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = readiness_checks.version + 1`,
  );
  const deleteStmt = db.prepare('DELETE FROM readiness_checks WHERE program_id = ? AND rubric_id = ? AND indicator_id = ?');

  const readChecks = (programId: number, rubricId: string): Map<string, ReadinessCheck> =>
    new Map(
      (checksStmt.all(programId, rubricId) as CheckRow[]).map((row) => [
        row.indicator_id,
        {
          indicatorId: row.indicator_id,
          status: ReadinessStatusSchema.parse(row.status),
          note: row.note,
          checkedOn: row.checked_on,
          version: row.version,
        },
      ]),
    );

  const save = db.transaction(
    (
      programId: number,
      rubricId: string,
      inputs: readonly ReadinessInput[],
      actorId: number,
      today: string,
      now: string,
    ): ReadinessSaveOutcome =>
      runAs(actorId, () => {
        const stored = readChecks(programId, rubricId);
        // A check changed by someone else since the form was loaded is a conflict, unless this save asks for
        // exactly what is stored now. Nothing is written then: the user sees both and decides.
        const conflicts = inputs
          .filter((input) => {
            if (input.expectedVersion === undefined) return false;
            const current = stored.get(input.indicatorId);
            if ((current?.version ?? 0) === input.expectedVersion) return false;
            const same =
              current === undefined ? input.status === 'unchecked' : current.status === input.status && current.note === input.note;
            return !same;
          })
          .map((input) => ({ indicatorId: input.indicatorId, current: stored.get(input.indicatorId) }));
        if (conflicts.length > 0) return { outcome: 'conflict', conflicts };
        let changed = 0;
        for (const input of inputs) {
          const current = stored.get(input.indicatorId);
          if (input.status === 'unchecked') {
            changed += deleteStmt.run(programId, rubricId, input.indicatorId).changes;
            continue;
          }
          const same = current !== undefined && current.status === input.status && current.note === input.note;
          // Nothing new and no new date: the stored check stands as it was.
          if (same && (input.checkedOn === undefined || input.checkedOn === current.checkedOn)) continue;
          upsertStmt.run({
            programId,
            rubricId,
            indicatorId: input.indicatorId,
            status: input.status,
            note: input.note,
            checkedOn: input.checkedOn ?? today,
            actorId,
            now,
          });
          changed++;
        }
        return { outcome: 'saved', changed };
      }),
  );

  return {
    listChecks: (programId: number, rubricId: string): ReadonlyMap<string, ReadinessCheck> => readChecks(programId, rubricId),
    /** Rubric ids the program has checks for. */
    listRubricIds: (programId: number): string[] => (rubricsStmt.all(programId) as { rubric_id: string }[]).map((row) => row.rubric_id),
    /** Saves one section's checks, all or none: how many changed, or the checks others changed meanwhile. */
    saveChecks: (programId: number, rubricId: string, inputs: readonly ReadinessInput[], actorId: number): ReadinessSaveOutcome => {
      const now = clock();
      return save(programId, rubricId, inputs, actorId, todayInSweden(now), now.toISOString());
    },
  };
}
