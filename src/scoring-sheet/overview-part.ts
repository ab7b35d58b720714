// What a review's overview offers of the paper scoring sheets (src/reviews/overview-part.ts): a coordinator prints
// one per rater and a blank one; a rater prints their own. None once the review is final.
import { hasRole } from '../accounts/access.js';
import type { OverviewParts } from '../reviews/overview-part.js';
import { canViewOverview } from '../reviews/review-access.js';
import { isRaterRole } from '../reviews/review-types.js';

export const scoringSheetOverviewPart: Pick<OverviewParts, 'listSheetLinks'> = {
  listSheetLinks: (review, panel, viewer, t) => {
    const base = `/reviews/${review.id}/scoring-sheet.pdf`;
    if (review.status === 'final') return [];
    const raters = panel.filter((member) => isRaterRole(member.role));
    if (
      hasRole(viewer.user, 'coordinator') &&
      canViewOverview({ user: viewer.user, membership: undefined, selfAssessment: viewer.selfAssessment })
    ) {
      return [
        ...raters.map((member) => ({
          label: t('scoringSheet.linkFor', { name: member.displayName }),
          href: `${base}?rater=${member.userId}`,
        })),
        { label: t('scoringSheet.linkBlank'), href: base },
      ];
    }
    const own = viewer.membership;
    return own && isRaterRole(own.role) ? [{ label: t('scoringSheet.linkOwn'), href: `${base}?rater=${own.userId}` }] : [];
  },
};
