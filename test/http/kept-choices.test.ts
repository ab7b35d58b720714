// A form posted after its session ended comes back on a page that keeps everything: what was typed, to edit, and
// what was chosen (a radio, a select, an id), in words or carried hidden, never as a raw code in a text box.
import { describe, expect, it } from 'vitest';
import { createProgramScenario, finalisePeerReview } from '../helpers/program-scenario.js';
import { type Agent, extractCsrfToken, TEST_PASSWORD } from '../helpers/test-app.js';

const SITE = 'hf.test';

function post(agent: Agent, url: string, fields: Record<string, string>) {
  return agent.post(url).set('Host', SITE).set('Origin', `http://${SITE}`).type('form').send(fields);
}

/** Logs the agent out, as a logout in another tab does: the page it had open keeps its old token. */
async function logOutElsewhere(agent: Agent): Promise<void> {
  const page = await agent.get('/');
  await agent
    .post('/logout')
    .type('form')
    .send({ _csrf: extractCsrfToken(page.text) });
}

/** The page's text inputs and textareas, by name (kept fields are prefixed "kept." on the login form). */
function editableNames(html: string): string[] {
  return [
    ...[...html.matchAll(/<input(?=[^>]*type="text")[^>]*name="([^"]+)"/g)].map((m) => m[1] ?? ''),
    ...[...html.matchAll(/<textarea[^>]*name="([^"]+)"/g)].map((m) => m[1] ?? ''),
  ];
}

describe('the kept fields of a form posted after the session ended', () => {
  it('when a readiness status was ticked, then it shows as its words ("Klart") and posts again as it was; the note stays editable', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    const agent = await s.login(s.programLead);
    const path = `/programs/${s.programId}/readiness/mini-five/sections/c1-first`;
    const page = await agent.get(path);
    const token = extractCsrfToken(page.text);
    await logOutElsewhere(agent);
    const fields = {
      _csrf: token,
      'status__c1-alpha': 'ready',
      'note__c1-alpha': 'Hyresavtalen finns i pärmen',
      'checked__c1-alpha': '',
      'version__c1-alpha': '0',
      action: 'save',
    };
    const ended = await post(agent, path, fields);
    expect(ended.status).toBe(401);
    expect(ended.text).toMatch(/<strong>C1\.1 Status:<\/strong> Klart/);
    expect(ended.text).toContain('<input type="hidden" name="kept.status__c1-alpha" value="ready">');
    expect(editableNames(ended.text)).not.toContain('kept.status__c1-alpha');
    expect(ended.text).not.toMatch(/type="text" value="ready"/);
    expect(editableNames(ended.text)).toContain('kept.note__c1-alpha');

    // Logging in on the page gives the fields back for one click; the status is posted again and saved.
    const resumed = await post(agent, '/login/resume', {
      _csrf: extractCsrfToken(ended.text),
      _resume: path,
      email: s.programLead.email,
      password: TEST_PASSWORD,
      ...Object.fromEntries(Object.entries(fields).flatMap(([name, value]) => (name === '_csrf' ? [] : [[`kept.${name}`, value]]))),
    });
    expect(resumed.status).toBe(200);
    expect(resumed.text).toMatch(/<strong>C1\.1 Status:<\/strong> Klart/);
    expect(resumed.text).toContain('<input type="hidden" name="status__c1-alpha" value="ready">');
    const saved = await post(agent, path, { ...fields, _csrf: extractCsrfToken(resumed.text) });
    expect(saved.status).toBe(303);
    expect(s.readiness.listChecks(s.programId, 'mini-five').get('c1-alpha')).toMatchObject({
      status: 'ready',
      note: 'Hyresavtalen finns i pärmen',
    });
  });

  it('when an action’s status and owner were chosen, then the status shows in words and the owner’s id is carried hidden, in English too', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
    s.services.actionPlans.createPlan(s.reviewId, s.programLead.id);
    const id = s.actions.listActionsOfReview(s.reviewId)[0]?.id ?? 0;
    const agent = await s.login(s.programLead);
    const page = await agent.get(`/actions/${id}`);
    await logOutElsewhere(agent);
    const ended = await post(agent, `/actions/${id}?lang=en`, {
      _csrf: extractCsrfToken(page.text),
      version: '1',
      status: 'not_started',
      owner_user_id: String(s.staff.id),
      owner_name: 'Extern konsult',
      due_on: '2026-09-30',
      note: 'Ring hyresvärden',
      noted_on: '',
    });
    expect(ended.status).toBe(401);
    expect(ended.text).toMatch(/<strong>Status:<\/strong> Not started/);
    expect(ended.text).toContain(`<input type="hidden" name="kept.owner_user_id" value="${s.staff.id}">`);
    const editable = editableNames(ended.text);
    expect(editable).not.toContain('kept.status');
    expect(editable).not.toContain('kept.owner_user_id');
    expect(ended.text).not.toContain('owner user id');
    // What was typed stays to edit.
    expect(editable).toEqual(expect.arrayContaining(['kept.owner_name', 'kept.due_on', 'kept.note']));
    expect(ended.text).toContain('value="Extern konsult"');
  });
});
