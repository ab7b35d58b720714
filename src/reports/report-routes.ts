// GET /municipalities/:code/report.pdf?lang=sv|en: the municipality's fidelity report. Any logged-in user
// may download it, since it holds final reviews only.
import { Router } from 'express';
import { z } from 'zod';
import { requireUser } from '../accounts/access.js';
import { HttpError, NotFoundError } from '../errors.js';
import { renderPage } from '../http/render-page.js';
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

    let rendered: Awaited<ReturnType<ReportRenderer['render']>>;
    try {
      rendered = await renderer.render({ data: gathered.data, locale });
    } catch (error) {
      if (!(error instanceof RendererBusyError)) throw error;
      res.set('Retry-After', '10');
      await renderPage(
        res,
        'errors/error',
        { title: req.t('reports.errors.busyTitle'), heading: req.t('reports.errors.busyTitle'), message: req.t('reports.errors.busy'), status: 503 },
        503,
      );
      return;
    }
    res
      .status(200)
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="fidelity-report-${code.data}-${locale}.pdf"`)
      // The report names panel members: keep it out of shared caches.
      .set('Cache-Control', 'private, no-store')
      .send(rendered.pdf);
  });

  return router;
}
