// GET /reviews/:id/scoring-sheet.pdf?rater=<userId>&lang=sv|en: a printable scoring sheet for a site visit without a
// laptop, one per rater. For the review's panel and coordinators (as the overview is); anyone else gets a 404.
import { sendRenderedPdf } from '../http/pdf-response.js';
import { Router } from 'express';
import { z } from 'zod';
import { requireUser } from '../accounts/access.js';
import { NotFoundError } from '../errors.js';
import { idParam } from '../http/form-fields.js';
import { LocaleSchema } from '../i18n/locale.js';
import { canViewOverview } from '../reviews/review-access.js';
import { loadReviewContext } from '../reviews/review-context.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { isRaterRole } from '../reviews/review-types.js';
import { buildScoringSheetModel } from './scoring-sheet-model.js';
import { type SheetRenderer, SheetRendererBusyError } from './scoring-sheet-renderer.js';

const SheetQuerySchema = z.object({ rater: idParam.optional(), lang: LocaleSchema.optional() });

export function createScoringSheetRouter({
  reviews,
  renderer,
}: {
  readonly reviews: ReviewStore;
  /** The services' worker pool (src/services.ts), closed with them. */
  readonly renderer: SheetRenderer;
}): Router {
  const router = Router();

  router.get('/reviews/:id/scoring-sheet.pdf', requireUser(), async (req, res) => {
    const { review, panel, viewer } = loadReviewContext(req, reviews, req.params.id);
    if (!canViewOverview(viewer)) throw new NotFoundError();
    const query = SheetQuerySchema.safeParse(req.query);
    if (!query.success) throw new NotFoundError();
    const rater =
      query.data.rater === undefined ? undefined : panel.find((member) => member.userId === query.data.rater && isRaterRole(member.role));
    if (query.data.rater !== undefined && !rater) throw new NotFoundError();
    const locale = query.data.lang ?? req.locale;
    await sendRenderedPdf(req, res, {
      render: () => renderer.render(buildScoringSheetModel(review, rater?.displayName, locale)),
      isBusy: (error) => error instanceof SheetRendererBusyError,
      busyMessageKey: 'scoringSheet.busy',
      fileName: `scoring-sheet-${review.id}${rater ? `-${rater.userId}` : ''}-${locale}.pdf`,
    });
  });

  return router;
}
