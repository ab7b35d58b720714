// Which consensus a self-assessment's lead may adopt in one step: indicators where every submitted rating agrees.
// Pure. With a single rater (the program lead alone) every rated indicator agrees with itself, so the lead does not
// have to enter each score twice; where raters differ, the usual consensus form decides.
import { listIndicators, type Rubric } from '../rubrics/rubric-schema.js';
import type { ConsensusRating, RatingScore } from '../reviews/review-types.js';

export type AgreedRating = { readonly indicatorId: string; readonly score: number | null; readonly notApplicable: boolean };

export type AgreedRatings = {
  /** Indicators without a consensus yet whose submitted ratings all agree (the same score, or all N/A). */
  readonly agreed: readonly AgreedRating[];
  /** Indicators without a consensus yet where the raters differ or nobody rated: left for the consensus form. */
  readonly undecided: number;
};

export function findAgreedRatings(rubric: Rubric, submitted: readonly RatingScore[], consensus: readonly ConsensusRating[]): AgreedRatings {
  const decided = new Set(consensus.map((c) => c.indicatorId));
  const agreed: AgreedRating[] = [];
  let undecided = 0;
  for (const { indicator } of listIndicators(rubric)) {
    if (decided.has(indicator.id)) continue;
    const ratings = submitted.filter((r) => r.indicatorId === indicator.id && (r.score !== null || r.notApplicable));
    const first = ratings[0];
    const unanimous = first !== undefined && ratings.every((r) => r.score === first.score && r.notApplicable === first.notApplicable);
    if (unanimous)
      agreed.push({ indicatorId: indicator.id, score: first.notApplicable ? null : first.score, notApplicable: first.notApplicable });
    else undecided++;
  }
  return { agreed, undecided };
}
