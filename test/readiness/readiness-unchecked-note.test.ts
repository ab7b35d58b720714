// A note or a date typed next to an indicator left at "not checked" would be dropped without a word ("not checked"
// removes the check): it is refused with 422 instead, keeping what was typed, while removing a check on purpose works.
import { describe, expect, it } from 'vitest';
import type { Agent } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

const sectionPath = (programId: number) => `/programs/${programId}/readiness/mini-five/sections/c1-first`;

/** Posts the section form as a browser would from the page it loaded: its CSRF token, its version fields and the radio preselected. */
async function postAsLoaded(agent: Agent, path: string, fields: Record<string, string>, query = '') {
  const page = await agent.get(path);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const carried: Record<string, string> = {};
  for (const match of page.text.matchAll(/name="(version__[^"]+)" value="([^"]*)"/g)) carried[match[1] ?? ''] = match[2] ?? '';
  for (const match of page.text.matchAll(/name="(status__[^"]+)" value="([^"]*)"[^>]* checked/g)) carried[match[1] ?? ''] = match[2] ?? '';
  return agent
    .post(`${path}${query}`)
    .type('form')
    .send({ _csrf: csrf, ...carried, ...fields });
}

describe('a note or a date next to an indicator left at "not checked"', () => {
  it('is refused with 422 and a message at the status, keeping the typed note and date, and nothing is stored', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = sectionPath(s.programId);
    const refused = await postAsLoaded(agent, path, { 'note__c1-alpha': 'Rutinen finns i pärmen.', 'checked__c1-alpha': '2026-01-15' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="err-status__c1-alpha"><span>Välj status för C1.1 för att spara anteckningen och datumet');
    expect(refused.text).toContain('aria-describedby="err-status__c1-alpha"');
    expect(refused.text).toContain('Rutinen finns i pärmen.</textarea>');
    expect(refused.text).toContain('name="checked__c1-alpha" type="date" value="2026-01-15"');
    // The untouched indicator gets no message.
    expect(refused.text).not.toContain('id="err-status__c1-beta"');
    expect(s.readiness.listChecks(s.programId, 'mini-five').size).toBe(0);

    // In English too; a date alone is refused as well, and next to other fields' errors, so all show at once.
    const english = await postAsLoaded(
      agent,
      path,
      { 'checked__c1-beta': '2026-01-10', 'note__c1-alpha': 'Gäller 19121212-1212' },
      '?lang=en',
    );
    expect(english.status).toBe(422);
    expect(english.text).toContain('id="err-status__c1-beta"><span>Choose the status of C1.2 to save the note and the date');
    expect(english.text).toContain('id="err-status__c1-alpha"><span>Choose the status of C1.1 to save the note and the date');
    expect(english.text).toContain('personal identity number');
    expect(english.text).toContain('value="2026-01-10"');
    expect(english.text).toContain('Gäller 19121212-1212</textarea>');
    expect(s.readiness.listChecks(s.programId, 'mini-five').size).toBe(0);

    // Choosing a status then saves what was typed.
    const saved = await postAsLoaded(agent, path, {
      'status__c1-alpha': 'ready',
      'note__c1-alpha': 'Rutinen finns i pärmen.',
      'checked__c1-alpha': '2026-01-15',
    });
    expect(saved.status).toBe(303);
    expect(s.readiness.listChecks(s.programId, 'mini-five').get('c1-alpha')).toMatchObject({
      status: 'ready',
      note: 'Rutinen finns i pärmen.',
      checkedOn: '2026-01-15',
    });
  });

  it('is refused when a stored check is set back to "not checked" with a new note or a date, and the check stays', async () => {
    const s = await createProgramScenario();
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'ready', note: 'Pärmen finns.', checkedOn: '2026-01-01' }],
      s.programLead.id,
    );
    const agent = await s.login(s.programLead);
    const path = sectionPath(s.programId);
    for (const fields of [
      { 'status__c1-alpha': 'unchecked', 'note__c1-alpha': 'Pärmen är flyttad till kontoret.' },
      { 'status__c1-alpha': 'unchecked', 'note__c1-alpha': 'Pärmen finns.', 'checked__c1-alpha': '2026-02-01' },
    ]) {
      const refused = await postAsLoaded(agent, path, fields);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('id="err-status__c1-alpha"');
      expect(refused.text).toContain(`${fields['note__c1-alpha']}</textarea>`);
      expect(s.readiness.listChecks(s.programId, 'mini-five').get('c1-alpha')).toMatchObject({
        status: 'ready',
        note: 'Pärmen finns.',
        version: 1,
      });
    }
  });

  it('removes a stored check set back to "not checked" on purpose, with its note still shown or emptied', async () => {
    const s = await createProgramScenario();
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [
        { indicatorId: 'c1-alpha', status: 'ready', note: 'Pärmen finns.', checkedOn: '2026-01-01' },
        { indicatorId: 'c1-beta', status: 'missing', note: 'Saknas.', checkedOn: '2026-01-01' },
      ],
      s.programLead.id,
    );
    const agent = await s.login(s.programLead);
    const path = sectionPath(s.programId);
    const page = await agent.get(path);
    expect(page.text).toContain('Pärmen finns.</textarea>');
    // The note field still shows the stored note (c1-alpha), or the user emptied it (c1-beta).
    const cleared = await postAsLoaded(agent, path, {
      'status__c1-alpha': 'unchecked',
      'note__c1-alpha': 'Pärmen finns.',
      'status__c1-beta': 'unchecked',
      'note__c1-beta': '',
    });
    expect(cleared.status).toBe(303);
    expect(s.readiness.listChecks(s.programId, 'mini-five').size).toBe(0);
  });

  it('leaves a normal save as it was', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = sectionPath(s.programId);
    const saved = await postAsLoaded(agent, path, {
      'status__c1-alpha': 'partly',
      'note__c1-alpha': 'Halva rutinen finns.',
      'checked__c1-alpha': '2026-01-15',
    });
    expect(saved.status).toBe(303);
    const stored = s.readiness.listChecks(s.programId, 'mini-five');
    expect(stored.get('c1-alpha')).toEqual({
      indicatorId: 'c1-alpha',
      status: 'partly',
      note: 'Halva rutinen finns.',
      checkedOn: '2026-01-15',
      version: 1,
    });
    expect(stored.has('c1-beta')).toBe(false);
  });

  it('still reports a stale form that removes a check someone else changed meanwhile as a conflict (409), not as a missing status', async () => {
    const s = await createProgramScenario();
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'ready', note: 'Pärmen finns.', checkedOn: '2026-01-01' }],
      s.programLead.id,
    );
    const agent = await s.login(s.programLead);
    const path = sectionPath(s.programId);
    const stalePage = await agent.get(path);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(stalePage.text)?.[1] ?? '';
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'ready', note: 'Pärmen är flyttad.', checkedOn: undefined }],
      s.programLead.id,
    );
    const stale = await agent.post(path).type('form').send({
      _csrf: csrf,
      'version__c1-alpha': '1',
      'version__c1-beta': '0',
      'status__c1-alpha': 'unchecked',
      'note__c1-alpha': 'Pärmen finns.',
      'status__c1-beta': 'unchecked',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Klart: Pärmen är flyttad.');
    expect(stale.text).toContain('name="version__c1-alpha" value="2"');
    expect(s.readiness.listChecks(s.programId, 'mini-five').get('c1-alpha')).toMatchObject({ note: 'Pärmen är flyttad.', version: 2 });
  });
});
