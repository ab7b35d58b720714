// SQL for what the panel agrees on in consensus: the consensus ratings, the findings (strengths and
// recommendations) and the barriers the review names.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import { createReviewStatusReader } from './review-record-store.js';
import {
  BARRIER_CATEGORIES,
  type Barrier,
  type BarrierCategory,
  type BarrierInput,
  type ConsensusInput,
  type ConsensusRating,
  type ConsensusSectionInput,
  type ConsensusSectionOutcome,
  type Finding,
  type FindingKind,
  type FindingsInput,
  RECOMMENDATION_OWNERS,
  RECOMMENDATION_PRIORITIES,
  type SaveOutcome,
  sameConsensus,
} from './review-types.js';

type ConsensusRow = {
  indicator_id: string;
  score: number | null;
  not_applicable: number;
  rationale: string;
  decided_by: number;
  updated_at: string;
  version: number;
};

function toConsensus(row: ConsensusRow): ConsensusRating {
  return {
    indicatorId: row.indicator_id,
    score: row.score,
    notApplicable: row.not_applicable === 1,
    rationale: row.rationale,
    decidedBy: row.decided_by,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

type FindingRow = { section_id: string; kind: FindingKind; position: number; text: string; priority: string; owner: string | null };

/**
 * A stored value of a column with a CHECK constraint, as its type. An unknown value means the schema and the code
 * disagree: an error, not a value to show.
 */
function storedChoice<T extends string>(choices: readonly T[], value: string, column: string): T {
  const isChoice = (candidate: string): candidate is T => (choices as readonly string[]).includes(candidate);
  if (!isChoice(value)) throw new Error(`Unknown ${column} stored: ${value}`);
  return value;
}

function toFinding(row: FindingRow): Finding {
  return {
    sectionId: row.section_id,
    kind: row.kind,
    position: row.position,
    text: row.text,
    // Only recommendations have a priority and an owner.
    priority: row.kind === 'recommendation' ? storedChoice(RECOMMENDATION_PRIORITIES, row.priority, 'findings.priority') : undefined,
    owner: row.owner === null ? undefined : storedChoice(RECOMMENDATION_OWNERS, row.owner, 'findings.owner'),
  };
}

const toBarrierCategory = (category: string): BarrierCategory => storedChoice(BARRIER_CATEGORIES, category, 'review_barriers.category');

export function createConsensusStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const readStatus = createReviewStatusReader(db);
  const decidedStmt = db.prepare('SELECT indicator_id FROM consensus_ratings WHERE review_id = ?').pluck();
  const consensusStmt = db.prepare(
    'SELECT indicator_id, score, not_applicable, rationale, decided_by, updated_at, version FROM consensus_ratings WHERE review_id = ?',
  );
  // The consensus of some indicators only (a consensus section's): one statement for any number of ids.
  const consensusOfStmt = db.prepare(
    `SELECT indicator_id, score, not_applicable, rationale, decided_by, updated_at, version FROM consensus_ratings
     WHERE review_id = ? AND indicator_id IN (SELECT value FROM json_each(?))`,
  );
  const upsertConsensusStmt = db.prepare(
    `INSERT INTO consensus_ratings (review_id, indicator_id, score, not_applicable, rationale, decided_by, updated_at)
     VALUES (@reviewId, @indicatorId, @score, @notApplicable, @rationale, @decidedBy, @updatedAt)
     ON CONFLICT (review_id, indicator_id) DO UPDATE SET
       version = CASE WHEN score IS excluded.score AND not_applicable = excluded.not_applicable
                       AND rationale = excluded.rationale THEN version ELSE version + 1 END,
       score = excluded.score, not_applicable = excluded.not_applicable, rationale = excluded.rationale,
       decided_by = excluded.decided_by, updated_at = excluded.updated_at`,
  );
  const findingsStmt = db.prepare(
    'SELECT section_id, kind, position, text, priority, owner FROM findings WHERE review_id = ? ORDER BY section_id, kind, position',
  );
  const recommendationsStmt = db.prepare(
    "SELECT section_id, kind, position, text, priority, owner FROM findings WHERE review_id = ? AND kind = 'recommendation' ORDER BY section_id, position",
  );
  const sectionFindingsStmt = db.prepare(
    'SELECT section_id, kind, position, text, priority, owner FROM findings WHERE review_id = ? AND section_id = ? ORDER BY kind, position',
  );
  const findingCountsStmt = db.prepare(
    'SELECT section_id, kind, count(*) AS n FROM findings WHERE review_id = ? GROUP BY section_id, kind ORDER BY section_id, kind',
  );
  const barrierCountsStmt = db.prepare('SELECT category, count(*) AS n FROM review_barriers WHERE review_id = ? GROUP BY category');
  const deleteFindingsStmt = db.prepare('DELETE FROM findings WHERE review_id = ? AND section_id = ?');
  const barriersStmt = db.prepare(
    "SELECT category, position, text FROM review_barriers WHERE review_id = ? ORDER BY CASE category WHEN 'systemic' THEN 0 WHEN 'organisational' THEN 1 ELSE 2 END, position",
  );
  const deleteBarriersStmt = db.prepare('DELETE FROM review_barriers WHERE review_id = ? AND category = ?');
  const insertBarrierStmt = db.prepare('INSERT INTO review_barriers (review_id, category, position, text) VALUES (?, ?, ?, ?)');
  const insertFindingStmt = db.prepare(
    'INSERT INTO findings (review_id, section_id, kind, position, text, priority, owner) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // One version for the whole findings form (strengths, recommendations and barriers; migration 11). It is a column
  // of reviews, written only here.
  const findingsVersionStmt = db.prepare('SELECT findings_version FROM reviews WHERE id = ?').pluck();
  const bumpFindingsVersionStmt = db.prepare('UPDATE reviews SET findings_version = findings_version + 1 WHERE id = ?');

  const listConsensus = (reviewId: number): ConsensusRating[] => (consensusStmt.all(reviewId) as ConsensusRow[]).map(toConsensus);

  const saveConsensus = db.transaction(
    (reviewId: number, input: ConsensusInput, decidedBy: number): SaveOutcome<ConsensusRating> =>
      runAs(decidedBy, () => {
        if (readStatus(reviewId) !== 'consensus') return { outcome: 'locked' };
        if (input.expectedVersion !== undefined) {
          const current = listConsensus(reviewId).find((c) => c.indicatorId === input.indicatorId);
          if ((current?.version ?? 0) !== input.expectedVersion && !(current && sameConsensus(current, input))) {
            return { outcome: 'conflict', conflicts: [{ indicatorId: input.indicatorId, current }] };
          }
        }
        upsertConsensusStmt.run({
          reviewId,
          indicatorId: input.indicatorId,
          score: input.score,
          notApplicable: input.notApplicable ? 1 : 0,
          rationale: input.rationale,
          decidedBy,
          updatedAt: clock().toISOString(),
        });
        return { outcome: 'saved' };
      }),
  );

  /**
   * Whether the given sections and barrier categories already hold exactly these texts, in this order. Only what the
   * call would replace is compared.
   */
  function sameFindings(reviewId: number, sections: readonly FindingsInput[], barriers: readonly BarrierInput[]): boolean {
    const stored = new Map<string, string[]>();
    const add = (key: string, text: string) => stored.set(key, [...(stored.get(key) ?? []), text]);
    for (const row of findingsStmt.all(reviewId) as FindingRow[]) {
      add(`${row.section_id}/${row.kind}`, row.text);
      if (row.kind === 'recommendation') add(`${row.section_id}/meta`, `${row.priority}/${row.owner ?? ''}`);
    }
    for (const row of barriersStmt.all(reviewId) as { category: string; text: string }[]) add(`barrier/${row.category}`, row.text);
    const same = (key: string, texts: readonly string[]) => (stored.get(key) ?? []).join('\n') === texts.join('\n');
    return (
      sections.every(
        (s) =>
          same(`${s.sectionId}/strength`, s.strengths) &&
          same(`${s.sectionId}/recommendation`, s.recommendations) &&
          (s.recommendationMeta === undefined ||
            same(
              `${s.sectionId}/meta`,
              s.recommendationMeta.map((m) => `${m.priority}/${m.owner ?? ''}`),
            )),
      ) && barriers.every((b) => same(`barrier/${b.category}`, b.items))
    );
  }

  /** Replaces the given sections' findings and, when given, the barriers of the given categories; bumps the version. */
  function writeFindings(reviewId: number, sections: readonly FindingsInput[], barriers: readonly BarrierInput[] | undefined): void {
    bumpFindingsVersionStmt.run(reviewId);
    const storedMeta = (findingsStmt.all(reviewId) as FindingRow[]).filter((row) => row.kind === 'recommendation');
    for (const section of sections) {
      // A form without priorities and owners (the whole-review form) keeps each kept text's own.
      const kept = storedMeta.filter((row) => row.section_id === section.sectionId);
      const metaOf = (text: string, index: number): [string, string | null] => {
        const given = section.recommendationMeta?.[index];
        if (given) return [given.priority, given.owner ?? null];
        const found = kept.find((row) => row.text === text);
        return found ? [found.priority, found.owner] : ['medium', null];
      };
      deleteFindingsStmt.run(reviewId, section.sectionId);
      section.strengths.forEach((text, index) =>
        insertFindingStmt.run(reviewId, section.sectionId, 'strength', index + 1, text, 'medium', null),
      );
      section.recommendations.forEach((text, index) =>
        insertFindingStmt.run(reviewId, section.sectionId, 'recommendation', index + 1, text, ...metaOf(text, index)),
      );
    }
    for (const { category, items } of barriers ?? []) {
      deleteBarriersStmt.run(reviewId, category);
      items.forEach((text, index) => insertBarrierStmt.run(reviewId, category, index + 1, text));
    }
  }

  /**
   * Replaces findings only while the review is in consensus. When the form's version (expectedVersion) is not the
   * stored one and what it would write differs from what is stored, someone saved meanwhile: nothing is written
   * ('conflict'). A save that changes nothing writes nothing and keeps the version.
   */
  const replaceFindings = db.transaction(
    (
      reviewId: number,
      sections: readonly FindingsInput[],
      barriers: readonly BarrierInput[] | undefined,
      actorId: number | undefined,
      expectedVersion: number | undefined,
    ): 'saved' | 'locked' | 'conflict' =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        if (sameFindings(reviewId, sections, barriers ?? [])) return 'saved';
        if (expectedVersion !== undefined && expectedVersion !== (findingsVersionStmt.get(reviewId) as number)) return 'conflict';
        writeFindings(reviewId, sections, barriers);
        return 'saved';
      }),
  );

  /**
   * One consensus section page's save: its indicators' decisions and its strengths and recommendations, all or
   * nothing. A decision the same as the stored one, and findings the same as the stored ones, are not written (no new
   * version, no log entry). Any changed decision or findings based on an older version than the stored one is a
   * conflict, and so are findings the caller found in conflict box by box; then nothing at all is written, so the
   * page can give everything back as typed.
   */
  const saveConsensusSection = db.transaction(
    (reviewId: number, input: ConsensusSectionInput, actorId: number): ConsensusSectionOutcome =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return { outcome: 'locked' };
        const ids = input.decisions.map((decision) => decision.indicatorId);
        const stored = new Map(
          (consensusOfStmt.all(reviewId, JSON.stringify(ids)) as ConsensusRow[]).map((row) => [row.indicator_id, toConsensus(row)]),
        );
        const changed = input.decisions.filter((decision) => {
          const current = stored.get(decision.indicatorId);
          return !(current && sameConsensus(current, decision));
        });
        const conflicts = changed
          .filter(
            (decision) =>
              decision.expectedVersion !== undefined && (stored.get(decision.indicatorId)?.version ?? 0) !== decision.expectedVersion,
          )
          .map((decision) => ({ indicatorId: decision.indicatorId, current: stored.get(decision.indicatorId) }));
        const findings = input.findings;
        const findingsChanged = findings !== undefined && !sameFindings(reviewId, findings.sections, []);
        const findingsConflict =
          findings?.conflict === true ||
          (findingsChanged &&
            findings.expectedVersion !== undefined &&
            findings.expectedVersion !== (findingsVersionStmt.get(reviewId) as number));
        if (conflicts.length > 0 || findingsConflict) return { outcome: 'conflict', conflicts, findingsConflict };
        const updatedAt = clock().toISOString();
        for (const decision of changed) {
          upsertConsensusStmt.run({
            reviewId,
            indicatorId: decision.indicatorId,
            score: decision.score,
            notApplicable: decision.notApplicable ? 1 : 0,
            rationale: decision.rationale,
            decidedBy: actorId,
            updatedAt,
          });
        }
        if (findingsChanged) writeFindings(reviewId, findings.sections, undefined);
        return { outcome: 'saved', decisionsChanged: changed.length, findingsChanged };
      }),
  );

  return {
    listConsensus,
    /** The consensus of the given indicators only (a consensus section's). */
    listConsensusOf: (reviewId: number, indicatorIds: readonly string[]): ConsensusRating[] =>
      (consensusOfStmt.all(reviewId, JSON.stringify(indicatorIds)) as ConsensusRow[]).map(toConsensus),
    /** Just the ids of the indicators with a consensus, for the workflow guards: no rationale texts read. */
    listDecidedIndicators: (reviewId: number): { indicatorId: string }[] =>
      (decidedStmt.all(reviewId) as string[]).map((indicatorId) => ({ indicatorId })),
    saveConsensus: (reviewId: number, input: ConsensusInput, decidedBy: number) => saveConsensus(reviewId, input, decidedBy),
    /** A consensus section page's decisions and findings, all or nothing (see saveConsensusSection above). */
    saveConsensusSection: (reviewId: number, input: ConsensusSectionInput, actorId: number) =>
      saveConsensusSection(reviewId, input, actorId),
    listFindings: (reviewId: number): Finding[] => (findingsStmt.all(reviewId) as FindingRow[]).map(toFinding),
    /** The review's recommendations only (no strengths), by section and position. */
    listRecommendations: (reviewId: number): Finding[] => (recommendationsStmt.all(reviewId) as FindingRow[]).map(toFinding),
    /** One section's strengths and recommendations, each kind in its order. */
    listSectionFindings: (reviewId: number, sectionId: string): Finding[] =>
      (sectionFindingsStmt.all(reviewId, sectionId) as FindingRow[]).map(toFinding),
    /**
     * Replaces the strengths and recommendations of the given sections and, when given, the barriers of the given
     * categories. With expectedVersion (the findings form's), 'conflict' when someone saved other texts meanwhile.
     */
    replaceFindings: (
      reviewId: number,
      sections: readonly FindingsInput[],
      actorId?: number,
      barriers?: readonly BarrierInput[],
      expectedVersion?: number,
    ) => replaceFindings(reviewId, sections, barriers, actorId, expectedVersion),
    /** The version of the review's findings form: 0 until a save changes something. */
    findFindingsVersion: (reviewId: number): number => (findingsVersionStmt.get(reviewId) as number | undefined) ?? 0,
    /** How many strengths and recommendations each section has (sections with none are left out), for progress. */
    countFindingsBySection: (reviewId: number): { sectionId: string; kind: FindingKind; count: number }[] =>
      (findingCountsStmt.all(reviewId) as { section_id: string; kind: FindingKind; n: number }[]).map((row) => ({
        sectionId: row.section_id,
        kind: row.kind,
        count: row.n,
      })),
    /** How many barriers each category has (categories with none are left out), for progress. */
    countBarriersByCategory: (reviewId: number): { category: BarrierCategory; count: number }[] =>
      (barrierCountsStmt.all(reviewId) as { category: string; n: number }[]).map((row) => ({
        category: toBarrierCategory(row.category),
        count: row.n,
      })),
    /** The barriers the review names: systemic, organisational, individual, each in its order. */
    listBarriers: (reviewId: number): Barrier[] =>
      (barriersStmt.all(reviewId) as { category: string; position: number; text: string }[]).map((row) => ({
        category: toBarrierCategory(row.category),
        position: row.position,
        text: row.text,
      })),
  };
}
