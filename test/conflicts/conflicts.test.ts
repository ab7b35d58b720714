import { describe, expect, it } from 'vitest';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { assessConflicts, normalizeOrganisation } from '../../src/conflicts/conflict-rules.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createReviewScenario, type ReviewScenario, setUpReciprocalWarning } from '../helpers/review-scenario.js';
import { extractCsrfToken, expectErrorSummaryFirst, postForm } from '../helpers/test-app.js';

const program = {
  name: 'Bostad först Stockholm',
  municipalityId: 1,
  municipalityName: 'Stockholm',
  supportProvider: 'Stadsmissionen (fiktiv)',
};

describe('assessConflicts', () => {
  const none = { declared: [], reciprocalReviews: [], warningDismissed: false, programPerson: false };

  it('refuses a reviewer from the program’s own municipality', () => {
    const result = assessConflicts({
      ...none,
      affiliation: { kind: 'municipality', municipalityId: 1, organisation: 'Stockholms stad' },
      program,
    });
    expect(result.refusals).toEqual([{ code: 'own-municipality', municipality: 'Stockholm' }]);
  });

  it('refuses one of the program’s own people, whatever their affiliation: the program would rate itself', () => {
    const result = assessConflicts({
      ...none,
      programPerson: true,
      affiliation: { kind: 'university', municipalityId: undefined, organisation: 'Lunds universitet' },
      program,
    });
    expect(result.refusals).toEqual([{ code: 'program-person', program: 'Bostad först Stockholm' }]);
  });

  it('refuses a reviewer who works for the program’s provider, whatever the case or a trailing note', () => {
    expect(normalizeOrganisation(' STADSMISSIONEN  (fiktiv) ')).toBe('stadsmissionen');
    const result = assessConflicts({
      ...none,
      affiliation: { kind: 'provider', municipalityId: undefined, organisation: 'stadsmissionen' },
      program,
    });
    expect(result.refusals.map((r) => r.code)).toEqual(['own-provider']);
  });

  it('refuses on a declared conflict with the municipality or the provider', () => {
    const affiliation = { kind: 'university' as const, municipalityId: undefined, organisation: 'Lunds universitet' };
    const byMunicipality = assessConflicts({
      ...none,
      affiliation,
      program,
      declared: [{ id: 1, municipalityId: 1, municipalityName: 'Stockholm', provider: undefined, reason: 'Tidigare anställd' }],
    });
    expect(byMunicipality.refusals).toEqual([{ code: 'declared', party: 'Stockholm', reason: 'Tidigare anställd' }]);
    const byProvider = assessConflicts({
      ...none,
      affiliation,
      program,
      declared: [{ id: 2, municipalityId: undefined, municipalityName: undefined, provider: 'Stadsmissionen', reason: 'Styrelseledamot' }],
    });
    expect(byProvider.refusals.map((r) => r.code)).toEqual(['declared']);
  });

  it('warns about a reciprocal review unless an administrator dismissed it, and accepts others', () => {
    const affiliation = { kind: 'municipality' as const, municipalityId: 2, organisation: 'Göteborgs stad' };
    const reciprocal = [{ reviewId: 9, programName: 'Bostad först Göteborg', date: '2026-02-01' }];
    expect(assessConflicts({ ...none, affiliation, program, reciprocalReviews: reciprocal }).warnings.map((w) => w.code)).toEqual([
      'reciprocal',
    ]);
    expect(assessConflicts({ ...none, affiliation, program, reciprocalReviews: reciprocal, warningDismissed: true }).warnings).toEqual([]);
    expect(assessConflicts({ ...none, affiliation, program })).toEqual({ refusals: [], warnings: [] });
  });
});

async function addMember(s: ReviewScenario, userId: number, extra: Record<string, string> = {}) {
  const agent = await s.login(s.coordinator);
  return postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, { user_id: String(userId), role: 'reviewer', ...extra });
}

describe('POST /reviews/:id/panel and conflicts of interest', () => {
  it('refuses a reviewer from the program’s municipality with a message saying why', async () => {
    const s = await createReviewScenario();
    const stockholm = createMunicipalityStore(s.db).findMunicipalityByCode('0180');
    s.services.users.updateAffiliation(
      s.reviewerA.id,
      { kind: 'municipality', municipalityId: stockholm?.id, organisation: 'Stockholms stad' },
      undefined,
    );
    const response = await addMember(s, s.reviewerA.id);
    expect(response.status).toBe(422);
    expect(response.text).toContain('kan inte granska en verksamhet i sin egen kommun');
    expectErrorSummaryFirst(response.text, 'f-user_id');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('refuses a reviewer who works for the program’s provider', async () => {
    const s = await createReviewScenario();
    s.services.users.updateAffiliation(
      s.reviewerA.id,
      { kind: 'provider', municipalityId: undefined, organisation: 'Stadsmissionen' },
      undefined,
    );
    const response = await addMember(s, s.reviewerA.id);
    expect(response.status).toBe(422);
    expect(response.text).toContain('arbetar för utföraren Stadsmissionen');
  });

  it('asks the coordinator for a reason after a reciprocal review, and adds the member once given', async () => {
    const s = await createReviewScenario();
    const municipalities = createMunicipalityStore(s.db);
    const conflicts = createConflictStore(s.db);
    const stockholm = municipalities.findMunicipalityByCode('0180');
    // Stockholm staff (the lead) reviewed Göteborg two months ago; now a Göteborg reviewer is to review Stockholm.
    setUpReciprocalWarning(s);
    const goteborgId = municipalities.findMunicipalityByCode('1480')?.id ?? 0;

    const warned = await addMember(s, s.reviewerA.id);
    expect(warned.status).toBe(422);
    expect(warned.text).toContain('Ömsesidiga granskningar');
    expect(warned.text).toContain('Skriv varför Anna Andersson ändå ska vara med i granskningspanelen');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);

    const confirmed = await addMember(s, s.reviewerA.id, { warning_reason: 'Ingen annan granskare med ACT-erfarenhet finns.' });
    expect(confirmed.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).toEqual([s.reviewerA.id]);
    expect(conflicts.findConfirmation(s.reviewId, s.reviewerA.id)).toBe('Ingen annan granskare med ACT-erfarenhet finns.');
    // A second confirmation for the same person (two coordinators at once) leaves the first, which the log holds.
    conflicts.confirmWarning(s.reviewId, s.reviewerA.id, 'En annan motivering', s.lead.id);
    expect(conflicts.findConfirmation(s.reviewId, s.reviewerA.id)).toBe('Ingen annan granskare med ACT-erfarenhet finns.');
    const logged = s.db
      .prepare("SELECT action, new_value FROM audit_log WHERE entity = 'panel_warning_confirmation' AND review_id = ?")
      .all(s.reviewId) as { action: string; new_value: string }[];
    expect(logged.map((row) => [row.action, JSON.parse(row.new_value).reason])).toEqual([
      ['insert', 'Ingen annan granskare med ACT-erfarenhet finns.'],
    ]);

    // An administrator's dismissal removes the warning for that person and municipality.
    conflicts.insertDismissal(
      { userId: s.reviewerB.id, municipalityId: stockholm?.id ?? 0, reason: 'Arbetar inte med Bostad först' },
      s.coordinator.id,
    );
    s.services.users.updateAffiliation(
      s.reviewerB.id,
      { kind: 'municipality', municipalityId: goteborgId, organisation: 'Göteborgs stad' },
      undefined,
    );
    expect((await addMember(s, s.reviewerB.id)).status).toBe(303);
  });

  it('refuses one of the program’s people on its peer review, and stops one made so after joining; a self-assessment is theirs', async () => {
    const s = await createReviewScenario();
    s.services.members.setMember(s.programId, s.reviewerA.id, 'lead', s.coordinator.id);
    const refused = await addMember(s, s.reviewerA.id);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('hör till');
    expect(refused.text).toContain('(verksamhetens egna medarbetare) och kan inte granska den.');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);

    // Made staff of the program after joining the panel: stopped at the next rating request.
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    s.reviews.setPanelMember(s.reviewId, s.reviewerB.id, 'reviewer');
    s.reviews.transition(s.reviewId, 'draft', 'rating');
    const agent = await s.login(s.reviewerB);
    expect((await agent.get(`/reviews/${s.reviewId}/rate`)).status).toBe(200);
    s.services.members.setMember(s.programId, s.reviewerB.id, 'staff', s.coordinator.id);
    const blocked = await agent.get(`/reviews/${s.reviewId}/rate`);
    expect(blocked.status).toBe(403);
    expect(blocked.text).toContain('Du hör till');
  });

  it('checks again on every rating request: a conflict declared after the panel was set stops the rater', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    s.reviews.transition(s.reviewId, 'draft', 'rating');
    const agent = await s.login(s.reviewerA);
    expect((await agent.get(`/reviews/${s.reviewId}/rate`)).status).toBe(200);
    const stockholm = createMunicipalityStore(s.db).findMunicipalityByCode('0180');
    createConflictStore(s.db).insertDeclaredConflict(
      { userId: s.reviewerA.id, municipalityId: stockholm?.id, provider: undefined, reason: 'Anhörig i programmet' },
      s.coordinator.id,
    );
    const blocked = await agent.get(`/reviews/${s.reviewId}/rate`);
    expect(blocked.status).toBe(403);
    expect(blocked.text).toContain('jäv');
    const section = s.rubric.sections[0];
    const post = await agent
      .post(`/reviews/${s.reviewId}/rate/${section?.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken((await agent.get('/')).text) });
    expect(post.status).toBe(403);
  });
});

describe('/admin/conflicts', () => {
  it('lets an administrator declare a conflict and record an affiliation, and nobody else', async () => {
    const s = await createReviewScenario();
    const { createTestUser } = await import('../helpers/test-app.js');
    const admin = await createTestUser(s.db, ['admin']);
    const agent = await s.login(admin);
    const stockholm = createMunicipalityStore(s.db).findMunicipalityByCode('0180');
    const declared = await postForm(agent, '/admin/conflicts', '/admin/conflicts', {
      user_id: String(s.reviewerA.id),
      municipality_id: String(stockholm?.id),
      provider: '',
      reason: 'Tidigare anställd i socialtjänsten',
    });
    expect(declared.status).toBe(303);
    expect(createConflictStore(s.db).listDeclaredConflictsOfUser(s.reviewerA.id)[0]?.reason).toBe('Tidigare anställd i socialtjänsten');
    const both = await postForm(agent, '/admin/conflicts', '/admin/conflicts', {
      user_id: String(s.reviewerA.id),
      municipality_id: String(stockholm?.id),
      provider: 'Stadsmissionen',
      reason: 'x',
    });
    expect(both.status).toBe(422);
    expect(both.text).toContain('Välj en kommun eller skriv en utförare, inte båda.');
    const affiliation = await postForm(agent, `/admin/users/${s.reviewerB.id}/affiliation`, `/admin/users/${s.reviewerB.id}/affiliation`, {
      affiliation_kind: 'municipality',
      affiliation_municipality_id: '',
      affiliation: '',
    });
    expect(affiliation.status).toBe(422);
    expect(affiliation.text).toContain('Välj kommunen för kommunanställda.');
    const saved = await postForm(agent, `/admin/users/${s.reviewerB.id}/affiliation`, `/admin/users/${s.reviewerB.id}/affiliation`, {
      affiliation_kind: 'municipality',
      affiliation_municipality_id: String(stockholm?.id),
      affiliation: '',
    });
    expect(saved.status).toBe(303);
    expect(s.services.users.findAffiliation(s.reviewerB.id)).toEqual({
      kind: 'municipality',
      municipalityId: stockholm?.id,
      organisation: 'Stockholm',
    });
    const coordinator = await s.login(s.coordinator);
    expect((await coordinator.get('/admin/conflicts')).status).toBe(403);
  });
});
