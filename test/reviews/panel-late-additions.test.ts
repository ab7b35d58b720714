// Nobody puts themself on a panel once rating has started (they could rate junk, submit, and read the others'
// scores), and any rater added after that needs a written reason that the lead sees and the audit log keeps.
import { describe, expect, it } from 'vitest';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { type Agent, extractCsrfToken, postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

const auditCount = (s: ReviewScenario) => (s.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

const postPanel = (s: ReviewScenario, agent: Agent, fields: Record<string, string>) =>
  postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, fields);

const selected = (html: string, name: string, value: string) =>
  new RegExp(`<select id="f-${name}"[\\s\\S]*?<option value="${value}" selected`).test(html);

describe('POST /reviews/:id/panel: adding oneself', () => {
  for (const role of ['reviewer', 'lead', 'observer']) {
    it(`when rating has started and a coordinator adds themself as ${role}, then it is refused with 422, the form kept and nothing written`, async () => {
      const s = await createReviewScenario();
      startRating(s);
      const before = auditCount(s);
      const agent = await s.login(s.coordinator);
      const typed = 'Jag har läst alla handlingar.';
      const response = await postPanel(s, agent, { user_id: String(s.coordinator.id), role, late_reason: typed });
      expect(response.status).toBe(422);
      expect(response.text).toContain(
        'Du kan inte lägga till dig själv i panelen eller ändra din egen roll efter att bedömningen har startat.',
      );
      expect(response.text).toContain('href="#f-user_id"');
      expect(selected(response.text, 'user_id', String(s.coordinator.id))).toBe(true);
      expect(selected(response.text, 'role', role)).toBe(true);
      expect(response.text).toContain(typed);
      expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).not.toContain(s.coordinator.id);
      expect(auditCount(s)).toBe(before);
    });
  }

  it('when the review is in consensus and a coordinator adds themself, then it is refused with 422 and a message, nothing written', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    const agent = await s.login(s.coordinator);
    const csrf = extractCsrfToken((await agent.get(`/reviews/${s.reviewId}`)).text);
    const before = auditCount(s);
    const response = await agent
      .post(`/reviews/${s.reviewId}/panel`)
      .type('form')
      .send({ _csrf: csrf, user_id: String(s.coordinator.id), role: 'reviewer' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Du kan inte lägga till dig själv i panelen');
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).not.toContain(s.coordinator.id);
    expect(auditCount(s)).toBe(before);
  });

  it('when a coordinator already on the panel as observer makes themself a reviewer during rating, then it is refused', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.coordinator.id, 'observer');
    startRating(s);
    const response = await postPanel(s, await s.login(s.coordinator), {
      user_id: String(s.coordinator.id),
      role: 'reviewer',
      late_reason: 'Behövs en till.',
    });
    expect(response.status).toBe(422);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.coordinator.id)?.role).toBe('observer');
  });

  it('when the review is a draft, then a coordinator may still put themself on the panel', async () => {
    const s = await createReviewScenario();
    const response = await postPanel(s, await s.login(s.coordinator), { user_id: String(s.coordinator.id), role: 'reviewer' });
    expect(response.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).toEqual([s.coordinator.id]);
  });
});

describe('POST /reviews/:id/panel: a rater added after rating has started', () => {
  it('when the review is a draft, then the form has no reason field; during rating it has one', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    expect((await agent.get(`/reviews/${s.reviewId}`)).text).not.toContain('name="late_reason"');
    startRating(s);
    const rating = await agent.get(`/reviews/${s.reviewId}`);
    expect(rating.text).toContain('name="late_reason"');
    expect(rating.text).toContain('Motivering för att lägga till en bedömare under pågående bedömning');
    // Needed for a rater only: the label says so, and the field is not marked required for an observer's sake.
    expect(rating.text).toContain('(krävs när personen blir bedömare, inte för en observatör)');
    expect(rating.text).not.toMatch(/<textarea id="f-late_reason"[^>]*\srequired/);
  });

  it('when no reason is given, then it is refused with 422, the values kept and nothing written', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const before = auditCount(s);
    const response = await postPanel(s, await s.login(s.coordinator), {
      user_id: String(s.outsider.id),
      role: 'reviewer',
      late_reason: '  ',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Skriv varför personen läggs till som bedömare efter att bedömningen har startat.');
    expect(response.text).toContain('href="#f-late_reason"');
    expect(response.text).toMatch(/<textarea id="f-late_reason"[^>]*aria-invalid="true"/);
    expect(selected(response.text, 'user_id', String(s.outsider.id))).toBe(true);
    expect(selected(response.text, 'role', 'reviewer')).toBe(true);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).not.toContain(s.outsider.id);
    expect(auditCount(s)).toBe(before);
  });

  it('when the reason holds a personnummer, then it is refused like any free text and the text is kept', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const typed = 'Ersätter granskare 811218-9876 som blev sjuk.';
    const response = await postPanel(s, await s.login(s.coordinator), {
      user_id: String(s.outsider.id),
      role: 'reviewer',
      late_reason: typed,
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('ser ut som ett personnummer');
    expect(response.text).toContain(typed);
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).not.toContain(s.outsider.id);
  });

  it('when a reason is given, then the rater is added, the lead sees the reason beside them, and the audit log keeps it', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const reason = 'Bertil blev sjuk under platsbesöket; Olle var med båda dagarna.';
    const coordinator = await s.login(s.coordinator);
    const response = await postPanel(s, coordinator, { user_id: String(s.outsider.id), role: 'reviewer', late_reason: reason });
    expect(response.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.outsider.id)?.role).toBe('reviewer');
    expect(s.reviews.listLateAdditions(s.reviewId).get(s.outsider.id)?.reason).toBe(reason);

    const asLead = await (await s.login(s.lead)).get(`/reviews/${s.reviewId}`);
    const row = asLead.text.split('<tr role="row">').find((r) => r.includes('<th role="rowheader" scope="row">Olle Outsider')) ?? '';
    expect(row).toContain(`efter att bedömningen startat: ${reason}`);
    const otherRow = asLead.text.split('<tr role="row">').find((r) => r.includes('<th role="rowheader" scope="row">Anna Andersson')) ?? '';
    expect(otherRow).not.toContain('efter att bedömningen startat');

    const logged = s.db
      .prepare(
        "SELECT actor_id, new_value FROM audit_log WHERE entity = 'panel_member' AND entity_key = ? AND review_id = ? AND action = 'insert'",
      )
      .get(String(s.outsider.id), s.reviewId) as { actor_id: number; new_value: string };
    expect(logged.actor_id).toBe(s.coordinator.id);
    expect(JSON.parse(logged.new_value)).toEqual({ role: 'reviewer', late_reason: reason });
    const auditPage = await coordinator.get(`/reviews/${s.reviewId}/audit`);
    expect(auditPage.status).toBe(200);
    expect(auditPage.text).toContain('Olle var med båda dagarna.');
  });

  it('when an observer becomes a reviewer during rating, then that too needs a reason, which is kept', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.outsider.id, 'observer');
    startRating(s);
    const coordinator = await s.login(s.coordinator);
    const refused = await postPanel(s, coordinator, { user_id: String(s.outsider.id), role: 'reviewer' });
    expect(refused.status).toBe(422);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.outsider.id)?.role).toBe('observer');
    const reason = 'Olle har följt hela platsbesöket och kan bedöma.';
    expect((await postPanel(s, coordinator, { user_id: String(s.outsider.id), role: 'reviewer', late_reason: reason })).status).toBe(303);
    expect(s.reviews.listLateAdditions(s.reviewId).get(s.outsider.id)?.reason).toBe(reason);
    const logged = s.db
      .prepare("SELECT new_value FROM audit_log WHERE entity = 'panel_member' AND entity_key = ? AND action = 'update' ORDER BY id DESC")
      .get(String(s.outsider.id)) as { new_value: string };
    expect(JSON.parse(logged.new_value)).toMatchObject({ role: 'reviewer', late_reason: reason });
  });

  it('when an observer or a rater’s new role is saved during rating, then no reason is needed', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const coordinator = await s.login(s.coordinator);
    expect((await postPanel(s, coordinator, { user_id: String(s.outsider.id), role: 'observer' })).status).toBe(303);
    expect((await postPanel(s, coordinator, { user_id: String(s.reviewerA.id), role: 'lead' })).status).toBe(303);
    expect(s.reviews.listLateAdditions(s.reviewId).size).toBe(0);
  });

  it('when rating starts while the form is open, then a rater posted without a reason is refused with 422 and the field shown', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    const agent = await s.login(s.coordinator);
    const csrf = extractCsrfToken((await agent.get(`/reviews/${s.reviewId}`)).text);
    expect(s.reviews.transition(s.reviewId, 'draft', 'rating')).toBe(true);
    const response = await agent
      .post(`/reviews/${s.reviewId}/panel`)
      .type('form')
      .send({ _csrf: csrf, user_id: String(s.reviewerB.id), role: 'reviewer' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('name="late_reason"');
    expect(s.reviews.listPanel(s.reviewId).map((m) => m.userId)).not.toContain(s.reviewerB.id);
  });

  it('the store refuses too: a rater added during rating without a reason, or by themself, is not written', async () => {
    const s = await createReviewScenario();
    startRating(s);
    expect(s.reviews.setPanelMember(s.reviewId, s.outsider.id, 'reviewer', s.coordinator.id)).toBe('reason-required');
    expect(s.reviews.setPanelMember(s.reviewId, s.coordinator.id, 'reviewer', s.coordinator.id, 'Jag själv')).toBe('self-addition');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(3);
  });
});

describe('GET /reviews/:id: who reads the reason for a late addition', () => {
  const reason = 'Bertil blev sjuk under platsbesöket; Olle var med båda dagarna.';

  it('when a rater was added late, then the coordinator and the lead see the reason and its Swedish day, another reviewer does not', async () => {
    const s = await createReviewScenario();
    startRating(s);
    expect(s.reviews.setPanelMember(s.reviewId, s.outsider.id, 'reviewer', s.coordinator.id, reason)).toBe('saved');
    // 23:30 UTC on 28 February is 1 March in Sweden.
    s.db
      .prepare('UPDATE panel_members SET late_added_at = ? WHERE review_id = ? AND user_id = ?')
      .run('2026-02-28T23:30:00.000Z', s.reviewId, s.outsider.id);
    for (const person of [s.coordinator, s.lead]) {
      const page = await (await s.login(person)).get(`/reviews/${s.reviewId}`);
      expect(page.text).toContain(`Tillagd som bedömare 1 mars 2026, efter att bedömningen startat: ${reason}`);
    }
    const asReviewer = await (await s.login(s.reviewerA)).get(`/reviews/${s.reviewId}`);
    expect(asReviewer.status).toBe(200);
    expect(asReviewer.text).toContain('Olle Outsider');
    expect(asReviewer.text).not.toContain('Bertil blev sjuk');
    expect(asReviewer.text).not.toContain('efter att bedömningen startat');
  });

  it('when a self-assessment has a late rater, then a program member who is not its lead does not see the reason', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    const started = await postForm(lead, page, page, { rubric_id: 'mini-five', date: '2026-02-01' });
    const id = Number(/^\/reviews\/(\d+)$/.exec(started.headers.location ?? '')?.[1]);
    expect(s.reviews.findReviewById(id)?.status).toBe('rating');
    expect(s.reviews.setPanelMember(id, s.outsider.id, 'reviewer', s.programLead.id, reason)).toBe('saved');
    expect((await lead.get(`/reviews/${id}`)).text).toContain(reason);
    const asStaff = await (await s.login(s.staff)).get(`/reviews/${id}`);
    expect(asStaff.status).toBe(200);
    expect(asStaff.text).not.toContain('Bertil blev sjuk');
  });
});
