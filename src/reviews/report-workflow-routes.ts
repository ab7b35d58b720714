// The report's own parts of a review: the panel's overall judgement (the lead, in consensus; finalising
// needs it), the evidence base of the visit (a coordinator or the lead, before final), and the factual check (the
// coordinator sends the draft, the program's leads answer, the lead records what was changed). Every form carries a
// version: a save based on a page someone else saved meanwhile is a 409 that keeps what was typed.
import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { hasRole } from '../accounts/access.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { checkbox, optionalText, requiredText, versionField } from '../http/form-fields.js';
import type { RawForm } from '../http/form-parsing.js';
import { renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { MessageKey } from '../i18n/messages.js';
import { canEditConsensus, canEditEvidenceBase, canSeeOthersRatings, canViewOverview } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import type { ReviewStore } from './review-store.js';
import { CASE_FILE_ACCESS, type EvidenceBase, type FactualCheck, INTERVIEW_KINDS } from './report-workflow.js';
import type { Review } from './review-types.js';
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
};

/** What the finalise check page says of the report's parts, each with its page. The view translates label and value: MessageKey, so tsc checks them. */
export function describeReportParts(
  reviews: ReviewStore,
  review: Review,
): readonly { readonly label: MessageKey; readonly value: MessageKey; readonly missing: boolean; readonly href: string }[] {
  const base = `/reviews/${review.id}`;
  const check = reviews.findFactualCheck(review.id);
  return [
    {
      label: 'reviews.reportParts.judgement' as const,
      value: reviews.findJudgement(review.id)
        ? ('reviews.reportParts.judgementWritten' as const)
        : ('reviews.reportParts.judgementMissing' as const),
      missing: reviews.findJudgement(review.id) === undefined && review.kind !== 'self_assessment',
      href: `${base}/judgement`,
    },
    {
      label: 'reviews.reportParts.evidence' as const,
      value: reviews.findEvidenceBase(review.id)
        ? ('reviews.reportParts.evidenceWritten' as const)
        : ('reviews.reportParts.evidenceMissing' as const),
      missing: false,
      href: `${base}/evidence`,
    },
    {
      label: 'reviews.reportParts.factualCheck' as const,
      value: !check
        ? ('reviews.reportParts.factualNotSent' as const)
        : check.respondedAt
          ? ('reviews.reportParts.factualAnswered' as const)
          : ('reviews.reportParts.factualSent' as const),
      missing: false,
      href: `${base}/factual-check`,
    },
  ];
}

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
}: {
  readonly reviews: ReviewStore;
  readonly isProgramLead: (programId: number, userId: number) => boolean;
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
    locals: (_req, _context, state) => ({ storedNow: state.storedNow }),
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

  router.get('/reviews/:id/factual-check', async (req, res) => {
    const context = loadCheck(req);
    const { review } = context;
    await renderPage(res, 'reviews/factual-check', {
      title: `${req.t('reviews.factualCheck.title')}: ${review.programName}`,
      review,
      check: reviews.findFactualCheck(review.id),
      canSend: isCoordinator(context) && review.status === 'consensus',
      canRespond: isProgramLead(context) && review.status === 'consensus',
      canRecordChanges: canEditConsensus(context.viewer, review.status),
      canReadDraft: review.status === 'consensus',
      backToOverview: canViewOverview(context.viewer),
    });
  });

  router.post('/reviews/:id/factual-check/send', async (req, res) => {
    const context = loadCheck(req);
    if (!isCoordinator(context)) throw new ForbiddenError();
    const outcome = reviews.sendFactualCheck(context.review.id, context.viewer.user.id);
    if (outcome === 'locked') throw new ConflictError('reviews.factualCheck.notYet');
    setFlash(req, outcome === 'sent' ? 'reviews.factualCheck.sentFlash' : 'reviews.factualCheck.alreadySent');
    res.redirect(303, toCheck(context.review.id));
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
