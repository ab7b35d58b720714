// What a review's overview shows of the program's own work: last round's recommendations and what became of them
// (actions), the self-assessments shared with this panel (self-assessment) and the paper scoring sheets
// (scoring-sheet). Those capabilities import reviews, so reviews never imports them: each builds its part, createApp
// hands the parts to the review router, and describeOverviewPart puts them together.
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { Viewer } from './review-access.js';
import type { PanelMember, Review } from './review-types.js';

/** Last round's recommendations grouped by section, each with what became of it. */
export type LastRoundView = {
  readonly reviewId: number;
  readonly programId: number;
  readonly date: string;
  readonly sections: readonly {
    readonly code: string;
    readonly title: string;
    readonly items: readonly {
      readonly text: string;
      readonly statusLabel: string;
      readonly overdue: boolean;
      readonly dueOn: string | undefined;
      readonly owner: string;
      readonly latestNote: string | undefined;
    }[];
  }[];
};

export type SharedSelfAssessmentLink = { readonly id: number; readonly label: string; readonly readinessHref: string };

export type SheetLink = { readonly label: string; readonly href: string };

export type OverviewPart = {
  readonly lastRound: LastRoundView | undefined;
  readonly shared: readonly SharedSelfAssessmentLink[];
  /** For a self-assessment's own people: where to share it and compare it. */
  readonly selfAssessmentProgramId: number | undefined;
  readonly sheets: readonly SheetLink[];
  readonly paperHint: { readonly href: string } | undefined;
};

/** The parts, one per capability that adds to the overview. */
export type OverviewParts = {
  /** The final peer review before this one and what became of its recommendations (actions). */
  describeLastRound(review: Review, t: Translate, locale: Locale): LastRoundView | undefined;
  /** Self-assessments shared with this review's panel (self-assessment). */
  listSharedSelfAssessments(review: Review, viewer: Viewer, t: Translate, locale: Locale): SharedSelfAssessmentLink[];
  /** Printable scoring sheets the viewer may print (scoring-sheet). */
  listSheetLinks(review: Review, panel: readonly PanelMember[], viewer: Viewer, t: Translate): SheetLink[];
};

/** What a review's overview adds: last round's recommendations, shared self-assessments, paper sheets. */
export function describeOverviewPart(
  parts: OverviewParts,
  review: Review,
  panel: readonly PanelMember[],
  viewer: Viewer,
  canRate: boolean,
  t: Translate,
  locale: Locale,
): OverviewPart {
  return {
    lastRound: parts.describeLastRound(review, t, locale),
    shared: parts.listSharedSelfAssessments(review, viewer, t, locale),
    selfAssessmentProgramId: review.kind === 'self_assessment' && viewer.selfAssessment?.programPerson ? review.programId : undefined,
    sheets: parts.listSheetLinks(review, panel, viewer, t),
    paperHint: canRate ? { href: `/reviews/${review.id}/rate` } : undefined,
  };
}
