// The audit log for administrators (everything) and for a review's coordinator (that review), as pages and CSV.
import type { Request, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { hasRole, requireRole, requireUser } from '../accounts/access.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { renderPage } from '../http/render-page.js';
import { CSV_BOM, formatCsvHeader, formatCsvRow } from '../http/csv.js';
import { canViewOverview } from '../reviews/review-access.js';
import { loadReviewContext } from '../reviews/review-context.js';
import type { ReviewStore } from '../reviews/review-store.js';
import type { AuditEntry, AuditStore } from './audit-store.js';
import { describeAuditEntry } from './audit-view.js';

const PAGE_SIZE = 100;
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });

const CSV_COLUMNS = [
  'id',
  'at',
  'actor_id',
  'actor',
  'entity',
  'entity_key',
  'review_id',
  'action',
  'old_value',
  'new_value',
  'values_withheld',
  // Added with migration 16, after the others so that existing sheets keep their columns: an entry a command-line
  // tool wrote names the tool and the OS user who ran it.
  'command',
  'os_user',
];

const EXCEL_SEPARATOR = ';';

/**
 * Streams the log as CSV, respecting backpressure, so memory stays flat however long the log is. Made for Excel, as
 * an administrator opens it: a byte-order mark and semicolons between fields (see CsvSeparator).
 */
async function streamCsv(res: Response, entries: Iterable<AuditEntry>, fileName: string): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').attachment(fileName);
  res.write(CSV_BOM + formatCsvHeader(CSV_COLUMNS, EXCEL_SEPARATOR));
  for (const e of entries) {
    const line = formatCsvRow(
      [
        { number: e.id },
        { text: e.at },
        { number: e.actorId ?? null },
        { text: e.actorName ?? '' },
        { text: e.entity },
        { text: e.entityKey },
        { number: e.reviewId ?? null },
        { text: e.action },
        { text: e.oldValue ?? '' },
        { text: e.newValue ?? '' },
        { number: e.valuesWithheld ? 1 : 0 },
        { text: e.command?.name ?? '' },
        { text: e.command?.osUser ?? '' },
      ],
      EXCEL_SEPARATOR,
    );
    if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

export function createAuditRouter({ audit, reviews }: { audit: AuditStore; reviews: ReviewStore }): Router {
  const router = Router();

  const renderLog = async (req: Request, res: Response, reviewId: number | undefined, basePath: string, title: string) => {
    const { page } = PageQuery.parse(req.query);
    const { entries, total } = audit.listEntries(reviewId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    await renderPage(res, 'audit/log', {
      title,
      entries: entries.map((entry) => describeAuditEntry(entry, req.t)),
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      total,
      basePath,
      reviewId,
    });
  };

  router.get('/admin/audit', requireUser(), requireRole('admin'), async (req, res) => {
    await renderLog(req, res, undefined, '/admin/audit', req.t('audit.title'));
  });

  router.get('/admin/audit.csv', requireUser(), requireRole('admin'), async (_req, res) => {
    await streamCsv(res, audit.iterateEntries(undefined), 'hf-fidelity-audit-log.csv');
  });

  /** Administrators, and the coordinator who runs the review; a review the user may not see at all is a 404. */
  const loadReviewForAudit = (req: Request): number => {
    const { review, viewer } = loadReviewContext(req, reviews, req.params.id);
    const user = viewer.user;
    const allowed = hasRole(user, 'admin') || (user.roles.includes('coordinator') && review.createdBy === user.id);
    if (allowed) return review.id;
    if (!canViewOverview(viewer)) throw new NotFoundError();
    throw new ForbiddenError();
  };

  router.get('/reviews/:id/audit', requireUser(), async (req, res) => {
    const reviewId = loadReviewForAudit(req);
    await renderLog(req, res, reviewId, `/reviews/${reviewId}/audit`, req.t('audit.reviewTitle', { id: reviewId }));
  });

  router.get('/reviews/:id/audit.csv', requireUser(), async (req, res) => {
    const reviewId = loadReviewForAudit(req);
    await streamCsv(res, audit.iterateEntries(reviewId), `hf-fidelity-review-${reviewId}-audit-log.csv`);
  });

  return router;
}
