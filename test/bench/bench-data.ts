// Deterministic data for the benchmark, written through the app's own stores: municipalities with a program each,
// reviews at every stage (final, consensus, rating) with a full panel of raters, ratings, consensus and findings.
import { hashPassword } from '../../src/accounts/passwords.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import type { Db } from '../../src/db/open-database.js';
import { createMunicipalityStore, SUPPORT_MODELS } from '../../src/municipalities/municipality-store.js';
import { createReviewStore } from '../../src/reviews/review-store.js';
import type { ConsensusInput, RatingInput } from '../../src/reviews/review-types.js';
import type { LoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { listIndicators, type RubricIndicator } from '../../src/rubrics/rubric-schema.js';
import { createRandom } from '../../src/demo/seeded-random.js';

export type BenchDataOptions = {
  readonly municipalities: number;
  readonly reviewsPerMunicipality: number;
  readonly raters: number;
  readonly seed: number;
};

export const DEFAULT_BENCH_DATA: BenchDataOptions = { municipalities: 50, reviewsPerMunicipality: 3, raters: 4, seed: 20260302 };

/** The stage each review of a municipality is left in, in turn: every page under test then has real data behind it. */
const STAGES = ['final', 'consensus', 'rating'] as const;
type Stage = (typeof STAGES)[number];

export type BenchData = {
  /** The user the benchmark logs in as: lead of every review, with a draft (not submitted) in the reviews still in rating. */
  readonly email: string;
  readonly password: string;
  /** One review of each stage, from the middle of the data. */
  readonly reviewIds: Readonly<Record<Stage, number>>;
  readonly firstSectionId: string;
  readonly municipalityCode: string;
  readonly counts: { readonly municipalities: number; readonly reviews: number; readonly ratings: number };
};

function pickScore(indicator: RubricIndicator, random: () => number): Pick<RatingInput, 'score' | 'notApplicable'> {
  const { min, max, allow_na } = indicator.scale;
  if (allow_na && random() < 0.04) return { score: null, notApplicable: true };
  // Skewed towards the top of the scale, as programs that ask for a review tend to be.
  const level = Math.min(max, min + Math.floor(Math.sqrt(random()) * (max - min + 1)));
  return { score: level, notApplicable: false };
}

function expectSaved(outcome: { outcome: string } | string, what: string): void {
  const value = typeof outcome === 'string' ? outcome : outcome.outcome;
  if (value !== 'saved' && value !== 'submitted') throw new Error(`bench data: ${what} gave ${value}`);
}

export async function fillBenchDatabase(db: Db, loaded: LoadedRubric, options: BenchDataOptions = DEFAULT_BENCH_DATA): Promise<BenchData> {
  const random = createRandom(options.seed);
  const users = createUserStore(db);
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  const rubric = loaded.rubric;
  const indicators = listIndicators(rubric).map(({ indicator }) => indicator);
  const indicatorIds = indicators.map((indicator) => indicator.id);
  const password = 'bench-password-2026';
  const passwordHash = await hashPassword(password);

  const coordinatorId = users.insertUser(
    {
      email: 'koordinator@bench.example',
      displayName: 'Bench Koordinator',
      affiliation: 'Länsstyrelsen (fiktiv)',
      passwordHash,
      roles: ['coordinator'],
    },
    undefined,
  );
  const raterIds = Array.from({ length: options.raters }, (_, index) =>
    users.insertUser(
      {
        email: `granskare${index + 1}@bench.example`,
        displayName: `Bench Granskare ${index + 1}`,
        affiliation: `Forskargrupp ${index + 1} (fiktiv)`,
        passwordHash,
        roles: ['reviewer'],
      },
      undefined,
    ),
  );
  const [leadId] = raterIds;
  if (leadId === undefined) throw new Error('bench data needs at least one rater');

  const rate = (reviewId: number, raterId: number, share: number) => {
    const inputs: RatingInput[] = indicators.slice(0, Math.round(indicators.length * share)).map((indicator) => ({
      indicatorId: indicator.id,
      ...pickScore(indicator, random),
      evidence: indicator.evidence.slice(0, 2),
      note: random() < 0.3 ? 'Framgick av personalintervjun och dokumentgranskningen.' : '',
    }));
    expectSaved(reviews.saveRatings(reviewId, raterId, inputs), 'saveRatings');
  };

  const byStage: Partial<Record<Stage, number>> = {};
  let middleCode = '';
  let ratingCount = 0;
  for (let m = 0; m < options.municipalities; m++) {
    const code = String(1000 + m * 17).padStart(4, '0');
    const name = `Benchkommun ${m + 1}`;
    const municipalityId = municipalities.insertMunicipality({ code, name });
    const programId = municipalities.insertProgram({
      municipalityId,
      name: `Bostad först ${name}`,
      supportProvider: 'Stiftelsen Stödet (fiktiv)',
      housingPartners: 'Kommunala bostadsbolaget (fiktivt)',
      supportModel: SUPPORT_MODELS[m % SUPPORT_MODELS.length] ?? 'icm',
      startDate: `20${String(10 + (m % 12)).padStart(2, '0')}-0${1 + (m % 9)}-01`,
    });
    if (m === Math.floor(options.municipalities / 2)) middleCode = code;

    for (let r = 0; r < options.reviewsPerMunicipality; r++) {
      const stage = STAGES[r % STAGES.length] ?? 'final';
      const reviewId = reviews.insertReview({
        programId,
        rubric: loaded,
        kind: 'peer_review',
        visitStart: `2025-${String(1 + (r % 12)).padStart(2, '0')}-10`,
        visitEnd: `2025-${String(1 + (r % 12)).padStart(2, '0')}-11`,
        createdBy: coordinatorId,
      });
      raterIds.forEach((raterId, index) => {
        expectSaved(reviews.setPanelMember(reviewId, raterId, index === 0 ? 'lead' : 'reviewer'), 'setPanelMember');
      });
      if (!reviews.transition(reviewId, 'draft', 'rating')) throw new Error('bench data: could not start rating');
      for (const raterId of raterIds) {
        // In reviews still in rating, the lead (the benchmark's user) has a half-done draft and has not submitted.
        const drafting = stage === 'rating' && raterId === leadId;
        rate(reviewId, raterId, drafting ? 0.5 : 1);
        ratingCount += drafting ? Math.round(indicators.length * 0.5) : indicators.length;
        if (!drafting) expectSaved(reviews.submitRatings(reviewId, raterId, indicatorIds), 'submitRatings');
      }
      if (stage !== 'rating') {
        if (!reviews.transition(reviewId, 'rating', 'consensus')) throw new Error('bench data: could not start consensus');
        const submitted = reviews.listSubmittedRatings(reviewId);
        for (const indicator of indicators) {
          const scores = submitted
            .filter((s) => s.indicatorId === indicator.id && s.score !== null)
            .map((s) => s.score ?? 0)
            .sort((a, b) => a - b);
          const middle = scores[Math.floor(scores.length / 2)];
          const input: ConsensusInput =
            middle === undefined
              ? { indicatorId: indicator.id, score: null, notApplicable: true, rationale: '' }
              : {
                  indicatorId: indicator.id,
                  score: middle,
                  notApplicable: false,
                  rationale: random() < 0.2 ? 'Panelen enades efter diskussion.' : '',
                };
          expectSaved(reviews.saveConsensus(reviewId, input, leadId), 'saveConsensus');
        }
        expectSaved(
          reviews.replaceFindings(
            reviewId,
            rubric.sections.map((section) => ({
              sectionId: section.id,
              strengths: ['Tydliga rutiner och engagerad personal.'],
              recommendations: ['Dokumentera uppföljningen skriftligt.'],
            })),
          ),
          'replaceFindings',
        );
        if (stage === 'final' && !reviews.transition(reviewId, 'consensus', 'final')) throw new Error('bench data: could not finalise');
      }
      if (m === Math.floor(options.municipalities / 2) && byStage[stage] === undefined) byStage[stage] = reviewId;
    }
  }

  const firstSectionId = rubric.sections[0]?.id;
  const { final, consensus, rating } = byStage;
  if (!firstSectionId || final === undefined || consensus === undefined || rating === undefined) {
    throw new Error('bench data: need at least three reviews per municipality (one of each stage)');
  }
  return {
    email: 'granskare1@bench.example',
    password,
    reviewIds: { final, consensus, rating },
    firstSectionId,
    municipalityCode: middleCode,
    counts: {
      municipalities: options.municipalities,
      reviews: options.municipalities * options.reviewsPerMunicipality,
      ratings: ratingCount,
    },
  };
}
