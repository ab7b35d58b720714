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
import { createReportRenderer, RendererBusyError, type ReportRenderer } from './report-renderer.js';

export type ReportRouterDeps = ReportStores & {
  /** Defaults to a worker pool; tests and tools may pass their own. */
  readonly renderer?: ReportRenderer;
};

const ReportQuerySchema = z.object({ lang: LocaleSchema.optional() });

export function createReportRouter({ municipalities, reviews, programWork, renderer = createReportRenderer() }: ReportRouterDeps): Router {
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
      render: async () => (await renderer.render({ data: gathered.data, locale })).pdf,
      isBusy: (error) => error instanceof RendererBusyError,
      busyMessageKey: 'reports.errors.busy',
      fileName: `fidelity-report-${code.data}-${locale}.pdf`,
    });
  });

  return router;
}
