// The start page of a program's people (views/home/program-home-part.ejs): per program they belong to, its latest
// result, latest self-assessment, readiness and the action plan of all rounds, and for its leads a draft waiting for
// their factual check.
import { createHomeActionsPart, type HomeActions } from '../actions/home-part.js';
import type { ActionStore } from '../actions/action-store.js';
import type { CurrentUser } from '../accounts/user-store.js';
import type { Clock } from '../clock.js';
import { formatPercent } from '../i18n/format.js';
import { todayInSweden } from '../i18n/calendar.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { ProgramMemberStore } from '../program-members/program-member-store.js';
import type { ReadinessStore } from '../readiness/readiness-store.js';
import { summarizeReadiness } from '../readiness/readiness-summary.js';
import { isProgramLead } from '../program-members/program-access.js';
import { type FactualCheckNotice, listFactualChecksToAnswer } from '../reviews/factual-check-notice.js';
import { describeLatestResult, type LatestResult } from '../reviews/latest-result.js';
import { compareLatestFirst, findRoundDate, listFinalPeerReviews } from '../reviews/review-rounds.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { defaultRubricId, type RubricRegistry } from '../rubrics/rubric-registry.js';

export type HomeProgram = {
  readonly programId: number;
  readonly programName: string;
  readonly municipalityName: string;
  readonly roleLabel: string;
  /** The latest final peer review: level, figure, date, where the result and the report are, and when the next review is due. */
  readonly latest: LatestResult | undefined;
  readonly selfAssessment: { readonly href: string; readonly date: string; readonly statusLabel: string } | undefined;
  readonly readiness: { readonly href: string; readonly percent: string; readonly rubricTitle: string } | undefined;
  readonly actions: HomeActions | undefined;
  /** Drafts sent to the program for its factual check and not answered yet: for its leads, who answer them. */
  readonly factualChecks: readonly FactualCheckNotice[];
};

export type DescribeHomePrograms = (user: CurrentUser, t: Translate, locale: Locale) => HomeProgram[];

export function createProgramHomePart({
  reviews,
  members,
  readiness,
  actions,
  rubrics,
  clock,
}: {
  readonly reviews: ReviewStore;
  readonly members: ProgramMemberStore;
  readonly readiness: ReadinessStore;
  readonly actions: ActionStore;
  readonly rubrics: RubricRegistry;
  readonly clock: Clock;
}): DescribeHomePrograms {
  const describeHomeActions = createHomeActionsPart({ reviews, actions });
  const rubricId = defaultRubricId(rubrics);
  const rubric = rubricId === undefined ? undefined : rubrics.get(rubricId);
  return (user, t, locale) => {
    const today = todayInSweden(clock());
    return members.listProgramsOfUser(user.id).map((membership) => {
      const programId = membership.programId;
      const all = reviews.listReviewsForProgram(programId);
      const latestSelf = all.filter((review) => review.kind === 'self_assessment').sort(compareLatestFirst)[0];
      const finals = listFinalPeerReviews(reviews, programId);
      const summary = rubric ? summarizeReadiness(rubric.rubric, readiness.listChecks(programId, rubric.rubric.id)) : undefined;
      return {
        programId,
        programName: membership.programName,
        municipalityName: membership.municipalityName,
        roleLabel: t(`programMembers.roles.${membership.role}`),
        latest: describeLatestResult(reviews, { id: programId, municipalityCode: membership.municipalityCode }, t, locale, today),
        selfAssessment: latestSelf
          ? {
              href: latestSelf.status === 'final' ? `/reviews/${latestSelf.id}/result` : `/reviews/${latestSelf.id}`,
              date: findRoundDate(latestSelf),
              statusLabel: t(`reviews.status.${latestSelf.status}`),
            }
          : undefined,
        readiness:
          rubric && summary
            ? {
                href: `/programs/${programId}/readiness/${rubric.rubric.id}`,
                percent: formatPercent(summary.overall.percent, locale),
                rubricTitle: rubric.rubric.title[locale],
              }
            : undefined,
        actions: finals.length > 0 ? describeHomeActions(programId, finals, t, today, locale) : undefined,
        factualChecks: isProgramLead({ user, role: membership.role }) ? listFactualChecksToAnswer(reviews, programId, t, locale) : [],
      };
    });
  };
}
