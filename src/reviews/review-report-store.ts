// SQL for the overall judgement, the evidence base and the factual check of a review, with the draft as it was sent
// (migrations 13, 17 and 18). Spread into the review store (createReviewStore), so routes and the report read them where
// they read the rest of a review.
import { createActorScope } from '../db/audit-actor.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from '../db/open-database.js';
import {
  CASE_FILE_ACCESS,
  type CaseFileAccess,
  type EvidenceBase,
  type EvidenceBaseInput,
  type FactualCheck,
  type Judgement,
  type SentDraft,
  type WorkflowSaveOutcome,
} from './report-workflow.js';
import { LOCALES, type Locale } from '../i18n/locale.js';
import { createReviewStatusReader } from './review-record-store.js';

type EvidenceRow = {
  staff: number;
  participants: number;
  case_officers: number;
  landlords: number;
  partners: number;
  case_files: number;
  case_file_access: string | null;
  documents: string;
  meetings: string;
  oral_debrief: number;
  version: number;
};

type FactualCheckRow = {
  sent_at: string;
  corrections: string;
  response: string;
  response_version: number;
  responded_at: string | null;
  changes: string;
  changes_version: number;
  changes_at: string | null;
  reply_by: string | null;
  draft_fingerprint: string | null;
  send_version: number;
};

/** A sending of the draft: when, the draft as rendered then, and the day the program is asked to answer by. */
export type DraftSending = {
  readonly sentAt: string;
  readonly draft: SentDraft | undefined;
  readonly replyBy: string | undefined;
  /** The send form's version (FactualCheck.sendVersion, 0 before the first sending); undefined for callers without a form (the demo). */
  readonly expectedVersion?: number | undefined;
};

/** A move of the reply-by day alone, for the draft that was sent (its fingerprint), from a send form of that version. */
export type ReplyByMove = { readonly replyBy: string | undefined; readonly expectedVersion: number; readonly draftFingerprint: string };

/**
 * What a sending came to: sent first, sent again (a new draft), only the reply-by day moved (the same draft), nothing
 * to do, a form based on an older version (nothing written), or the review no longer in consensus. A move also says
 * 'changed' when the draft is no longer the one sent, and 'not-sent' when nothing was.
 */
export type SendOutcome = 'sent' | 'resent' | 'moved' | 'already' | 'conflict' | 'locked';
export type ReplyByMoveOutcome = 'moved' | 'already' | 'conflict' | 'changed' | 'not-sent' | 'locked';

function toEvidenceBase(row: EvidenceRow): EvidenceBase {
  const access = CASE_FILE_ACCESS.find((value) => value === row.case_file_access);
  return {
    staff: row.staff,
    participants: row.participants,
    caseOfficers: row.case_officers,
    landlords: row.landlords,
    partners: row.partners,
    caseFiles: row.case_files,
    caseFileAccess: access as CaseFileAccess | undefined,
    documents: row.documents,
    meetings: row.meetings,
    oralDebrief: row.oral_debrief === 1,
    version: row.version,
  };
}

function toFactualCheck(row: FactualCheckRow): FactualCheck {
  return {
    sentAt: row.sent_at,
    corrections: row.corrections,
    response: row.response,
    responseVersion: row.response_version,
    respondedAt: row.responded_at ?? undefined,
    changes: row.changes,
    changesVersion: row.changes_version,
    changesAt: row.changes_at ?? undefined,
    replyBy: row.reply_by ?? undefined,
    draftFingerprint: row.draft_fingerprint ?? undefined,
    sendVersion: row.send_version,
  };
}

export function createReviewReportStore(db: Db, clock: Clock = systemClock) {
  const runAs = createActorScope(db);
  const now = () => clock().toISOString();
  const readStatus = createReviewStatusReader(db);
  const judgementStmt = db.prepare('SELECT text, version FROM review_judgements WHERE review_id = ?');
  const upsertJudgementStmt = db.prepare(
    `INSERT INTO review_judgements (review_id, text, version, updated_by, updated_at) VALUES (?, ?, 1, ?, ?)
     ON CONFLICT (review_id) DO UPDATE SET text = excluded.text, version = version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const evidenceStmt = db.prepare(
    `SELECT staff, participants, case_officers, landlords, partners, case_files, case_file_access, documents, meetings, oral_debrief, version
     FROM review_evidence_bases WHERE review_id = ?`,
  );
  const upsertEvidenceStmt = db.prepare(
    `INSERT INTO review_evidence_bases (review_id, staff, participants, case_officers, landlords, partners, case_files, case_file_access,
       documents, meetings, oral_debrief, version, updated_by, updated_at)
     VALUES (@reviewId, @staff, @participants, @caseOfficers, @landlords, @partners, @caseFiles, @caseFileAccess, @documents, @meetings,
       @oralDebrief, 1, @actorId, @now)
     ON CONFLICT (review_id) DO UPDATE SET staff = excluded.staff, participants = excluded.participants, case_officers = excluded.case_officers,
       landlords = excluded.landlords, partners = excluded.partners, case_files = excluded.case_files, case_file_access = excluded.case_file_access,
       documents = excluded.documents, meetings = excluded.meetings, oral_debrief = excluded.oral_debrief, version = version + 1,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const factualCheckStmt = db.prepare(
    `SELECT sent_at, corrections, response, response_version, responded_at, changes, changes_version, changes_at, reply_by, draft_fingerprint,
       send_version
     FROM factual_checks WHERE review_id = ?`,
  );
  const insertFactualCheckStmt = db.prepare(
    'INSERT INTO factual_checks (review_id, sent_by, sent_at, reply_by, draft_fingerprint) VALUES (?, ?, ?, ?, ?)',
  );
  const resendFactualCheckStmt = db.prepare(
    'UPDATE factual_checks SET sent_by = ?, sent_at = ?, reply_by = ?, draft_fingerprint = ?, send_version = send_version + 1 WHERE review_id = ?',
  );
  const moveReplyByStmt = db.prepare('UPDATE factual_checks SET reply_by = ?, send_version = send_version + 1 WHERE review_id = ?');
  const deleteSentDraftsStmt = db.prepare('DELETE FROM factual_check_drafts WHERE review_id = ?');
  const insertSentDraftStmt = db.prepare('INSERT INTO factual_check_drafts (review_id, locale, pdf) VALUES (?, ?, ?)');
  const sentDraftStmt = db.prepare('SELECT pdf FROM factual_check_drafts WHERE review_id = ? AND locale = ?').pluck();
  const hasSentDraftStmt = db.prepare('SELECT 1 FROM factual_check_drafts WHERE review_id = ? LIMIT 1').pluck();
  const updateResponseStmt = db.prepare(
    `UPDATE factual_checks SET corrections = ?, response = ?, response_version = response_version + 1, responded_by = ?, responded_at = ?
     WHERE review_id = ?`,
  );
  const updateChangesStmt = db.prepare(
    'UPDATE factual_checks SET changes = ?, changes_version = changes_version + 1, changes_by = ?, changes_at = ? WHERE review_id = ?',
  );

  const findJudgement = (reviewId: number): Judgement | undefined => judgementStmt.get(reviewId) as Judgement | undefined;
  const findEvidenceBase = (reviewId: number): EvidenceBase | undefined => {
    const row = evidenceStmt.get(reviewId) as EvidenceRow | undefined;
    return row ? toEvidenceBase(row) : undefined;
  };
  const findFactualCheck = (reviewId: number): FactualCheck | undefined => {
    const row = factualCheckStmt.get(reviewId) as FactualCheckRow | undefined;
    return row ? toFactualCheck(row) : undefined;
  };

  /** The lead writes the judgement during consensus; a save based on an older version than the stored one is a conflict. */
  const saveJudgement = db.transaction(
    (reviewId: number, text: string, expectedVersion: number, actorId: number, now: string): WorkflowSaveOutcome =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        const current = findJudgement(reviewId);
        if (current?.text === text) return 'saved';
        if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
        upsertJudgementStmt.run(reviewId, text, actorId, now);
        return 'saved';
      }),
  );

  /** Recorded in any phase before final. */
  const saveEvidenceBase = db.transaction(
    (reviewId: number, input: EvidenceBaseInput, expectedVersion: number, actorId: number, now: string): WorkflowSaveOutcome =>
      runAs(actorId, () => {
        const status = readStatus(reviewId);
        if (status === undefined || status === 'final') return 'locked';
        const current = findEvidenceBase(reviewId);
        if (current) {
          const { version: _version, ...stored } = current;
          if (JSON.stringify(stored) === JSON.stringify({ ...stored, ...input })) return 'saved';
        }
        if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
        upsertEvidenceStmt.run({
          reviewId,
          ...input,
          caseFileAccess: input.caseFileAccess ?? null,
          oralDebrief: input.oralDebrief ? 1 : 0,
          actorId,
          now,
        });
        return 'saved';
      }),
  );

  const keepSentDraft = (reviewId: number, draft: SentDraft) => {
    deleteSentDraftsStmt.run(reviewId);
    for (const locale of LOCALES) insertSentDraftStmt.run(reviewId, locale, draft.pdfs[locale]);
  };

  /**
   * The same draft as sent: the sending stands (sent_at and the kept PDFs, which say when it was sent), and only the
   * reply-by day can move. Not sent again, so a program that has answered is not asked again for a draft it has read.
   */
  const moveReplyBy = (reviewId: number, current: FactualCheck, replyBy: string | undefined): 'moved' | 'already' => {
    if (current.replyBy === replyBy) return 'already';
    moveReplyByStmt.run(replyBy ?? null, reviewId);
    return 'moved';
  };

  /**
   * The coordinator sends the draft to the program during consensus, with the draft as rendered then (kept and served
   * as sent). Sent again with a draft that states something else, it replaces the one sent before, and the program's
   * answer stays for them to revise; with the same draft, only the reply-by day moves. Without a rendered draft (the
   * demo, older callers) only the sending is recorded.
   */
  const sendFactualCheck = db.transaction(
    (reviewId: number, actorId: number, sending: DraftSending): SendOutcome =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        const current = findFactualCheck(reviewId);
        if (sending.expectedVersion !== undefined && (current?.sendVersion ?? 0) !== sending.expectedVersion) return 'conflict';
        const { draft } = sending;
        if (!current) {
          insertFactualCheckStmt.run(reviewId, actorId, sending.sentAt, sending.replyBy ?? null, draft?.fingerprint ?? null);
          if (draft) keepSentDraft(reviewId, draft);
          return 'sent';
        }
        if (!draft || current.draftFingerprint === draft.fingerprint) return moveReplyBy(reviewId, current, sending.replyBy);
        resendFactualCheckStmt.run(actorId, sending.sentAt, sending.replyBy ?? null, draft.fingerprint, reviewId);
        keepSentDraft(reviewId, draft);
        return 'resent';
      }),
  );

  /** Moves the reply-by day of a draft sent and unchanged since: nothing is rendered or sent again. */
  const moveFactualCheckReplyBy = db.transaction(
    (reviewId: number, actorId: number, move: ReplyByMove): ReplyByMoveOutcome =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        const current = findFactualCheck(reviewId);
        if (!current) return 'not-sent';
        if (current.sendVersion !== move.expectedVersion) return 'conflict';
        if (current.draftFingerprint !== move.draftFingerprint) return 'changed';
        return moveReplyBy(reviewId, current, move.replyBy);
      }),
  );

  /** The draft PDF in a language as it was last sent; undefined when none is kept (sent before they were, or final). */
  const findSentDraftPdf = (reviewId: number, locale: Locale): Buffer | undefined =>
    sentDraftStmt.get(reviewId, locale) as Buffer | undefined;

  const saveFactualResponse = db.transaction(
    (
      reviewId: number,
      input: { corrections: string; response: string },
      expectedVersion: number,
      actorId: number,
      now: string,
    ): WorkflowSaveOutcome =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        const current = findFactualCheck(reviewId);
        if (!current) return 'not-sent';
        if (current.corrections === input.corrections && current.response === input.response) return 'saved';
        if (current.responseVersion !== expectedVersion) return 'conflict';
        updateResponseStmt.run(input.corrections, input.response, actorId, now, reviewId);
        return 'saved';
      }),
  );

  const saveFactualChanges = db.transaction(
    (reviewId: number, changes: string, expectedVersion: number, actorId: number, now: string): WorkflowSaveOutcome =>
      runAs(actorId, () => {
        if (readStatus(reviewId) !== 'consensus') return 'locked';
        const current = findFactualCheck(reviewId);
        if (!current) return 'not-sent';
        if (current.changes === changes) return 'saved';
        if (current.changesVersion !== expectedVersion) return 'conflict';
        updateChangesStmt.run(changes, actorId, now, reviewId);
        return 'saved';
      }),
  );

  return {
    findJudgement,
    saveJudgement: (reviewId: number, text: string, expectedVersion: number, actorId: number) =>
      saveJudgement(reviewId, text, expectedVersion, actorId, now()),
    findEvidenceBase,
    saveEvidenceBase: (reviewId: number, input: EvidenceBaseInput, expectedVersion: number, actorId: number) =>
      saveEvidenceBase(reviewId, input, expectedVersion, actorId, now()),
    findFactualCheck,
    sendFactualCheck: (reviewId: number, actorId: number, sending?: DraftSending) =>
      sendFactualCheck(reviewId, actorId, sending ?? { sentAt: now(), draft: undefined, replyBy: undefined }),
    moveFactualCheckReplyBy,
    findSentDraftPdf,
    /** Whether the draft as sent is kept (without reading its bytes). */
    hasSentDraft: (reviewId: number): boolean => hasSentDraftStmt.get(reviewId) !== undefined,
    saveFactualResponse: (reviewId: number, input: { corrections: string; response: string }, expectedVersion: number, actorId: number) =>
      saveFactualResponse(reviewId, input, expectedVersion, actorId, now()),
    saveFactualChanges: (reviewId: number, changes: string, expectedVersion: number, actorId: number) =>
      saveFactualChanges(reviewId, changes, expectedVersion, actorId, now()),
  };
}
