// One page of a review that edits a single stored record through a form carrying its version (the judgement, the
// evidence base, the factual check's response and changes): GET shows what is stored; POST refuses a closed form
// (409, what was typed kept), re-renders bad input (422), saves with the version, and on a conflict shows what is
// stored now (409, what was typed kept, the form's version moved on to the stored one).
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import { setFlash } from '../http/flash.js';
import { type FieldErrors, labelFields, parseForm, type RawForm, toRawForm } from '../http/form-parsing.js';
import { createFormView, renderPage } from '../http/render-page.js';
import type { MessageKey } from '../i18n/messages.js';
import type { WorkflowSaveOutcome } from './report-workflow.js';
import type { ReviewContext } from './review-context.js';

/** How a render differs from the plain form: a notice, what is stored now (on a conflict), the form closed. */
export type VersionedFormState<N> = { readonly notice?: string; readonly storedNow?: N; readonly locked?: boolean };

export type VersionedForm<S extends z.ZodType, Stored, N> = {
  /** The page, e.g. '/reviews/:id/judgement'. */
  readonly path: string;
  readonly view: string;
  readonly title: MessageKey;
  readonly schema: S;
  readonly fieldLabels: Readonly<Record<string, MessageKey>>;
  /** Finds the review and checks that the viewer may open the page (throws 404 or 403). */
  readonly load: (req: Request) => ReviewContext;
  readonly find: (reviewId: number) => Stored | undefined;
  /** The form as stored, its version included. */
  readonly storedValues: (stored: Stored | undefined) => RawForm;
  readonly versionOf: (stored: Stored | undefined) => number;
  /** Before GET shows the form: a page to go to instead (or a throw for a viewer who may not edit). */
  readonly redirectInstead?: (context: ReviewContext, stored: Stored | undefined) => string | undefined;
  /** Whether POST finds the form closed: a 409 with the 'locked' notice (or a throw for a viewer who may not edit). */
  readonly closed: (context: ReviewContext) => boolean;
  readonly save: (context: ReviewContext, value: z.output<S>) => WorkflowSaveOutcome;
  readonly saved: { readonly flash: MessageKey; readonly redirect: (reviewId: number) => string };
  /** What a conflict shows: a notice, errors by field, and what is stored now. */
  readonly conflict: (req: Request, stored: Stored | undefined) => { notice: string; errors?: FieldErrors; storedNow?: N };
  /** The notice of a save refused without a conflict. */
  readonly refusal: (outcome: Exclude<WorkflowSaveOutcome, 'saved' | 'conflict'>) => MessageKey;
  /** The page's own locals beside title, review, form, notice and locked (which they may override). */
  readonly locals: (req: Request, context: ReviewContext, state: VersionedFormState<N>) => Readonly<Record<string, unknown>>;
};

/** Adds the form's GET and POST routes to the router. */
export function serveVersionedForm<S extends z.ZodType, Stored, N>(router: Router, form: VersionedForm<S, Stored, N>): void {
  const render = async (
    req: Request,
    res: Response,
    context: ReviewContext,
    values: RawForm,
    errors: FieldErrors,
    status = 200,
    state: VersionedFormState<N> = {},
  ) => {
    const title = req.t(form.title);
    await renderPage(
      res,
      form.view,
      {
        title: `${status === 200 ? title : req.t('reviews.consensus.errorTitle', { title })}: ${context.review.programName}`,
        review: context.review,
        form: createFormView(values, errors, status !== 200),
        notice: state.notice,
        locked: state.locked === true,
        ...form.locals(req, context, state),
      },
      status,
    );
  };

  router.get(form.path, async (req, res) => {
    const context = form.load(req);
    const stored = form.find(context.review.id);
    const elsewhere = form.redirectInstead?.(context, stored);
    if (elsewhere !== undefined) return res.redirect(303, elsewhere);
    await render(req, res, context, form.storedValues(stored), {});
  });

  router.post(form.path, async (req, res) => {
    const context = form.load(req);
    const typed = toRawForm(req.body);
    const refuse = (key: MessageKey) => render(req, res, context, typed, {}, 409, { notice: req.t(key), locked: true });
    if (form.closed(context)) return refuse(form.refusal('locked'));
    const parsed = parseForm(form.schema, req.body, req.t, labelFields(req.t, form.fieldLabels));
    if (!parsed.ok) return render(req, res, context, parsed.values, parsed.errors, 422);
    const outcome = form.save(context, parsed.value);
    if (outcome === 'saved') {
      setFlash(req, form.saved.flash);
      return res.redirect(303, form.saved.redirect(context.review.id));
    }
    if (outcome === 'conflict') {
      const stored = form.find(context.review.id);
      const { notice, errors = {}, storedNow } = form.conflict(req, stored);
      const values = { ...typed, version: String(form.versionOf(stored)) };
      return render(req, res, context, values, errors, 409, { notice, ...(storedNow === undefined ? {} : { storedNow }) });
    }
    return refuse(form.refusal(outcome));
  });
}
