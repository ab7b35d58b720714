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
const DraftQuerySchema = ReportQuerySchema.extend({ sent: z.literal('1').optional() });

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
  // and for the program's leads once the coordinator has sent it to them for the factual check. The program's leads
  // read it as it was sent (kept then: their corrections point at its pages); the panel and coordinators read it as it
  // is now, or as sent with ?sent=1. A check sent before drafts were kept has none: the draft as it is now stands in.
  router.get('/reviews/:id/draft.pdf', requireUser(), async (req, res) => {
    const query = DraftQuerySchema.safeParse(req.query);
    if (!query.success) throw new NotFoundError();
    const context = loadReviewContext(req, reviews, req.params.id);
    const { review } = context;
    const seesOverview = canViewOverview(context.viewer);
    const programLead = isProgramLead(review.programId, context.viewer.user.id) && reviews.findFactualCheck(review.id) !== undefined;
    if (!seesOverview && !programLead) throw new NotFoundError();
    const locale = query.data.lang ?? req.locale;
    const asSent = !seesOverview || query.data.sent !== undefined;
    const sent = asSent && review.status === 'consensus' ? reviews.findSentDraftPdf(review.id, locale) : undefined;
    if (sent) {
      await sendRenderedPdf(req, res, {
        render: async () => sent,
        isBusy: () => false,
        busyMessageKey: 'reports.errors.busy',
        fileName: `draft-report-${review.id}-sent-${locale}.pdf`,
      });
      return;
    }
    if (query.data.sent !== undefined) throw new NotFoundError();
    const data = gatherDraftReportData({ municipalities, reviews, programWork }, review.id);
    if (!data) throw new NotFoundError();
    await sendRenderedPdf(req, res, {
      render: async () => (await renderer.render({ data, locale }, `draft:${review.id}:${locale}`)).pdf,
      isBusy: (error) => error instanceof RendererBusyError,
      busyMessageKey: 'reports.errors.busy',
      fileName: `draft-report-${review.id}-${locale}.pdf`,
    });
  });

  return router;
}
