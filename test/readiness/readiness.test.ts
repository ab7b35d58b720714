import { describe, expect, it } from 'vitest';
import type { ReadinessCheck } from '../../src/readiness/readiness-store.js';
import { summarizeReadiness } from '../../src/readiness/readiness-summary.js';
import { loadTestRubrics, postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

const mini = loadTestRubrics().get('mini-five')?.rubric;
if (!mini) throw new Error('mini-five missing');

function checks(entries: Record<string, ReadinessCheck['status']>): Map<string, ReadinessCheck> {
  return new Map(
    Object.entries(entries).map(([indicatorId, status]) => [
      indicatorId,
      { indicatorId, status, note: '', checkedOn: '2026-01-01', version: 1 },
    ]),
  );
}

describe('summarizeReadiness', () => {
  it('counts each status per section, ready as 1 and partly as ½ of all indicators, unchecked as not ready', () => {
    const summary = summarizeReadiness(mini, checks({ 'c1-alpha': 'ready', 'c1-beta': 'partly', 'c2-gamma': 'missing' }));
    expect(summary.sections[0]).toMatchObject({ code: 'C1', ready: 1, partly: 1, missing: 0, unchecked: 0, total: 2, percent: 75 });
    expect(summary.sections[1]).toMatchObject({ code: 'C2', ready: 0, missing: 1, percent: 0 });
    const total = mini.sections.reduce((n, section) => n + section.indicators.length, 0);
    expect(summary.overall).toMatchObject({ ready: 1, partly: 1, missing: 1, unchecked: total - 3, total });
    expect(summary.overall.percent).toBeCloseTo((1.5 * 100) / total, 10);
  });

  it('ignores checks of indicators the rubric no longer has', () => {
    const summary = summarizeReadiness(mini, checks({ 'gone-indicator': 'ready' }));
    expect(summary.overall.ready).toBe(0);
  });
});

describe('the readiness checklist pages', () => {
  const section = (rubricId: string, sectionId: string, programId: number) =>
    `/programs/${programId}/readiness/${rubricId}/sections/${sectionId}`;

  it('when the program lead saves part of a section, then the statuses, notes and dates are stored and the summary counts them', async () => {
    // 23:30 UTC is already the next day in Sweden: the day stored must be the Swedish one.
    const s = await createProgramScenario({ clock: () => new Date('2026-03-10T23:30:00Z') });
    const agent = await s.login(s.programLead);
    const path = section('mini-five', 'c1-first', s.programId);
    const page = await agent.get(path);
    expect(page.status).toBe(200);
    // The evidence the panel will ask for: the rubric's sources and guidance.
    expect(page.text).toContain('Panelen frågar efter');
    expect(page.text).toContain('Intervju');
    expect(page.text).toContain('Fråga personalen.');
    const saved = await postForm(agent, path, path, {
      'status__c1-alpha': 'ready',
      'note__c1-alpha': 'Rutinen finns i pärmen.',
      'checked__c1-alpha': '2026-01-15',
      'status__c1-beta': 'partly',
      action: 'next',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(section('mini-five', 'c2-second', s.programId));
    const stored = s.readiness.listChecks(s.programId, 'mini-five');
    expect(stored.get('c1-alpha')).toEqual({
      indicatorId: 'c1-alpha',
      status: 'ready',
      note: 'Rutinen finns i pärmen.',
      checkedOn: '2026-01-15',
      version: 1,
    });
    // No date given: today in Sweden.
    expect(stored.get('c1-beta')?.checkedOn).toBe('2026-03-11');
    const summary = await agent.get(`/programs/${s.programId}/readiness/mini-five`);
    expect(summary.text).toContain('klart 1, delvis 1');
    expect((await agent.get(section('mini-five', 'c1-first', s.programId))).text).toContain('Senast kontrollerad 2026-01-15.');
  });

  it('refuses a note with a personal identity number and a date in the future with 422, keeping what was typed', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = section('mini-five', 'c1-first', s.programId);
    const refused = await postForm(agent, path, `${path}?lang=en`, {
      'status__c1-alpha': 'missing',
      'note__c1-alpha': 'Gäller 19121212-1212',
      'checked__c1-beta': '2999-01-01',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('personal identity number');
    expect(refused.text).toContain('The date C1.2 was checked cannot be in the future.');
    expect(refused.text).toContain('Gäller 19121212-1212');
    expect(s.readiness.listChecks(s.programId, 'mini-five').size).toBe(0);
  });

  it('when someone else saved a check meanwhile, then a save from the stale page is refused with 409, keeping what was typed, and a second save goes through', async () => {
    const s = await createProgramScenario();
    const path = section('mini-five', 'c1-first', s.programId);
    const first = await s.login(s.programLead);
    const second = await s.login(s.programLead);
    const stalePage = await second.get(path);
    expect(stalePage.text).toContain('name="version__c1-alpha" value="0"');

    expect((await postForm(first, path, path, { 'status__c1-alpha': 'ready', 'note__c1-alpha': 'Pärmen finns.' })).status).toBe(303);
    // The second tab posts with the versions of the page it loaded before that save.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(stalePage.text)?.[1] ?? '';
    const stale = await second.post(path).type('form').send({
      _csrf: csrf,
      'version__c1-alpha': '0',
      'version__c1-beta': '0',
      'status__c1-alpha': 'missing',
      'note__c1-alpha': 'Saknas helt.',
      'status__c1-beta': 'partly',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Någon annan har sparat det här');
    expect(stale.text).toContain('Klart: Pärmen finns.');
    expect(stale.text).toContain('Saknas helt.');
    expect(stale.text).toContain('name="version__c1-alpha" value="1"');
    // Nothing of the stale save was written, not even the indicator nobody else touched.
    const afterConflict = s.readiness.listChecks(s.programId, 'mini-five');
    expect(afterConflict.get('c1-alpha')).toMatchObject({ status: 'ready', note: 'Pärmen finns.', version: 1 });
    expect(afterConflict.has('c1-beta')).toBe(false);

    // Saving again from the page that came back (now based on version 1) replaces the check.
    const again = await second.post(path).type('form').send({
      _csrf: csrf,
      'version__c1-alpha': '1',
      'version__c1-beta': '0',
      'status__c1-alpha': 'missing',
      'note__c1-alpha': 'Saknas helt.',
      'status__c1-beta': 'partly',
    });
    expect(again.status).toBe(303);
    const stored = s.readiness.listChecks(s.programId, 'mini-five');
    expect(stored.get('c1-alpha')).toMatchObject({ status: 'missing', note: 'Saknas helt.', version: 2 });
    expect(stored.get('c1-beta')).toMatchObject({ status: 'partly', version: 1 });
  });

  it('does not call it a conflict when the stale page asks for exactly what is stored now', async () => {
    const s = await createProgramScenario();
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'ready', note: 'Klart.', checkedOn: undefined }],
      s.programLead.id,
    );
    const outcome = s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'ready', note: 'Klart.', checkedOn: undefined, expectedVersion: 0 }],
      s.programLead.id,
    );
    expect(outcome).toEqual({ outcome: 'saved', changed: 0 });
  });

  it('clears a check set back to "not checked"', async () => {
    const s = await createProgramScenario();
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'ready', note: '', checkedOn: '2026-01-01' }],
      s.programLead.id,
    );
    const agent = await s.login(s.programLead);
    const path = section('mini-five', 'c1-first', s.programId);
    expect((await postForm(agent, path, path, { 'status__c1-alpha': 'unchecked' })).status).toBe(303);
    expect(s.readiness.listChecks(s.programId, 'mini-five').size).toBe(0);
  });

  it('lets the program’s staff read but not save, and keeps others out', async () => {
    const s = await createProgramScenario();
    const path = section('mini-five', 'c1-first', s.programId);
    const staff = await s.login(s.staff);
    const page = await staff.get(path);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`action="${path}"`);
    expect((await postForm(staff, path, path, { 'status__c1-alpha': 'ready' })).status).toBe(403);
    for (const person of [s.coordinator, s.outsider, s.admin]) {
      const agent = await s.login(person);
      expect((await agent.get(path)).status, person.displayName).toBe(403);
    }
    const lead = await s.login(s.programLead);
    expect((await lead.get(`/programs/${s.programId}/readiness/no-such-rubric`)).status).toBe(404);
    expect((await lead.get(section('mini-five', 'no-such-section', s.programId))).status).toBe(404);
  });
});
