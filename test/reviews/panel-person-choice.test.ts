// The panel form's list of people says before any save who cannot be chosen and who needs a reason, from the
// conflict rules the save applies; the save still checks, so a post the list would not offer is refused all the same.
import { describe, expect, it } from 'vitest';
import { createConflictStore } from '../../src/conflicts/conflict-store.js';
import { readForm } from '../helpers/form-fields.js';
import { createReviewScenario, type ReviewScenario, setUpReciprocalWarning, startRating } from '../helpers/review-scenario.js';
import { type Agent, expectErrorSummaryFirst, postForm } from '../helpers/test-app.js';

const postPanel = (s: ReviewScenario, agent: Agent, fields: Record<string, string>) =>
  postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, fields);

/** The panel form's select of people, as HTML. */
const personSelect = (html: string) => /<select id="f-user_id"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '';
const optionOf = (html: string, userId: number) =>
  new RegExp(`<option value="${userId}"[^>]*>([^<]*)</option>`).exec(personSelect(html))?.[1];
const reasonLabel = (html: string) => /<label for="f-warning_reason">([\s\S]*?)<\/label>/.exec(html)?.[1] ?? '';

describe('GET /reviews/:id: the panel form’s list of people', () => {
  it('when someone would be refused, then they are not an option but are listed under the list with the reason', async () => {
    const s = await createReviewScenario();
    // The lead works in Stockholm, the program's municipality.
    setUpReciprocalWarning(s);
    const page = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}`);
    expect(page.status).toBe(200);
    expect(optionOf(page.text, s.lead.id)).toBeUndefined();
    expect(page.text).toMatch(/<div class="hint field-note" id="note-user_id">\s*<p>Kan inte väljas:<\/p>/);
    expect(page.text).toContain('<li>Lena Lead – arbetar i Stockholm, verksamhetens kommun</li>');
    expect(page.text).toContain('Den som inte kan väljas står under listan, med skälet.');
    expect(optionOf(page.text, s.reviewerB.id)).toBe('Bertil Berg (Testkommun)');
  });

  it('when someone needs a reason, then their option says so and the reason field says when it is required', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const page = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}`);
    expect(optionOf(page.text, s.reviewerA.id)).toBe('Anna Andersson (Göteborgs stad) – kräver motivering: ömsesidig granskning');
    expect(optionOf(page.text, s.reviewerB.id)).toBe('Bertil Berg (Testkommun)');
    expect(reasonLabel(page.text)).toContain('Motivering vid ömsesidig granskning');
    expect(reasonLabel(page.text)).toContain('krävs för den som är märkt ”kräver motivering”');
    expect(reasonLabel(page.text)).not.toContain('(valfritt)');
    expect(page.text).toContain('Stockholm har granskat kommunen där personen arbetar inom de senaste 12 månaderna.');
    // Nobody is chosen for the coordinator: the list starts with an empty choice.
    expect(readForm(page.text, 'panel-form').fields.user_id).toBe('');
  });

  it('when the warning was confirmed for this review, then the person needs no reason any more', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    createConflictStore(s.db).confirmWarning(s.reviewId, s.reviewerA.id, 'Enda granskaren med ACT-erfarenhet', s.coordinator.id);
    const page = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}`);
    expect(optionOf(page.text, s.reviewerA.id)).toBe('Anna Andersson (Göteborgs stad)');
    expect(page.text).not.toContain('name="warning_reason"');
  });

  it('when nobody has a conflict, then every person is an option and there is no note and no reason field', async () => {
    const s = await createReviewScenario();
    const page = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}`);
    for (const person of [s.lead, s.reviewerA, s.reviewerB, s.outsider, s.coordinator])
      expect(optionOf(page.text, person.id)).toBeDefined();
    expect(page.text).not.toContain('Kan inte väljas');
    expect(page.text).not.toContain('name="warning_reason"');
  });

  it('when rating has started, then the coordinator is listed as one who cannot be chosen: they cannot add themself', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const page = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}`);
    expect(optionOf(page.text, s.coordinator.id)).toBeUndefined();
    expect(page.text).toContain('<li>Cora Coordinator – du kan inte lägga till dig själv efter att bedömningen har startat</li>');
  });

  it('when the page is in English, then the note, the option and the reason field are in English', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const agent = await s.login(s.coordinator);
    await agent.get(`/language/en?next=/reviews/${s.reviewId}`);
    const page = await agent.get(`/reviews/${s.reviewId}`);
    expect(page.text).toContain('<p>Cannot be chosen:</p>');
    expect(page.text).toContain('<li>Lena Lead – works in Stockholm, the program’s municipality</li>');
    expect(optionOf(page.text, s.reviewerA.id)).toBe('Anna Andersson (Göteborgs stad) – needs a reason: reciprocal review');
    expect(reasonLabel(page.text)).toContain('Reason for a reciprocal review');
    expect(reasonLabel(page.text)).toContain('required for anyone marked “needs a reason”');
    expect(reasonLabel(page.text)).not.toContain('(optional)');
  });
});

describe('POST /reviews/:id/panel: the server checks what the list shows', () => {
  it('when a person who needs a reason is posted without one, then it is refused naming the person, with the values kept', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const response = await postPanel(s, await s.login(s.coordinator), {
      user_id: String(s.reviewerA.id),
      role: 'lead',
      warning_reason: '',
    });
    expect(response.status).toBe(422);
    expectErrorSummaryFirst(response.text, 'f-warning_reason');
    const message =
      'Skriv varför Anna Andersson ändå ska vara med i granskningspanelen trots den ömsesidiga granskningen, till exempel att ingen annan granskare har rätt erfarenhet.';
    expect(response.text).toContain(`<a href="#f-warning_reason">${message}</a>`);
    const kept = readForm(response.text, 'panel-form').fields;
    expect(kept.user_id).toBe(String(s.reviewerA.id));
    expect(kept.role).toBe('lead');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('when the reason is given, then the person is saved with the confirmation', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const agent = await s.login(s.coordinator);
    const { fields } = readForm((await agent.get(`/reviews/${s.reviewId}`)).text, 'panel-form');
    const reason = 'Ingen annan granskare med ACT-erfarenhet finns.';
    const response = await agent
      .post(`/reviews/${s.reviewId}/panel`)
      .type('form')
      .send({ ...fields, user_id: String(s.reviewerA.id), role: 'reviewer', warning_reason: reason });
    expect(response.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).map((m) => [m.userId, m.role])).toEqual([[s.reviewerA.id, 'reviewer']]);
    expect(createConflictStore(s.db).findConfirmation(s.reviewId, s.reviewerA.id)).toBe(reason);
  });

  it('when a person the list leaves out is posted anyway, then it is refused with the reason, the choice and role kept', async () => {
    const s = await createReviewScenario();
    setUpReciprocalWarning(s);
    const response = await postPanel(s, await s.login(s.coordinator), { user_id: String(s.lead.id), role: 'observer' });
    expect(response.status).toBe(422);
    expectErrorSummaryFirst(response.text, 'f-user_id');
    expect(response.text).toContain('Lena Lead arbetar i Stockholm och kan inte granska en verksamhet i sin egen kommun.');
    const kept = readForm(response.text, 'panel-form').fields;
    expect(kept.user_id).toBe(String(s.lead.id));
    expect(kept.role).toBe('observer');
    expect(optionOf(response.text, s.lead.id)).toBe('Lena Lead (Stockholms stad) – kan inte väljas');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('when the form is sent as shown, with no person chosen, then it asks for a person and adds nobody', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const { action, fields } = readForm((await agent.get(`/reviews/${s.reviewId}`)).text, 'panel-form');
    const response = await agent.post(action).type('form').send(fields);
    expect(response.status).toBe(422);
    expectErrorSummaryFirst(response.text, 'f-user_id');
    expect(response.text).toContain('<a href="#f-user_id">Välj person.</a>');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });
});
