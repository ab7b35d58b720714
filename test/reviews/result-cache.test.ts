// The result page keeps the figures of a final review per finalisation and language: a reopened and
// re-finalised review shows its new figures, and the access check still runs on every request.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createProgramScenario, type ProgramScenario } from '../helpers/program-scenario.js';
import { createReviewScenario, type ReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { createTestUser, postForm } from '../helpers/test-app.js';

const FIRST_RATIONALE = 'Nästan alla har förstahandskontrakt enligt akterna.';

/** Consensus `first` on the first indicator and 3 on all others. */
function decide(s: ReviewScenario, first: number, rationale: string): void {
  listIndicators(s.rubric).forEach(({ indicator }, index) => {
    const input = {
      indicatorId: indicator.id,
      score: index === 0 ? first : 3,
      notApplicable: false,
      rationale: index === 0 ? rationale : '',
    };
    if (s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome !== 'saved') throw new Error('consensus not saved');
  });
}

/** The first section's result page, which holds the first indicator's rationale. */
const firstSectionPath = (s: ReviewScenario) => `/reviews/${s.reviewId}/result/${s.rubric.sections[0]?.id}`;

/** Rated by a panel of three, consensus 4 on the first indicator (section A1: (4 + 5 × 3) / 6 = 3.17), final. */
async function finalScenario(): Promise<ReviewScenario> {
  const s = await createReviewScenario();
  startRating(s);
  rateAndSubmit(s, s.lead.id, () => 3);
  rateAndSubmit(s, s.reviewerA.id, () => 4);
  rateAndSubmit(s, s.reviewerB.id, () => 3);
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
  decide(s, 4, FIRST_RATIONALE);
  if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
  return s;
}

describe('GET /reviews/:id/result of a final review, shown again', () => {
  it('when the page has been shown once, then the figures of that finalisation are reused, not read again', async () => {
    const s = await finalScenario();
    const agent = await s.login(s.outsider);
    expect((await agent.get(`/reviews/${s.reviewId}/result`)).status).toBe(200);
    // Behind the app's back (a final review's consensus cannot change through it): the pages keep what was finalised,
    // the section pages included, which were made with the whole result.
    s.db
      .prepare('UPDATE consensus_ratings SET rationale = ? WHERE review_id = ? AND rationale = ?')
      .run('Ändrad i databasen', s.reviewId, FIRST_RATIONALE);
    const again = await agent.get(firstSectionPath(s));
    expect(again.status).toBe(200);
    expect(again.text).toContain(FIRST_RATIONALE);
    // Another language is computed on its own, from what is stored now.
    expect((await agent.get(`${firstSectionPath(s)}?lang=en`)).text).toContain('Ändrad i databasen');
  });

  it('when it is reopened, its consensus changed and finalised again, then the page shows the new figures in both languages', async () => {
    const s = await finalScenario();
    const reader = await s.login(s.outsider);
    const before = await reader.get(`/reviews/${s.reviewId}/result`);
    expect(before.text).toContain('3,17 (skala 1–4)');
    expect((await reader.get(`/reviews/${s.reviewId}/result?lang=en`)).text).toContain('3.17 (scale 1–4)');

    const admin = await s.login(await createTestUser(s.db, ['admin']));
    const reopened = await postForm(admin, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/reopen`, {
      reason: 'Konsensus för A1 fördes in fel',
    });
    expect(reopened.status).toBe(303);
    decide(s, 2, 'Omprövad: hälften har andrahandskontrakt.');
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);

    // A1 is now (2 + 5 × 3) / 6 = 2.83.
    const after = await reader.get(`/reviews/${s.reviewId}/result`);
    expect(after.status).toBe(200);
    expect(after.text).toContain('2,83 (skala 1–4)');
    expect(after.text).not.toContain('3,17 (skala 1–4)');
    expect((await reader.get(firstSectionPath(s))).text).toContain('Omprövad: hälften har andrahandskontrakt.');
    const afterEn = await reader.get(`/reviews/${s.reviewId}/result?lang=en`);
    expect(afterEn.text).toContain('2.83 (scale 1–4)');
    expect(afterEn.text).not.toContain('3.17 (scale 1–4)');
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('final');
  });
});

describe('GET /reviews/:id/result, the kept HTML and the reader', () => {
  it('when readers with different rights ask in turn, then each gets the same figures and only their own links', async () => {
    const s = await finalScenario();
    const matrixLink = `/research/reviews/${s.reviewId}/matrix.csv`;
    const overviewLink = `href="/reviews/${s.reviewId}"`;
    const outsider = await s.login(s.outsider);
    const coordinator = await s.login(s.coordinator);
    const lead = await s.login(s.lead);
    // In turn, twice over, so that each reader also comes after the others' pages were kept.
    for (let round = 0; round < 2; round++) {
      const pages = {
        outsider: (await outsider.get(`/reviews/${s.reviewId}/result`)).text,
        coordinator: (await coordinator.get(`/reviews/${s.reviewId}/result`)).text,
        lead: (await lead.get(`/reviews/${s.reviewId}/result`)).text,
      };
      for (const reader of [outsider, coordinator, lead]) expect((await reader.get(firstSectionPath(s))).text).toContain(FIRST_RATIONALE);
      for (const page of Object.values(pages)) {
        expect(page).toContain('3,17 (skala 1–4)');
        // The agreement figures, kept with the rest.
        expect(page).toContain('Krippendorffs alfa');
      }
      // The coordinator may export the matrix and open the working overview; the outsider neither; the lead only the overview.
      expect(pages.coordinator).toContain(matrixLink);
      expect(pages.coordinator).toContain(overviewLink);
      expect(pages.outsider).not.toContain(matrixLink);
      expect(pages.outsider).not.toContain(overviewLink);
      expect(pages.lead).not.toContain(matrixLink);
      expect(pages.lead).toContain(overviewLink);
      // Each page carries its reader's own CSRF token (the logout form), never another's.
      const tokens = Object.values(pages).map((page) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1]);
      expect(new Set(tokens).size).toBe(3);
    }
  });
});

describe('GET /reviews/:id/result with the figures already kept', () => {
  /** A finished self-assessment of the program lead alone (mini-five), made through the store. */
  function finishedSelfAssessment(s: ProgramScenario): number {
    const loaded = s.rubrics.get('mini-five');
    if (!loaded) throw new Error('rubric missing');
    const id = s.reviews.insertReview({
      programId: s.programId,
      rubric: loaded,
      kind: 'self_assessment',
      visitStart: '2026-02-01',
      visitEnd: '2026-02-01',
      createdBy: s.programLead.id,
    });
    s.reviews.setPanelMember(id, s.programLead.id, 'lead');
    if (!s.reviews.transition(id, 'draft', 'rating')) throw new Error('could not start rating');
    const indicators = listIndicators(loaded.rubric).map(({ indicator }) => indicator);
    s.reviews.saveRatings(
      id,
      s.programLead.id,
      indicators.map((indicator) => ({
        indicatorId: indicator.id,
        score: indicator.scale.max,
        notApplicable: false,
        evidence: [],
        note: '',
      })),
    );
    s.reviews.submitRatings(
      id,
      s.programLead.id,
      indicators.map((indicator) => indicator.id),
    );
    if (!s.reviews.transition(id, 'rating', 'consensus')) throw new Error('could not start consensus');
    for (const indicator of indicators) {
      s.reviews.saveConsensus(
        id,
        { indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false, rationale: '' },
        s.programLead.id,
      );
    }
    if (!s.reviews.transition(id, 'consensus', 'final')) throw new Error('could not finalise');
    return id;
  }

  it('when someone without access asks after someone with access, then it is still 404 and shows nothing of it', async () => {
    const s = await createProgramScenario();
    const id = finishedSelfAssessment(s);
    const staff = await s.login(s.staff);
    expect((await staff.get(`/reviews/${id}/result`)).status).toBe(200);
    for (const person of [s.outsider, s.coordinator]) {
      const agent = await s.login(person);
      const response = await agent.get(`/reviews/${id}/result`);
      expect(response.status, person.displayName).toBe(404);
      expect(response.text).not.toContain('Självskattning');
      // A section's page of the same kept figures: the same check, the same 404.
      const section = s.rubrics.get('mini-five')?.rubric.sections[0]?.id;
      expect((await agent.get(`/reviews/${id}/result/${section}`)).status, person.displayName).toBe(404);
    }
    expect((await staff.get(`/reviews/${id}/result`)).status).toBe(200);
  });
});
