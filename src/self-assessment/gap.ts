// The gap view: a self-assessment against the latest final peer-review consensus of the same rubric. Pure.
//
// - An indicator is compared when both sides scored it (not N/A, not undecided) on the same scale. Its gap is
//   self − peer in scale points; it is sorted by the gap as a share of its scale's range (so a gap of 2 on 0–2 weighs
//   more than 2 on 1–5), then by the raw gap, then in rubric order. The largest gaps, either way, come first.
// - A section is compared over the indicators compared in it, as percent of maximum on each side (the same maths as
//   scoring.ts), so both sides count the same indicators. Sorted the same way, by the size of the difference. As on
//   the result page, a section whose compared indicators fall short of the rubric's min_rated_share of its applicable
//   ones (N/A on either side left out) gets no percents: a comparison over one item of five stands for nothing.
// - "What a higher score looks like" is the anchor of the level above the panel's score (nothing at the top).
// - An indicator is below the top score when either side scored it below its scale's maximum; the rest (the top score
//   in both) leave nothing to close or to explain, so the page shows them folded away. summariseGaps picks what leads
//   the page: how many are below the top, the core elements (critical: true) below it, and the largest differences.
// - `levels` scores each side whole, as its result page does (scoreReview: the deciding parts, the band, any cap),
//   so the view can explain both levels side by side.
// The peer review's pinned rubric gives the texts and anchors: it is what the panel scored against.
import type { LocalizedText } from '../i18n/locale.js';
import type { ConsensusRating } from '../reviews/review-types.js';
import { type IndicatorScore, meetsRatedShare, type ReviewScores, scoreReview } from '../reviews/scoring.js';
import { anchorFor, type Rubric, type RubricIndicator, indicatorCode } from '../rubrics/rubric-schema.js';

export type IndicatorGap = {
  readonly sectionId: string;
  readonly sectionCode: string;
  readonly indicatorId: string;
  /** "A1.2": the section code and the indicator's place in it. */
  readonly label: string;
  readonly text: LocalizedText;
  /** A core element (the rubric's `critical: true`), which the caps look at. */
  readonly critical: boolean;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly selfScore: number;
  readonly peerScore: number;
  /** self − peer: positive when the program rated itself higher than the panel did. */
  readonly gap: number;
  /** gap ÷ (max − min), in −1…1. */
  readonly relativeGap: number;
  /** Both sides gave the top of the scale. */
  readonly bothAtTop: boolean;
  /** The level above the panel's score and its anchor; undefined when the panel gave the top score. */
  readonly nextLevel: { readonly level: number; readonly anchor: LocalizedText } | undefined;
};

export type UncomparedIndicator = {
  readonly label: string;
  readonly text: LocalizedText;
  readonly reason: 'self-missing' | 'peer-missing' | 'not-applicable' | 'other-scale';
};

export type SectionGap = {
  readonly sectionId: string;
  readonly code: string;
  readonly title: LocalizedText;
  /** Indicators compared in the section, and all its indicators. */
  readonly compared: number;
  readonly total: number;
  /** Compared indicators below the top score on either side. */
  readonly belowTop: number;
  /** Whether enough indicators were compared for the section's percents to stand for it (see the header). */
  readonly sufficient: boolean;
  /** Percent of maximum over the compared indicators; null when too few were compared. */
  readonly selfPercent: number | null;
  readonly peerPercent: number | null;
  /** selfPercent − peerPercent, in percentage points. */
  readonly gapPoints: number | null;
};

/** One side's whole score on its own rubric. */
export type SideLevel = { readonly rubric: Rubric; readonly scores: ReviewScores };

export type GapAnalysis = {
  readonly levels: { readonly self: SideLevel; readonly peer: SideLevel };
  readonly indicators: readonly IndicatorGap[];
  readonly uncompared: readonly UncomparedIndicator[];
  readonly sections: readonly SectionGap[];
};

type Side = ReadonlyMap<string, ConsensusRating>;

function indexIndicators(rubric: Rubric): Map<string, RubricIndicator> {
  return new Map(rubric.sections.flatMap((section) => section.indicators.map((indicator) => [indicator.id, indicator] as const)));
}

export function analyseGaps(
  self: { readonly rubric: Rubric; readonly consensus: readonly ConsensusRating[] },
  peer: { readonly rubric: Rubric; readonly consensus: readonly ConsensusRating[] },
): GapAnalysis {
  const selfIndicators = indexIndicators(self.rubric);
  const selfScores: Side = new Map(self.consensus.map((c) => [c.indicatorId, c]));
  const peerScores: Side = new Map(peer.consensus.map((c) => [c.indicatorId, c]));
  const indicators: (IndicatorGap & { order: number })[] = [];
  const uncompared: UncomparedIndicator[] = [];
  const sections: (SectionGap & { order: number })[] = [];
  let order = 0;

  peer.rubric.sections.forEach((section, sectionIndex) => {
    let selfSum = 0;
    let peerSum = 0;
    let maxSum = 0;
    let compared = 0;
    let belowTop = 0;
    let notApplicable = 0;
    for (const [index, indicator] of section.indicators.entries()) {
      const label = indicatorCode(section, index);
      const selfIndicator = selfIndicators.get(indicator.id);
      const selfRating = selfScores.get(indicator.id);
      const peerRating = peerScores.get(indicator.id);
      const skip = (reason: UncomparedIndicator['reason']) => uncompared.push({ label, text: indicator.text, reason });
      if (!selfIndicator || selfRating === undefined || (!selfRating.notApplicable && selfRating.score === null)) {
        skip('self-missing');
        continue;
      }
      if (peerRating === undefined || (!peerRating.notApplicable && peerRating.score === null)) {
        skip('peer-missing');
        continue;
      }
      if (selfRating.notApplicable || peerRating.notApplicable || selfRating.score === null || peerRating.score === null) {
        notApplicable++;
        skip('not-applicable');
        continue;
      }
      const scale = indicator.scale;
      if (selfIndicator.scale.min !== scale.min || selfIndicator.scale.max !== scale.max) {
        skip('other-scale');
        continue;
      }
      const gap = selfRating.score - peerRating.score;
      const above = peerRating.score + 1;
      const anchor = above <= scale.max ? anchorFor(scale, above) : undefined;
      const bothAtTop = selfRating.score === scale.max && peerRating.score === scale.max;
      indicators.push({
        order: order++,
        sectionId: section.id,
        sectionCode: section.code,
        indicatorId: indicator.id,
        label,
        text: indicator.text,
        critical: indicator.critical === true,
        scaleMin: scale.min,
        scaleMax: scale.max,
        selfScore: selfRating.score,
        peerScore: peerRating.score,
        gap,
        relativeGap: gap / (scale.max - scale.min),
        bothAtTop,
        nextLevel: anchor ? { level: above, anchor } : undefined,
      });
      selfSum += selfRating.score;
      peerSum += peerRating.score;
      maxSum += scale.max;
      compared++;
      if (!bothAtTop) belowTop++;
    }
    const applicable = section.indicators.length - notApplicable;
    const sufficient = meetsRatedShare(compared, applicable, peer.rubric.min_rated_share);
    const selfPercent = sufficient && maxSum > 0 ? (selfSum * 100) / maxSum : null;
    const peerPercent = sufficient && maxSum > 0 ? (peerSum * 100) / maxSum : null;
    sections.push({
      order: sectionIndex,
      sectionId: section.id,
      code: section.code,
      title: section.title,
      compared,
      total: section.indicators.length,
      belowTop,
      sufficient,
      selfPercent,
      peerPercent,
      gapPoints: selfPercent === null || peerPercent === null ? null : selfPercent - peerPercent,
    });
  });

  indicators.sort((a, b) => Math.abs(b.relativeGap) - Math.abs(a.relativeGap) || Math.abs(b.gap) - Math.abs(a.gap) || a.order - b.order);
  sections.sort((a, b) => {
    if (a.gapPoints === null || b.gapPoints === null) return a.gapPoints === null ? (b.gapPoints === null ? a.order - b.order : 1) : -1;
    return Math.abs(b.gapPoints) - Math.abs(a.gapPoints) || a.order - b.order;
  });
  return {
    levels: { self: scoreSide(self), peer: scoreSide(peer) },
    indicators: indicators.map(({ order: _order, ...gap }) => gap),
    uncompared,
    sections: sections.map(({ order: _order, ...gap }) => gap),
  };
}

function scoreSide(side: { readonly rubric: Rubric; readonly consensus: readonly ConsensusRating[] }): SideLevel {
  const known = indexIndicators(side.rubric);
  const scores = new Map<string, IndicatorScore>(
    side.consensus
      .filter((c) => known.has(c.indicatorId))
      .map((c) => [c.indicatorId, { score: c.notApplicable ? null : c.score, notApplicable: c.notApplicable }]),
  );
  return { rubric: side.rubric, scores: scoreReview(side.rubric, scores) };
}

/** How many of the largest differences lead the page. */
export const LARGEST_GAPS_SHOWN = 5;

export type GapSummary = {
  readonly compared: number;
  /** Compared indicators below the top score on either side. */
  readonly belowTop: number;
  /** Core elements compared. */
  readonly coreCompared: number;
  /** Core elements below the top score on either side, the panel's lowest (relative to its scale) first, then in rubric order. */
  readonly coreBelowTop: readonly IndicatorGap[];
  /** Up to `largest` indicators whose sides differ, largest relative difference first (the analysis's order). */
  readonly largest: readonly IndicatorGap[];
};

/** What leads the gap page: the count below the top score, the core elements below it, and the largest differences. */
export function summariseGaps(analysis: GapAnalysis, largest: number = LARGEST_GAPS_SHOWN): GapSummary {
  const inRubricOrder = analysis.levels.peer.rubric.sections.flatMap((section) => section.indicators.map((indicator) => indicator.id));
  const place = (gap: IndicatorGap) => inRubricOrder.indexOf(gap.indicatorId);
  const peerShare = (gap: IndicatorGap) => (gap.peerScore - gap.scaleMin) / (gap.scaleMax - gap.scaleMin);
  const core = analysis.indicators.filter((gap) => gap.critical);
  return {
    compared: analysis.indicators.length,
    belowTop: analysis.indicators.filter((gap) => !gap.bothAtTop).length,
    coreCompared: core.length,
    coreBelowTop: core.filter((gap) => !gap.bothAtTop).sort((a, b) => peerShare(a) - peerShare(b) || place(a) - place(b)),
    largest: analysis.indicators.filter((gap) => gap.gap !== 0).slice(0, largest),
  };
}
