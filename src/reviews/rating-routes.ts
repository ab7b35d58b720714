// The independent rating: a start page ("Din bedömning") listing the sections as a task list, one form per section,
// and a check-your-answers page from which the rater submits. Only the rater's own ratings are ever loaded here;
// others' ratings stay out of these pages entirely.
import { Router } from 'express';
import { z } from 'zod';
import type { Request, Response } from 'express';
import type { ConflictChecker } from '../conflicts/conflict-check.js';
import { describeOwnConflict } from '../conflicts/conflict-messages.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { setFlash } from '../http/flash.js';
import { type FieldErrors, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { formAfterConflicts } from '../http/edit-conflicts.js';
import { createFormView, type FormView, renderPage } from '../http/render-page.js';
import { listIndicators, type Rubric, type RubricSection, stepSection, indicatorCode } from '../rubrics/rubric-schema.js';
import { canRate } from './review-access.js';
import { loadReviewContext, type ReviewContext } from './review-context.js';
import { createRatingSectionSchema, labelIndicatorFields, NOT_APPLICABLE_VALUE, NOTE_MAX, ratingFieldNames } from './review-forms.js';
import type { ReviewStore } from './review-store.js';
import { isRated, isRaterRole, type Rating, type RatingProgress, type Review } from './review-types.js';

type SectionStatus = 'notStarted' | 'inProgress' | 'done';

/** The section a "goto" button of the section form leads to, or SUMMARY_TARGET for the start page. */
const SUMMARY_TARGET = '_summary';

/** A section in the rating pages' section list: how far the rater is, and where to pick up. */
type SectionNavEntry = {
  readonly id: string;
  readonly code: string;
  readonly title: RubricSection['title'];
  readonly done: number;
  readonly total: number;
  readonly status: SectionStatus;
  readonly firstUnratedId: string | undefined;
  readonly current: boolean;
};

/** What views/reviews/rate-section.ejs is rendered with (besides res.locals). */
export type RateSectionPageLocals = {
  readonly title: string;
  readonly skipLink: { readonly href: string; readonly label: string } | undefined;
  readonly review: Review;
  readonly rubric: Rubric;
  readonly section: RubricSection;
  /** Each of the section's indicators' codes ("A1.6"), in order. */
  readonly indicatorCodes: readonly string[];
  readonly sections: readonly SectionNavEntry[];
  readonly previous: RubricSection | undefined;
  readonly next: RubricSection | undefined;
  readonly summaryTarget: string;
  readonly fieldNames: typeof ratingFieldNames;
  readonly naValue: typeof NOT_APPLICABLE_VALUE;
  /** The longest note the form accepts, said in the note's hint. */
  readonly noteMax: number;
  /** Opened from the check page's "Ändra": the primary button saves and goes back there. */
  readonly returnToCheck: ReturnToCheck | undefined;
  readonly form: FormView;
};
const GotoSchema = z.string().min(1).max(100);

/**
 * The marker of a section opened from the check page's "Ändra" (?return=check&return_at=<indicator>), carried by the
 * section form as hidden fields so a save, a refusal and a kept form after an ended session keep it.
 */
const ReturnSchema = z.object({
  return: z.literal('check'),
  return_at: z.string().max(100).optional().catch(undefined),
});

/** Back to the check page, at the indicator whose "Ändra" was followed (undefined: the section's first). */
type ReturnToCheck = { readonly indicatorId: string | undefined };

/** The return marker of a request's query or body, if it has one; an indicator of another section is dropped. */
function readReturnToCheck(source: unknown, section: RubricSection): ReturnToCheck | undefined {
  const parsed = ReturnSchema.safeParse(source);
  if (!parsed.success) return undefined;
  const at = parsed.data.return_at;
  return { indicatorId: section.indicators.some((indicator) => indicator.id === at) ? at : undefined };
}

/** The section's address with the return marker kept, for a plain save that stays on the section. */
function sectionHref(reviewId: number, section: RubricSection, back: ReturnToCheck | undefined): string {
  const base = `/reviews/${reviewId}/rate/${section.id}`;
  if (!back) return base;
  return `${base}?return=check${back.indicatorId ? `&return_at=${encodeURIComponent(back.indicatorId)}` : ''}`;
}

/** The check page at the indicator changed (its row), or at the section when no indicator was named. */
function checkHref(reviewId: number, section: RubricSection, back: ReturnToCheck): string {
  return `/reviews/${reviewId}/rate/check#${back.indicatorId ? `check-${back.indicatorId}` : `check-section-${section.id}`}`;
}

/** A page that comes back refused has a title starting "Fel: ", so the browser tab and a screen reader say so first. */
function withErrorPrefix(req: Request, status: number, title: string): string {
  return status === 422 ? req.t('reviews.rate.errorTitle', { title }) : title;
}

function ratingValues(section: RubricSection, ratings: ReadonlyMap<string, Rating>): RawForm {
  const values: Record<string, string | string[]> = {};
  for (const indicator of section.indicators) {
    const names = ratingFieldNames(indicator.id);
    const rating = ratings.get(indicator.id);
    values[names.score] = rating?.notApplicable ? NOT_APPLICABLE_VALUE : rating?.score != null ? String(rating.score) : '';
    values[names.evidence] = [...(rating?.evidence ?? [])];
    values[names.note] = rating?.note ?? '';
    values[names.version] = String(rating?.version ?? 0);
  }
  return values;
}

/** How a stored rating reads in a conflict message: "3", "N/A" or nothing yet, plus its note. */
function describeRating(rating: Rating | undefined, t: Request['t']): string {
  if (!rating || (!isRated(rating) && rating.note === '')) return t('reviews.conflictNothing');
  const score = rating.notApplicable
    ? t('reviews.rate.notApplicable')
    : rating.score === null
      ? t('reviews.rate.notRated')
      : String(rating.score);
  return rating.note ? `${score} – ”${rating.note}”` : score;
}

export function createRatingRouter({ reviews, conflicts }: { reviews: ReviewStore; conflicts: ConflictChecker }): Router {
  const router = Router();

  /** The rating pages exist only for a rater who may still rate; anyone else gets 404, so nothing is revealed. */
  const loadRater = (req: Request): ReviewContext & { raterId: number } => asRater(loadReviewContext(req, reviews, req.params.id));

  const asRater = (context: ReviewContext): ReviewContext & { raterId: number } => {
    if (!canRate(context.viewer, context.review.status)) {
      if (context.viewer.membership && context.review.status === 'rating') throw new ConflictError('reviews.rate.locked');
      throw new NotFoundError();
    }
    return { ...context, raterId: context.viewer.user.id };
  };

  /**
   * Conflicts are checked again on every rating request: affiliations and declared conflicts can change while a rater
   * sits on the panel. What stops the rater, in words addressed to them, or undefined when nothing does. A
   * self-assessment is rated by the program's own people, so conflicts of interest do not apply to it.
   */
  const findConflictMessages = (req: Request, context: ReviewContext): string[] | undefined => {
    if (context.review.kind === 'self_assessment') return undefined;
    const block = conflicts.findRatingBlock(context.viewer.user.id, context.review.programId, context.review.id);
    if (!block) return undefined;
    return [...block.refusals, ...block.unconfirmedWarnings].map((reason) =>
      describeOwnConflict(reason, req.t, conflicts.reciprocalReviewMonths),
    );
  };

  /** A rater stopped by a conflict of interest is told why (403), instead of a bare refusal. */
  const renderBlocked = (req: Request, res: Response, context: ReviewContext, reasons: readonly string[]) =>
    renderPage(res, 'reviews/rate-blocked', { title: req.t('conflicts.ratingBlockedTitle'), review: context.review, reasons }, 403);

  /** A rating page: only for a rater who may still rate and whom no conflict of interest stops. */
  const raterPage =
    (handler: (req: Request, res: Response, context: ReviewContext & { raterId: number }) => Promise<void>) =>
    async (req: Request, res: Response) => {
      const context = loadRater(req);
      const blocked = findConflictMessages(req, context);
      if (blocked) return renderBlocked(req, res, context, blocked);
      await handler(req, res, context);
    };

  const ownRatings = (context: ReviewContext & { raterId: number }) =>
    new Map(reviews.listRatingsOfRater(context.review.id, context.raterId).map((r) => [r.indicatorId, r]));

  const ownProgress = (context: ReviewContext & { raterId: number }) => reviews.readRatingProgress(context.review.id, context.raterId);

  const sectionNav = (context: ReviewContext, progress: ReadonlyMap<string, RatingProgress>, currentId: string | undefined) =>
    context.review.rubric.rubric.sections.map((section) => {
      const done = section.indicators.filter((i) => progress.get(i.id) === 'rated').length;
      const total = section.indicators.length;
      // A section counts as begun once anything of it is kept: a score, N/A, a note or an evidence source.
      const touched = section.indicators.some((i) => progress.has(i.id));
      const status: SectionStatus = done === total ? 'done' : touched ? 'inProgress' : 'notStarted';
      const firstUnrated = section.indicators.find((i) => progress.get(i.id) !== 'rated');
      return {
        id: section.id,
        code: section.code,
        title: section.title,
        done,
        total,
        status,
        firstUnratedId: firstUnrated?.id,
        current: section.id === currentId,
      };
    });

  const renderSection = async (
    req: Request,
    res: Response,
    context: ReviewContext & { raterId: number },
    section: RubricSection,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    returnToCheck: ReturnToCheck | undefined = undefined,
  ) => {
    const rubric = context.review.rubric.rubric;
    const index = rubric.sections.findIndex((s) => s.id === section.id);
    const firstIndicator = section.indicators[0];
    await renderPage<RateSectionPageLocals>(
      res,
      'reviews/rate-section',
      {
        title: withErrorPrefix(req, status, req.t('reviews.rate.title', { section: `${section.code} ${section.title[req.locale]}` })),
        // The layout's skip link leads straight to the first score: two Tab presses from the top of the page.
        skipLink: firstIndicator ? { href: `#h-${firstIndicator.id}`, label: req.t('reviews.rate.skipToFirst') } : undefined,
        review: context.review,
        rubric,
        section,
        indicatorCodes: section.indicators.map((_indicator, i) => indicatorCode(section, i)),
        sections: sectionNav(context, ownProgress(context), section.id),
        previous: rubric.sections[index - 1],
        next: rubric.sections[index + 1],
        summaryTarget: SUMMARY_TARGET,
        fieldNames: ratingFieldNames,
        naValue: NOT_APPLICABLE_VALUE,
        noteMax: NOTE_MAX,
        returnToCheck,
        form: createFormView(values, errors, status !== 200),
      },
      status,
    );
  };

  const findSection = (context: ReviewContext, sectionId: unknown): RubricSection => {
    const section = context.review.rubric.rubric.sections.find((s) => s.id === sectionId);
    if (!section) throw new NotFoundError();
    return section;
  };

  /** The start page: every section with its status, and one primary action that goes to the first unfinished section. */
  const renderSummary = async (req: Request, res: Response, context: ReviewContext & { raterId: number }) => {
    const sections = sectionNav(context, ownProgress(context), undefined);
    const done = sections.reduce((sum, s) => sum + s.done, 0);
    const total = sections.reduce((sum, s) => sum + s.total, 0);
    const next = sections.find((s) => s.status !== 'done');
    const resume = next
      ? {
          href: `/reviews/${context.review.id}/rate/${next.id}${next.status === 'inProgress' && next.firstUnratedId ? `#h-${next.firstUnratedId}` : ''}`,
          label: req.t(sections.some((s) => s.status !== 'notStarted') ? 'reviews.rate.resume' : 'reviews.rate.start'),
        }
      : undefined;
    await renderPage(res, 'reviews/rate-summary', {
      title: req.t('reviews.rate.summaryTitle'),
      review: context.review,
      sections,
      done,
      total,
      resume,
    });
  };

  /** Check your answers: every score, N/A and note by section, with "Ändra" links; the submit button only when complete. */
  const renderCheck = async (req: Request, res: Response, context: ReviewContext & { raterId: number }, status = 200) => {
    const ratings = ownRatings(context);
    const rubric = context.review.rubric.rubric;
    const sourceLabels = new Map(rubric.evidence_sources.map((source) => [source.code, source.label[req.locale]]));
    const sections = rubric.sections.map((section) => ({
      id: section.id,
      code: section.code,
      title: section.title,
      rows: section.indicators.map((indicator, index) => {
        const rating = ratings.get(indicator.id);
        const level = rating?.score ?? undefined;
        return {
          id: indicator.id,
          label: indicatorCode(section, index),
          text: indicator.text,
          rated: isRated(rating),
          notApplicable: rating?.notApplicable === true,
          score: level,
          anchor: level === undefined ? undefined : indicator.scale.anchors[String(level)],
          evidence: (rating?.evidence ?? []).map((code) => sourceLabels.get(code) ?? code),
          note: rating?.note ?? '',
        };
      }),
    }));
    const missing = sections.flatMap((section) =>
      section.rows.filter((row) => !row.rated).map((row) => ({ ...row, sectionId: section.id })),
    );
    await renderPage(
      res,
      'reviews/rate-check',
      {
        title: withErrorPrefix(req, status, req.t('reviews.rate.checkTitle')),
        review: context.review,
        sections,
        missing,
        notice: status === 422 ? req.t('reviews.rate.submitIncomplete', { count: missing.length }) : undefined,
      },
      status,
    );
  };

  router.get(
    '/reviews/:id/rate',
    raterPage(async (req, res, context) => {
      await renderSummary(req, res, context);
    }),
  );

  // Before the section route: "check" is this page, not a section.
  router.get(
    '/reviews/:id/rate/check',
    raterPage(async (req, res, context) => {
      await renderCheck(req, res, context);
    }),
  );

  router.get(
    '/reviews/:id/rate/:sectionId',
    raterPage(async (req, res, context) => {
      const section = findSection(context, req.params.sectionId);
      const ids = section.indicators.map((indicator) => indicator.id);
      const ratings = new Map(reviews.listRatingsOfRaterIn(context.review.id, context.raterId, ids).map((r) => [r.indicatorId, r]));
      await renderSection(req, res, context, section, ratingValues(section, ratings), {}, 200, readReturnToCheck(req.query, section));
    }),
  );

  /**
   * A section form posted after its rater can no longer rate (submitted in another tab, or the review moved on): nothing
   * is saved, and the page gives back what was typed, as text, so it is not lost. Only for the rater's own panel place.
   */
  const renderNotSaved = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    section: RubricSection,
    refusal: { message: string; reasons: readonly string[]; status: number } = {
      message: req.t('reviews.rate.locked'),
      reasons: [],
      status: 409,
    },
  ) => {
    const raw = toRawForm(req.body);
    const typed = section.indicators.flatMap((indicator, index) => {
      const names = ratingFieldNames(indicator.id);
      const score = typeof raw[names.score] === 'string' ? String(raw[names.score]) : '';
      const note = typeof raw[names.note] === 'string' ? String(raw[names.note]).trim() : '';
      if (score === '' && note === '') return [];
      const shownScore = score === NOT_APPLICABLE_VALUE ? req.t('reviews.rate.notApplicable') : score;
      return [{ label: indicatorCode(section, index), text: indicator.text[req.locale], score: shownScore, note }];
    });
    await renderPage(
      res,
      'reviews/rate-not-saved',
      { title: req.t('reviews.rate.notSavedTitle'), review: context.review, message: refusal.message, reasons: refusal.reasons, typed },
      refusal.status,
    );
  };

  router.post('/reviews/:id/rate/:sectionId', async (req, res) => {
    const loaded = loadReviewContext(req, reviews, req.params.id);
    if (loaded.viewer.membership && isRaterRole(loaded.viewer.membership.role) && !canRate(loaded.viewer, loaded.review.status)) {
      const lockedSection = loaded.review.rubric.rubric.sections.find((s) => s.id === req.params.sectionId);
      if (lockedSection) return renderNotSaved(req, res, loaded, lockedSection);
    }
    const context = asRater(loaded);
    const section = findSection(context, req.params.sectionId);
    const blocked = findConflictMessages(req, context);
    if (blocked)
      return renderNotSaved(req, res, context, section, {
        message: req.t('conflicts.ratingBlockedNotSaved'),
        reasons: blocked,
        status: 403,
      });
    const codeOf = (indicatorId: string) => {
      const index = section.indicators.findIndex((indicator) => indicator.id === indicatorId);
      return index < 0 ? undefined : indicatorCode(section, index);
    };
    const parsed = parseForm(
      createRatingSectionSchema(context.review.rubric.rubric, section),
      req.body,
      req.t,
      labelIndicatorFields(req.t, codeOf),
    );
    const returnToCheck = readReturnToCheck(req.body, section);
    if (!parsed.ok) return renderSection(req, res, context, section, parsed.values, parsed.errors, 422, returnToCheck);
    const saved = reviews.saveRatings(context.review.id, context.raterId, parsed.value.ratings);
    if (saved.outcome === 'locked') return renderNotSaved(req, res, context, section);
    if (saved.outcome === 'conflict') {
      const { values, errors } = formAfterConflicts(req.body, saved.conflicts, (conflict) => ({
        versionField: ratingFieldNames(conflict.indicatorId).version,
        errorField: ratingFieldNames(conflict.indicatorId).score,
        message: req.t('reviews.editConflict', { value: describeRating(conflict.current, req.t) }),
      }));
      return renderSection(req, res, context, section, values, errors, 409, returnToCheck);
    }
    // A section link is a submit button of the form (goto): saved first, then there; otherwise the action's step.
    const goto = GotoSchema.safeParse((req.body as Record<string, unknown> | undefined)?.goto);
    const sections = context.review.rubric.rubric.sections;
    setFlash(req, 'reviews.rate.saved');
    if (!goto.success && parsed.value.action === 'check')
      return res.redirect(
        303,
        returnToCheck ? checkHref(context.review.id, section, returnToCheck) : `/reviews/${context.review.id}/rate/check`,
      );
    // A plain save of a section opened from the check page stays on it with the way back.
    if (!goto.success && parsed.value.action === 'save' && returnToCheck)
      return res.redirect(303, sectionHref(context.review.id, section, returnToCheck));
    const action = parsed.value.action === 'check' ? 'save' : parsed.value.action;
    const target = goto.success ? sections.find((s) => s.id === goto.data) : stepSection(sections, section, action);
    res.redirect(303, target ? `/reviews/${context.review.id}/rate/${target.id}` : `/reviews/${context.review.id}/rate`);
  });

  router.post(
    '/reviews/:id/submit',
    raterPage(async (req, res, context) => {
      const ids = listIndicators(context.review.rubric.rubric).map(({ indicator }) => indicator.id);
      const outcome = reviews.submitRatings(context.review.id, context.raterId, ids);
      if (outcome === 'locked') throw new ConflictError('reviews.rate.locked');
      if (outcome === 'incomplete') return renderCheck(req, res, context, 422);
      setFlash(req, 'reviews.rate.submittedNotice');
      res.redirect(303, `/reviews/${context.review.id}`);
    }),
  );

  return router;
}
