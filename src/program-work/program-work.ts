// The program's own work around a review, put together once per app: the stores of the program members,
// self-assessments, readiness checklist, action plan and outcomes, and the parts other pages show of them (the
// program page, the start page and a review's overview), so those pages need one dependency, not five.
import { hasRole } from '../accounts/access.js';
import { matchActions, recommendationKey } from '../actions/action-matching.js';
import type { CurrentUser, UserStore } from '../accounts/user-store.js';
import type { Action, ActionStore } from '../actions/action-store.js';
import { isOpen, isOverdue, todayIso } from '../actions/action-status.js';
import { compareLatestFirst, findPreviousRound, findRoundDate, listFinalPeerReviews } from '../actions/review-rounds.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { MunicipalityStore, Program } from '../municipalities/municipality-store.js';
import { buildOutcomePeriodView, type OutcomePeriodView } from '../outcomes/outcome-view.js';
import type { OutcomeStore } from '../outcomes/outcome-store.js';
import {
  canEditOutcomes,
  canManageMembers,
  canViewActions,
  isProgramLead,
  isProgramPerson,
  type ProgramViewer,
} from '../program-members/program-access.js';
import type { ProgramMemberStore } from '../program-members/program-member-store.js';
import type { ReadinessStore } from '../readiness/readiness-store.js';
import { summarizeReadiness } from '../readiness/readiness-summary.js';
import { canViewOverview, type Viewer } from '../reviews/review-access.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { isRaterRole, type PanelMember, type Review, type ReviewSummary } from '../reviews/review-types.js';
import { formatPercent } from '../i18n/format.js';
import { defaultRubricId as findDefaultRubricId, type RubricRegistry } from '../rubrics/rubric-registry.js';
import type { SelfAssessments } from '../self-assessment/self-assessment-workflow.js';
import { todayInSweden } from '../i18n/calendar.js';
import { describeLatestResult, type LatestResult } from './latest-result.js';

export type ProgramWorkDependencies = {
  readonly reviews: ReviewStore;
  readonly users: UserStore;
  readonly municipalities: MunicipalityStore;
  readonly rubrics: RubricRegistry;
  readonly members: ProgramMemberStore;
  readonly selfAssessments: SelfAssessments;
  readonly readiness: ReadinessStore;
  readonly actions: ActionStore;
  readonly outcomes: OutcomeStore;
};

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

export type OverviewPart = {
  readonly lastRound: LastRoundView | undefined;
  readonly shared: readonly { readonly id: number; readonly label: string; readonly readinessHref: string }[];
  /** For a self-assessment's own people: where to share it and compare it. */
  readonly selfAssessmentProgramId: number | undefined;
  readonly sheets: readonly { readonly label: string; readonly href: string }[];
  readonly paperHint: { readonly href: string } | undefined;
};

export type ProgramPagePart = {
  readonly outcomes: readonly OutcomePeriodView[];
  readonly links: readonly { readonly href: string; readonly label: string }[];
  readonly roleLabel: string | undefined;
};

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
};

/**
 * The action plan on the start page, over every final peer review of the program: its actions still open or overdue
 * (actions whose recommendation was withdrawn are not counted), and per round the recommendations with no action yet.
 */
export type HomeActions = {
  readonly href: string;
  readonly open: number;
  readonly openText: string;
  readonly overdue: number;
  readonly overdueText: string;
  /** Rounds with recommendations that have no action, latest first, each linking to its own plan. */
  readonly unplanned: readonly { readonly href: string; readonly count: number; readonly text: string }[];
};

export type ProgramWork = ReturnType<typeof createProgramWork>;

export function createProgramWork(deps: ProgramWorkDependencies) {
  const { reviews, users, municipalities, rubrics, members, selfAssessments, readiness, actions, outcomes } = deps;
  const defaultRubricId = findDefaultRubricId(rubrics);

  const describeLastRound = (previous: Review, t: Translate, locale: Locale): LastRoundView => {
    const today = todayIso();
    const recommendations = reviews.listFindings(previous.id).filter((finding) => finding.kind === 'recommendation');
    const planned = matchActions(recommendations, actions.listActionsOfReview(previous.id)).byRecommendation;
    return {
      reviewId: previous.id,
      programId: previous.programId,
      date: findRoundDate(previous),
      sections: previous.rubric.rubric.sections
        .map((section) => ({
          code: section.code,
          title: section.title[locale],
          items: recommendations
            .filter((finding) => finding.sectionId === section.id)
            .sort((a, b) => a.position - b.position)
            .map((finding) => {
              const action = planned.get(recommendationKey(finding));
              return {
                text: finding.text,
                statusLabel: action ? t(`actions.statuses.${action.status}`) : t('actions.lastRound.noAction'),
                overdue: action ? isOverdue(action, today) : false,
                dueOn: action?.dueOn,
                owner: action?.ownerName ?? '',
                latestNote: action?.latestNote ? `${action.latestNote.notedOn}: ${action.latestNote.text}` : undefined,
              };
            }),
        }))
        .filter((section) => section.items.length > 0),
    };
  };

  /** The start page's action plan line: open and overdue actions of every round, and what each round still lacks. */
  const describeHomeActions = (programId: number, finals: readonly ReviewSummary[], t: Translate, today: string): HomeActions => {
    const href = `/programs/${programId}/actions`;
    const current: Action[] = [];
    const unplanned: { href: string; count: number; text: string }[] = [];
    for (const round of finals) {
      const recommendations = reviews.listFindings(round.id).filter((finding) => finding.kind === 'recommendation');
      // Matched as the plan page matches them: an action whose recommendation was withdrawn is not one to do.
      const matched = [...matchActions(recommendations, actions.listActionsOfReview(round.id)).byRecommendation.values()];
      current.push(...matched);
      const count = recommendations.length - matched.length;
      if (count === 0) continue;
      const text = count === 1 ? t('programMembers.homeUnplannedOne') : t('programMembers.homeUnplanned', { count });
      unplanned.push({
        href: `${href}?review=${round.id}`,
        count,
        // With more than one round the date says which plan lacks them.
        text:
          finals.length > 1
            ? t('programMembers.homeRound', { text, round: t('actions.reviewOption', { date: findRoundDate(round) }) })
            : text,
      });
    }
    const open = current.filter((action) => isOpen(action.status)).length;
    const overdue = current.filter((action) => isOverdue(action, today)).length;
    return {
      href,
      open,
      openText: open === 1 ? t('programMembers.homeActionsOne') : t('programMembers.homeActions', { count: open }),
      overdue,
      overdueText: t('programMembers.homeOverdue', { count: overdue }),
      unplanned,
    };
  };

  const sheetLinks = (review: Review, panel: readonly PanelMember[], viewer: Viewer, t: Translate) => {
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
  };

  return {
    members,
    selfAssessments,
    readiness,
    actions,
    outcomes,
    users,
    municipalities,
    rubrics,

    /** What a review's overview adds: last round's recommendations, shared self-assessments, paper sheets. */
    describeOverview(
      review: Review,
      panel: readonly PanelMember[],
      viewer: Viewer,
      canRate: boolean,
      t: Translate,
      locale: Locale,
    ): OverviewPart {
      const previousSummary = findPreviousRound(listFinalPeerReviews(reviews, review.programId), review);
      const previous = previousSummary ? reviews.findReviewById(previousSummary.id) : undefined;
      // Shared self-assessments are for the panel that was given them (coordinators who are not on it see nothing).
      const shared =
        review.kind === 'peer_review' && viewer.membership !== undefined
          ? selfAssessments.listSharedWith(review.id).flatMap((share) => {
              const self = reviews.findReviewById(share.selfAssessmentId);
              if (!self) return [];
              return [
                {
                  id: self.id,
                  label: t('selfAssessment.sharedOpen', { date: findRoundDate(self), rubric: self.rubricTitle[locale] }),
                  readinessHref: `/programs/${self.programId}/readiness/${self.rubricId}`,
                },
              ];
            })
          : [];
      return {
        lastRound: previous ? describeLastRound(previous, t, locale) : undefined,
        shared,
        selfAssessmentProgramId: review.kind === 'self_assessment' && viewer.selfAssessment?.programPerson ? review.programId : undefined,
        sheets: sheetLinks(review, panel, viewer, t),
        paperHint: canRate ? { href: `/reviews/${review.id}/rate` } : undefined,
      };
    },

    /** What the program page adds: outcome figures for everyone, and links to the program's own work for those who may use it. */
    describeProgramPage(program: Program, user: CurrentUser, t: Translate, locale: Locale): ProgramPagePart {
      const role = members.findRole(program.id, user.id);
      const viewer: ProgramViewer = { user, role };
      const onPanel = reviews
        .listReviewsOfPanelMember(user.id)
        .some((review) => review.programId === program.id && review.kind === 'peer_review');
      const links: { href: string; label: string }[] = [];
      if (isProgramPerson(viewer)) {
        links.push({ href: `/programs/${program.id}/self-assessments`, label: t('selfAssessment.link') });
        links.push({ href: `/programs/${program.id}/readiness`, label: t('readiness.link') });
        links.push({ href: `/programs/${program.id}/gap`, label: t('selfAssessment.gap.link') });
      }
      if (canViewActions(viewer, onPanel)) links.push({ href: `/programs/${program.id}/actions`, label: t('actions.link') });
      links.push({
        href: `/programs/${program.id}/outcomes`,
        label: canEditOutcomes(viewer) ? t('outcomes.link') : t('outcomes.programMore'),
      });
      if (canManageMembers(viewer)) links.push({ href: `/programs/${program.id}/members`, label: t('programMembers.link') });
      return {
        outcomes: outcomes.listPeriods(program.id).map((period) => buildOutcomePeriodView(period, locale)),
        links,
        roleLabel: role ? t(`programMembers.roles.${role}`) : undefined,
      };
    },

    /** The start page of a program's people: per program, the latest self-assessment, readiness and the action plan of all rounds. */
    describeHome(user: CurrentUser, t: Translate, locale: Locale): HomeProgram[] {
      const today = todayIso();
      return members.listProgramsOfUser(user.id).map((membership) => {
        const programId = membership.programId;
        const all = reviews.listReviewsForProgram(programId);
        const latestSelf = all.filter((review) => review.kind === 'self_assessment').sort(compareLatestFirst)[0];
        const finals = listFinalPeerReviews(reviews, programId);
        const rubric = defaultRubricId === undefined ? undefined : rubrics.get(defaultRubricId);
        const summary = rubric ? summarizeReadiness(rubric.rubric, readiness.listChecks(programId, rubric.rubric.id)) : undefined;
        return {
          programId,
          programName: membership.programName,
          municipalityName: membership.municipalityName,
          roleLabel: t(`programMembers.roles.${membership.role}`),
          latest: describeLatestResult(
            reviews,
            { id: programId, municipalityCode: membership.municipalityCode },
            t,
            locale,
            todayInSweden(),
          ),
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
          actions: finals.length > 0 ? describeHomeActions(programId, finals, t, today) : undefined,
        };
      });
    },

    /** Whether the user leads the program (for the start page's "start a self-assessment" link). */
    isLeadOf: (programId: number, user: CurrentUser): boolean => isProgramLead({ user, role: members.findRole(programId, user.id) }),
  };
}
