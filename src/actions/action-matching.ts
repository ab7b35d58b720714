// Which action belongs to which recommendation. Actions are stored by the position their recommendation had, but a
// reopened review can remove, add or reorder recommendations, and positions are renumbered when the panel saves. So an
// action follows its recommendation's text first and its position only second:
//   1. the recommendation of the section with exactly the action's text (the same position preferred);
//   2. else the recommendation at the action's position, if no action claimed it by text (reworded in place);
//   3. else none: the recommendation was withdrawn. The action is kept, with its notes, and shown as such.
// Pure: the plan page, the review overview, the report and the plan's own writes all match this one way.

export type RecommendationRef = { readonly sectionId: string; readonly position: number; readonly text: string };
export type ActionRef = { readonly sectionId: string; readonly position: number; readonly recommendation: string };

export type ActionMatch<A extends ActionRef> = {
  /** The action of each recommendation that has one, by recommendationKey. */
  readonly byRecommendation: ReadonlyMap<string, A>;
  /** Actions whose recommendation no longer exists. */
  readonly withdrawn: readonly A[];
};

export function recommendationKey(recommendation: Pick<RecommendationRef, 'sectionId' | 'position'>): string {
  return `${recommendation.sectionId}/${recommendation.position}`;
}

export function matchActions<A extends ActionRef>(recommendations: readonly RecommendationRef[], actions: readonly A[]): ActionMatch<A> {
  const byRecommendation = new Map<string, A>();
  const claimed = new Set<A>();
  const claim = (recommendation: RecommendationRef, action: A) => {
    byRecommendation.set(recommendationKey(recommendation), action);
    claimed.add(action);
  };
  const free = (recommendation: RecommendationRef) => !byRecommendation.has(recommendationKey(recommendation));
  const sameSection = (recommendation: RecommendationRef) => actions.filter((action) => action.sectionId === recommendation.sectionId);

  // 1. Same text: at the same position first, then anywhere in the section (a recommendation that moved).
  for (const samePosition of [true, false]) {
    for (const recommendation of recommendations) {
      if (!free(recommendation)) continue;
      const action = sameSection(recommendation).find(
        (candidate) =>
          !claimed.has(candidate) &&
          candidate.recommendation === recommendation.text &&
          (!samePosition || candidate.position === recommendation.position),
      );
      if (action) claim(recommendation, action);
    }
  }
  // 2. Same position, text changed: the panel reworded it.
  for (const recommendation of recommendations) {
    if (!free(recommendation)) continue;
    const action = sameSection(recommendation).find(
      (candidate) => !claimed.has(candidate) && candidate.position === recommendation.position,
    );
    if (action) claim(recommendation, action);
  }
  return { byRecommendation, withdrawn: actions.filter((action) => !claimed.has(action)) };
}
