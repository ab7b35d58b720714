// Inter-rater agreement statistics. Pure: no I/O, no rounding, no knowledge of reviews or rubrics.
//
// The data are units (in the app: one indicator of one review) each rated by some of a set of raters.
// A unit's ratings are numbers on any scale; N/A and missing ratings are simply absent.
//
// - ICC: the six forms of Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater
//   reliability", Psychological Bulletin 86(2), 420-428. They need a complete design, so they are computed
//   over the units rated by every rater (`unitsUsed`). ICC(1): one-way random (each unit may have other
//   raters); ICC(2): two-way random, absolute agreement; ICC(3): two-way mixed, consistency. "k" forms are
//   the reliability of the mean of the k raters.
// - Krippendorff's alpha by the coincidence-matrix method of Krippendorff (2011), "Computing Krippendorff's
//   Alpha-Reliability", with nominal, ordinal and interval difference functions. Every unit with at least
//   two ratings counts (pairable values), so missing ratings are handled.
// - Pairwise figures: over every pair of ratings of the same unit by two different raters, the share that
//   are equal, the share within ±1 of each other, and the mean absolute difference.
// - Per item (in the app: an indicator across reviews), the same pairwise figures, to rank the items raters
//   disagree on most.
// - Scales: a unit may carry its scale (min, max). Figures of units on different scales are never pooled: a 0–2
//   and a 1–5 item have unlike variances, distances and "±1". When the units span more than one scale, every
//   figure is computed per scale group (`scaleGroups`); when they share one (or carry none), the output is the
//   single-group output, with no `scaleGroups`.
//
// Everything is accumulated unit by unit (createAgreementAccumulator), so a caller can stream millions of
// ratings through it with memory bounded by the number of raters, distinct values and items.
// A figure that cannot be computed (too few units or pairs, or no variation at all) is null, never NaN.

/** A rater is any key: a label from a file, or a user id. Keys of one computation must be of one kind (Map equality). */
export type RaterKey = string | number;

export type UnitRating = { readonly rater: RaterKey; readonly value: number };

/** The range of the ratings of a unit: in the app, an indicator's own scale. */
export type Scale = { readonly min: number; readonly max: number };

export type Unit = {
  /** What the unit is an instance of, for the per-item ranking (the indicator id); the unit itself when absent. */
  readonly item?: string;
  /** The unit's scale, when known: units on different scales are reported in separate groups. */
  readonly scale?: Scale;
  readonly ratings: readonly UnitRating[];
};

export type IccForms = {
  readonly ICC1: number | null;
  readonly ICC2: number | null;
  readonly ICC3: number | null;
  readonly ICC1k: number | null;
  readonly ICC2k: number | null;
  readonly ICC3k: number | null;
};

export type IccResult = IccForms & {
  /** Units rated by every rater: the n of the ANOVA. */
  readonly unitsUsed: number;
  /** Raters: the k of the ANOVA. */
  readonly raters: number;
};

export const ALPHA_METRICS = ['nominal', 'ordinal', 'interval'] as const;
export type AlphaMetric = (typeof ALPHA_METRICS)[number];
export type AlphaResult = Readonly<Record<AlphaMetric, number | null>>;

export type PairwiseAgreement = {
  /** Pairs of ratings of one unit by two different raters. */
  readonly pairs: number;
  /** Percent (0-100) of pairs with equal values. */
  readonly percentExact: number | null;
  /** Percent (0-100) of pairs whose values differ by at most 1. */
  readonly percentWithin1: number | null;
  readonly meanAbsDiff: number | null;
};

export type ItemDisagreement = PairwiseAgreement & {
  readonly item: string;
  readonly units: number;
  /** Only when the units span several scales: the scale of the item's group (null when its units carried none). */
  readonly scale?: Scale | null;
};

export type AgreementFigures = {
  /** Units with at least one rating. */
  readonly units: number;
  /** Raters with at least one rating. */
  readonly raters: number;
  readonly ratings: number;
  readonly icc: IccResult;
  readonly alpha: AlphaResult;
  readonly pairwise: PairwiseAgreement;
  /** Items with at least one pair of ratings, the most disagreement first (see rankItemDisagreement). */
  readonly items: readonly ItemDisagreement[];
};

/**
 * ICC(2,1) and ICC(2,k) computed within each of several separate designs (in the app: each review, with its own
 * panel) and summarised by their median, over the designs whose ICCs can be interpreted (isIccInterpretable).
 * Not computed here: a caller that knows the designs adds it.
 */
export type MedianIcc = { readonly designs: number; readonly medianIcc2: number | null; readonly medianIcc2k: number | null };

/** The figures of the units on one scale; `scale` is null for units that carried no scale. */
export type ScaleGroupStatistics = AgreementFigures & { readonly scale: Scale | null; readonly medianIcc?: MedianIcc };

/**
 * All figures. When the units span more than one scale, `scaleGroups` holds the figures of each scale (lowest
 * first, units without a scale last) and the top level keeps only what does not depend on the scale: the counts,
 * the pairs and the percent of exact agreement. Its ICC, alpha, percent within ±1 and mean absolute difference are
 * null (never pooled across scales; `icc.unitsUsed` is the groups' total) and its items are every group's items,
 * each with its scale, ranked by the mean absolute difference relative to the scale's range.
 */
export type AgreementStatistics = AgreementFigures & { readonly scaleGroups?: readonly ScaleGroupStatistics[] };

export type AgreementAccumulator = {
  addUnit(unit: Unit): void;
  finish(): AgreementStatistics;
};

/** Two values this close are the same value (binary noise in decimal scores). */
const EPSILON = 1e-9;

/**
 * Starts an accumulation. `raters` is the full set of raters, needed up front to know which units every rater
 * rated (the ICC's complete design); a rating by a rater outside it throws. Two ratings of one unit by one
 * rater also throw: the caller must have rejected such input.
 */
export function createAgreementAccumulator(raters: readonly RaterKey[]): AgreementAccumulator {
  const raterIndex = new Map<RaterKey, number>();
  for (const rater of raters) {
    if (!raterIndex.has(rater)) raterIndex.set(rater, raterIndex.size);
  }
  const k = raterIndex.size;
  // One accumulation per scale, keyed by scaleKey; created as units of that scale come.
  const groups = new Map<string, { scale: Scale | null; accumulator: GroupAccumulator }>();
  let units = 0;
  let ratings = 0;
  let unitNumber = 0;

  return {
    addUnit(unit) {
      unitNumber++;
      const m = unit.ratings.length;
      if (m === 0) return;
      const scale = unit.scale ?? null;
      if (scale && !(Number.isFinite(scale.min) && Number.isFinite(scale.max) && scale.max > scale.min)) {
        throw new Error(`scale ${scale.min}–${scale.max} is not a range`);
      }
      // Each rater's value in rater order, for the ICC, which takes only units that every rater rated. Other units
      // get none: with thousands of raters (each imported review has raters of its own) a row of k for every unit
      // would cost more than all the rest.
      const row = m === k ? new Array<number>(k) : undefined;
      const seen = new Set<number>();
      for (const rating of unit.ratings) {
        const index = raterIndex.get(rating.rater);
        if (index === undefined) throw new Error(`rater "${rating.rater}" is not in the rater set`);
        if (seen.has(index)) throw new Error(`rater "${rating.rater}" rated one unit twice`);
        seen.add(index);
        if (!Number.isFinite(rating.value)) throw new Error(`rating ${rating.value} is not a finite number`);
        if (row) row[index] = rating.value;
      }
      units++;
      ratings += m;
      const key = scaleKey(scale);
      let group = groups.get(key);
      if (!group) {
        group = { scale, accumulator: createGroupAccumulator(k) };
        groups.set(key, group);
      }
      group.accumulator.addUnit(unit.ratings, row, unit.item ?? `#${unitNumber}`);
    },
    finish() {
      const entries = [...groups.values()].sort((a, b) => compareScales(a.scale, b.scale));
      // One scale (or none given): exactly the figures of that one group.
      if (entries.length <= 1) return (entries[0]?.accumulator ?? createGroupAccumulator(k)).finish();
      let pairs = 0;
      let exact = 0;
      let unitsUsed = 0;
      const ratersSeen = new Set<RaterKey>();
      const scaleGroups = entries.map(({ scale, accumulator }): ScaleGroupStatistics => {
        const figures = accumulator.finish();
        const counts = accumulator.pairCounts();
        pairs += counts.pairs;
        exact += counts.exact;
        unitsUsed += figures.icc.unitsUsed;
        for (const rater of accumulator.ratersSeen()) ratersSeen.add(rater);
        return { scale, ...figures, items: figures.items.map((item) => ({ ...item, scale })) };
      });
      return {
        units,
        raters: ratersSeen.size,
        ratings,
        icc: { ICC1: null, ICC2: null, ICC3: null, ICC1k: null, ICC2k: null, ICC3k: null, unitsUsed, raters: k },
        alpha: { nominal: null, ordinal: null, interval: null },
        pairwise: { pairs, percentExact: pairs > 0 ? (exact * 100) / pairs : null, percentWithin1: null, meanAbsDiff: null },
        items: rankItemDisagreement(scaleGroups.flatMap((group) => group.items)),
        scaleGroups,
      };
    },
  };
}

// The figures of the units of one scale, accumulated unit by unit.

type GroupAccumulator = {
  /** A unit with at least one rating, already checked: its ratings, its row in rater order when every rater rated it, its item key. */
  addUnit(ratings: readonly UnitRating[], row: readonly number[] | undefined, itemKey: string): void;
  /** Pairs and pairs with equal values, as counts (for the exact agreement across groups). */
  pairCounts(): { pairs: number; exact: number };
  ratersSeen(): ReadonlySet<RaterKey>;
  finish(): AgreementFigures;
};

function createGroupAccumulator(k: number): GroupAccumulator {
  const icc = createIccAccumulator(k);
  const coincidences = createCoincidenceAccumulator();
  const overall = createPairAccumulator();
  const perItem = new Map<string, { pairs: PairAccumulator; units: number }>();
  const ratersSeen = new Set<RaterKey>();
  let units = 0;
  let ratings = 0;
  return {
    addUnit(unitRatings, row, itemKey) {
      const m = unitRatings.length;
      for (const rating of unitRatings) ratersSeen.add(rating.rater);
      units++;
      ratings += m;
      if (row) icc.addRow(row);
      if (m < 2) return;
      // The unit's value counts, shared by everything that looks at pairs.
      const counts = [...countValues(unitRatings.map((rating) => rating.value))];
      coincidences.addCounts(counts, m);
      overall.addCounts(counts);
      let item = perItem.get(itemKey);
      if (!item) {
        item = { pairs: createPairAccumulator(), units: 0 };
        perItem.set(itemKey, item);
      }
      item.units++;
      item.pairs.addCounts(counts);
    },
    pairCounts: () => overall.counts(),
    ratersSeen: () => ratersSeen,
    finish() {
      const items = [...perItem.entries()]
        .map(([item, entry]): ItemDisagreement => ({ item, units: entry.units, ...entry.pairs.finish() }))
        .filter((item) => item.pairs > 0);
      return {
        units,
        raters: ratersSeen.size,
        ratings,
        icc: icc.finish(),
        alpha: coincidences.finish(),
        pairwise: overall.finish(),
        items: rankItemDisagreement(items),
      };
    },
  };
}

/** One key per scale; '' for no scale. */
function scaleKey(scale: Scale | null | undefined): string {
  return scale ? `${scale.min}:${scale.max}` : '';
}

/** Lowest scale first (by min, then max); no scale last. */
function compareScales(a: Scale | null | undefined, b: Scale | null | undefined): number {
  if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);
  return a.min - b.min || a.max - b.max;
}

/** All statistics of a set of units; the rater set is every rater that appears. */
export function computeAgreement(units: readonly Unit[]): AgreementStatistics {
  const raters = new Set<RaterKey>();
  for (const unit of units) for (const rating of unit.ratings) raters.add(rating.rater);
  const accumulator = createAgreementAccumulator([...raters]);
  for (const unit of units) accumulator.addUnit(unit);
  return accumulator.finish();
}

/** ICC forms of a complete matrix: one row per unit (target), one column per rater (judge). */
export function computeIcc(matrix: readonly (readonly number[])[]): IccResult {
  const k = matrix[0]?.length ?? 0;
  const accumulator = createIccAccumulator(k);
  for (const row of matrix) {
    if (row.length !== k) throw new Error('every row of an ICC matrix needs a value for every rater');
    accumulator.addRow(row);
  }
  return accumulator.finish();
}

/**
 * Krippendorff's alpha of reliability data given as units × raters, null for a missing value
 * (the transpose of Krippendorff's observers × units table).
 */
export function computeKrippendorffAlpha(data: readonly (readonly (number | null)[])[], metric: AlphaMetric): number | null {
  const accumulator = createCoincidenceAccumulator();
  for (const unit of data) accumulator.addUnit(unit.filter((value): value is number => value !== null));
  return accumulator.finish()[metric];
}

/**
 * Most disagreement first: mean absolute difference descending, then percent exact ascending, then item id.
 * When the items are on different scales, the mean absolute difference is taken relative to each item's scale
 * range (divided by max − min), so a 1-point difference on 0–2 weighs more than on 1–5.
 */
export function rankItemDisagreement(items: readonly ItemDisagreement[]): ItemDisagreement[] {
  const relative = new Set(items.map((item) => scaleKey(item.scale))).size > 1;
  const severity = (item: ItemDisagreement) => {
    const difference = item.meanAbsDiff ?? 0;
    return relative && item.scale ? difference / (item.scale.max - item.scale.min) : difference;
  };
  return [...items].sort(
    (a, b) =>
      severity(b) - severity(a) ||
      (a.percentExact ?? 100) - (b.percentExact ?? 100) ||
      (a.item < b.item ? -1 : a.item > b.item ? 1 : 0) ||
      compareScales(a.scale, b.scale),
  );
}

/** The mean absolute difference of an item relative to its scale's range (0 to 1); null without a scale or pairs. */
export function relativeMeanAbsDiff(item: ItemDisagreement): number | null {
  if (!item.scale || item.meanAbsDiff === null) return null;
  return item.meanAbsDiff / (item.scale.max - item.scale.min);
}

export const ICC_BANDS = ['poor', 'moderate', 'good', 'excellent'] as const;
export type IccBand = (typeof ICC_BANDS)[number];

/** Koo & Li (2016): below .50 poor, .50-.75 moderate, .75-.90 good, above .90 excellent. Only for an ICC interpretIcc accepts. */
export function classifyIcc(value: number | null): IccBand | undefined {
  if (value === null) return undefined;
  if (value < 0.5) return 'poor';
  if (value < 0.75) return 'moderate';
  if (value <= 0.9) return 'good';
  return 'excellent';
}

/** Fewer units rated by every rater than this, and an ICC says nothing: one or two odd units swing it anywhere. */
export const MIN_ICC_UNITS = 5;

export type IccUninterpretable = 'outOfRange' | 'fewUnits';

/**
 * What an ICC may be read as: its Koo & Li band, or why it cannot be interpreted at all, so no page, report or CLI
 * ever labels it (a 2 × 2 table gives ICC(2,k) = 2.667, which is no "excellent"). An ICC is a correlation: outside
 * [−1, 1] its ANOVA terms have gone wrong (mean squares that cancel on too little data). From fewer than
 * MIN_ICC_UNITS complete units it is too unstable to read. Undefined when there is no value.
 */
export type IccInterpretation =
  | { readonly band: IccBand; readonly uninterpretable?: undefined }
  | { readonly band?: undefined; readonly uninterpretable: IccUninterpretable };

export function interpretIcc(value: number | null, unitsUsed: number): IccInterpretation | undefined {
  if (value === null) return undefined;
  if (value < -1 - 1e-9 || value > 1 + 1e-9) return { uninterpretable: 'outOfRange' };
  if (unitsUsed < MIN_ICC_UNITS) return { uninterpretable: 'fewUnits' };
  const band = classifyIcc(value);
  return band ? { band } : undefined;
}

/** Whether both of a design's ICC(2,1) and ICC(2,k) can be read: the designs a median of ICCs may summarise. */
export function isIccInterpretable(icc: IccResult): boolean {
  return interpretIcc(icc.ICC2, icc.unitsUsed)?.band !== undefined && interpretIcc(icc.ICC2k, icc.unitsUsed)?.band !== undefined;
}

export const ALPHA_BANDS = ['reliable', 'tentative', 'unreliable'] as const;
export type AlphaBand = (typeof ALPHA_BANDS)[number];

/** Krippendorff: α ≥ .800 reliable; ≥ .667 acceptable only for tentative conclusions; below that unreliable. */
export function classifyAlpha(value: number | null): AlphaBand | undefined {
  if (value === null) return undefined;
  if (value >= 0.8) return 'reliable';
  if (value >= 0.667) return 'tentative';
  return 'unreliable';
}

/** The median of some numbers, null when there are none. */
export function computeMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

// ICC: the two-way ANOVA sums, accumulated row by row.

type IccAccumulator = { addRow(row: readonly number[]): void; finish(): IccResult };

function createIccAccumulator(k: number): IccAccumulator {
  let n = 0;
  // Values are shifted by the first one seen, which keeps the sums of squares accurate for any scale.
  let shift: number | undefined;
  let total = 0;
  let totalSquares = 0;
  let rowSumSquares = 0;
  const columnSums = new Array<number>(k).fill(0);
  return {
    addRow(row) {
      shift ??= row[0] ?? 0;
      let rowSum = 0;
      for (let j = 0; j < k; j++) {
        const value = (row[j] ?? 0) - shift;
        rowSum += value;
        totalSquares += value * value;
        columnSums[j] = (columnSums[j] ?? 0) + value;
      }
      total += rowSum;
      rowSumSquares += rowSum * rowSum;
      n++;
    },
    finish() {
      const empty = { ICC1: null, ICC2: null, ICC3: null, ICC1k: null, ICC2k: null, ICC3k: null };
      if (n < 2 || k < 2) return { ...empty, unitsUsed: n, raters: k };
      const correction = (total * total) / (n * k);
      const ssTotal = totalSquares - correction;
      const ssRows = rowSumSquares / k - correction;
      const ssColumns = columnSums.reduce((sum, value) => sum + value * value, 0) / n - correction;
      const bms = ssRows / (n - 1);
      const wms = (ssTotal - ssRows) / (n * (k - 1));
      const jms = ssColumns / (k - 1);
      const ems = (ssTotal - ssRows - ssColumns) / ((n - 1) * (k - 1));
      return {
        ICC1: divide(bms - wms, bms + (k - 1) * wms),
        ICC2: divide(bms - ems, bms + (k - 1) * ems + (k * (jms - ems)) / n),
        ICC3: divide(bms - ems, bms + (k - 1) * ems),
        ICC1k: divide(bms - wms, bms),
        ICC2k: divide(bms - ems, bms + (jms - ems) / n),
        ICC3k: divide(bms - ems, bms),
        unitsUsed: n,
        raters: k,
      };
    },
  };
}

// Krippendorff's alpha: the coincidence matrix o(c,k), accumulated unit by unit.

type ValueCounts = readonly (readonly [value: number, count: number])[];

type CoincidenceAccumulator = {
  addUnit(values: readonly number[]): void;
  /** A unit given as its value counts and its number of values m. */
  addCounts(counts: ValueCounts, m: number): void;
  finish(): AlphaResult;
};

function createCoincidenceAccumulator(): CoincidenceAccumulator {
  // Keyed by the value; the inner map holds o(c,k) for every k that c coincides with.
  const matrix = new Map<number, Map<number, number>>();
  const add = (c: number, k: number, amount: number) => {
    let row = matrix.get(c);
    if (!row) {
      row = new Map();
      matrix.set(c, row);
    }
    row.set(k, (row.get(k) ?? 0) + amount);
  };
  const addCounts = (counts: ValueCounts, m: number) => {
    if (m < 2) return; // A lone value has nothing to be paired with: not pairable.
    for (const [c, nc] of counts) {
      for (const [k, nk] of counts) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        if (pairs > 0) add(c, k, pairs / (m - 1));
      }
    }
  };
  return {
    addUnit: (values) => addCounts([...countValues(values)], values.length),
    addCounts,
    finish() {
      const values = [...matrix.keys()].sort((a, b) => a - b);
      const marginals = values.map((c) => sumOf(matrix.get(c)?.values() ?? []));
      const n = sumOf(marginals);
      const cumulative: number[] = [];
      marginals.reduce((running, nc, index) => (cumulative[index] = running + nc), 0);
      const indexOf = new Map(values.map((value, index) => [value, index]));
      const differences: Record<AlphaMetric, (c: number, k: number) => number> = {
        nominal: (c, k) => (Math.abs(c - k) < EPSILON ? 0 : 1),
        interval: (c, k) => (c - k) ** 2,
        // (sum of n_g for g from c to k, minus (n_c + n_k) / 2) squared, over the values in rank order.
        ordinal: (c, k) => {
          const i = indexOf.get(Math.min(c, k)) ?? 0;
          const j = indexOf.get(Math.max(c, k)) ?? 0;
          const between = (cumulative[j] ?? 0) - (i > 0 ? (cumulative[i - 1] ?? 0) : 0);
          return (between - ((marginals[i] ?? 0) + (marginals[j] ?? 0)) / 2) ** 2;
        },
      };
      const alphaOf = (metric: AlphaMetric): number | null => {
        if (n < 2) return null;
        const delta = differences[metric];
        let observed = 0;
        for (const [c, row] of matrix) for (const [k, o] of row) observed += o * delta(c, k);
        let expected = 0;
        values.forEach((c, i) =>
          values.forEach((k, j) => {
            expected += (marginals[i] ?? 0) * (marginals[j] ?? 0) * delta(c, k);
          }),
        );
        // α = 1 − Do/De with Do = Σ o·δ / n and De = Σ n_c·n_k·δ / (n(n − 1)).
        const ratio = divide(observed * (n - 1), expected);
        return ratio === null ? null : 1 - ratio;
      };
      return { nominal: alphaOf('nominal'), ordinal: alphaOf('ordinal'), interval: alphaOf('interval') };
    },
  };
}

// Pairwise agreement, from each unit's value counts (cheaper than enumerating pairs).

type PairAccumulator = { addCounts(counts: ValueCounts): void; counts(): { pairs: number; exact: number }; finish(): PairwiseAgreement };

function createPairAccumulator(): PairAccumulator {
  let pairs = 0;
  let exact = 0;
  let within1 = 0;
  let absDiff = 0;
  return {
    addCounts(counts) {
      counts.forEach(([c, nc], i) => {
        const same = (nc * (nc - 1)) / 2;
        pairs += same;
        exact += same;
        within1 += same;
        for (let j = i + 1; j < counts.length; j++) {
          const [k, nk] = counts[j] ?? [0, 0];
          const cross = nc * nk;
          const difference = Math.abs(c - k);
          pairs += cross;
          absDiff += cross * difference;
          if (difference <= 1 + EPSILON) within1 += cross;
        }
      });
    },
    counts: () => ({ pairs, exact }),
    finish() {
      return {
        pairs,
        percentExact: pairs > 0 ? (exact * 100) / pairs : null,
        percentWithin1: pairs > 0 ? (within1 * 100) / pairs : null,
        meanAbsDiff: pairs > 0 ? absDiff / pairs : null,
      };
    },
  };
}

function countValues(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function sumOf(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** a / b, or null when b is (practically) zero: a statistic without variation to measure is undefined. */
function divide(a: number, b: number): number | null {
  if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(b) < 1e-12) return null;
  return a / b;
}
