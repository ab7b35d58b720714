import { describe, expect, it } from 'vitest';
import { todayInSweden } from '../../src/i18n/calendar.js';
import { extractCsrfToken, expectErrorSummaryFirst, postForm } from '../helpers/test-app.js';
import { readForm } from '../helpers/form-fields.js';
import { createPeerReview, createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';

const RECOMMENDATIONS = {
  'c1-first': ['Skriv ner rutinen för alfa.', 'Följ upp beta varje månad.'],
  'c2-second': ['Utbilda all personal i gamma.'],
};

/** A final mini-five review with recommendations, and its action plan made by the program lead through HTTP. */
async function planScenario(): Promise<ProgramScenario & { actionIds: number[] }> {
  const s = await createProgramScenario({ rubricId: 'mini-five' });
  finalisePeerReview(s, s.reviewId, (min) => min + 1, RECOMMENDATIONS);
  const agent = await s.login(s.programLead);
  const page = `/programs/${s.programId}/actions`;
  const plan = await agent.get(page);
  expect(plan.text).toContain('3 rekommendationer har ingen åtgärd ännu.');
  const created = await postForm(agent, page, page, { review_id: String(s.reviewId) });
  expect(created.status).toBe(303);
  const actionIds = s.actions.listActionsOfReview(s.reviewId).map((action) => action.id);
  return { ...s, actionIds };
}

/** The plan, its first action owned by the program's staff member (version 2): the owner the action form shows. */
async function planWithStaffOwner() {
  const s = await planScenario();
  const id = s.actionIds[0] ?? 0;
  s.actions.updateAction(
    id,
    { ownerUserId: s.staff.id, ownerName: '', dueOn: undefined, status: 'not_started', expectedVersion: 1 },
    s.programLead.id,
  );
  return { s, id };
}

describe('the action plan', () => {
  it('when the lead makes the plan, then each recommendation becomes a not-started action, once', async () => {
    const s = await planScenario();
    const actions = s.actions.listActionsOfReview(s.reviewId);
    expect(actions.map((a) => [a.sectionId, a.position, a.recommendation, a.status])).toEqual([
      ['c1-first', 1, 'Skriv ner rutinen för alfa.', 'not_started'],
      ['c1-first', 2, 'Följ upp beta varje månad.', 'not_started'],
      ['c2-second', 1, 'Utbilda all personal i gamma.', 'not_started'],
    ]);
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/actions`;
    await postForm(agent, page, page, { review_id: String(s.reviewId) });
    expect(s.actions.listActionsOfReview(s.reviewId)).toHaveLength(3);
  });

  it('when the plan has one action, then its count reads in the singular, in both languages', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/actions`;
    expect((await postForm(agent, page, page, { review_id: String(s.reviewId) })).status).toBe(303);
    expect((await agent.get(page)).text).toContain('<p>1 åtgärd i den här omgången, som pågår eller inte har påbörjats.</p>');
    expect((await agent.get(`${page}?lang=en`)).text).toContain('<p>1 action in this round, which is in progress or not started.</p>');
  });

  it('when the lead asks for a plan of a review that is not final, then it is refused with 409 and no action is made', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/actions`;
    const refused = await postForm(agent, page, page, { review_id: String(s.reviewId) });
    expect(refused.status).toBe(409);
    expect(s.actions.listActionsOfReview(s.reviewId)).toEqual([]);
    expect(s.services.actionPlans.createPlan(s.reviewId, s.programLead.id)).toEqual({ outcome: 'not-final' });
  });

  it('when a due date or a note is dated before the review, then 422 names the review’s day and nothing is stored', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const refused = await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_user_id: '',
      owner_name: 'Extern konsult',
      due_on: '2020-01-01',
      status: 'in_progress',
      version: '1',
      noted_on: '1999-01-01',
      note: 'Gammal anteckning',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('kan inte ligga före granskningen (2 mars 2026).');
    expect(refused.text).toContain('value="2020-01-01"');
    expect(s.actions.findAction(id)).toMatchObject({ status: 'not_started', dueOn: undefined });
    expect(s.actions.listNotes(id)).toEqual([]);
  });

  it('when two fields are refused, then the error summary lists them in the order the page shows them', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    // Posted as a browser posts the form: its fields in the order they stand, the note above its date.
    const refused = await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      version: '1',
      status: 'in_progress',
      owner_user_id: '',
      owner_name: '',
      due_on: '',
      note: 'Gäller 19121212-1212',
      noted_on: '1999-01-01',
    });
    expect(refused.status).toBe(422);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.text)?.[0] ?? '';
    const links = [...summary.matchAll(/href="#f-([a-z_]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(['note', 'noted_on']);
  });

  it('when the lead sets an owner, a past due date and a status, then the action is overdue in words and with a badge', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const saved = await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_user_id: String(s.staff.id),
      owner_name: '',
      due_on: '2026-04-30',
      status: 'in_progress',
      version: '1',
    });
    expect(saved.status).toBe(303);
    expect(s.actions.findAction(id)).toMatchObject({
      ownerUserId: s.staff.id,
      ownerName: s.staff.displayName,
      dueOn: '2026-04-30',
      status: 'in_progress',
    });
    const plan = await agent.get(`/programs/${s.programId}/actions`);
    expect(plan.text).toContain('Försenad');
    expect(plan.text).toContain('class="badge badge--rating"');
    // The overdue action is one of the open ones, and the open and the closed add up to the round's actions.
    expect(plan.text).toContain(
      '<p>3 åtgärder i den här omgången: 3 pågår eller har inte påbörjats (varav 1 försenad) och 0 är klara eller avbrutna.</p>',
    );
    expect((await agent.get(`/programs/${s.programId}/actions?lang=en`)).text).toContain(
      '<p>3 actions in this round: 3 are in progress or not started (1 of them overdue) and 0 are done or dropped.</p>',
    );
    // Done is never overdue.
    await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_user_id: '',
      owner_name: 'Extern konsult',
      due_on: '2026-04-30',
      status: 'done',
      version: '2',
    });
    expect(s.actions.findAction(id)).toMatchObject({ ownerUserId: undefined, ownerName: 'Extern konsult', status: 'done' });
    expect((await agent.get(`/programs/${s.programId}/actions`)).text).not.toContain('Försenad');
  });

  it('when a reopened review drops a recommendation, then every action stays with its own recommendation and the orphan is shown as withdrawn', async () => {
    const s = await planScenario();
    const [alfaId, betaId] = s.actionIds;
    if (alfaId === undefined || betaId === undefined) throw new Error('plan');
    s.actions.updateAction(
      alfaId,
      {
        ownerUserId: undefined,
        ownerName: 'Kim',
        dueOn: undefined,
        status: 'in_progress',
        expectedVersion: 1,
        note: { notedOn: '2026-02-01', text: 'Utkast till rutin klart.' },
      },
      s.programLead.id,
    );
    s.actions.updateAction(
      betaId,
      { ownerUserId: undefined, ownerName: 'Robin', dueOn: undefined, status: 'done', expectedVersion: 1 },
      s.programLead.id,
    );

    // The review is reopened; the panel drops alfa (beta moves up to position 1) and adds a new recommendation.
    expect(s.reviews.reopenReview(s.reviewId, s.admin.id, 'Rekommendationerna i C1 ses över.')).toBe(true);
    const rubric = s.reviews.findReviewById(s.reviewId)?.rubric.rubric;
    s.reviews.replaceFindings(
      s.reviewId,
      (rubric?.sections ?? []).map((section) => ({
        sectionId: section.id,
        strengths: [],
        recommendations:
          section.id === 'c1-first'
            ? ['Följ upp beta varje månad.', 'Mät hur länge hyresgästerna bor kvar.']
            : (RECOMMENDATIONS[section.id as keyof typeof RECOMMENDATIONS] ?? []),
      })),
      s.lead.id,
    );
    expect(s.reviews.transition(s.reviewId, 'consensus', 'final')).toBe(true);

    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/actions`;
    const plan = await agent.get(page);
    // Beta keeps its own action (done, Robin), not alfa's; the new recommendation has none yet.
    const betaRow =
      /<tr role="row">\s*<th role="rowheader" scope="row"><a href="\/actions\/(\d+)">Följ upp beta varje månad\.<\/a><\/th>[\s\S]*?<\/tr>/.exec(
        plan.text,
      );
    expect(betaRow?.[1]).toBe(String(betaId));
    expect(betaRow?.[0]).toContain('Robin');
    expect(plan.text).toContain('1 rekommendation har ingen åtgärd ännu.');
    // Alfa's action is kept, with its note, under the withdrawn ones.
    const withdrawn = plan.text.slice(plan.text.indexOf('Åtgärder vars rekommendation har tagits bort'));
    expect(withdrawn).toContain(`href="/actions/${alfaId}">Skriv ner rutinen för alfa.</a>`);
    expect(withdrawn).toContain('Utkast till rutin klart.');
    // The round's count leaves the withdrawn action out, as the start page does: beta (done) and gamma (not started).
    expect(plan.text).toContain('<p>2 åtgärder i den här omgången: 1 pågår eller har inte påbörjats och 1 är klar eller avbruten.</p>');

    // Making the plan now stores what the page shows: beta at its new place, alfa out of the way, a new action.
    expect((await postForm(agent, page, page, { review_id: String(s.reviewId) })).status).toBe(303);
    const stored = s.actions.listActionsOfReview(s.reviewId).filter((action) => action.sectionId === 'c1-first');
    expect(
      stored.map((a) => [a.id === alfaId ? 'alfa' : a.id === betaId ? 'beta' : 'new', a.position, a.recommendation, a.status]),
    ).toEqual([
      ['alfa', -alfaId, 'Skriv ner rutinen för alfa.', 'in_progress'],
      ['beta', 1, 'Följ upp beta varje månad.', 'done'],
      ['new', 2, 'Mät hur länge hyresgästerna bor kvar.', 'not_started'],
    ]);
    expect(s.actions.findAction(alfaId)?.noteCount).toBe(1);
    // Making it again changes nothing.
    await postForm(agent, page, page, { review_id: String(s.reviewId) });
    expect(s.actions.listActionsOfReview(s.reviewId)).toHaveLength(4);
  });

  it('refuses both an owner and a name (422, values kept), and a stale form (409) without saving', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const both = await postForm(agent, `/actions/${id}`, `/actions/${id}?lang=en`, {
      owner_user_id: String(s.staff.id),
      owner_name: 'Någon annan',
      due_on: '2026-06-01',
      status: 'in_progress',
      version: '1',
    });
    expect(both.status).toBe(422);
    expect(both.text).toContain(
      'You chose another person and also typed a new name. Choose “None chosen” in the list to save the name, or empty the name to save the person.',
    );
    expect(both.text).toContain('value="Någon annan"');
    await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_user_id: '',
      owner_name: '',
      due_on: '',
      status: 'in_progress',
      version: '1',
    });
    const stale = await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_user_id: '',
      owner_name: '',
      due_on: '',
      status: 'dropped',
      version: '1',
    });
    expect(stale.status).toBe(409);
    expect(s.actions.findAction(id)?.status).toBe('in_progress');
  });

  it('keeps dated progress notes, refusing personal identity numbers', async () => {
    const s = await planScenario();
    const id = s.actionIds[1] ?? 0;
    const agent = await s.login(s.programLead);
    const save = (fields: Record<string, string>) =>
      postForm(agent, `/actions/${id}`, `/actions/${id}`, { owner_name: '', status: 'in_progress', ...fields });
    expect((await save({ version: '1', noted_on: '2026-03-10', note: 'Utkast till rutin klart.' })).status).toBe(303);
    expect((await save({ version: '2', noted_on: '', note: 'Skickad på remiss.' })).status).toBe(303);
    const refused = await save({ version: '3', noted_on: '', note: 'Gäller 19121212-1212' });
    expect(refused.status).toBe(422);
    const notes = s.actions.listNotes(id);
    expect(notes.map((n) => n.text)).toEqual(['Skickad på remiss.', 'Utkast till rutin klart.']);
    expect(notes[1]?.notedOn).toBe('2026-03-10');
    expect(s.actions.findAction(id)?.latestNote?.text).toBe('Skickad på remiss.');
    const page = await agent.get(`/actions/${id}`);
    expect(page.text).toContain('2026-03-10');
  });

  it('when the lead saves a status with a note, then both are stored: one form, one Save, the note dated today or as given', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const page = await agent.get(`/actions/${id}`);
    // One form on the page, with the note in it; no separate note form whose text another Save would drop.
    expect(page.text.match(/<form method="post"/g)).toHaveLength(2); // the action's form and the site header's logout
    expect(page.text).toContain(`action="/actions/${id}"`);
    expect(page.text).not.toContain(`action="/actions/${id}/notes"`);
    expect(page.text).toMatch(
      /<form method="post" action="\/actions\/\d+"[\s\S]*name="status"[\s\S]*name="note"[\s\S]*name="noted_on"[\s\S]*<\/form>/,
    );
    const saved = await agent
      .post(`/actions/${id}`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        owner_user_id: '',
        owner_name: 'Kim',
        due_on: '',
        status: 'in_progress',
        version: '1',
        noted_on: '',
        note: 'Rutinen är skriven; återstår att förankra den.',
      });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/actions/${id}#notes`);
    expect(s.actions.findAction(id)).toMatchObject({ status: 'in_progress', ownerName: 'Kim', version: 2, noteCount: 1 });
    expect(s.actions.listNotes(id)).toMatchObject([
      { notedOn: todayInSweden(new Date()), text: 'Rutinen är skriven; återstår att förankra den.', authorName: s.programLead.displayName },
    ]);
    const after = await agent.get(`/actions/${id}`);
    expect(after.text).toContain('Åtgärden och anteckningen är sparade.');
    // The form is empty again for the next note.
    expect(after.text).toMatch(/<textarea id="f-note" name="note"[^>]*><\/textarea>/);
    // A dated note, and a save without a note, which stores no empty one.
    await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_name: 'Kim',
      status: 'in_progress',
      version: '2',
      noted_on: '2026-04-15',
      note: 'Utkast skickat.',
    });
    await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      owner_name: 'Kim',
      status: 'done',
      version: '3',
      noted_on: '',
      note: '  ',
    });
    expect(s.actions.findAction(id)).toMatchObject({ status: 'done', version: 4, noteCount: 2 });
    expect(s.actions.listNotes(id).map((n) => [n.notedOn, n.text])).toEqual([
      [todayInSweden(new Date()), 'Rutinen är skriven; återstår att förankra den.'],
      ['2026-04-15', 'Utkast skickat.'],
    ]);
  });

  it('when the action form is refused (422), then neither the change nor the note is stored and the typed note comes back', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const note = 'Möte med hyresvärden <b>bokat</b>.';
    const both = await postForm(agent, `/actions/${id}`, `/actions/${id}?lang=en`, {
      owner_user_id: String(s.staff.id),
      owner_name: 'Någon annan',
      status: 'in_progress',
      version: '1',
      noted_on: '2026-04-15',
      note,
    });
    expect(both.status).toBe(422);
    expect(both.text).toContain(
      'You chose another person and also typed a new name. Choose “None chosen” in the list to save the name, or empty the name to save the person.',
    );
    expectErrorSummaryFirst(both.text, 'f-owner_name');
    expect(both.text).toContain('Möte med hyresvärden &lt;b&gt;bokat&lt;/b&gt;.</textarea>');
    expect(both.text).toMatch(/name="noted_on" type="date" value="2026-04-15"/);
    // A personnummer in the note refuses the whole save, status included; a date without a note or in the future too.
    const pnr = await postForm(agent, `/actions/${id}`, `/actions/${id}`, { status: 'done', version: '1', note: 'Gäller 19121212-1212' });
    expect(pnr.status).toBe(422);
    expect(pnr.text).toContain('19121212-1212</textarea>');
    expect(pnr.text).toMatch(/<option value="done" selected>/);
    const dateOnly = await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      status: 'done',
      version: '1',
      noted_on: '2026-04-15',
      note: '',
    });
    expect(dateOnly.status).toBe(422);
    expect(dateOnly.text).toContain('Skriv anteckningen, eller töm datumet om du inte vill skriva någon anteckning nu.');
    const future = await postForm(agent, `/actions/${id}`, `/actions/${id}`, {
      status: 'done',
      version: '1',
      noted_on: '2999-01-01',
      note: 'Senare.',
    });
    expect(future.status).toBe(422);
    expect(future.text).toContain('Anteckningens datum kan inte ligga i framtiden.');
    expect(s.actions.findAction(id)).toMatchObject({ status: 'not_started', version: 1, noteCount: 0 });
  });

  it('when someone else saved the action meanwhile, then a save with a note is refused with 409: neither stored, the note kept, saving again stores both', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const mine = await s.login(s.programLead);
    const opened = await mine.get(`/actions/${id}`);
    const other = await s.login(s.programLead);
    expect(
      (await postForm(other, `/actions/${id}`, `/actions/${id}`, { owner_name: 'Robin', status: 'in_progress', version: '1' })).status,
    ).toBe(303);
    const typed = {
      owner_user_id: '',
      owner_name: 'Kim',
      due_on: '2026-09-30',
      status: 'done',
      version: '1',
      noted_on: '2026-04-15',
      note: 'Rutinen antagen i ledningsgruppen.',
    };
    const stale = await mine
      .post(`/actions/${id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(opened.text), ...typed });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('så inget sparades, inte heller anteckningen');
    expect(stale.text).toContain('Rutinen antagen i ledningsgruppen.</textarea>');
    expect(stale.text).toMatch(/name="noted_on" type="date" value="2026-04-15"/);
    expect(stale.text).toContain('name="version" value="2"');
    expect(s.actions.findAction(id)).toMatchObject({ status: 'in_progress', ownerName: 'Robin', version: 2, noteCount: 0 });
    // Saving again from the page that now knows version 2 stores the change and the note, knowingly.
    const again = await mine
      .post(`/actions/${id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(stale.text), ...typed, version: '2' });
    expect(again.status).toBe(303);
    expect(s.actions.findAction(id)).toMatchObject({ status: 'done', ownerName: 'Kim', dueOn: '2026-09-30', version: 3, noteCount: 1 });
    expect(s.actions.listNotes(id).map((n) => [n.notedOn, n.text])).toEqual([['2026-04-15', 'Rutinen antagen i ledningsgruppen.']]);
  });

  it('when someone else changed the owner meanwhile, then a name typed beside the person the page showed gets the 409 conflict, everything typed kept, not the owner refusal', async () => {
    const { s, id } = await planWithStaffOwner();
    const mine = await s.login(s.programLead);
    const other = await s.login(s.programLead);
    const myPage = await mine.get(`/actions/${id}`);
    const otherPage = await other.get(`/actions/${id}`);
    // The other tab replaces the person with a name.
    const otherForm = readForm(otherPage.text, 'action-form');
    const otherSave = await other
      .post(otherForm.action)
      .type('form')
      .send({ ...otherForm.fields, owner_user_id: '', owner_name: 'Robin' });
    expect(otherSave.status).toBe(303);
    expect(s.actions.findAction(id)).toMatchObject({ ownerUserId: undefined, ownerName: 'Robin', version: 3 });
    // Mine, opened on the person, types a name beside them (which replaces the person the page showed) and a note.
    const myForm = readForm(myPage.text, 'action-form');
    expect(myForm.fields).toMatchObject({
      owner_user_id: String(s.staff.id),
      owner_name: '',
      owner_user_id_base: String(s.staff.id),
      version: '2',
    });
    const typed = { owner_name: 'Kim', status: 'in_progress', due_on: '2026-09-30', note: 'Kim tar över efter mötet.' };
    const stale = await mine
      .post(myForm.action)
      .type('form')
      .send({ ...myForm.fields, ...typed });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('så inget sparades, inte heller anteckningen');
    expect(stale.text).not.toContain('Du har både valt en annan medarbetare och skrivit ett nytt namn.');
    const kept = readForm(stale.text, 'action-form');
    expect(kept.fields).toMatchObject({
      ...typed,
      owner_user_id: String(s.staff.id),
      owner_user_id_base: String(s.staff.id),
      version: '3',
    });
    expect(s.actions.findAction(id)).toMatchObject({
      ownerUserId: undefined,
      ownerName: 'Robin',
      status: 'not_started',
      version: 3,
      noteCount: 0,
    });
    // Saving again, knowingly, stores what was typed: the name replaces the person the form showed.
    const again = await mine.post(kept.action).type('form').send(kept.fields);
    expect(again.status).toBe(303);
    expect(s.actions.findAction(id)).toMatchObject({
      ownerUserId: undefined,
      ownerName: 'Kim',
      status: 'in_progress',
      dueOn: '2026-09-30',
      version: 4,
      noteCount: 1,
    });
  });

  it('when a person is chosen beside the one the page showed and a new name is typed, then it is still refused with 422 and the typed values come back', async () => {
    const { s, id } = await planWithStaffOwner();
    const agent = await s.login(s.programLead);
    const form = readForm((await agent.get(`/actions/${id}`)).text, 'action-form');
    const both = await agent
      .post(form.action)
      .type('form')
      .send({ ...form.fields, owner_user_id: String(s.programLead.id), owner_name: 'Någon annan', note: 'Byter ansvarig.' });
    expect(both.status).toBe(422);
    expect(both.text).toContain('Du har både valt en annan medarbetare och skrivit ett nytt namn.');
    const kept = readForm(both.text, 'action-form');
    expect(kept.fields).toMatchObject({
      owner_user_id: String(s.programLead.id),
      owner_name: 'Någon annan',
      note: 'Byter ansvarig.',
      owner_user_id_base: String(s.staff.id),
      version: '2',
    });
    expect(s.actions.findAction(id)).toMatchObject({ ownerUserId: s.staff.id, version: 2, noteCount: 0 });
    // A person chosen beside the name the page showed replaces the name.
    s.actions.updateAction(
      id,
      { ownerUserId: undefined, ownerName: 'Robin', dueOn: undefined, status: 'not_started', expectedVersion: 2 },
      s.programLead.id,
    );
    const named = readForm((await agent.get(`/actions/${id}`)).text, 'action-form');
    expect(named.fields).toMatchObject({ owner_user_id: '', owner_name: 'Robin', owner_name_base: 'Robin' });
    const chosen = await agent
      .post(named.action)
      .type('form')
      .send({ ...named.fields, owner_user_id: String(s.staff.id) });
    expect(chosen.status).toBe(303);
    expect(s.actions.findAction(id)).toMatchObject({ ownerUserId: s.staff.id, ownerName: s.staff.displayName, version: 4 });
  });

  it('gives the note an action-specific hint in both languages', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const sv = await agent.get(`/actions/${id}`);
    expect(sv.text).toContain('Vad som har gjorts och vad som återstår.');
    expect(sv.text).not.toContain('Var underlaget finns');
    const en = await agent.get(`/actions/${id}?lang=en`);
    expect(en.text).toContain('What has been done and what remains.');
    expect(en.text).not.toContain('Where the evidence is');
  });

  it('when a note is posted to the old notes address on its own, then it is a 404 and nothing is stored: notes go with the action form', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    const agent = await s.login(s.programLead);
    const posted = await postForm(agent, `/actions/${id}`, `/actions/${id}/notes`, { noted_on: '2026-04-15', text: 'Rutinen är antagen.' });
    expect(posted.status).toBe(404);
    expect(s.actions.listNotes(id)).toEqual([]);
    expect(s.actions.findAction(id)).toMatchObject({ version: 1, noteCount: 0 });
  });

  it('is read by the program’s staff, coordinators and the program’s panels; kept only by its leads; closed to others', async () => {
    const s = await planScenario();
    const id = s.actionIds[0] ?? 0;
    for (const person of [s.staff, s.coordinator, s.reviewerA]) {
      const agent = await s.login(person);
      expect((await agent.get(`/programs/${s.programId}/actions`)).status, person.displayName).toBe(200);
      expect((await agent.get(`/actions/${id}`)).status, person.displayName).toBe(200);
      expect(
        (await postForm(agent, `/actions/${id}`, `/actions/${id}`, { status: 'done', version: '1', note: 'x' })).status,
        person.displayName,
      ).toBe(403);
    }
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(`/programs/${s.programId}/actions`)).status).toBe(403);
    expect((await outsider.get(`/actions/${id}`)).status).toBe(403);
    expect(s.actions.listNotes(id)).toEqual([]);
  });

  it('when the next review starts, then its overview lists last round’s recommendations with their status, by section', async () => {
    const s = await planScenario();
    const [first, second] = s.actionIds;
    s.actions.updateAction(
      first ?? 0,
      { ownerUserId: undefined, ownerName: 'Kim', dueOn: '2020-03-01', status: 'in_progress', expectedVersion: 1 },
      s.programLead.id,
    );
    s.actions.updateAction(
      second ?? 0,
      {
        ownerUserId: undefined,
        ownerName: '',
        dueOn: undefined,
        status: 'done',
        expectedVersion: 1,
        note: { notedOn: '2026-01-20', text: 'Uppföljning sker nu varje månad.' },
      },
      s.programLead.id,
    );
    const nextId = createPeerReview(s, '2027-03-01', 'mini-five');
    const coordinator = await s.login(s.coordinator);
    const overview = await coordinator.get(`/reviews/${nextId}`);
    expect(overview.status).toBe(200);
    const text = overview.text;
    expect(text).toContain('Förra omgångens rekommendationer');
    expect(text).toContain('C1 Första');
    expect(text).toContain('Skriv ner rutinen för alfa.');
    expect(text).toContain('Pågår');
    expect(text).toContain('Försenad');
    expect(text).toContain('Klar');
    expect(text).toContain('Uppföljning sker nu varje månad.');
    expect(text).toContain('Inte påbörjad');
    // The first round itself has no earlier round.
    expect((await coordinator.get(`/reviews/${s.reviewId}`)).text).not.toContain('Förra omgångens rekommendationer');
  });
});
