// GET /municipalities/:code/report.pdf?lang=sv|en: the municipality's fidelity report. Any logged-in user
// may download it, since it holds final reviews only.
import { sendRenderedPdf } from '../http/pdf-response.js';
import { Router } from 'express';
import { z } from 'zod';
import { requireUser } from '../accounts/access.js';
import { HttpError, NotFoundError } from '../errors.js';
import { LocaleSchema } from '../i18n/locale.js';
import { MunicipalityCodeSchema } from '../municipalities/municipality-forms.js';
import { gatherReportData, type ReportStores } from './report-data.js';
import { gatherDraftReportData } from './draft-report-data.js';
import { loadReviewContext } from '../reviews/review-context.js';
import { canViewOverview } from '../reviews/review-access.js';
import { RendererBusyError, type ReportRenderer } from './report-renderer.js';

export type ReportRouterDeps = ReportStores & {
  /** The services' worker pool (src/services.ts), closed with them. */
  readonly renderer: ReportRenderer;
  /** Whether the user leads the program (program-members owns that table): the program answers the factual check. */
  readonly isProgramLead: (programId: number, userId: number) => boolean;
};

const ReportQuerySchema = z.object({ lang: LocaleSchema.optional() });

export function createReportRouter({ municipalities, reviews, programWork, renderer, isProgramLead }: ReportRouterDeps): Router {
  const router = Router();

  router.get('/municipalities/:code/report.pdf', requireUser(), async (req, res) => {
    const code = MunicipalityCodeSchema.safeParse(req.params.code);
    if (!code.success) throw new HttpError(404, 'reports.errors.unknownMunicipality');
    const query = ReportQuerySchema.safeParse(req.query);
    if (!query.success) throw new NotFoundError();
    const locale = query.data.lang ?? req.locale;

    const gathered = gatherReportData({ municipalities, reviews, programWork }, code.data);
    if (gathered.kind === 'unknown-municipality') throw new HttpError(404, 'reports.errors.unknownMunicipality');
    if (gathered.kind === 'no-final-review') throw new HttpError(404, 'reports.errors.noFinalReview');

    await sendRenderedPdf(req, res, {
      render: async () => (await renderer.render({ data: gathered.data, locale }, `municipality:${code.data}:${locale}`)).pdf,
      isBusy: (error) => error instanceof RendererBusyError,
      busyMessageKey: 'reports.errors.busy',
      fileName: `fidelity-report-${code.data}-${locale}.pdf`,
    });
  });

  // The draft of one review in consensus, marked UTKAST on every page: for the panel and coordinators,
  // and for the program's leads once the coordinator has sent it to them for the factual check.
  router.get('/reviews/:id/draft.pdf', requireUser(), async (req, res) => {
    const query = ReportQuerySchema.safeParse(req.query);
    if (!query.success) throw new NotFoundError();
    const context = loadReviewContext(req, reviews, req.params.id);
    const { review } = context;
    const programLead = isProgramLead(review.programId, context.viewer.user.id) && reviews.findFactualCheck(review.id) !== undefined;
    if (!canViewOverview(context.viewer) && !programLead) throw new NotFoundError();
    const data = gatherDraftReportData({ municipalities, reviews, programWork }, review.id);
    if (!data) throw new NotFoundError();
    const locale = query.data.lang ?? req.locale;
    await sendRenderedPdf(req, res, {
      render: async () => (await renderer.render({ data, locale }, `draft:${review.id}:${locale}`)).pdf,
      isBusy: (error) => error instanceof RendererBusyError,
      busyMessageKey: 'reports.errors.busy',
      fileName: `draft-report-${review.id}-${locale}.pdf`,
    });
  });

  return router;
}
