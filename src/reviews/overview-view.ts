// What the review overview (views/reviews/overview.ejs) is rendered with, and its labels: every key of a status, kind,
// role or workflow step is built here, where tsc checks it, so the view prints plain strings.
import type { FormView } from '../http/render-page.js';
import { formatList } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { labelsOf } from '../i18n/labels.js';
import type { Translate } from '../i18n/messages.js';
import type { OverviewPart } from './overview-part.js';
import type { Rubric } from '../rubrics/rubric-schema.js';
import { isRaterRole, PANEL_ROLES, type PanelMember, type PanelRole, type Reopening, type Review } from './review-types.js';
import type { ReviewProgress, SectionProgress, TaskStatus } from './review-workflow.js';

const TASK_STATUSES = ['notStarted', 'inProgress', 'done', 'cannotStart'] as const satisfies readonly TaskStatus[];
type WorkflowStep = 'rating' | 'consensus' | 'final';

export type OverviewLabels = {
  readonly kind: string;
  readonly status: string;
  readonly statusHelp: string;
  readonly taskStatus: Readonly<Record<TaskStatus, string>>;
  readonly panelRole: Readonly<Record<PanelRole, string>>;
  /** Per workflow step: its button and the confirmation asked before it (a self-assessment words them its own way). */
  readonly transition: Readonly<Record<WorkflowStep, { readonly button: string; readonly confirm: string }>>;
};

export function describeOverviewLabels(review: Pick<Review, 'kind' | 'status'>, t: Translate): OverviewLabels {
  const self = review.kind === 'self_assessment';
  const step = (to: WorkflowStep) => ({
    button: t(self ? `reviews.self.transition.${to}` : `reviews.transition.${to}`),
    confirm: t(self ? `reviews.self.transitionConfirm.${to}` : `reviews.transitionConfirm.${to}`),
  });
  return {
    kind: t(`reviews.kind.${review.kind}`),
    status: t(`reviews.status.${review.status}`),
    statusHelp: t(self ? `reviews.self.statusHelp.${review.status}` : `reviews.statusHelp.${review.status}`),
    taskStatus: labelsOf(TASK_STATUSES, (status) => `reviews.tasks.status.${status}`, t),
    panelRole: labelsOf(PANEL_ROLES, (role) => `reviews.panelRole.${role}`, t),
    transition: { rating: step('rating'), consensus: step('consensus'), final: step('final') },
  };
}

type Option<V> = { readonly value: V; readonly label: string };

export type OverviewPageLocals = {
  readonly flashTargets: readonly string[];
  readonly title: string;
  readonly review: Review;
  readonly labels: OverviewLabels;
  readonly canAdopt: boolean;
  readonly rubric: Rubric;
  readonly panel: readonly (PanelMember & {
    readonly rater: boolean;
    readonly rated: number;
    readonly lateAddition: { readonly reason: string; readonly addedAt: string } | undefined;
    readonly conflict: { readonly reasons: readonly string[]; readonly next: string } | undefined;
  })[];
  readonly ownConflicts: readonly string[];
  readonly askLateReason: boolean;
  readonly indicatorCount: number;
  readonly membership: PanelMember | undefined;
  readonly can: {
    readonly managePanel: boolean;
    readonly editDetails: boolean;
    readonly rate: boolean;
    readonly seeConsensus: boolean;
    readonly viewResult: boolean;
    /** The report part "evidence base" is theirs to fill in (and not final yet): the overview links to it. */
    readonly editEvidence: boolean;
  };
  readonly transitions: readonly { readonly to: string; readonly blockers: readonly string[] }[];
  readonly tasks: {
    readonly status: Readonly<Record<'panel' | 'rating' | 'consensus' | 'findings' | 'barriers' | 'finalise', TaskStatus>>;
    readonly progress: ReviewProgress;
    readonly panelBlockers: readonly string[];
    /** The raters who have not submitted, as a list of the language, the viewer as "you"; '' when none. */
    readonly waiting: string;
    readonly sections: readonly { readonly section: Rubric['sections'][number]; readonly progress: SectionProgress | undefined }[];
    readonly editConsensus: boolean;
  };
  readonly candidateOptions: readonly Option<number>[];
  readonly roleOptions: readonly Option<PanelRole>[];
  readonly panelForm: FormView;
  readonly notice: string | undefined;
  readonly panelWarning: string | undefined;
  readonly reopenForm: FormView;
  readonly reopenings: readonly Reopening[];
  readonly canReopen: boolean;
  readonly canSeeAudit: boolean;
  readonly programWork: OverviewPart | undefined;
};

/**
 * Who the rating waits for: the raters who have not submitted, the viewer first as "you" (a rater was told to wait for
 * themself), written as a list of the language ("dig, Anna Andersson och Bertil Berg"); '' when nobody.
 */
export function describeWaiting(panel: readonly PanelMember[], viewerId: number, t: Translate, locale: Locale): string {
  const waiting = panel.filter((member) => isRaterRole(member.role) && member.submittedAt === undefined);
  const names = [
    ...(waiting.some((member) => member.userId === viewerId) ? [t('reviews.tasks.waitingForYou')] : []),
    ...waiting.filter((member) => member.userId !== viewerId).map((member) => member.displayName),
  ];
  return formatList(names, locale);
}
