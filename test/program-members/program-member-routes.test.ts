import { describe, expect, it } from 'vitest';
import { expectErrorSummaryFirst, postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

describe('the people of a program', () => {
  it('when an administrator adds a lead and changes a role, then the program’s people are stored and shown', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.admin);
    const page = `/programs/${s.programId}/members`;
    expect((await agent.get(page)).text).toContain('Petra Programledare');
    // A lead must hold the account role Verksamhetsansvarig: without it, the form says so and nothing is stored.
    const refused = await postForm(agent, page, page, { user_id: String(s.outsider.id), role: 'lead' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('har inte rollen Verksamhetsansvarig');
    expectErrorSummaryFirst(refused.text, 'f-role');
    expect(s.members.findRole(s.programId, s.outsider.id)).toBeUndefined();
    s.services.users.updateUser(
      s.outsider.id,
      {
        displayName: s.outsider.displayName,
        affiliation: '',
        active: true,
        roles: ['program_lead'],
      },
      s.outsider.id,
    );
    expect((await postForm(agent, page, page, { user_id: String(s.outsider.id), role: 'lead' })).status).toBe(303);
    expect(s.members.findRole(s.programId, s.outsider.id)).toBe('lead');
    expect((await postForm(agent, page, page, { user_id: String(s.outsider.id), role: 'staff' })).status).toBe(303);
    expect(s.members.findRole(s.programId, s.outsider.id)).toBe('staff');
    expect((await postForm(agent, page, `${page}/remove`, { user_id: String(s.outsider.id) })).status).toBe(303);
    expect(s.members.findRole(s.programId, s.outsider.id)).toBeUndefined();
    // The program page links the administrator to the page.
    expect((await agent.get(`/programs/${s.programId}`)).text).toContain(page);
  });

  it('refuses an unknown person or role with 422 and keeps the form; everyone but administrators gets 403', async () => {
    const s = await createProgramScenario();
    const page = `/programs/${s.programId}/members`;
    const admin = await s.login(s.admin);
    expect((await postForm(admin, page, page, { user_id: '999999', role: 'lead' })).status).toBe(422);
    const badRole = await postForm(admin, page, `${page}?lang=en`, { user_id: String(s.outsider.id), role: 'owner' });
    expect(badRole.status).toBe(422);
    expect(badRole.text).toContain('Choose the role in the program.');
    for (const person of [s.coordinator, s.programLead, s.staff]) {
      const agent = await s.login(person);
      expect((await agent.get(page)).status, person.displayName).toBe(403);
    }
    expect(s.members.listMembers(s.programId)).toHaveLength(2);
  });

  it('records who changed the program’s people in the audit log', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.admin);
    const page = `/programs/${s.programId}/members`;
    await postForm(agent, page, page, { user_id: String(s.outsider.id), role: 'staff' });
    const row = s.db
      .prepare("SELECT actor_id, entity_key, action FROM audit_log WHERE entity = 'program_member' ORDER BY id DESC LIMIT 1")
      .get() as { actor_id: number; entity_key: string; action: string };
    expect(row).toEqual({ actor_id: s.admin.id, entity_key: `${s.programId}/${s.outsider.id}`, action: 'insert' });
  });
});

describe('the account role Verksamhetsansvarig', () => {
  it('when an administrator takes it from a program’s lead, then the lead’s powers go with it; they still read, as staff', async () => {
    const s = await createProgramScenario({ rubricId: 'bostad-forst' });
    const lead = await s.login(s.programLead);
    const outcomes = `/programs/${s.programId}/outcomes`;
    const editsOutcomes = /<form method="post" action="[^"]*outcomes/;
    const readiness = `/programs/${s.programId}/readiness/bostad-forst`;
    expect((await lead.get(outcomes)).text).toMatch(editsOutcomes);
    expect((await lead.get(readiness)).text).toContain('Öppna ett avsnitt för att uppdatera listan.');
    s.services.users.updateUser(
      s.programLead.id,
      {
        displayName: s.programLead.displayName,
        affiliation: '',
        active: true,
        roles: ['reviewer'],
      },
      s.programLead.id,
    );
    // The same session, the next request: no form to enter figures, and a post is refused.
    const after = await lead.get(outcomes);
    expect(after.status).toBe(200);
    expect(after.text).not.toMatch(editsOutcomes);
    expect((await lead.get(`/programs/${s.programId}/self-assessments`)).status).toBe(200);
    expect((await lead.get(readiness)).text).not.toContain('Öppna ett avsnitt för att uppdatera listan.');
    // The administrator's page of the person says where they still belong, and where to take them off it.
    const admin = await s.login(s.admin);
    const edit = await admin.get(`/admin/users/${s.programLead.id}/edit`);
    expect(edit.text).toContain(`<a href="/programs/${s.programId}/members">`);
    expect(edit.text).toContain('Verksamhetsansvarig <strong>Utan rollen Verksamhetsansvarig är hen personal här.</strong>');
    expect((await admin.get(`/admin/users/${s.outsider.id}/edit`)).text).toContain('Personen hör inte till någon verksamhet.');
  });
});

describe('the start page of a program’s people', () => {
  it('shows the program lead their program’s latest self-assessment, readiness and overdue actions', async () => {
    const s = await createProgramScenario({ rubricId: 'bostad-forst' });
    const agent = await s.login(s.programLead);
    const start = await agent.get('/');
    expect(start.text).toContain('Mina verksamheter');
    expect(start.text).toContain(`/programs/${s.programId}/self-assessments`);
    expect(start.text).toContain('Verksamheten har inga självskattningar ännu.');
    expect(start.text).toContain(`/programs/${s.programId}/readiness/bostad-forst`);
    const other = await s.login(s.outsider);
    expect((await other.get('/')).text).not.toContain('Mina verksamheter');
  });
});
