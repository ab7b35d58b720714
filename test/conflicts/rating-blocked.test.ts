// A rater who becomes conflicted while rating (a new affiliation, a declared conflict, a reciprocal review that has
// now taken place) is told why on their own pages, and the coordinator's overview flags them with the reason.
import { describe, expect, it } from 'vitest';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewScenario, fullRatings, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createTestUser, extractCsrfToken, postForm } from '../helpers/test-app.js';

/** Rating under way; then an administrator records that reviewer A works for Stockholm, the program's municipality. */
async function raterTurnedLocal(): Promise<ReviewScenario> {
  const s = await createReviewScenario();
  startRating(s);
  const stockholm = createMunicipalityStore(s.db).findMunicipalityByCode('0180');
  s.services.users.updateAffiliation(
    s.reviewerA.id,
    { kind: 'municipality', municipalityId: stockholm?.id, organisation: 'Stockholms stad' },
    undefined,
  );
  return s;
}

const OWN_MUNICIPALITY_SV = 'Du arbetar i Stockholm och kan därför inte granska en verksamhet i din egen kommun.';

describe('the rating pages of a rater stopped by a conflict of interest', () => {
  it('when the rater opens the summary or a section, then the page says why (403), in Swedish or English', async () => {
    const s = await raterTurnedLocal();
    const agent = await s.login(s.reviewerA);
    const summary = await agent.get(`/reviews/${s.reviewId}/rate`);
    expect(summary.status).toBe(403);
    expect(summary.text).toContain('Du kan inte bedöma just nu');
    expect(summary.text).toContain(OWN_MUNICIPALITY_SV);
    expect(summary.text).toContain('Kontakta samordnaren');
    const section = await agent.get(`/reviews/${s.reviewId}/rate/${s.rubric.sections[0]?.id}?lang=en`);
    expect(section.status).toBe(403);
    expect(section.text).toContain('You work in Stockholm, so you cannot review a program of your own municipality.');
    expect(section.text).not.toContain('name="score__');
  });

  it('when the rater posts a section, then nothing is saved, the reason is given and what was typed comes back', async () => {
    const s = await raterTurnedLocal();
    const agent = await s.login(s.reviewerA);
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('rubric without sections');
    const csrf = extractCsrfToken((await agent.get(`/reviews/${s.reviewId}`)).text);
    const response = await agent
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({ _csrf: csrf, [`score__${indicator.id}`]: '3', [`note__${indicator.id}`]: 'Tydliga rutiner i teamet' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Det du skickade sparades inte');
    expect(response.text).toContain(OWN_MUNICIPALITY_SV);
    expect(response.text).toContain('Tydliga rutiner i teamet');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toEqual([]);
  });

  it('when the rater submits, then nothing is submitted and the page says why', async () => {
    const s = await createReviewScenario();
    startRating(s);
    expect(
      s.reviews.saveRatings(
        s.reviewId,
        s.reviewerA.id,
        fullRatings(s.rubric, (min) => min),
      ).outcome,
    ).toBe('saved');
    const stockholm = createMunicipalityStore(s.db).findMunicipalityByCode('0180');
    createConflictStore(s.db).insertDeclaredConflict(
      { userId: s.reviewerA.id, municipalityId: stockholm?.id, provider: undefined, reason: 'Anhörig i programmet' },
      s.coordinator.id,
    );
    const agent = await s.login(s.reviewerA);
    const csrf = extractCsrfToken((await agent.get(`/reviews/${s.reviewId}`)).text);
    const response = await agent.post(`/reviews/${s.reviewId}/submit`).type('form').send({ _csrf: csrf });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Det finns en registrerad jävssituation mellan dig och Stockholm: Anhörig i programmet');
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.submittedAt).toBeUndefined();
  });

  it('when the rater opens the overview, then it explains the stop instead of offering to rate', async () => {
    const s = await raterTurnedLocal();
    const agent = await s.login(s.reviewerA);
    const overview = await agent.get(`/reviews/${s.reviewId}`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain(OWN_MUNICIPALITY_SV);
    expect(overview.text).not.toContain(`class="button" href="/reviews/${s.reviewId}/rate"`);
    // Other raters are not told about it, and still rate.
    const other = await (await s.login(s.reviewerB)).get(`/reviews/${s.reviewId}`);
    expect(other.text).toContain(`class="button" href="/reviews/${s.reviewId}/rate"`);
    expect(other.text).not.toContain('Stockholm och kan');
  });
});

describe('the coordinator’s overview of a panel with a conflicted rater', () => {
  it('when a rater’s affiliation changes during rating, then that member is flagged with the reason, and only that one', async () => {
    const s = await raterTurnedLocal();
    const overview = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}`);
    expect(overview.status).toBe(200);
    const rows = overview.text.split('<tr role="row">');
    const rowOf = (name: string) => rows.find((row) => row.includes(`<th role="rowheader" scope="row">${name}`)) ?? '';
    expect(rowOf('Anna Andersson')).toContain('Kan inte bedöma på grund av jäv');
    expect(rowOf('Anna Andersson')).toContain('Anna Andersson arbetar i Stockholm och kan inte granska en verksamhet i sin egen kommun.');
    expect(rowOf('Anna Andersson')).toContain('Byt person i panelen');
    expect(rowOf('Bertil Berg')).not.toContain('jäv');
    expect(rowOf('Lena Lead')).not.toContain('jäv');
  });

  it('when the flag is a reciprocal review nobody confirmed, then the coordinator confirms it with the panel form and the rater may rate again', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const municipalities = createMunicipalityStore(s.db);
    const goteborgId = municipalities.insertMunicipality({ code: '1480', name: 'Göteborg' });
    const goteborgProgram = municipalities.insertProgram({
      municipalityId: goteborgId,
      name: 'Bostad först Göteborg',
      supportProvider: 'Räddningsmissionen',
      housingPartners: '',
      supportModel: 'act',
      startDate: undefined,
    });
    const stockholmId = municipalities.findMunicipalityByCode('0180')?.id;
    s.services.users.updateAffiliation(
      s.outsider.id,
      { kind: 'municipality', municipalityId: stockholmId, organisation: 'Stockholms stad' },
      undefined,
    );
    s.services.users.updateAffiliation(
      s.reviewerA.id,
      { kind: 'municipality', municipalityId: goteborgId, organisation: 'Göteborgs stad' },
      undefined,
    );
    // Stockholm staff reviewed Göteborg last month; that review has now taken place.
    const loaded = s.rubrics.get('bostad-forst');
    if (!loaded) throw new Error('rubric missing');
    const earlier = s.reviews.insertReview({
      programId: goteborgProgram,
      rubric: loaded,
      kind: 'peer_review',
      visitStart: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
      visitEnd: undefined,
      createdBy: s.coordinator.id,
    });
    s.reviews.setPanelMember(earlier, s.outsider.id, 'lead');
    s.reviews.transition(earlier, 'draft', 'rating');

    const rater = await s.login(s.reviewerA);
    const blocked = await rater.get(`/reviews/${s.reviewId}/rate`);
    expect(blocked.status).toBe(403);
    expect(blocked.text).toContain('Stockholm har granskat din kommun (Bostad först Göteborg');
    expect(blocked.text).toContain('Samordnaren behöver bekräfta med en motivering');

    const coordinator = await s.login(s.coordinator);
    const overview = await coordinator.get(`/reviews/${s.reviewId}`);
    expect(overview.text).toContain('Stockholm har granskat Anna Anderssons kommun');
    expect(overview.text).toContain('Personen kan inte bedöma förrän du bekräftar med en motivering');

    const confirmed = await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
      user_id: String(s.reviewerA.id),
      role: 'reviewer',
      warning_reason: 'Enda granskaren med ACT-erfarenhet; granskningarna gällde olika verksamheter.',
    });
    expect(confirmed.status).toBe(303);
    expect((await rater.get(`/reviews/${s.reviewId}/rate`)).status).toBe(200);
    expect((await coordinator.get(`/reviews/${s.reviewId}`)).text).not.toContain('Kan inte bedöma på grund av jäv');
  });

  it('when a panel member who is not a coordinator views the overview, then no conflict flags or reasons are shown', async () => {
    const s = await raterTurnedLocal();
    const asLead = await (await s.login(s.lead)).get(`/reviews/${s.reviewId}`);
    expect(asLead.status).toBe(200);
    expect(asLead.text).not.toContain('Kan inte bedöma på grund av jäv');
    const admin = await createTestUser(s.db, ['admin']);
    const asAdmin = await (await s.login(admin)).get(`/reviews/${s.reviewId}?lang=en`);
    expect(asAdmin.text).toContain('Cannot rate because of a conflict of interest');
  });
});
