// Builds final reviews for the research tests: programs in several municipalities, each review taken through
// rating, consensus and finalisation with the review store, so the research pages read what the app writes.
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewStore, type ReviewStore } from '../../src/reviews/review-store.js';
import type { ReviewKind } from '../../src/reviews/review-types.js';
import type { LoadedRubric } from '../../src/rubrics/load-rubrics.js';
import { listIndicators, type Rubric } from '../../src/rubrics/rubric-schema.js';
import {
  createTestUser,
  FROZEN_1_1_RUBRIC_FILE,
  loadTestRubrics,
  loginAgent,
  MINI_RUBRIC_FILE,
  makeTestApp,
  type Agent,
  type TestApp,
} from '../helpers/test-app.js';

export type Pick = (min: number, max: number, index: number) => number | 'na';

export type Person = Awaited<ReturnType<typeof createTestUser>>;

export type ResearchWorld = TestApp & {
  readonly reviews: ReviewStore;
  readonly rubric: Rubric;
  readonly coordinator: Person;
  readonly raters: readonly Person[];
  login(person: Person): Promise<Agent>;
  person(roles: Parameters<typeof createTestUser>[1], displayName?: string): Promise<Person>;
  addProgram(code: string, municipalityName: string, programName: string): number;
  /**
   * A final review of the program: the lead and reviewers rate with their picks, the consensus with its own. The
   * panel is the first of `raters` (the lead first), or `panel` when given, one person per pick.
   */
  addFinalReview(
    programId: number,
    options: {
      date: string;
      kind?: ReviewKind;
      raters?: readonly Pick[];
      consensus?: Pick;
      rubric?: LoadedRubric;
      panel?: readonly Person[];
    },
  ): number;
};

/** An imported historical round (through the research store, as the import page writes it): two raters, consensus 3. */
export function importRound(w: ResearchWorld, programId: number, options: { date: string; kind: ReviewKind; source: string }): void {
  const loaded = w.rubrics.get(w.rubric.id);
  if (!loaded) throw new Error('rubric');
  const indicators = listIndicators(w.rubric).map(({ indicator }) => indicator.id);
  w.services.researchImport.importReviews({
    rubricId: w.rubric.id,
    kind: options.kind,
    contentHash: `test-${options.source}`,
    rowCount: indicators.length * 3,
    importedBy: w.coordinator.id,
    reviews: [
      {
        sourceReviewId: options.source,
        programId,
        reviewDate: options.date,
        kind: options.kind,
        rubric: loaded,
        raters: [
          { label: 'P1', role: 'lead' },
          { label: 'P2', role: 'reviewer' },
        ],
        ratings: indicators.flatMap((indicatorId) => [
          { rater: 'P1', indicatorId, score: 3, notApplicable: false },
          { rater: 'P2', indicatorId, score: 2, notApplicable: false },
        ]),
        consensus: indicators.map((indicatorId) => ({ indicatorId, score: 3, notApplicable: false })),
      },
    ],
  });
}

export async function createResearchWorld(
  rubricId = 'bostad-forst',
  rubricFiles: readonly string[] = [FROZEN_1_1_RUBRIC_FILE, MINI_RUBRIC_FILE],
): Promise<ResearchWorld> {
  // The research figures below were worked out on rubric 1.1 (its frozen copy); tests of 2.0 reviews load its file.
  const testApp = makeTestApp({ rubrics: loadTestRubrics(rubricFiles) });
  const { db, rubrics } = testApp;
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  const loaded = rubrics.get(rubricId);
  if (!loaded) throw new Error(`rubric ${rubricId} missing`);
  const coordinator = await createTestUser(db, ['coordinator'], { displayName: 'Cora Coordinator' });
  const raters = [
    await createTestUser(db, ['reviewer'], { displayName: 'Lena Lead' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Anna Andersson' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Bertil Berg' }),
  ];
  const municipalityIds = new Map<string, number>();

  const ratingsOf = (pick: Pick, rubric: Rubric = loaded.rubric) =>
    listIndicators(rubric).map(({ indicator }, index) => {
      const picked = pick(indicator.scale.min, indicator.scale.max, index);
      // Picks are written for a 1–4 scale: clamp them to each indicator's own scale.
      const value = picked === 'na' ? picked : Math.min(indicator.scale.max, Math.max(indicator.scale.min, picked));
      return {
        indicatorId: indicator.id,
        score: value === 'na' ? null : value,
        notApplicable: value === 'na',
        evidence: indicator.evidence.slice(0, 1),
        note: '',
      };
    });

  return {
    ...testApp,
    reviews,
    rubric: loaded.rubric,
    coordinator,
    raters,
    login: (person) => loginAgent(testApp.app, person.email),
    person: (roles, displayName) => createTestUser(db, roles, displayName === undefined ? {} : { displayName }),
    addProgram(code, municipalityName, programName) {
      let municipalityId = municipalityIds.get(code);
      if (municipalityId === undefined) {
        municipalityId = municipalities.insertMunicipality({ code, name: municipalityName });
        municipalityIds.set(code, municipalityId);
      }
      return municipalities.insertProgram({
        municipalityId,
        name: programName,
        supportProvider: 'Stödföretaget',
        housingPartners: '',
        supportModel: 'icm',
        startDate: undefined,
      });
    },
    addFinalReview(programId, options) {
      const pinned = options.rubric ?? loaded;
      const pinnedIds = listIndicators(pinned.rubric).map(({ indicator }) => indicator.id);
      const reviewId = reviews.insertReview({
        programId,
        rubric: pinned,
        kind: options.kind ?? 'peer_review',
        visitStart: options.date,
        visitEnd: options.date,
        createdBy: coordinator.id,
      });
      const picks = options.raters ?? [() => 3, () => 3, () => 4];
      const panel = options.panel ?? raters.slice(0, picks.length);
      if (panel.length !== picks.length) throw new Error('one pick per panel member');
      panel.forEach((rater, index) => reviews.setPanelMember(reviewId, rater.id, index === 0 ? 'lead' : 'reviewer'));
      if (!reviews.transition(reviewId, 'draft', 'rating')) throw new Error('could not start rating');
      panel.forEach((rater, index) => {
        const pick = picks[index];
        if (!pick) throw new Error('no pick');
        reviews.saveRatings(reviewId, rater.id, ratingsOf(pick, pinned.rubric));
        reviews.submitRatings(reviewId, rater.id, pinnedIds);
      });
      if (!reviews.transition(reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
      const consensus = options.consensus ?? (() => 3);
      const lead = panel[0];
      if (!lead) throw new Error('no lead');
      for (const rating of ratingsOf(consensus, pinned.rubric)) {
        reviews.saveConsensus(
          reviewId,
          { indicatorId: rating.indicatorId, score: rating.score, notApplicable: rating.notApplicable, rationale: 'Motivering' },
          lead.id,
        );
      }
      if (!reviews.transition(reviewId, 'consensus', 'final')) throw new Error('could not finalise');
      return reviewId;
    },
  };
}

/** The page's own content, without the header that names the logged-in user. */
export function mainOf(html: string): string {
  const match = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  if (!match?.[1]) throw new Error('no <main> on the page');
  return match[1];
}

/** Collects a CSV download as text (supertest buffers text/csv as text already). */
export function parseCsvLines(text: string): string[][] {
  return text
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}
