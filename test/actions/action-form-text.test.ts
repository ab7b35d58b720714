// What a program lead types on an action's page comes back as typed: a note's line breaks show on the action and the
// plan page, the note's length limit is said before a refusal and the refusal says how much was typed, and a name
// typed for an owner outside the tool replaces the person the list shows instead of being refused.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/test-app.js';
import { createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';

/** A final mini-five review with one recommendation and its action, made through the store. */
async function oneAction(): Promise<ProgramScenario & { id: number }> {
  const s = await createProgramScenario({ rubricId: 'mini-five' });
  finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
  expect(s.services.actionPlans.createPlan(s.reviewId, s.programLead.id)).toMatchObject({ outcome: 'created' });
  const id = s.actions.listActionsOfReview(s.reviewId)[0]?.id ?? 0;
  return { ...s, id };
}

describe('an action’s progress notes', () => {
  it('when a note has line breaks, then the action and the plan page show them as typed', async () => {
    const s = await oneAction();
    const agent = await s.login(s.programLead);
    const saved = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, {
      status: 'in_progress',
      version: '1',
      // As a browser sends a textarea: CRLF line ends.
      note: 'Rad ett.\r\nRad två.\r\n\r\nStycke två.',
    });
    expect(saved.status).toBe(303);
    const page = await agent.get(`/actions/${s.id}`);
    expect(page.text).toContain('<span class="prewrap">Rad ett.\nRad två.\n\nStycke två.</span>');
    const plan = await agent.get(`/programs/${s.programId}/actions`);
    expect(plan.text).toContain('<span class="prewrap">Rad ett.\nRad två.\n\nStycke två.</span>');
    // The class keeps the line breaks on screen: the stylesheet has the rule.
    const css = await request(s.app).get('/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('.prewrap { white-space: pre-line; }');
  });

  it('says the note’s limit in its hint, and a note over it is refused with how long it was, in both languages', async () => {
    const s = await oneAction();
    const agent = await s.login(s.programLead);
    const page = await agent.get(`/actions/${s.id}`);
    expect(page.text).toContain('Inga uppgifter om enskilda deltagare. Högst 2\u00a0000 tecken.</p>');
    expect((await agent.get(`/actions/${s.id}?lang=en`)).text).toContain('At most 2,000 characters.</p>');
    // 50 lines of 99 characters: a line break counts as one character (CRLF as sent), the last one trimmed: 4 999.
    const note = `${'x'.repeat(99)}\r\n`.repeat(50);
    const refused = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, { status: 'in_progress', version: '1', note });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Anteckningen får vara högst 2\u00a0000 tecken – du har skrivit 4\u00a0999 tecken.');
    const english = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}?lang=en`, { status: 'in_progress', version: '1', note });
    expect(english.text).toContain('The note must be 2,000 characters or fewer – you have typed 4,999.');
    // Nothing typed is lost, and nothing is stored.
    expect(english.text).toContain(`${'x'.repeat(99)}\r\n${'x'.repeat(99)}`);
    expect(s.actions.listNotes(s.id)).toEqual([]);
  });
});

describe('an action’s owner', () => {
  it('when the list shows the stored person and the lead types a name, then the name replaces the person', async () => {
    const s = await oneAction();
    const agent = await s.login(s.programLead);
    const chosen = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, {
      owner_user_id: String(s.staff.id),
      owner_name: '',
      status: 'in_progress',
      version: '1',
    });
    expect(chosen.status).toBe(303);
    // The form now shows the stored person in the list; the lead types a name without clearing the list.
    const page = await agent.get(`/actions/${s.id}`);
    expect(page.text).toContain(`<option value="${s.staff.id}" selected>`);
    const named = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, {
      owner_user_id: String(s.staff.id),
      owner_name: 'Extern konsult',
      status: 'in_progress',
      version: '2',
    });
    expect(named.status).toBe(303);
    expect(s.actions.findAction(s.id)).toMatchObject({ ownerUserId: undefined, ownerName: 'Extern konsult', version: 3 });
    // The hint says so.
    expect((await agent.get(`/actions/${s.id}`)).text).toContain('ett namn du skriver ersätter personen som är vald.');
  });

  it('when the name field shows the stored name and the lead chooses a person, then the person replaces the name', async () => {
    const s = await oneAction();
    const agent = await s.login(s.programLead);
    await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, { owner_name: 'Extern konsult', status: 'in_progress', version: '1' });
    expect(s.actions.findAction(s.id)).toMatchObject({ ownerUserId: undefined, ownerName: 'Extern konsult' });
    expect((await agent.get(`/actions/${s.id}`)).text).toContain('value="Extern konsult"');
    const chosen = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, {
      owner_user_id: String(s.staff.id),
      owner_name: 'Extern konsult',
      status: 'in_progress',
      version: '2',
    });
    expect(chosen.status).toBe(303);
    expect(s.actions.findAction(s.id)).toMatchObject({ ownerUserId: s.staff.id, ownerName: s.staff.displayName });
  });

  it('when the lead chooses another person and types a new name, then it asks which, keeping both', async () => {
    const s = await oneAction();
    const agent = await s.login(s.programLead);
    const both = await postForm(agent, `/actions/${s.id}`, `/actions/${s.id}`, {
      owner_user_id: String(s.staff.id),
      owner_name: 'Extern konsult',
      status: 'in_progress',
      version: '1',
    });
    expect(both.status).toBe(422);
    expect(both.text).toContain(
      'Du har både valt en annan medarbetare och skrivit ett nytt namn. Välj ”Ingen vald” i listan för att spara namnet, eller töm namnet för att spara medarbetaren.',
    );
    expect(both.text).toContain('value="Extern konsult"');
    expect(both.text).toContain(`<option value="${s.staff.id}" selected>`);
    expect(s.actions.findAction(s.id)).toMatchObject({ ownerUserId: undefined, ownerName: '', version: 1 });
  });
});
