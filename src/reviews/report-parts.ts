// The report's own parts of a peer review as the review overview and the finalise check page list them: the overall
// judgement, the evidence base and the factual check, each with where it stands and a link for a viewer who may open it.
// Their pages are in report-workflow-routes.ts.
import type { MessageKey } from '../i18n/messages.js';
import { isAwaitingResponse } from './report-workflow.js';
import { canEditConsensus, canEditEvidenceBase, type Viewer } from './review-access.js';
import type { ReviewStore } from './review-store.js';
import type { Review } from './review-types.js';

/** What the check pages and the overview say of one of the report's parts. The view translates label and value: MessageKey, so tsc checks them. */
export type ReportPart = {
  readonly label: MessageKey;
  readonly value: MessageKey;
  /** Needed before the review can be finalised, and not there. */
  readonly missing: boolean;
  /** Written, recorded or answered: nothing is waiting on it. */
  readonly done: boolean;
  /** Its page, for a viewer who may open it; undefined for one who would get 403 there. */
  readonly href: string | undefined;
};

/**
 * The report's parts of a peer review and where each stands: the overall judgement (required to finalise), the evidence
 * base and the factual check. A self-assessment has none of them (their pages are 404 for it), so none is listed.
 */
export function describeReportParts(reviews: ReviewStore, review: Review, viewer: Viewer): readonly ReportPart[] {
  if (review.kind === 'self_assessment') return [];
  const base = `/reviews/${review.id}`;
  const openFor = (mayOpen: boolean, path: string) => (mayOpen ? `${base}/${path}` : undefined);
  const check = reviews.findFactualCheck(review.id);
  const judgement = reviews.findJudgement(review.id);
  const evidence = reviews.findEvidenceBase(review.id);
  return [
    {
      label: 'reviews.reportParts.judgement',
      value: judgement ? 'reviews.reportParts.judgementWritten' : 'reviews.reportParts.judgementMissing',
      missing: judgement === undefined,
      done: judgement !== undefined,
      href: openFor(canEditConsensus(viewer, review.status), 'judgement'),
    },
    {
      label: 'reviews.reportParts.evidence',
      value: evidence ? 'reviews.reportParts.evidenceWritten' : 'reviews.reportParts.evidenceMissing',
      missing: false,
      done: evidence !== undefined,
      href: openFor(canEditEvidenceBase(viewer) && review.status !== 'final', 'evidence'),
    },
    {
      label: 'reviews.reportParts.factualCheck',
      value: !check
        ? 'reviews.reportParts.factualNotSent'
        : isAwaitingResponse(check)
          ? 'reviews.reportParts.factualSent'
          : 'reviews.reportParts.factualAnswered',
      missing: false,
      done: check !== undefined && !isAwaitingResponse(check),
      href: openFor(true, 'factual-check'),
    },
  ];
}
