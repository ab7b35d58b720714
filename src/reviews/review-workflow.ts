// The guards on each step of draft → rating → consensus → final. Pure: the routes load the state and ask.
import type { MessageKey } from '../i18n/messages.js';
import { listIndicators, type Rubric } from '../rubrics/rubric-schema.js';
import type { Transition } from './review-access.js';
import { type ConsensusRating, isRaterRole, type PanelMember, type ReviewKind } from './review-types.js';

export type WorkflowState = {
  readonly rubric: Rubric;
  readonly panel: readonly PanelMember[];
  /** The indicators the panel has decided (the consensus rows' ids are all the guards need). */
  readonly consensus: readonly Pick<ConsensusRating, 'indicatorId'>[];
  /** A self-assessment may have a single rater (the program lead); a peer review needs at least two. */
  readonly kind?: ReviewKind | undefined;
};

export type Blocker = { readonly key: MessageKey; readonly params?: Readonly<Record<string, string | number>> };

/** What stands in the way of a transition; empty when it may go ahead. */
export function findTransitionBlockers(state: WorkflowState, transition: Transition): Blocker[] {
  const raters = state.panel.filter((member) => isRaterRole(member.role));
  switch (transition.to) {
    case 'rating': {
      const blockers: Blocker[] = [];
      if (!state.panel.some((member) => member.role === 'lead')) blockers.push({ key: 'reviews.blockers.noLead' });
      if (state.kind !== 'self_assessment' && raters.length < 2) blockers.push({ key: 'reviews.blockers.tooFewRaters', params: { min: 2 } });
      return blockers;
    }
    case 'consensus': {
      const waiting = raters.filter((member) => member.submittedAt === undefined);
      return waiting.length > 0
        ? [{ key: 'reviews.blockers.waitingForRaters', params: { names: waiting.map((m) => m.displayName).join(', ') } }]
        : [];
    }
    case 'final': {
      const decided = new Set(state.consensus.map((c) => c.indicatorId));
      const missing = listIndicators(state.rubric).filter(({ indicator }) => !decided.has(indicator.id)).length;
      return missing > 0 ? [{ key: 'reviews.blockers.consensusMissing', params: { count: missing } }] : [];
    }
  }
}
