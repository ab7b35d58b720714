import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, fullRatings, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createTestUser, loginAgent } from '../helpers/test-app.js';

/** The table row of the review's program on the page (the program name heads the row). */
function rowOf(html: string, programName: string): string {
  const match = new RegExp(`<tr role="row">\\s*<th role="rowheader" scope="row">(?:<a [^>]*>)?${programName}[\\s\\S]*?</tr>`).exec(html);
  if (!match) throw new Error(`no row for ${programName}`);
  return match[0];
}

function myReviewsOf(html: string): string {
  const start = html.indexOf('id="my-reviews"');
  const end = html.indexOf('id="open-reviews"');
  return html.slice(start, end === -1 ? undefined : end);
}

async function homeOf(s: ReviewScenario, person: ReviewScenario['lead'], query = '') {
  const agent = await s.login(person);
  const response = await agent.get(`/${query}`);
  expect(response.status).toBe(200);
  return response.text;
}

function finalise(s: ReviewScenario): void {
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('no consensus');
  for (const { indicator } of listIndicators(s.rubric)) {
    s.reviews.saveConsensus(s.reviewId, { indicatorId: indicator.id, score: 3, notApplicable: false, rationale: '' }, s.lead.id);
  }
  if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('not final');
}

describe('GET /', () => {
  it('when nobody is logged in, then it redirects to the login page', async () => {
    const s = await createReviewScenario();
    const response = await request(s.app).get('/');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/login');
  });

  it('when the user is on no panel, then the start page says so and links to the municipalities', async () => {
    const s = await createReviewScenario();
    const html = await homeOf(s, s.outsider);
    expect(html).toContain('<h1>Kollegial granskning av Bostad först</h1>');
    expect(html).toContain('Du ingår inte i någon granskningspanel ännu.');
    expect(html).toContain('href="/municipalities"');
    expect(html).not.toContain('Pågående granskningar');
  });

  it('when a reviewer has not started rating, then their review links to the rating', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const row = rowOf(myReviewsOf(await homeOf(s, s.reviewerA)), 'Bostad först Stockholm');
    expect(row).toContain('Stockholm');
    expect(row).toContain('Kollegial granskning');
    expect(row).toContain('badge--rating');
    expect(row).toContain('Granskare');
    expect(row).toContain(`<a href="/reviews/${s.reviewId}/rate">Gör din bedömning</a>`);
  });

  it('when a reviewer has saved some ratings, then the link says to continue', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const some = fullRatings(s.rubric, () => 3).slice(0, 2);
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, some).outcome).toBe('saved');
    const row = rowOf(myReviewsOf(await homeOf(s, s.reviewerA)), 'Bostad först Stockholm');
    expect(row).toContain(`<a href="/reviews/${s.reviewId}/rate">Fortsätt din bedömning</a>`);
  });

  it('when a reviewer has submitted, then the review links to its overview', async () => {
    const s = await createReviewScenario();
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, () => 3);
    const row = rowOf(myReviewsOf(await homeOf(s, s.reviewerA)), 'Bostad först Stockholm');
    expect(row).toContain(`<a href="/reviews/${s.reviewId}">Visa granskningen</a>`);
  });

  it('when the review is in consensus, then the lead is sent to the consensus view', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, () => 3);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    const row = rowOf(myReviewsOf(await homeOf(s, s.lead)), 'Bostad först Stockholm');
    expect(row).toContain('Granskningsledare (ordförande)');
    expect(row).toContain(`<a href="/reviews/${s.reviewId}/consensus">Öppna konsensusvyn</a>`);
  });

  it('when every rater has submitted, then the lead is sent to start the consensus, and the others still to the overview', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA]) rateAndSubmit(s, person.id, () => 3);
    // One rater still rating: nothing to start yet.
    expect(rowOf(myReviewsOf(await homeOf(s, s.lead)), 'Bostad först Stockholm')).toContain(
      `<a href="/reviews/${s.reviewId}">Visa granskningen</a>`,
    );
    rateAndSubmit(s, s.reviewerB.id, () => 3);
    const row = rowOf(myReviewsOf(await homeOf(s, s.lead)), 'Bostad först Stockholm');
    expect(row).toContain(`<a href="/reviews/${s.reviewId}#task-rating">Starta konsensus</a>`);
    expect(rowOf(myReviewsOf(await homeOf(s, s.lead, '?lang=en')), 'Bostad först Stockholm')).toContain(
      `<a href="/reviews/${s.reviewId}#task-rating">Start consensus</a>`,
    );
    expect(rowOf(myReviewsOf(await homeOf(s, s.reviewerA)), 'Bostad först Stockholm')).toContain(
      `<a href="/reviews/${s.reviewId}">Visa granskningen</a>`,
    );
    // The link leads to the button that starts it.
    const overview = await (await s.login(s.lead)).get(`/reviews/${s.reviewId}`);
    const task = overview.text.slice(overview.text.indexOf('id="task-rating"'), overview.text.indexOf('id="task-consensus"'));
    expect(task).toContain('<input type="hidden" name="to" value="consensus">');
  });

  it('when every indicator has a consensus, then the lead is sent to check and finalise, and the others still to the consensus view', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, () => 3);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    const [last, ...rest] = [...listIndicators(s.rubric)].reverse();
    for (const { indicator } of rest) {
      s.reviews.saveConsensus(s.reviewId, { indicatorId: indicator.id, score: 3, notApplicable: false, rationale: '' }, s.lead.id);
    }
    // One indicator left: still the consensus view.
    expect(rowOf(myReviewsOf(await homeOf(s, s.lead)), 'Bostad först Stockholm')).toContain(
      `<a href="/reviews/${s.reviewId}/consensus">Öppna konsensusvyn</a>`,
    );
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: last?.indicator.id ?? '', score: 3, notApplicable: false, rationale: '' },
      s.lead.id,
    );
    expect(rowOf(myReviewsOf(await homeOf(s, s.lead)), 'Bostad först Stockholm')).toContain(
      `<a href="/reviews/${s.reviewId}/finalise">Kontrollera och slutför</a>`,
    );
    expect(rowOf(myReviewsOf(await homeOf(s, s.reviewerA)), 'Bostad först Stockholm')).toContain(
      `<a href="/reviews/${s.reviewId}/consensus">Öppna konsensusvyn</a>`,
    );
  });

  it('when the review is final, then it links to the result, in English too', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, () => 3);
    finalise(s);
    const row = rowOf(myReviewsOf(await homeOf(s, s.reviewerB)), 'Bostad först Stockholm');
    expect(row).toContain(`<a href="/reviews/${s.reviewId}/result">Visa resultatet</a>`);
    const english = await homeOf(s, s.reviewerB, '?lang=en');
    expect(english).toContain('My reviews');
    expect(rowOf(english, 'Bostad först Stockholm')).toContain(`<a href="/reviews/${s.reviewId}/result">Show the result</a>`);
  });

  it('when a reviewer sits on two rounds of one program, then each row names its site visit, so the rows can be told apart', async () => {
    const s = await createReviewScenario();
    const rubric = s.rubrics.get('bostad-forst');
    if (!rubric) throw new Error('rubric missing');
    const programId = s.reviews.findReviewById(s.reviewId)?.programId ?? 0;
    const earlier = s.reviews.insertReview({
      programId,
      rubric,
      kind: 'peer_review',
      visitStart: '2024-03-12',
      visitEnd: '2024-03-13',
      createdBy: s.coordinator.id,
    });
    s.reviews.setPanelMember(earlier, s.reviewerB.id, 'reviewer');
    s.reviews.setPanelMember(s.reviewId, s.reviewerB.id, 'reviewer');
    const mine = myReviewsOf(await homeOf(s, s.reviewerB));
    expect(mine).toContain('Platsbesök 2–3 mars 2026');
    expect(mine).toContain('Platsbesök 12–13 mars 2024');
    expect(myReviewsOf(await homeOf(s, s.reviewerB, '?lang=en'))).toContain('Site visit 12–13 March 2024');
  });

  it('when a review is a self-assessment, then its row names its date, not a site visit it never had', async () => {
    const s = await createReviewScenario();
    const rubric = s.rubrics.get('bostad-forst');
    if (!rubric) throw new Error('rubric missing');
    const programId = s.reviews.findReviewById(s.reviewId)?.programId ?? 0;
    const self = s.reviews.insertReview({
      programId,
      rubric,
      kind: 'self_assessment',
      visitStart: '2026-11-20',
      visitEnd: '2026-11-20',
      createdBy: s.coordinator.id,
    });
    s.reviews.setPanelMember(self, s.reviewerB.id, 'lead');
    const mine = myReviewsOf(await homeOf(s, s.reviewerB));
    expect(mine).toContain('Datum 20 november 2026');
    expect(mine).not.toContain('Platsbesök 20 november 2026');
    expect(myReviewsOf(await homeOf(s, s.reviewerB, '?lang=en'))).toContain('Date 20 November 2026');
  });

  it('when the user is a coordinator, then the reviews in progress are listed with links to them', async () => {
    const s = await createReviewScenario();
    const html = await homeOf(s, s.coordinator);
    expect(html).toContain('Pågående granskningar');
    const open = html.slice(html.indexOf('id="open-reviews"'));
    expect(rowOf(open, 'Bostad först Stockholm')).toContain(`<a href="/reviews/${s.reviewId}">Bostad först Stockholm</a>`);
    expect(open).toContain('badge--draft');
  });

  it('when a review is final, then it is no longer in progress for the coordinator', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, () => 3);
    finalise(s);
    const html = await homeOf(s, s.coordinator);
    expect(html).toContain('Pågående granskningar');
    expect(html).toContain('Inga granskningar.');
    expect(s.reviews.listOpenReviews()).toEqual([]);
  });

  it('when an administrator logs in, then they see the reviews in progress as coordinators do', async () => {
    const s = await createReviewScenario();
    const admin = await createTestUser(s.db, ['admin']);
    const agent = await loginAgent(s.app, admin.email);
    const response = await agent.get('/');
    expect(response.text).toContain(`href="/reviews/${s.reviewId}"`);
  });
});
