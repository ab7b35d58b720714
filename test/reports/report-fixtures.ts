// Builds municipalities whose programs have final reviews, through the stores, for the report tests and
// the report benchmark. Every score follows from the program's, review's and indicator's position, so a
// test can say which consensus score each indicator got.
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { loadReportFonts, type ReportFonts } from '../../src/reports/pdf/render-report-pdf.js';
import type { OutcomeInput } from '../../src/outcomes/outcome-store.js';
import { createReviewStore, type ReviewStore } from '../../src/reviews/review-store.js';
import type { RatingInput } from '../../src/reviews/review-types.js';
import type { LoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { listIndicators, type RubricIndicator } from '../../src/rubrics/rubric-schema.js';
import { createTestUser, loginAgent, makeTestApp, type Agent, type TestApp } from '../helpers/test-app.js';

export type Person = Awaited<ReturnType<typeof createTestUser>>;

let sharedFonts: ReportFonts | undefined;

/**
 * The report fonts for the tests that render on their own thread, loaded once per test process, as a report worker
 * loads them once: a render that shapes its words afresh takes twice as long, and the shapes kept from earlier reports
 * change no byte (report-renderer.test.ts renders with fresh and used fonts and compares).
 */
export function testReportFonts(): ReportFonts {
  sharedFonts ??= loadReportFonts();
  return sharedFonts;
}

/** The consensus score of an indicator: `review` is 0 for the earliest, so later reviews score higher. */
export function pickConsensus(indicator: RubricIndicator, program: number, review: number, index: number): number {
  const { min, max } = indicator.scale;
  const span = max - min + 1;
  return Math.min(max, min + ((index + program) % span) + review);
}

export type ReportScenario = TestApp & {
  readonly reviews: ReviewStore;
  readonly rubric: LoadedRubric;
  readonly municipalityCode: string;
  readonly municipalityName: string;
  readonly programs: readonly { readonly id: number; readonly name: string; readonly reviewIds: readonly number[] }[];
  readonly panel: readonly Person[];
  readonly reader: Person;
  login(person: Person): Promise<Agent>;
};

export type ReportScenarioOptions = {
  readonly rubricId?: string;
  readonly programs?: number;
  readonly reviewsPerProgram?: number;
  readonly municipalityCode?: string;
  readonly municipalityName?: string;
  /** The rubric of each review by its index (earliest first), when they are not all `rubricId`. */
  readonly reviewRubricIds?: readonly string[];
  /** The rubric of each review by its index as loaded, where given: another version of a rubric the app has (1.1). */
  readonly reviewRubrics?: readonly (LoadedRubric | undefined)[];
  readonly app?: TestApp;
  /**
   * Each rater's score of each indicator, by the rater's place on the panel (lead first) and the indicator's in the
   * rubric, instead of scores around the consensus; the consensus stays pickConsensus.
   */
  readonly raterScores?: (rater: number, indicator: number) => number | 'na';
  /** How many of the panel (lead first) rate and submit; the others stay on the panel without ratings. Three unless given. */
  readonly submittingRaters?: number;
  /**
   * Each review's recommendations by section id, by the review's index (earliest first), instead of STRENGTH and
   * RECOMMENDATION in the first section.
   */
  readonly recommendationsOf?: (review: number) => Readonly<Record<string, readonly string[]>>;
};

const PROGRAM_NAMES = ['Bostad först Södermalm', 'Bostad först Skärholmen', 'Bostad först Älvsjö', 'Bostad först Östermalm'];

export const STRENGTH = 'Alla deltagare har ett eget förstahandskontrakt – bekräftat i akterna.';
export const RECOMMENDATION = 'Följ upp tiden från beslut till nycklar vid nästa möte med hyresvärdarna.';
/** A program's outcome figures for 2025, with the program's comment on them. */
export const outcomesOf2025 = (note: string): OutcomeInput => ({
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  movedIn: 29,
  stillFirstFlat: 18,
  stillInProgram: 21,
  firstHandLeases: 5,
  evictions: 1,
  complaints: 9,
  clients: 21,
  caseManagers: 3,
  note,
});
export const RATIONALE = 'Bedömningarna skilde sig åt; panelen enades efter genomgång av akterna.';

/**
 * A municipality with `programs` programs, each with `reviewsPerProgram` final reviews on one rubric
 * (visits a year apart), a panel of three (lead, two reviewers) and a reader who is on no panel.
 */
export async function createReportScenario(options: ReportScenarioOptions = {}): Promise<ReportScenario> {
  const testApp = options.app ?? makeTestApp();
  const { db, rubrics } = testApp;
  const rubric = rubrics.get(options.rubricId ?? 'bostad-forst');
  if (!rubric) throw new Error(`rubric ${options.rubricId ?? 'bostad-forst'} is not loaded`);
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  const municipalityCode = options.municipalityCode ?? '0180';
  const municipalityName = options.municipalityName ?? 'Stockholm';
  const municipalityId = municipalities.insertMunicipality({ code: municipalityCode, name: municipalityName });
  const coordinator = await createTestUser(db, ['coordinator'], { displayName: 'Cora Coordinator' });
  const panel = [
    await createTestUser(db, ['reviewer'], { displayName: 'Åsa Öberg', affiliation: 'Göteborgs stad' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Émile Ekström', affiliation: 'Lunds universitet' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Björn Nyström', affiliation: 'Huddinge kommun' }),
  ];
  const reader = await createTestUser(db, ['reviewer'], { displayName: 'Rita Reader' });
  const [lead, ...reviewers] = panel;
  if (!lead) throw new Error('no lead');

  const programs = [];
  for (let p = 0; p < (options.programs ?? 1); p++) {
    const name = PROGRAM_NAMES[p] ?? `Bostad först ${p + 1}`;
    const programId = municipalities.insertProgram({
      municipalityId,
      name,
      supportProvider: 'Stadsmissionen',
      housingPartners: 'Svenska Bostäder',
      supportModel: 'icm',
      startDate: '2020-01-01',
    });
    const reviewIds: number[] = [];
    for (let r = 0; r < (options.reviewsPerProgram ?? 1); r++) {
      const year = 2024 + r;
      const reviewRubricId = options.reviewRubricIds?.[r];
      const reviewRubric = options.reviewRubrics?.[r] ?? (reviewRubricId === undefined ? rubric : rubrics.get(reviewRubricId));
      if (!reviewRubric) throw new Error(`rubric ${reviewRubricId} is not loaded`);
      const indicators = listIndicators(reviewRubric.rubric);
      const indicatorIds = indicators.map(({ indicator }) => indicator.id);
      const reviewId = reviews.insertReview({
        programId,
        rubric: reviewRubric,
        kind: 'peer_review',
        visitStart: `${year}-03-10`,
        visitEnd: `${year}-03-11`,
        createdBy: coordinator.id,
      });
      expectOutcome(reviews.setPanelMember(reviewId, lead.id, 'lead'), 'saved');
      for (const reviewer of reviewers) expectOutcome(reviews.setPanelMember(reviewId, reviewer.id, 'reviewer'), 'saved');
      expectOutcome(reviews.transition(reviewId, 'draft', 'rating'), true);
      panel.slice(0, options.submittingRaters ?? panel.length).forEach((rater, raterIndex) => {
        const ratings: RatingInput[] = indicators.map(({ indicator }, index) => {
          const decided = pickConsensus(indicator, p, r, index);
          // The raters straddle the consensus on every third indicator, so spreads are not all one value.
          const offset = index % 3 === 0 ? raterIndex - 1 : 0;
          const value =
            options.raterScores?.(raterIndex, index) ?? Math.min(indicator.scale.max, Math.max(indicator.scale.min, decided + offset));
          const notApplicable = value === 'na';
          const score = notApplicable ? null : value;
          return { indicatorId: indicator.id, score, notApplicable, evidence: indicator.evidence.slice(0, 1), note: '' };
        });
        expectOutcome(reviews.saveRatings(reviewId, rater.id, ratings).outcome, 'saved');
        expectOutcome(reviews.submitRatings(reviewId, rater.id, indicatorIds), 'submitted');
      });
      expectOutcome(reviews.transition(reviewId, 'rating', 'consensus'), true);
      indicators.forEach(({ indicator }, index) => {
        const input = {
          indicatorId: indicator.id,
          score: pickConsensus(indicator, p, r, index),
          notApplicable: false,
          rationale: index % 3 === 0 ? RATIONALE : '',
        };
        expectOutcome(reviews.saveConsensus(reviewId, input, lead.id).outcome, 'saved');
      });
      const firstSection = reviewRubric.rubric.sections[0];
      const recommendations = options.recommendationsOf?.(r);
      if (recommendations) {
        const findings = Object.entries(recommendations).map(([sectionId, texts]) => ({
          sectionId,
          strengths: [],
          recommendations: texts,
        }));
        expectOutcome(reviews.replaceFindings(reviewId, findings), 'saved');
      } else if (firstSection) {
        expectOutcome(
          reviews.replaceFindings(reviewId, [{ sectionId: firstSection.id, strengths: [STRENGTH], recommendations: [RECOMMENDATION] }]),
          'saved',
        );
      }
      expectOutcome(reviews.transition(reviewId, 'consensus', 'final'), true);
      reviewIds.push(reviewId);
    }
    programs.push({ id: programId, name, reviewIds });
  }
  return {
    ...testApp,
    reviews,
    rubric,
    municipalityCode,
    municipalityName,
    programs,
    panel,
    reader,
    login: (person) => loginAgent(testApp.app, person.email),
  };
}

function expectOutcome(actual: unknown, expected: unknown): void {
  // The stores answer with a value instead of throwing; a surprise means the fixture is out of step with them.
  if (actual !== expected) throw new Error(`report fixture: got ${String(actual)}, expected ${String(expected)}`);
}
