// Outcome indicators per program and period. A program's yearly periods never overlap: checked inside the write's
// transaction, so two forms saved at once cannot both get in. A cumulative period since the program's start
// ('since_start') may overlap them, as the seeds report it beside the yearly figures.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import { type OutcomeCounts, periodsOverlap } from './retention.js';

export type OutcomeKind = 'period' | 'since_start';
export const OUTCOME_KINDS: readonly OutcomeKind[] = ['period', 'since_start'];

/** Why people left the program during the period. */
export const EXIT_REASONS = ['own_lease', 'care', 'died', 'left', 'other'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** The figures of migration 14 beside the first counts: null where nobody recorded them. */
export type OutcomeDetails = {
  readonly offered: number | null;
  readonly exits: Readonly<Record<ExitReason, number | null>>;
  readonly evictionThreats: number | null;
  readonly terminatedLeases: number | null;
  readonly medianDaysToKeys: number | null;
};

export const NO_DETAILS: OutcomeDetails = {
  offered: null,
  exits: { own_lease: null, care: null, died: null, left: null, other: null },
  evictionThreats: null,
  terminatedLeases: null,
  medianDaysToKeys: null,
};

export type OutcomeInput = OutcomeCounts & {
  /** 'period' when left out. */
  readonly kind?: OutcomeKind | undefined;
  /** None recorded when left out. */
  readonly details?: OutcomeDetails | undefined;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly evictions: number;
  readonly complaints: number;
  readonly note: string;
};

export type OutcomePeriod = OutcomeInput & {
  readonly kind: OutcomeKind;
  readonly details: OutcomeDetails;
  readonly id: number;
  readonly programId: number;
  readonly updatedAt: string;
  /** Goes up by one with every correction: a form carries the version it was based on. */
  readonly version: number;
};

export type OutcomeSaveOutcome =
  | { readonly outcome: 'saved'; readonly id: number }
  | { readonly outcome: 'overlap'; readonly other: OutcomePeriod }
  /** The period was changed since the form was opened: nothing written, this is what is stored now. */
  | { readonly outcome: 'conflict'; readonly current: OutcomePeriod }
  | { readonly outcome: 'missing' };

export type OutcomeDeleteOutcome = 'deleted' | 'missing' | { readonly outcome: 'conflict'; readonly current: OutcomePeriod };

type PeriodRow = {
  id: number;
  program_id: number;
  period_start: string;
  period_end: string;
  moved_in: number;
  still_first_flat: number;
  still_in_program: number;
  first_hand_leases: number;
  evictions: number;
  complaints: number;
  clients: number;
  case_managers: number;
  note: string;
  updated_at: string;
  version: number;
  kind: string;
  offered: number | null;
  exits_own_lease: number | null;
  exits_care: number | null;
  exits_died: number | null;
  exits_left: number | null;
  exits_other: number | null;
  eviction_threats: number | null;
  terminated_leases: number | null;
  median_days_to_keys: number | null;
};

function toPeriod(row: PeriodRow): OutcomePeriod {
  return {
    id: row.id,
    programId: row.program_id,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    movedIn: row.moved_in,
    stillFirstFlat: row.still_first_flat,
    stillInProgram: row.still_in_program,
    firstHandLeases: row.first_hand_leases,
    evictions: row.evictions,
    complaints: row.complaints,
    clients: row.clients,
    caseManagers: row.case_managers,
    note: row.note,
    updatedAt: row.updated_at,
    version: row.version,
    kind: row.kind === 'since_start' ? 'since_start' : 'period',
    details: {
      offered: row.offered,
      exits: { own_lease: row.exits_own_lease, care: row.exits_care, died: row.exits_died, left: row.exits_left, other: row.exits_other },
      evictionThreats: row.eviction_threats,
      terminatedLeases: row.terminated_leases,
      medianDaysToKeys: row.median_days_to_keys,
    },
  };
}

const COLUMNS =
  'id, program_id, period_start, period_end, moved_in, still_first_flat, still_in_program, first_hand_leases, evictions, complaints, clients, case_managers, note, updated_at, version, ' +
  'kind, offered, exits_own_lease, exits_care, exits_died, exits_left, exits_other, eviction_threats, terminated_leases, median_days_to_keys';

export type OutcomeStore = ReturnType<typeof createOutcomeStore>;

export function createOutcomeStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const periodsStmt = db.prepare(
    `SELECT ${COLUMNS} FROM outcome_periods WHERE program_id = ? ORDER BY kind = 'since_start', period_start DESC, id DESC`,
  );
  const periodByIdStmt = db.prepare(`SELECT ${COLUMNS} FROM outcome_periods WHERE id = ?`);
  const insertStmt = db.prepare(
    `INSERT INTO outcome_periods (program_id, period_start, period_end, moved_in, still_first_flat, still_in_program, first_hand_leases,
       evictions, complaints, clients, case_managers, note, created_by, created_at, updated_at,
       kind, offered, exits_own_lease, exits_care, exits_died, exits_left, exits_other, eviction_threats, terminated_leases, median_days_to_keys)
     VALUES (@programId, @periodStart, @periodEnd, @movedIn, @stillFirstFlat, @stillInProgram, @firstHandLeases,
       @evictions, @complaints, @clients, @caseManagers, @note, @actorId, @now, @now,
       @kind, @offered, @exitsOwnLease, @exitsCare, @exitsDied, @exitsLeft, @exitsOther, @evictionThreats, @terminatedLeases, @medianDaysToKeys)`,
  );
  const updateStmt = db.prepare(
    `UPDATE outcome_periods SET period_start = @periodStart, period_end = @periodEnd, moved_in = @movedIn,
       still_first_flat = @stillFirstFlat, still_in_program = @stillInProgram, first_hand_leases = @firstHandLeases,
       evictions = @evictions, complaints = @complaints, clients = @clients, case_managers = @caseManagers, note = @note,
       kind = @kind, offered = @offered, exits_own_lease = @exitsOwnLease, exits_care = @exitsCare, exits_died = @exitsDied,
       exits_left = @exitsLeft, exits_other = @exitsOther, eviction_threats = @evictionThreats, terminated_leases = @terminatedLeases,
       median_days_to_keys = @medianDaysToKeys,
       updated_at = @now, version = version + 1
     WHERE id = @id`,
  );
  const deleteStmt = db.prepare('DELETE FROM outcome_periods WHERE id = ?');

  // Only yearly periods may not overlap one another; a since-start period overlaps them by definition.
  const findOverlap = (programId: number, input: OutcomeInput, exceptId: number | undefined): OutcomePeriod | undefined =>
    (input.kind ?? 'period') !== 'period'
      ? undefined
      : (periodsStmt.all(programId) as PeriodRow[])
          .map(toPeriod)
          .find(
            (other) =>
              other.id !== exceptId &&
              other.kind === 'period' &&
              periodsOverlap({ start: input.periodStart, end: input.periodEnd }, { start: other.periodStart, end: other.periodEnd }),
          );

  const params = (input: OutcomeInput) => ({
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    movedIn: input.movedIn,
    stillFirstFlat: input.stillFirstFlat,
    stillInProgram: input.stillInProgram,
    firstHandLeases: input.firstHandLeases,
    evictions: input.evictions,
    complaints: input.complaints,
    clients: input.clients,
    caseManagers: input.caseManagers,
    note: input.note,
    kind: input.kind ?? 'period',
    offered: (input.details ?? NO_DETAILS).offered,
    exitsOwnLease: (input.details ?? NO_DETAILS).exits.own_lease,
    exitsCare: (input.details ?? NO_DETAILS).exits.care,
    exitsDied: (input.details ?? NO_DETAILS).exits.died,
    exitsLeft: (input.details ?? NO_DETAILS).exits.left,
    exitsOther: (input.details ?? NO_DETAILS).exits.other,
    evictionThreats: (input.details ?? NO_DETAILS).evictionThreats,
    terminatedLeases: (input.details ?? NO_DETAILS).terminatedLeases,
    medianDaysToKeys: (input.details ?? NO_DETAILS).medianDaysToKeys,
  });

  const insert = db.transaction(
    (programId: number, input: OutcomeInput, actorId: number, now: string): OutcomeSaveOutcome =>
      runAs(actorId, () => {
        const other = findOverlap(programId, input, undefined);
        if (other) return { outcome: 'overlap', other };
        const id = Number(insertStmt.run({ ...params(input), programId, actorId, now }).lastInsertRowid);
        return { outcome: 'saved', id };
      }),
  );

  const update = db.transaction(
    (id: number, input: OutcomeInput, expectedVersion: number, actorId: number, now: string): OutcomeSaveOutcome =>
      runAs(actorId, () => {
        const row = periodByIdStmt.get(id) as PeriodRow | undefined;
        if (!row) return { outcome: 'missing' };
        if (row.version !== expectedVersion) return { outcome: 'conflict', current: toPeriod(row) };
        const other = findOverlap(row.program_id, input, id);
        if (other) return { outcome: 'overlap', other };
        updateStmt.run({ ...params(input), id, now });
        return { outcome: 'saved', id };
      }),
  );

  const remove = db.transaction(
    (id: number, expectedVersion: number, actorId: number): OutcomeDeleteOutcome =>
      runAs(actorId, () => {
        const row = periodByIdStmt.get(id) as PeriodRow | undefined;
        if (!row) return 'missing';
        if (row.version !== expectedVersion) return { outcome: 'conflict', current: toPeriod(row) };
        deleteStmt.run(id);
        return 'deleted';
      }),
  );

  return {
    /** Yearly periods latest first, then the since-start periods, latest first. */
    listPeriods: (programId: number): OutcomePeriod[] => (periodsStmt.all(programId) as PeriodRow[]).map(toPeriod),
    findPeriod: (id: number): OutcomePeriod | undefined => {
      const row = periodByIdStmt.get(id) as PeriodRow | undefined;
      return row ? toPeriod(row) : undefined;
    },
    insertPeriod: (programId: number, input: OutcomeInput, actorId: number): OutcomeSaveOutcome =>
      insert(programId, input, actorId, clock().toISOString()),
    /** Saves a correction made on a form based on expectedVersion; a newer version stored meanwhile is a conflict. */
    updatePeriod: (id: number, input: OutcomeInput, expectedVersion: number, actorId: number): OutcomeSaveOutcome =>
      update(id, input, expectedVersion, actorId, clock().toISOString()),
    deletePeriod: (id: number, expectedVersion: number, actorId: number): OutcomeDeleteOutcome => remove(id, expectedVersion, actorId),
  };
}
