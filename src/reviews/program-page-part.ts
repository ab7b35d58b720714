// What the municipality and program pages show of a program's reviews (src/municipalities/program-page-parts.ts):
// its latest result, whether it has a final peer review, and its reviews as the viewer may see and open them.
import type { CurrentUser } from '../accounts/user-store.js';
import type { Clock } from '../clock.js';
import { todayInSweden } from '../i18n/calendar.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { ProgramPageParts, ProgramReviewRow } from '../municipalities/program-page-parts.js';
import { listFactualChecksToAnswer } from './factual-check-notice.js';
import { describeLatestResult } from './latest-result.js';
import { canSeeInLists, canViewOverview, canViewResult, findMembership, type Viewer } from './review-access.js';
import type { ReviewStore } from './review-store.js';
import type { ReviewSummary } from './review-types.js';

/** "2025-03-10 – 2025-03-11", a single day, or undefined when no date is set. */
function formatVisit(start: string | undefined, end: string | undefined): string | undefined {
  if (start !== undefined && end !== undefined && start !== end) return `${start} – ${end}`;
  return start ?? end;
}

/**
 * Where the program page may send the viewer for a review, as review-access decides: a final review opens on its
 * result, one in progress on its overview. Undefined when the viewer may open neither (a program's people are not on
 * the panel of a peer review in progress), so the page names the review without a link that would be a 404.
 */
function findReviewHref(viewer: Viewer, review: ReviewSummary): string | undefined {
  const base = `/reviews/${review.id}`;
  const result = canViewResult(viewer, review.status) ? `${base}/result` : undefined;
  const overview = canViewOverview(viewer) ? base : undefined;
  return review.status === 'final' ? (result ?? overview) : (overview ?? result);
}

/** What the program page shows of a review: kind, status, rubric and visit dates for all it is listed to, a link for those who may open it. */
function toReviewRow(review: ReviewSummary, viewer: Viewer, t: Translate, locale: Locale): ProgramReviewRow {
  return {
    id: review.id,
    href: findReviewHref(viewer, review),
    kind: t(`reviews.kind.${review.kind}`),
    status: review.status,
    statusLabel: t(`reviews.status.${review.status}`),
    rubric: t('municipalities.reviews.rubricVersion', { title: review.rubricTitle[locale], version: review.rubricVersion }),
    visit: formatVisit(review.visitStart, review.visitEnd),
  };
}

export function createProgramReviewsPart({
  reviews,
  clock,
  isProgramLead,
}: {
  readonly reviews: ReviewStore;
  readonly clock: Clock;
  /** Whether the user leads the program (program-members owns that table). */
  readonly isProgramLead: (programId: number, userId: number) => boolean;
}): Pick<ProgramPageParts<unknown>, 'describeLatestResult' | 'hasFinalPeerReview' | 'listReviewRows'> {
  /** The viewer's standing on a review of the program page: their panel place, and for a self-assessment their relation to it. */
  const viewerOf = (summary: ReviewSummary, user: CurrentUser): Viewer | undefined => {
    // One panel query per review: a program has a handful.
    const membership = findMembership(reviews.listPanel(summary.id), user.id);
    if (summary.kind !== 'self_assessment') return { user, membership };
    const review = reviews.findReviewById(summary.id);
    return review ? { user, membership, selfAssessment: reviews.findSelfAssessmentRelation(review, user.id) } : undefined;
  };

  return {
    describeLatestResult: (program, t, locale) => describeLatestResult(reviews, program, t, locale, todayInSweden(clock())),
    hasFinalPeerReview: (programId) =>
      reviews.listReviewsForProgram(programId).some((review) => review.status === 'final' && review.kind === 'peer_review'),
    // Self-assessments are listed only to those who may open them; every row links only where the viewer may go.
    listReviewRows: (program, user, t, locale) => {
      const leads = isProgramLead(program.id, user.id);
      // A draft waiting for the leads' factual check is said at the top of the page, as on their start page.
      const waiting = leads ? listFactualChecksToAnswer(reviews, program.id, t, locale) : [];
      return reviews.listReviewsForProgram(program.id).flatMap((summary) => {
        const viewer = viewerOf(summary, user);
        if (!viewer || !canSeeInLists(viewer)) return [];
        const row = toReviewRow(summary, viewer, t, locale);
        const notice = waiting.find((check) => check.reviewId === summary.id);
        const factualCheck = notice ? { href: notice.href, text: notice.text } : undefined;
        // The program's leads reach the factual check of a peer review in consensus from here.
        const checks = row.href === undefined && summary.kind === 'peer_review' && summary.status === 'consensus' && leads;
        return [{ ...row, ...(checks ? { href: `/reviews/${summary.id}/factual-check` } : {}), factualCheck }];
      });
    },
  };
}
