// What the review overview (views/reviews/overview.ejs) is rendered with, and its labels: every key of a status, kind,
// role or workflow step is built here, where tsc checks it, so the view prints plain strings.
import type { FormView } from '../http/render-page.js';
import { formatList } from '../i18n/format.js';
import type { Locale } from '../i18n/locale.js';
import { labelsOf } from '../i18n/labels.js';
import type { Translate } from '../i18n/messages.js';
import type { RatingBlock } from '../conflicts/conflict-check.js';
import { describeConflictBriefly } from '../conflicts/conflict-messages.js';
import type { OverviewPart } from './overview-part.js';
import type { ReportPart } from './report-parts.js';
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
  readonly personChoice: PersonChoice;
  readonly roleOptions: readonly Option<PanelRole>[];
  readonly panelForm: FormView;
  readonly notice: string | undefined;
  readonly panelWarning: string | undefined;
  readonly reopenForm: FormView;
  readonly reopenings: readonly Reopening[];
  readonly canReopen: boolean;
  readonly canSeeAudit: boolean;
  readonly programWork: OverviewPart | undefined;
  /** The report's parts of a peer review with where each stands (none for a self-assessment). */
  readonly reportParts: readonly ReportPart[];
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

/** The panel form's list of people, and what it says before any save about who cannot be chosen or needs a reason. */
export type PersonChoice = {
  /**
   * A placeholder first, then the people who may be chosen; one who needs a reason says so in their option. A refused
   * person is left out, unless a refused save chose them.
   */
  readonly options: readonly Option<number | ''>[];
  readonly hint: string | undefined;
  /** "Name – reason" for each person the panel change would be refused for, left out of the options. */
  readonly unavailable: readonly string[];
  /** Someone in the list needs a reason: the reason field is shown (otherwise only after a refused save asks for it). */
  readonly askWarningReason: boolean;
  readonly warningReasonHint: string;
};

/**
 * The people a coordinator may put on the panel, told apart as the server's checks will: `blocks` are the conflicts
 * capability's findings for them (refusals leave a person out, warnings nobody confirmed ask for a reason), and
 * `selfRefused` is the coordinator themself once rating has started.
 */
export function describePersonChoice(input: {
  readonly candidates: readonly { readonly id: number; readonly displayName: string; readonly affiliation: string }[];
  readonly memberIds: ReadonlySet<number>;
  readonly blocks: ReadonlyMap<number, RatingBlock>;
  readonly selfRefused: number | undefined;
  /** The person a refused save chose: kept in the list, selected, so the form comes back as it was sent. */
  readonly chosen: number | undefined;
  /** The program's municipality and the reciprocal-review window, for the reason field's hint. */
  readonly municipality: string;
  readonly months: number;
  readonly t: Translate;
}): PersonChoice {
  const { blocks, t } = input;
  const brief = (reasons: RatingBlock['refusals']) => reasons.map((reason) => describeConflictBriefly(reason, t)).join('; ');
  const options: Option<number | ''>[] = [{ value: '', label: t('conflicts.choosePerson') }];
  const unavailable: string[] = [];
  let needsReason = false;
  for (const person of input.candidates) {
    const block = blocks.get(person.id);
    const label = `${person.displayName}${person.affiliation ? ` (${person.affiliation})` : ''}${input.memberIds.has(person.id) ? ' ✓' : ''}`;
    const refusal =
      person.id === input.selfRefused
        ? t('conflicts.selfAdditionBrief')
        : block && block.refusals.length > 0
          ? brief(block.refusals)
          : undefined;
    if (refusal !== undefined) {
      unavailable.push(t('conflicts.unavailableItem', { name: person.displayName, reasons: refusal }));
      if (person.id === input.chosen) options.push({ value: person.id, label: t('conflicts.cannotBeChosen', { person: label }) });
      continue;
    }
    if (block && block.unconfirmedWarnings.length > 0) {
      needsReason = true;
      options.push({ value: person.id, label: t('conflicts.needsReason', { person: label, reasons: brief(block.unconfirmedWarnings) }) });
    } else {
      options.push({ value: person.id, label });
    }
  }
  const hints = [
    ...(needsReason ? [t('conflicts.personHintNeedsReason')] : []),
    ...(unavailable.length > 0 ? [t('conflicts.personHintUnavailable')] : []),
  ];
  return {
    options,
    hint: hints.length > 0 ? hints.join(' ') : undefined,
    unavailable,
    askWarningReason: needsReason,
    warningReasonHint: t('conflicts.warningReasonHint', { municipality: input.municipality, months: input.months }),
  };
}
