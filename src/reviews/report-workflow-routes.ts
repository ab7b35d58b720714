// The report's own parts of a review: the panel's overall judgement (the lead, in consensus; finalising
// needs it), the evidence base of the visit (a coordinator or the lead, before final), and the factual check (the
// coordinator sends the draft, the program's leads answer, the lead records what was changed). Every form carries a
// version: a save based on a page someone else saved meanwhile is a 409 that keeps what was typed.
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { hasRole } from '../accounts/access.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { checkbox, optionalText, requiredText, versionField } from '../http/form-fields.js';
import { type FieldErrors, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import { labelsOf } from '../i18n/labels.js';
import type { MessageKey } from '../i18n/messages.js';
import { canEditConsensus, canSeeOthersRatings, canViewOverview } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import type { ReviewStore } from './review-store.js';
import { CASE_FILE_ACCESS, type EvidenceBase, INTERVIEW_KINDS } from './report-workflow.js';
import type { Review } from './review-types.js';

const JUDGEMENT_MAX = 3000;
const COUNT_MAX = 9999;

const JudgementFormSchema = z.object({ judgement: requiredText(JUDGEMENT_MAX), version: versionField });

/** A count: empty is 0; otherwise a whole number from 0 up. */
const countField = z
  .string({ error: 'validation.invalid' })
  .optional()
  .transform((value) => ((value ?? '').trim() === '' ? '0' : (value ?? '').trim()))
  .pipe(z.string().regex(/^\d{1,4}$/, { error: 'validation.invalid' }))
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

const evidenceValues = (stored: EvidenceBase | undefined): RawForm => ({
  ...Object.fromEntries(INTERVIEW_KINDS.map((kind) => [kind, String(stored?.[kind] ?? 0)])),
  caseFiles: String(stored?.caseFiles ?? 0),
  caseFileAccess: stored?.caseFileAccess ?? '',
  documents: stored?.documents ?? '',
  meetings: stored?.meetings ?? '',
  ...(stored?.oralDebrief ? { oralDebrief: '1' } : {}),
  version: String(stored?.version ?? 0),
});

export function createReportWorkflowRouter({ reviews }: { reviews: ReviewStore }): Router {
  const router = Router();
  const labels = (req: Request) => labelFields(req.t, FIELD_LABELS);
  const isCoordinator = (context: ReviewContext) => hasRole(context.viewer.user, 'coordinator');
  const isPanelLead = (context: ReviewContext) => context.viewer.membership?.role === 'lead';
  const isProgramLead = (context: ReviewContext) => reviews.isProgramLead(context.review.programId, context.viewer.user.id);

  // --- The overall judgement: like the barriers page, for the lead during consensus. ---

  const loadJudgement = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (context.review.kind === 'self_assessment' || !canSeeOthersRatings(context.viewer, context.review.status)) throw new NotFoundError();
    return context;
  };

  const renderJudgement = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    state: { notice?: string; storedNow?: string; locked?: boolean } = {},
  ) => {
    const title = req.t('reviews.judgement.title');
    await renderPage(
      res,
      'reviews/judgement',
      {
        title: `${status === 200 ? title : req.t('reviews.consensus.errorTitle', { title })}: ${context.review.programName}`,
        review: context.review,
        form: createFormView(values, errors, status !== 200),
        notice: state.notice,
        storedNow: state.storedNow,
        locked: state.locked === true,
      },
      status,
    );
  };

  router.get('/reviews/:id/judgement', async (req, res) => {
    const context = loadJudgement(req);
    if (!canEditConsensus(context.viewer, context.review.status)) throw new ForbiddenError('reviews.consensus.locked');
    const stored = reviews.findJudgement(context.review.id);
    await renderJudgement(req, res, context, { judgement: stored?.text ?? '', version: String(stored?.version ?? 0) }, {});
  });

  router.post('/reviews/:id/judgement', async (req, res) => {
    const context = loadJudgement(req);
    const typed = toRawForm(req.body);
    if (!canEditConsensus(context.viewer, context.review.status)) {
      if (!isPanelLead(context)) throw new ForbiddenError('reviews.consensus.locked');
      return renderJudgement(req, res, context, typed, {}, 409, { notice: req.t('reviews.judgement.locked'), locked: true });
    }
    const parsed = parseForm(JudgementFormSchema, req.body, req.t, labels(req));
    if (!parsed.ok) return renderJudgement(req, res, context, parsed.values, parsed.errors, 422);
    const outcome = reviews.saveJudgement(context.review.id, parsed.value.judgement, parsed.value.version, context.viewer.user.id);
    if (outcome === 'saved') {
      setFlash(req, 'reviews.judgement.saved');
      return res.redirect(303, `/reviews/${context.review.id}`);
    }
    if (outcome === 'conflict') {
      const stored = reviews.findJudgement(context.review.id);
      const values = { ...typed, version: String(stored?.version ?? 0) };
      return renderJudgement(req, res, context, values, { judgement: [req.t('reviews.judgement.conflict')] }, 409, {
        notice: req.t('reviews.judgement.conflict'),
        storedNow: stored?.text ?? '',
      });
    }
    return renderJudgement(req, res, context, typed, {}, 409, { notice: req.t('reviews.judgement.locked'), locked: true });
  });

  // --- The evidence base: a coordinator or the lead, in any phase before final. ---

  const loadEvidence = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (context.review.kind === 'self_assessment' || !canViewOverview(context.viewer)) throw new NotFoundError();
    if (!isCoordinator(context) && !isPanelLead(context)) throw new ForbiddenError();
    return context;
  };

  const renderEvidence = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    state: { notice?: string; locked?: boolean } = {},
  ) => {
    const title = req.t('reviews.evidence.title');
    await renderPage(
      res,
      'reviews/evidence',
      {
        title: `${status === 200 ? title : req.t('reviews.consensus.errorTitle', { title })}: ${context.review.programName}`,
        review: context.review,
        form: createFormView(values, errors, status !== 200),
        interviewKinds: INTERVIEW_KINDS,
        accessOptions: CASE_FILE_ACCESS,
        interviewLabels: labelsOf(INTERVIEW_KINDS, (kind) => `reviews.evidence.${kind}`, req.t),
        accessLabels: labelsOf(CASE_FILE_ACCESS, (option) => `reviews.evidence.access.${option}`, req.t),
        notice: state.notice,
        locked: state.locked === true || context.review.status === 'final',
      },
      status,
    );
  };

  router.get('/reviews/:id/evidence', async (req, res) => {
    const context = loadEvidence(req);
    await renderEvidence(req, res, context, evidenceValues(reviews.findEvidenceBase(context.review.id)), {});
  });

  router.post('/reviews/:id/evidence', async (req, res) => {
    const context = loadEvidence(req);
    const typed = toRawForm(req.body);
    const locked = () => renderEvidence(req, res, context, typed, {}, 409, { notice: req.t('reviews.evidence.locked'), locked: true });
    if (context.review.status === 'final') return locked();
    const parsed = parseForm(EvidenceFormSchema, req.body, req.t, labels(req));
    if (!parsed.ok) return renderEvidence(req, res, context, parsed.values, parsed.errors, 422);
    const { version, caseFileAccess, ...counts } = parsed.value;
    // Without case files there is nothing to have accessed.
    const input = { ...counts, caseFileAccess: counts.caseFiles > 0 ? caseFileAccess : undefined };
    const outcome = reviews.saveEvidenceBase(context.review.id, input, version, context.viewer.user.id);
    if (outcome === 'saved') {
      setFlash(req, 'reviews.evidence.saved');
      return res.redirect(303, `/reviews/${context.review.id}`);
    }
    if (outcome === 'conflict') {
      const stored = reviews.findEvidenceBase(context.review.id);
      const summary = stored
        ? [
            ...INTERVIEW_KINDS.map((kind) => `${req.t(`reviews.evidence.${kind}`)} ${stored[kind]}`),
            `${req.t('reviews.evidence.caseFiles')} ${stored.caseFiles}`,
          ].join(', ')
        : '';
      return renderEvidence(req, res, context, { ...typed, version: String(stored?.version ?? 0) }, {}, 409, {
        notice: req.t('reviews.evidence.conflict', { stored: summary }),
      });
    }
    return locked();
  });

  // --- The factual check. ---

  /** The check's pages are for those who see the review's overview and for the program's leads; others get 404. */
  const loadCheck = (req: Request): ReviewContext => {
    const context = loadReviewContext(req, reviews, req.params.id);
    if (context.review.kind === 'self_assessment') throw new NotFoundError();
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
    res.redirect(303, `/reviews/${context.review.id}/factual-check`);
  });

  const renderCheckForm = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    view: 'reviews/factual-check-response' | 'reviews/factual-check-changes',
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    state: { notice?: string; storedNow?: readonly { label: string; text: string }[]; locked?: boolean } = {},
  ) => {
    const title = req.t(view === 'reviews/factual-check-response' ? 'reviews.factualCheck.respond' : 'reviews.factualCheck.recordChanges');
    await renderPage(
      res,
      view,
      {
        title: `${status === 200 ? title : req.t('reviews.consensus.errorTitle', { title })}: ${context.review.programName}`,
        heading: title,
        review: context.review,
        check: reviews.findFactualCheck(context.review.id),
        form: createFormView(values, errors, status !== 200),
        notice: state.notice,
        storedNow: state.storedNow ?? [],
        locked: state.locked === true,
      },
      status,
    );
  };

  const loadResponder = (req: Request): ReviewContext => {
    const context = loadCheck(req);
    if (!isProgramLead(context)) throw new ForbiddenError();
    return context;
  };

  router.get('/reviews/:id/factual-check/response', async (req, res) => {
    const context = loadResponder(req);
    const check = reviews.findFactualCheck(context.review.id);
    if (!check || context.review.status !== 'consensus') return res.redirect(303, `/reviews/${context.review.id}/factual-check`);
    await renderCheckForm(
      req,
      res,
      context,
      'reviews/factual-check-response',
      {
        corrections: check.corrections,
        response: check.response,
        version: String(check.responseVersion),
      },
      {},
    );
  });

  router.post('/reviews/:id/factual-check/response', async (req, res) => {
    const context = loadResponder(req);
    const typed = toRawForm(req.body);
    const view = 'reviews/factual-check-response' as const;
    const refuse = (key: MessageKey) => renderCheckForm(req, res, context, view, typed, {}, 409, { notice: req.t(key), locked: true });
    if (context.review.status !== 'consensus') return refuse('reviews.factualCheck.locked');
    const parsed = parseForm(ResponseFormSchema, req.body, req.t, labels(req));
    if (!parsed.ok) return renderCheckForm(req, res, context, view, parsed.values, parsed.errors, 422);
    const { version, ...input } = parsed.value;
    const outcome = reviews.saveFactualResponse(context.review.id, input, version, context.viewer.user.id);
    if (outcome === 'saved') {
      setFlash(req, 'reviews.factualCheck.responseSaved');
      return res.redirect(303, `/reviews/${context.review.id}/factual-check`);
    }
    if (outcome === 'conflict') {
      const stored = reviews.findFactualCheck(context.review.id);
      return renderCheckForm(req, res, context, view, { ...typed, version: String(stored?.responseVersion ?? 0) }, {}, 409, {
        notice: req.t('reviews.factualCheck.conflict'),
        storedNow: [
          { label: req.t('reviews.factualCheck.corrections'), text: stored?.corrections ?? '' },
          { label: req.t('reviews.factualCheck.response'), text: stored?.response ?? '' },
        ],
      });
    }
    return refuse(outcome === 'not-sent' ? 'reviews.factualCheck.notSentYet' : 'reviews.factualCheck.locked');
  });

  /** What was changed: the review's lead, once the draft has gone to the program. */
  const loadRecorder = (req: Request): ReviewContext => {
    const context = loadCheck(req);
    if (!isPanelLead(context)) throw new ForbiddenError();
    return context;
  };

  router.get('/reviews/:id/factual-check/changes', async (req, res) => {
    const context = loadRecorder(req);
    const check = reviews.findFactualCheck(context.review.id);
    if (!check || context.review.status !== 'consensus') return res.redirect(303, `/reviews/${context.review.id}/factual-check`);
    await renderCheckForm(
      req,
      res,
      context,
      'reviews/factual-check-changes',
      { changes: check.changes, version: String(check.changesVersion) },
      {},
    );
  });

  router.post('/reviews/:id/factual-check/changes', async (req, res) => {
    const context = loadRecorder(req);
    const typed = toRawForm(req.body);
    const view = 'reviews/factual-check-changes' as const;
    const refuse = (key: MessageKey) => renderCheckForm(req, res, context, view, typed, {}, 409, { notice: req.t(key), locked: true });
    if (context.review.status !== 'consensus') return refuse('reviews.factualCheck.locked');
    const parsed = parseForm(ChangesFormSchema, req.body, req.t, labels(req));
    if (!parsed.ok) return renderCheckForm(req, res, context, view, parsed.values, parsed.errors, 422);
    const outcome = reviews.saveFactualChanges(context.review.id, parsed.value.changes, parsed.value.version, context.viewer.user.id);
    if (outcome === 'saved') {
      setFlash(req, 'reviews.factualCheck.changesSaved');
      return res.redirect(303, `/reviews/${context.review.id}/factual-check`);
    }
    if (outcome === 'conflict') {
      const stored = reviews.findFactualCheck(context.review.id);
      return renderCheckForm(req, res, context, view, { ...typed, version: String(stored?.changesVersion ?? 0) }, {}, 409, {
        notice: req.t('reviews.factualCheck.conflict'),
        storedNow: [{ label: req.t('reviews.factualCheck.changes'), text: stored?.changes ?? '' }],
      });
    }
    return refuse(outcome === 'not-sent' ? 'reviews.factualCheck.notSentYet' : 'reviews.factualCheck.locked');
  });

  return router;
}
