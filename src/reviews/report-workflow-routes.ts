// The report's own parts of a review: the panel's overall judgement (the lead, in consensus; finalising
// needs it), the evidence base of the visit (a coordinator or the lead, before final), and the factual check (the
// coordinator sends the draft, the program's leads answer, the lead records what was changed). Every form carries a
// version: a save based on a page someone else saved meanwhile is a 409 that keeps what was typed. The draft goes
// through a check page (what is not decided yet, sent only knowingly) and is kept as it was sent, so the pages the
// program's corrections name stay put; the panel is told when the review has moved on, and may send the new draft.
// While the draft is unchanged, the same page moves the reply-by day alone, and nothing is sent again.
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { Clock } from '../clock.js';
import { z } from 'zod';
import { hasRole } from '../accounts/access.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { checkbox, optionalDate, optionalText, requiredText, versionField } from '../http/form-fields.js';
import { labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { todayInSweden } from '../i18n/calendar.js';
import { formatLongDate } from '../i18n/format.js';
import { labelsOf } from '../i18n/labels.js';
import type { MessageKey } from '../i18n/messages.js';
import { canEditConsensus, canEditEvidenceBase, canSeeOthersRatings, canViewOverview } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import type { ReviewStore } from './review-store.js';
import { CASE_FILE_ACCESS, type DraftReports, type EvidenceBase, type FactualCheck, INTERVIEW_KINDS } from './report-workflow.js';
import { describeReportParts } from './report-parts.js';
import { serveVersionedForm, type VersionedFormState } from './versioned-form.js';

/** What a factual-check form shows of the stored texts on a conflict, each under its label. */
type StoredTexts = readonly { readonly label: string; readonly text: string }[];

const JUDGEMENT_MAX = 3000;
const COUNT_MAX = 9999;

const JudgementFormSchema = z.object({ judgement: requiredText(JUDGEMENT_MAX), version: versionField });

/** A count: empty is 0; otherwise a whole number from 0 up. */
// A count is written out, 0 included: a blank is not read as 0, or a form saved half-filled would print "0 interviewed"
// in the report as if nobody had been.
const countField = z
  .string({ error: 'validation.invalid' })
  .optional()
  .transform((value) => (value ?? '').trim())
  .refine((value) => value !== '', { error: 'reviews.evidence.countRequired', abort: true })
  .pipe(z.string().regex(/^\d{1,4}$/, { error: 'validation.notANumber' }))
  .transform(Number)
  .pipe(z.number().int().min(0).max(COUNT_MAX));

const EvidenceFormSchema = z
  .object({
    staff: countField,
    participants: countField,
    caseOfficers: countField,
    landlords: countField,
    partners: countField,
    caseFiles: countField,
    caseFileAccess: z
      .string({ error: 'validation.invalidChoice' })
      .optional()
      .transform((value) => (value === undefined || value === '' ? undefined : value))
      .pipe(z.enum(CASE_FILE_ACCESS, { error: 'validation.invalidChoice' }).optional()),
    documents: optionalText(4000),
    meetings: optionalText(4000),
    oralDebrief: checkbox,
    version: versionField,
  })
  .superRefine((value, ctx) => {
    if (value.caseFiles > 0 && value.caseFileAccess === undefined) {
      ctx.addIssue({ code: 'custom', path: ['caseFileAccess'], message: 'reviews.evidence.accessRequired' });
    }
  });

const ResponseFormSchema = z
  .object({ corrections: optionalText(8000), response: optionalText(8000), version: versionField })
  .superRefine((value, ctx) => {
    if (value.corrections === '' && value.response === '')
      ctx.addIssue({ code: 'custom', path: ['response'], message: 'reviews.factualCheck.responseRequired' });
  });

const ChangesFormSchema = z.object({ changes: requiredText(8000), version: versionField });

/**
 * The send check page: the day the program is asked to answer by (optional), the box that sends with gaps knowingly,
 * and what the page was based on: the check's send version and the fingerprint of the draft it showed.
 */
const SendFormSchema = z.object({
  replyBy: optionalDate,
  knowingly: checkbox,
  // The page's markers: a form without them (a page loaded before they existed, an old kept ended-session page) or
  // with a malformed one is judged against what is stored now, as the action form's owner markers are; the user can
  // neither see nor mend a hidden field.
  version: versionField.optional().catch(undefined),
  draft_base: z
    .string()
    .max(200)
    .optional()
    .catch(undefined)
    .transform((base) => base || undefined),
});

const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  judgement: 'reviews.judgement.label',
  staff: 'reviews.evidence.staff',
  participants: 'reviews.evidence.participants',
  caseOfficers: 'reviews.evidence.caseOfficers',
  landlords: 'reviews.evidence.landlords',
  partners: 'reviews.evidence.partners',
  caseFiles: 'reviews.evidence.caseFiles',
  caseFileAccess: 'reviews.evidence.caseFileAccess',
  documents: 'reviews.evidence.documents',
  meetings: 'reviews.evidence.meetings',
  corrections: 'reviews.factualCheck.corrections',
  response: 'reviews.factualCheck.response',
  changes: 'reviews.factualCheck.changes',
  replyBy: 'reviews.factualCheck.replyBy',
};

/**
 * Where the sending of the draft stands now: the check, the fingerprint of what the draft states (cheap: the data read
 * and hashed, nothing rendered), and whether that is the draft sent and kept, so that only the reply-by day can move.
 */
type SendState = { readonly check: FactualCheck | undefined; readonly fingerprint: string | undefined; readonly unchanged: boolean };

/** The form's values: as stored, or blank (not 0) before anything is, so no count is saved that nobody wrote. */
const evidenceValues = (stored: EvidenceBase | undefined): RawForm => ({
  ...Object.fromEntries(INTERVIEW_KINDS.map((kind) => [kind, stored ? String(stored[kind]) : ''])),
  caseFiles: stored ? String(stored.caseFiles) : '',
  caseFileAccess: stored?.caseFileAccess ?? '',
  documents: stored?.documents ?? '',
  meetings: stored?.meetings ?? '',
  ...(stored?.oralDebrief ? { oralDebrief: '1' } : {}),
  version: String(stored?.version ?? 0),
});

export function createReportWorkflowRouter({
  reviews,
  isProgramLead: leadsProgram,
  draftReports,
  clock,
}: {
  readonly reviews: ReviewStore;
  readonly isProgramLead: (programId: number, userId: number) => boolean;
  /** The draft report: what it states now, and rendered to be kept as sent (src/reports/sent-draft.ts). */
  readonly draftReports: DraftReports;
  readonly clock: Clock;
}): Router {
  const router = Router();
  const isCoordinator = (context: ReviewContext) => hasRole(context.viewer.user, 'coordinator');
  const isPanelLead = (context: ReviewContext) => context.viewer.membership?.role === 'lead';
  const isProgramLead = (context: ReviewContext) => leadsProgram(context.review.programId, context.viewer.user.id);
  const toOverview = (reviewId: number) => `/reviews/${reviewId}`;
  const toCheck = (reviewId: number) => `/reviews/${reviewId}/factual-check`;
  /** A self-assessment has no report parts of its own: its pages are 404. */
  const loadPeerReview = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (context.review.kind === 'self_assessment') throw new NotFoundError();
    return context;
  };

  // --- The overall judgement: like the barriers page, for the lead during consensus. ---

  serveVersionedForm(router, {
    path: '/reviews/:id/judgement',
    view: 'reviews/judgement',
    title: 'reviews.judgement.title',
    schema: JudgementFormSchema,
    fieldLabels: FIELD_LABELS,
    load: (req) => {
      const context = loadPeerReview(req);
      if (!canSeeOthersRatings(context.viewer, context.review.status)) throw new NotFoundError();
      return context;
    },
    find: reviews.findJudgement,
    storedValues: (stored) => ({ judgement: stored?.text ?? '', version: String(stored?.version ?? 0) }),
    versionOf: (stored) => stored?.version ?? 0,
    redirectInstead: (context) => {
      if (!canEditConsensus(context.viewer, context.review.status)) throw new ForbiddenError('reviews.consensus.locked');
      return undefined;
    },
    closed: (context) => {
      if (canEditConsensus(context.viewer, context.review.status)) return false;
      if (!isPanelLead(context)) throw new ForbiddenError('reviews.consensus.locked');
      return true;
    },
    save: (context, value) => reviews.saveJudgement(context.review.id, value.judgement, value.version, context.viewer.user.id),
    saved: { flash: 'reviews.judgement.saved', redirect: toOverview },
    conflict: (req, stored) => ({
      notice: req.t('reviews.judgement.conflict'),
      errors: { judgement: [req.t('reviews.judgement.conflict')] },
      storedNow: stored?.text ?? '',
    }),
    refusal: () => 'reviews.judgement.locked',
    locals: (_req, _context, state) => ({ storedNow: state.storedNow, judgementMax: JUDGEMENT_MAX }),
  });

  // --- The evidence base: a coordinator or the lead, in any phase before final. ---

  serveVersionedForm(router, {
    path: '/reviews/:id/evidence',
    view: 'reviews/evidence',
    title: 'reviews.evidence.title',
    schema: EvidenceFormSchema,
    fieldLabels: FIELD_LABELS,
    load: (req) => {
      const context = loadPeerReview(req);
      if (!canViewOverview(context.viewer)) throw new NotFoundError();
      if (!canEditEvidenceBase(context.viewer)) throw new ForbiddenError();
      return context;
    },
    find: reviews.findEvidenceBase,
    storedValues: evidenceValues,
    versionOf: (stored) => stored?.version ?? 0,
    closed: (context) => context.review.status === 'final',
    save: (context, { version, caseFileAccess, ...counts }) =>
      // Without case files there is nothing to have accessed.
      reviews.saveEvidenceBase(
        context.review.id,
        { ...counts, caseFileAccess: counts.caseFiles > 0 ? caseFileAccess : undefined },
        version,
        context.viewer.user.id,
      ),
    saved: { flash: 'reviews.evidence.saved', redirect: toOverview },
    conflict: (req, stored) => {
      const summary = stored
        ? [
            ...INTERVIEW_KINDS.map((kind) => `${req.t(`reviews.evidence.${kind}`)} ${stored[kind]}`),
            `${req.t('reviews.evidence.caseFiles')} ${stored.caseFiles}`,
          ].join(', ')
        : '';
      return { notice: req.t('reviews.evidence.conflict', { stored: summary }) };
    },
    refusal: () => 'reviews.evidence.locked',
    locals: (req, context, state) => ({
      interviewKinds: INTERVIEW_KINDS,
      accessOptions: CASE_FILE_ACCESS,
      interviewLabels: labelsOf(INTERVIEW_KINDS, (kind) => `reviews.evidence.${kind}`, req.t),
      accessLabels: labelsOf(CASE_FILE_ACCESS, (option) => `reviews.evidence.access.${option}`, req.t),
      locked: state.locked === true || context.review.status === 'final',
    }),
  });

  // --- The factual check. ---

  /** The check's pages are for those who see the review's overview and for the program's leads; others get 404. */
  const loadCheck = (req: Request): ReviewContext => {
    const context = loadPeerReview(req);
    if (!canViewOverview(context.viewer) && !isProgramLead(context)) throw new NotFoundError();
    return context;
  };

  /**
   * Whether the draft states something else now than when it was sent: true or false for the panel and coordinators
   * of a check sent with its draft kept; undefined otherwise (nobody to tell, or nothing to compare with).
   */
  const describeChange = (context: ReviewContext, check: FactualCheck | undefined): boolean | undefined => {
    if (!check?.draftFingerprint || context.review.status !== 'consensus' || !canViewOverview(context.viewer)) return undefined;
    const now = draftReports.fingerprint(context.review.id);
    return now === undefined ? undefined : now !== check.draftFingerprint;
  };

  router.get('/reviews/:id/factual-check', async (req, res) => {
    const context = loadCheck(req);
    const { review } = context;
    const check = reviews.findFactualCheck(review.id);
    const changed = describeChange(context, check);
    const canSend = isCoordinator(context) && review.status === 'consensus';
    await renderPage(res, 'reviews/factual-check', {
      title: `${req.t('reviews.factualCheck.title')}: ${review.programName}`,
      review,
      check,
      // The coordinator sends through the check page; once sent, again only when the draft has changed since. While
      // it has not, the same page moves the reply-by day alone.
      checkHref: canSend && (!check || changed !== false) ? `${toCheck(review.id)}/send` : undefined,
      replyByHref: canSend && check && changed === false ? `${toCheck(review.id)}/send` : undefined,
      changed,
      canRespond: isProgramLead(context) && review.status === 'consensus',
      canRecordChanges: canEditConsensus(context.viewer, review.status),
      canReadDraft: review.status === 'consensus',
      // The draft as sent is kept (src/reports/sent-draft.ts): the panel and coordinators may read both.
      sentDraftKept: review.status === 'consensus' && reviews.hasSentDraft(review.id),
      backToOverview: canViewOverview(context.viewer),
    });
  });

  /** The send check page is the coordinators'; it sends while the review is in consensus. */
  const loadSender = (req: Request): ReviewContext => {
    const context = loadCheck(req);
    if (!isCoordinator(context)) throw new ForbiddenError();
    return context;
  };

  /** The sections without a consensus score for every indicator, each with how many are left and its consensus page. */
  const listUndecided = (context: ReviewContext) => {
    const rubric = context.review.rubric.rubric;
    const decided = new Set(reviews.listDecidedIndicators(context.review.id).map((c) => c.indicatorId));
    const total = rubric.sections.reduce((sum, section) => sum + section.indicators.length, 0);
    const sections = rubric.sections
      .map((section) => ({ section, left: section.indicators.filter((indicator) => !decided.has(indicator.id)).length }))
      .filter((entry) => entry.left > 0);
    return { decided: decided.size, total, sections };
  };

  const readSendState = (reviewId: number): SendState => {
    const check = reviews.findFactualCheck(reviewId);
    const fingerprint = draftReports.fingerprint(reviewId);
    return { check, fingerprint, unchanged: check?.draftFingerprint !== undefined && fingerprint === check.draftFingerprint };
  };
  /** What the send form was based on: the check's version and the draft's fingerprint as the page showed them. */
  const sendBase = (state: SendState): RawForm => ({ version: String(state.check?.sendVersion ?? 0), draft_base: state.fingerprint ?? '' });

  const renderSendCheck = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    state: SendState,
    form: FormView,
    status = 200,
    notice?: string,
  ) => {
    const { review } = context;
    const undecided = listUndecided(context);
    const parts = describeReportParts(reviews, review, context.viewer).filter((part) => part.label !== 'reviews.reportParts.factualCheck');
    const title = `${req.t(state.unchanged ? 'reviews.factualCheck.replyByTitle' : 'reviews.factualCheck.checkTitle')}: ${review.programName}`;
    await renderPage(
      res,
      'reviews/factual-check-send',
      {
        // A refused form says so in its title (renderPage adds it for field errors; a conflict or a busy renderer has
        // none).
        title: status === 409 || status === 503 ? req.t('common.errorTitle', { title }) : title,
        review,
        check: state.check,
        replyByOnly: state.unchanged,
        undecided,
        parts,
        form,
        notice,
      },
      status,
    );
  };

  /**
   * A form based on what is no longer so: someone sent the draft or moved the day since the page was shown (another
   * version), or the draft changed (another fingerprint). 409 with the page as it is now, what was typed kept and the
   * form's base moved on, so that sending again is a knowing choice.
   */
  const refuseStale = (req: Request, res: Response, context: ReviewContext, cause: 'version' | 'draft') => {
    const state = readSendState(context.review.id);
    const { check } = state;
    const notice =
      cause === 'draft' || !check
        ? req.t('reviews.factualCheck.draftChangedWhileOpen')
        : check.replyBy
          ? req.t('reviews.factualCheck.sendConflict', {
              sent: formatLongDate(check.sentAt, req.locale),
              replyBy: formatLongDate(check.replyBy, req.locale),
            })
          : req.t('reviews.factualCheck.sendConflictNoDate', { sent: formatLongDate(check.sentAt, req.locale) });
    const values = { ...toRawForm(req.body), ...sendBase(state) };
    return renderSendCheck(req, res, context, state, createFormView(values), 409, notice);
  };

  router.get('/reviews/:id/factual-check/send', async (req, res) => {
    const context = loadSender(req);
    if (context.review.status !== 'consensus') return res.redirect(303, toCheck(context.review.id));
    const state = readSendState(context.review.id);
    await renderSendCheck(req, res, context, state, createFormView({ replyBy: state.check?.replyBy ?? '', ...sendBase(state) }));
  });

  router.post('/reviews/:id/factual-check/send', async (req, res) => {
    const context = loadSender(req);
    const { review } = context;
    if (review.status !== 'consensus') throw new ConflictError('reviews.factualCheck.notYet');
    // Everything that can refuse or settle the sending is decided before the draft is rendered in both languages (a
    // worker's seconds, in a queue other reports share): the form, whether it was based on what is stored now, and
    // whether the draft is the one already sent, in which case nothing is rendered and only the reply-by day moves.
    // Only what is rendered is kept, with the fingerprint of the data it was rendered from.
    const state = readSendState(review.id);
    const today = todayInSweden(clock());
    const parsed = parseForm(SendFormSchema, req.body, req.t, labelFields(req.t, FIELD_LABELS));
    const errors: Record<string, readonly string[]> = parsed.ok ? {} : { ...parsed.errors };
    if (parsed.ok && parsed.value.replyBy !== undefined && parsed.value.replyBy < today) {
      errors.replyBy = [req.t('reviews.factualCheck.replyByPast')];
    }
    const undecided = listUndecided(context);
    // Sending with sections undecided is allowed, but only knowingly: the box says how many. Moving the day sends nothing.
    if (!state.unchanged && undecided.sections.length > 0 && !(parsed.ok && parsed.value.knowingly)) {
      errors.knowingly = [req.t('reviews.factualCheck.knowinglyRequired')];
    }
    if (!parsed.ok || Object.keys(errors).length > 0) {
      return renderSendCheck(req, res, context, state, createFormView(toRawForm(req.body), errors, true), 422);
    }
    const version = parsed.value.version ?? state.check?.sendVersion ?? 0;
    const draftBase = parsed.value.draft_base ?? state.fingerprint;
    const { replyBy } = parsed.value;
    if (version !== (state.check?.sendVersion ?? 0)) return refuseStale(req, res, context, 'version');
    if (draftBase !== state.fingerprint) return refuseStale(req, res, context, 'draft');
    const actorId = context.viewer.user.id;

    if (state.unchanged && state.fingerprint !== undefined) {
      const moved = reviews.moveFactualCheckReplyBy(review.id, actorId, {
        replyBy,
        expectedVersion: version,
        draftFingerprint: state.fingerprint,
      });
      if (moved === 'locked') throw new ConflictError('reviews.factualCheck.notYet');
      if (moved === 'conflict' || moved === 'not-sent') return refuseStale(req, res, context, 'version');
      if (moved === 'changed') return refuseStale(req, res, context, 'draft');
      setFlash(req, moved === 'moved' ? 'reviews.factualCheck.replyByMovedFlash' : 'reviews.factualCheck.replyByUnchangedFlash');
      return res.redirect(303, toCheck(review.id));
    }

    const sentAt = clock().toISOString();
    const rendered = await draftReports.render(review.id, sentAt);
    if (rendered === 'busy') {
      res.set('Retry-After', '10');
      // The markers it was judged by go back, so a form posted without them is not judged afresh next time.
      const values = { ...toRawForm(req.body), version: String(version), draft_base: draftBase ?? '' };
      return renderSendCheck(req, res, context, state, createFormView(values), 503, req.t('reviews.factualCheck.busy'));
    }
    if (rendered === undefined) throw new ConflictError('reviews.factualCheck.notYet');
    // The draft may have changed while it waited for a worker: what is stored must be what the form was based on, both
    // the data it was rendered from and the data now (read with no await between it and the store's transaction).
    if (rendered.fingerprint !== draftBase || draftReports.fingerprint(review.id) !== draftBase) {
      return refuseStale(req, res, context, 'draft');
    }
    // Checked again as it is stored: someone may have sent while the draft rendered.
    const outcome = reviews.sendFactualCheck(review.id, actorId, { sentAt, draft: rendered, replyBy, expectedVersion: version });
    if (outcome === 'locked') throw new ConflictError('reviews.factualCheck.notYet');
    if (outcome === 'conflict') return refuseStale(req, res, context, 'version');
    setFlash(
      req,
      outcome === 'sent'
        ? 'reviews.factualCheck.sentFlash'
        : outcome === 'resent'
          ? 'reviews.factualCheck.resentFlash'
          : outcome === 'moved'
            ? 'reviews.factualCheck.replyByMovedFlash'
            : 'reviews.factualCheck.alreadySent',
    );
    res.redirect(303, toCheck(review.id));
  });

  /** What the response and changes forms share: open while the check is out and the review is in consensus. */
  const checkForm = (title: MessageKey, savedFlash: MessageKey, mayEdit: (context: ReviewContext) => boolean) => ({
    title,
    fieldLabels: FIELD_LABELS,
    load: (req: Request): ReviewContext => {
      const context = loadCheck(req);
      if (!mayEdit(context)) throw new ForbiddenError();
      return context;
    },
    find: reviews.findFactualCheck,
    redirectInstead: (context: ReviewContext, check: FactualCheck | undefined) =>
      !check || context.review.status !== 'consensus' ? toCheck(context.review.id) : undefined,
    closed: (context: ReviewContext) => context.review.status !== 'consensus',
    saved: { flash: savedFlash, redirect: toCheck },
    refusal: (outcome: 'locked' | 'not-sent'): MessageKey =>
      outcome === 'not-sent' ? 'reviews.factualCheck.notSentYet' : 'reviews.factualCheck.locked',
    locals: (req: Request, context: ReviewContext, state: VersionedFormState<StoredTexts>) => ({
      heading: req.t(title),
      check: reviews.findFactualCheck(context.review.id),
      storedNow: state.storedNow ?? [],
    }),
  });

  // The program's leads answer: corrections of fact and a response.
  serveVersionedForm(router, {
    ...checkForm('reviews.factualCheck.respond', 'reviews.factualCheck.responseSaved', isProgramLead),
    path: '/reviews/:id/factual-check/response',
    view: 'reviews/factual-check-response',
    schema: ResponseFormSchema,
    storedValues: (check) => ({
      corrections: check?.corrections ?? '',
      response: check?.response ?? '',
      version: String(check?.responseVersion ?? 0),
    }),
    versionOf: (check) => check?.responseVersion ?? 0,
    save: (context, { version, ...input }) => reviews.saveFactualResponse(context.review.id, input, version, context.viewer.user.id),
    conflict: (req, check) => ({
      notice: req.t('reviews.factualCheck.conflict'),
      storedNow: [
        { label: req.t('reviews.factualCheck.corrections'), text: check?.corrections ?? '' },
        { label: req.t('reviews.factualCheck.response'), text: check?.response ?? '' },
      ],
    }),
  });

  // What was changed: the review's lead, once the draft has gone to the program.
  serveVersionedForm(router, {
    ...checkForm('reviews.factualCheck.recordChanges', 'reviews.factualCheck.changesSaved', isPanelLead),
    path: '/reviews/:id/factual-check/changes',
    view: 'reviews/factual-check-changes',
    schema: ChangesFormSchema,
    storedValues: (check) => ({ changes: check?.changes ?? '', version: String(check?.changesVersion ?? 0) }),
    versionOf: (check) => check?.changesVersion ?? 0,
    save: (context, value) => reviews.saveFactualChanges(context.review.id, value.changes, value.version, context.viewer.user.id),
    conflict: (req, check) => ({
      notice: req.t('reviews.factualCheck.conflict'),
      storedNow: [{ label: req.t('reviews.factualCheck.changes'), text: check?.changes ?? '' }],
    }),
  });

  return router;
}
