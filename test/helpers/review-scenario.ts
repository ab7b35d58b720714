// Builds the usual starting point of a review test: a municipality, a program, a coordinator and a panel,
// with a review created through the store. The steps under test then go through HTTP.
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewStore, type ReviewStore } from '../../src/reviews/review-store.js';
import type { RatingInput } from '../../src/reviews/review-types.js';
import { listIndicators, type Rubric } from '../../src/rubrics/rubric-schema.js';
import { readForm } from './form-fields.js';
import { type Agent, createTestUser, loginAgent, makeTestApp, type TestApp } from './test-app.js';

export type Person = Awaited<ReturnType<typeof createTestUser>>;

export type ReviewScenario = TestApp & {
  readonly reviews: ReviewStore;
  readonly reviewId: number;
  readonly programId: number;
  readonly rubric: Rubric;
  readonly coordinator: Person;
  readonly lead: Person;
  readonly reviewerA: Person;
  readonly reviewerB: Person;
  readonly outsider: Person;
  login(person: Person): Promise<Agent>;
};

export async function createReviewScenario(options: { rubricId?: string; app?: TestApp } = {}): Promise<ReviewScenario> {
  const testApp = options.app ?? makeTestApp();
  const { db, rubrics } = testApp;
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  const municipalityId = municipalities.insertMunicipality({ code: '0180', name: 'Stockholm' });
  const programId = municipalities.insertProgram({
    municipalityId,
    name: 'Bostad först Stockholm',
    supportProvider: 'Stadsmissionen',
    housingPartners: 'Svenska Bostäder',
    supportModel: 'icm',
    startDate: '2020-01-01',
  });
  const coordinator = await createTestUser(db, ['coordinator'], { displayName: 'Cora Coordinator' });
  const lead = await createTestUser(db, ['reviewer'], { displayName: 'Lena Lead' });
  const reviewerA = await createTestUser(db, ['reviewer'], { displayName: 'Anna Andersson' });
  const reviewerB = await createTestUser(db, ['reviewer'], { displayName: 'Bertil Berg' });
  const outsider = await createTestUser(db, ['reviewer'], { displayName: 'Olle Outsider' });
  const loaded = rubrics.get(options.rubricId ?? 'bostad-forst');
  if (!loaded) throw new Error('rubric missing');
  const reviewId = reviews.insertReview({
    programId,
    rubric: loaded,
    kind: 'peer_review',
    visitStart: '2026-03-02',
    visitEnd: '2026-03-03',
    createdBy: coordinator.id,
  });
  return {
    ...testApp,
    reviews,
    reviewId,
    programId,
    rubric: loaded.rubric,
    coordinator,
    lead,
    reviewerA,
    reviewerB,
    outsider,
    login: (person) => loginAgent(testApp.app, person.email),
  };
}

/** Puts the lead and both reviewers on the panel and starts the rating, through the store. */
export function startRating(s: ReviewScenario): void {
  s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
  s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
  s.reviews.setPanelMember(s.reviewId, s.reviewerB.id, 'reviewer');
  if (!s.reviews.transition(s.reviewId, 'draft', 'rating')) throw new Error('could not start rating');
}

/** Every indicator rated with the value `pick` gives (a level, or 'na'). */
export function fullRatings(rubric: Rubric, pick: (min: number, max: number, index: number) => number | 'na', note = ''): RatingInput[] {
  return listIndicators(rubric).map(({ indicator }, index) => {
    const value = pick(indicator.scale.min, indicator.scale.max, index);
    return {
      indicatorId: indicator.id,
      score: value === 'na' ? null : value,
      notApplicable: value === 'na',
      evidence: indicator.evidence.slice(0, 1),
      note,
    };
  });
}

/** Rates and submits for a rater through the store. */
export function rateAndSubmit(
  s: ReviewScenario,
  raterId: number,
  pick: (min: number, max: number, index: number) => number | 'na',
  note = '',
): void {
  if (s.reviews.saveRatings(s.reviewId, raterId, fullRatings(s.rubric, pick, note)).outcome !== 'saved') throw new Error('save failed');
  const ids = listIndicators(s.rubric).map(({ indicator }) => indicator.id);
  if (s.reviews.submitRatings(s.reviewId, raterId, ids) !== 'submitted') throw new Error('submit failed');
}

/** A review in consensus: the lead and both reviewers rated every indicator one above the scale's lowest and submitted. */
export async function createScenarioInConsensus(options: { rubricId?: string } = {}): Promise<ReviewScenario> {
  const s = await createReviewScenario(options);
  startRating(s);
  for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start the consensus');
  return s;
}

/**
 * Stockholm staff (the lead) reviewed Göteborg two months ago; reviewer A works for Göteborg: a reciprocal-review warning.
 * `earlier` moves that review's visit or keeps it a draft, for the tests of which reviews count.
 */
export function setUpReciprocalWarning(
  s: ReviewScenario,
  earlier: { readonly visitStart: string; readonly pastDraft: boolean } = {
    visitStart: new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10),
    pastDraft: true,
  },
): void {
  const municipalities = createMunicipalityStore(s.db);
  const stockholm = municipalities.findMunicipalityByCode('0180');
  const goteborgId = municipalities.insertMunicipality({ code: '1480', name: 'Göteborg' });
  const goteborgProgram = municipalities.insertProgram({
    municipalityId: goteborgId,
    name: 'Bostad först Göteborg',
    supportProvider: 'Räddningsmissionen',
    housingPartners: '',
    supportModel: 'act',
    startDate: undefined,
  });
  s.services.users.updateAffiliation(
    s.lead.id,
    { kind: 'municipality', municipalityId: stockholm?.id, organisation: 'Stockholms stad' },
    undefined,
  );
  s.services.users.updateAffiliation(
    s.reviewerA.id,
    { kind: 'municipality', municipalityId: goteborgId, organisation: 'Göteborgs stad' },
    undefined,
  );
  const rubric = s.rubrics.get('bostad-forst');
  if (!rubric) throw new Error('rubric missing');
  const earlierId = s.reviews.insertReview({
    programId: goteborgProgram,
    rubric,
    kind: 'peer_review',
    visitStart: earlier.visitStart,
    visitEnd: undefined,
    createdBy: s.coordinator.id,
  });
  s.reviews.setPanelMember(earlierId, s.lead.id, 'lead');
  // Only a review that took place counts: past draft.
  if (earlier.pastDraft && !s.reviews.transition(earlierId, 'draft', 'rating')) throw new Error('could not start the earlier review');
}

/**
 * Posts the factual check's send page (the check before sending, or the reply-by page of a draft unchanged since it was
 * sent) as a browser would: its version and the draft's fingerprint as the page showed them, with `typed` over them.
 */
export async function postSendPage(agent: Agent, reviewId: number, typed: Record<string, string> = {}) {
  const path = `/reviews/${reviewId}/factual-check/send`;
  const { fields } = readForm((await agent.get(path)).text, 'send-form');
  return agent
    .post(path)
    .type('form')
    .send({ ...fields, ...typed });
}
