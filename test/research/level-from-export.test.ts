// A researcher recomputes a review's level from the downloads alone: the long format's consensus rows, the codebook
// and the level rules, by the steps docs/research-data.md gives (here in TypeScript, there in R). The app's own
// scoring of the same review must come out the same.
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/http/csv.js';
import { createResearchStore } from '../../src/research/research-store.js';
import { scoreReview } from '../../src/reviews/scoring.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { ROOT, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';
import { createResearchWorld, type Pick, type ResearchWorld } from './research-helpers.js';

const CAPPED_MIX_FILE = `${ROOT}test/fixtures/rubrics/capped-mix.yaml`;

type Table = readonly Readonly<Record<string, string>>[];

function readTable(text: string): Table {
  const [header, ...rows] = [...parseCsvText(text)].map((record) => record.fields);
  if (!header) throw new Error('no header');
  return rows.map((fields) => Object.fromEntries(header.map((name, index) => [name, fields[index] ?? ''])));
}

type Recomputed = { readonly percent: number | null; readonly band: string | undefined; readonly level: string | undefined; label: string };

/** The documented recipe, from the three files' cells only. */
function recomputeLevel(ratings: Table, codebook: Table, rules: Table, reviewId: string): Recomputed {
  const consensus = ratings.filter((row) => row.review_id === reviewId && row.is_consensus === '1');
  const version = (row: Readonly<Record<string, string>>) =>
    row.rubric_id === consensus[0]?.rubric_id && row.rubric_version === consensus[0]?.rubric_version;
  // One codebook row per indicator (the codebook has one per scale level).
  const indicators = new Map(codebook.filter(version).map((row) => [row.indicator_id, row]));
  const versionRules = rules.filter(version);
  const share = Number(versionRules.find((rule) => rule.rule === 'min_rated_share')?.share);
  const levels = versionRules.filter((rule) => rule.rule === 'level').sort((a, b) => Number(b.min_percent) - Number(a.min_percent));
  const byIndicator = new Map(consensus.map((row) => [row.indicator_id, row]));
  const scoreOf = (indicatorId: string | undefined) => {
    const row = byIndicator.get(indicatorId ?? '');
    return row === undefined || row.not_applicable === '1' || row.score === '' ? null : Number(row.score);
  };

  const sections = new Map<string, { decides: boolean; total: number; na: number; rated: number; sum: number; max: number }>();
  for (const indicator of indicators.values()) {
    const section = sections.get(indicator.section_id ?? '') ?? {
      decides: indicator.decides_level === '1',
      total: 0,
      na: 0,
      rated: 0,
      sum: 0,
      max: 0,
    };
    section.total++;
    if (byIndicator.get(indicator.indicator_id ?? '')?.not_applicable === '1') section.na++;
    const score = scoreOf(indicator.indicator_id);
    if (score !== null) {
      section.rated++;
      section.sum += score;
      section.max += Number(indicator.scale_max);
    }
    sections.set(indicator.section_id ?? '', section);
  }
  const percents = [...sections.values()]
    .filter((section) => section.decides && section.rated > 0 && section.rated >= share * (section.total - section.na) - 1e-9)
    .map((section) => (100 * section.sum) / section.max);
  const percent = percents.length === 0 ? null : percents.reduce((a, b) => a + b, 0) / percents.length;
  const band = percent === null ? undefined : levels.find((level) => percent + 1e-9 >= Number(level.min_percent));
  let level = band;
  if (band !== undefined) {
    for (const cap of versionRules.filter((rule) => rule.rule === 'cap')) {
      const triggers = [...indicators.values()].filter((indicator) => {
        const score = scoreOf(indicator.indicator_id);
        const threshold = cap.critical_at_min === '1' ? Number(indicator.scale_min) : Number(cap.critical_at_or_below);
        return indicator.critical === '1' && score !== null && score <= threshold;
      });
      const ceiling = levels.find((candidate) => candidate.rule_id === cap.max_level);
      if (triggers.length >= Number(cap.min_count) && ceiling && level && Number(ceiling.min_percent) < Number(level.min_percent))
        level = ceiling;
    }
  }
  return { percent, band: band?.rule_id, level: level?.rule_id, label: level?.label_sv ?? '' };
}

async function downloads(w: ResearchWorld, rubricId: string) {
  const agent = await w.login(await w.person(['researcher']));
  const get = async (path: string) => readTable((await agent.get(`${path}?rubric=${rubricId}`).expect(200)).text);
  return {
    ratings: await get('/research/export/ratings.csv'),
    codebook: await get('/research/export/codebook.csv'),
    rules: await get('/research/export/level-rules.csv'),
  };
}

/** The app's own result for the review: its snapshot scored on its consensus. */
function scoreInApp(w: ResearchWorld, reviewId: number) {
  const store = createResearchStore(w.db);
  const review = store.findFinalReview(reviewId);
  if (!review) throw new Error('review');
  const consensus = store.listConsensusOfReviews([reviewId]).get(reviewId) ?? [];
  return scoreReview(store.loadSnapshot(review.snapshotId), new Map(consensus.map((row) => [row.indicatorId, row]))).overall;
}

/** A pick by indicator id, for the indicators listed; `otherwise` for the rest. */
function pickById(w: ResearchWorld, scores: Readonly<Record<string, number | 'na'>>, otherwise: (id: string) => number | 'na'): Pick {
  const ids = listIndicators(w.rubric).map(({ indicator }) => indicator.id);
  return (_min, _max, index) => {
    const id = ids[index] ?? '';
    return scores[id] ?? otherwise(id);
  };
}

describe('the level, recomputed from ratings.csv, codebook.csv and level-rules.csv', () => {
  it('when a core element of Bostad först 2.0 is at 1, then the export gives Delvis modelltrohet as the app does, not the band', async () => {
    const w = await createResearchWorld('bostad-forst', [SHIPPED_RUBRIC_FILE]);
    // The principles at 4 but the lease type (a core element) at 1 and one indicator N/A; the agreement areas, which
    // do not decide the level, at 1 apart from their core element.
    const consensus = pickById(w, { 'a1-lease-type': 1, 'a4-lived-experience': 'na', 'b2-caseload': 4 }, (id) =>
      id.startsWith('b') ? 1 : 4,
    );
    const reviewId = w.addFinalReview(w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm'), { date: '2026-02-01', consensus });
    const app = scoreInApp(w, reviewId);
    const { ratings, codebook, rules } = await downloads(w, 'bostad-forst');
    const recomputed = recomputeLevel(ratings, codebook, rules, String(reviewId));
    expect(app.level?.id).toBe('partial');
    expect(app.explanation.bandLevel?.id).toBe('high');
    expect(recomputed).toEqual({ percent: app.percent, band: 'high', level: 'partial', label: 'Delvis modelltrohet' });
  });

  it('when parts, scales and caps differ (0–2 and 1–5, a part beside the level, a cap at a score with min_count), then it still agrees', async () => {
    const w = await createResearchWorld('capped-mix', [CAPPED_MIX_FILE]);
    const program = w.addProgram('0180', 'Stockholm', 'Bostad först Stockholm');
    const cases: { scores: Record<string, number | 'na'>; level: string }[] = [
      // Both core elements at 1: at the 1–5 scale's minimum (core-missing, fair) and two at or below 1 (core-weak, poor).
      { scores: { 'k1-lease': 1, 'k1-choice': 'na', 'm1-caseload': 1, 'm1-plan': 5, 'q1-contact': 1 }, level: 'poor' },
      // One core element at its 0–2 scale's minimum: at most fair, however high the rest.
      { scores: { 'k1-lease': 0, 'k1-choice': 2, 'm1-caseload': 5, 'm1-plan': 5, 'q1-contact': 1 }, level: 'fair' },
      // No cap: the band decides; the quality part at 1 is left out.
      { scores: { 'k1-lease': 2, 'k1-choice': 2, 'm1-caseload': 4, 'm1-plan': 5, 'q1-contact': 1 }, level: 'good' },
    ];
    const reviewIds = cases.map((entry, index) =>
      w.addFinalReview(program, { date: `202${index}-01-01`, consensus: pickById(w, entry.scores, () => 'na') }),
    );
    const { ratings, codebook, rules } = await downloads(w, 'capped-mix');
    for (const [index, reviewId] of reviewIds.entries()) {
      const app = scoreInApp(w, reviewId);
      const recomputed = recomputeLevel(ratings, codebook, rules, String(reviewId));
      expect(app.level?.id, `case ${index}`).toBe(cases[index]?.level);
      expect(recomputed, `case ${index}`).toEqual({
        percent: app.percent,
        band: app.explanation.bandLevel?.id,
        level: app.level?.id,
        label: app.level?.label.sv,
      });
    }
  });
});
