// Generates a large, fictional research data set for benchmarks: N municipalities with one program each,
// R final review rounds per program on one rubric, K raters per review. Written through the import path (one
// transaction per round), so the rows look exactly like imported paper rounds. Deterministic: a seeded PRNG.
import type { Db } from '../../src/db/open-database.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import type { ReviewStore } from '../../src/reviews/review-store.js';
import type { LoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { createTransact } from '../../src/db/transact.js';
import { createPaperRoundStore } from '../../src/reviews/paper-round-store.js';
import { createResearchImport } from '../../src/research/research-import-workflow.js';
import { createResearchStore, type ImportReview } from '../../src/research/research-store.js';
import { createRandom } from '../../src/demo/seeded-random.js';

export type BenchDataOptions = {
  readonly municipalities: number;
  readonly rounds: number;
  readonly raters: number;
  readonly importedBy: number;
  readonly seed?: number;
};

/** Returns the number of individual ratings written. */
export function generateBenchData(db: Db, reviews: ReviewStore, loaded: LoadedRubric, options: BenchDataOptions): number {
  const random = createRandom(options.seed ?? 20_260_310);
  const municipalities = createMunicipalityStore(db);
  const research = createResearchImport({
    research: createResearchStore(db),
    reviews,
    paperRounds: createPaperRoundStore(db),
    users: createUserStore(db),
    transact: createTransact(db),
  });
  const indicators = listIndicators(loaded.rubric).map(({ indicator }) => indicator);
  const programIds: number[] = [];
  for (let m = 0; m < options.municipalities; m++) {
    const code = String(1000 + m).padStart(4, '0');
    const municipalityId = municipalities.insertMunicipality({ code, name: `Benchkommun ${code}` });
    programIds.push(
      municipalities.insertProgram({
        municipalityId,
        name: `Bostad först ${code}`,
        supportProvider: 'Benchföretaget (fiktivt)',
        housingPartners: '',
        supportModel: 'icm',
        startDate: undefined,
      }),
    );
  }
  let ratings = 0;
  for (let round = 0; round < options.rounds; round++) {
    const year = 2015 + round;
    const roundReviews = programIds.map((programId, index): ImportReview => {
      // Each program has a level that improves a little per round; raters scatter around it.
      const level = 1.5 + ((index * 7) % 20) / 10 + round * 0.08;
      const reviewRatings: ImportReview['ratings'][number][] = [];
      const consensus: ImportReview['consensus'][number][] = [];
      for (const indicator of indicators) {
        const { min, max } = indicator.scale;
        const clamp = (value: number) => Math.min(max, Math.max(min, Math.round(value)));
        const truth = level + (random() - 0.5) * 1.5;
        for (let k = 0; k < options.raters; k++) {
          reviewRatings.push({
            rater: `B${k + 1}`,
            indicatorId: indicator.id,
            score: clamp(truth + (random() - 0.5) * 1.6),
            notApplicable: false,
          });
        }
        consensus.push({ indicatorId: indicator.id, score: clamp(truth), notApplicable: false });
      }
      ratings += reviewRatings.length;
      return {
        sourceReviewId: `bench-${programId}-${year}`,
        programId,
        reviewDate: `${year}-0${1 + (index % 9)}-15`,
        kind: 'peer_review',
        rubric: loaded,
        raters: Array.from({ length: options.raters }, (_, k) => ({ label: `B${k + 1}`, role: k === 0 ? 'lead' : 'reviewer' })),
        ratings: reviewRatings,
        consensus,
      };
    });
    research.importReviews({
      rubricId: loaded.rubric.id,
      kind: 'peer_review',
      contentHash: `bench-${options.seed ?? 0}-${round}-${Date.now()}`,
      rowCount: roundReviews.length * indicators.length * (options.raters + 1),
      importedBy: options.importedBy,
      reviews: roundReviews,
    });
  }
  return ratings;
}
