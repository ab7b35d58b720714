// Leaving a checklist section by its links keeps what was typed, without JavaScript: for a lead the section links and
// the checklist link are the form's submit buttons (goto), saved first as on the rating page. The note says its limit
// before a refusal; a note kept shows its line breaks; the summary's columns have headings of their own.
import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

const section = (programId: number, sectionId: string) => `/programs/${programId}/readiness/mini-five/sections/${sectionId}`;

describe('a readiness section’s links', () => {
  it('when the lead opens a section, then the other sections and the checklist are save buttons, and Enter saves in place', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = await agent.get(section(s.programId, 'c1-first'));
    expect(page.status).toBe(200);
    const form = page.text.indexOf(`<form method="post" action="${section(s.programId, 'c1-first')}"`);
    const hiddenSave = page.text.indexOf('<button type="submit" hidden>Spara</button>');
    const sectionLink = page.text.indexOf('<button type="submit" name="goto" value="c2-second" class="button-link"');
    expect(form).toBeGreaterThan(-1);
    // The plain save comes first in the form, so Enter in a field never follows a section link.
    expect(hiddenSave).toBeGreaterThan(form);
    expect(sectionLink).toBeGreaterThan(hiddenSave);
    expect(page.text).toContain(
      '<button type="submit" name="goto" value="_summary" class="button-link">Checklista inför granskningen</button>',
    );
    expect(page.text).toContain('<strong aria-current="page">C1</strong>');
    expect(page.text).toContain('Det du har skrivit sparas när du går till ett annat avsnitt.');
    expect(page.text).not.toContain(`<a href="${section(s.programId, 'c2-second')}"`);
  });

  it('when the lead presses another section’s link, then what was typed is saved and that section opens', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = section(s.programId, 'c1-first');
    const saved = await postForm(agent, path, path, {
      'status__c1-alpha': 'partly',
      'note__c1-alpha': 'Pärmen är halvklar.',
      goto: 'x1-extra',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(section(s.programId, 'x1-extra'));
    expect(s.readiness.listChecks(s.programId, 'mini-five').get('c1-alpha')).toMatchObject({
      status: 'partly',
      note: 'Pärmen är halvklar.',
    });
    // The checklist link saves too, then opens the summary; a goto that names no section is a plain save.
    const toSummary = await postForm(agent, path, path, { 'status__c1-beta': 'ready', goto: '_summary' });
    expect(toSummary.headers.location).toBe(`/programs/${s.programId}/readiness/mini-five`);
    expect(s.readiness.listChecks(s.programId, 'mini-five').get('c1-beta')?.status).toBe('ready');
    const unknown = await postForm(agent, path, path, { 'status__c1-beta': 'missing', goto: 'no-such-section' });
    expect(unknown.headers.location).toBe(path);
  });

  it('when a save is refused, then the section link does not leave the page and everything typed comes back', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = section(s.programId, 'c1-first');
    const refused = await postForm(agent, path, path, {
      'status__c1-alpha': 'ready',
      'note__c1-alpha': 'Gäller 19121212-1212',
      goto: 'c2-second',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Gäller 19121212-1212</textarea>');
    expect(s.readiness.listChecks(s.programId, 'mini-five').size).toBe(0);
  });

  it('when the program’s staff read a section, then its links stay links and a note shows its line breaks', async () => {
    const s = await createProgramScenario();
    s.readiness.saveChecks(
      s.programId,
      'mini-five',
      [{ indicatorId: 'c1-alpha', status: 'partly', note: 'Rad ett.\nRad två.', checkedOn: '2026-01-01' }],
      s.programLead.id,
    );
    const staff = await s.login(s.staff);
    const page = await staff.get(section(s.programId, 'c1-first'));
    expect(page.text).toContain(`<a href="${section(s.programId, 'c2-second')}"`);
    expect(page.text).not.toContain('name="goto"');
    expect(page.text).toContain('<dd class="prewrap">Rad ett.\nRad två.</dd>');
  });
});

describe('a readiness note’s limit', () => {
  it('is said in the hint, and a longer note is refused with how long it was', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = section(s.programId, 'c1-first');
    expect((await agent.get(path)).text).toContain('Inga uppgifter om enskilda deltagare. Högst 1\u00a0000 tecken.</p>');
    const refused = await postForm(agent, path, path, { 'status__c1-alpha': 'ready', 'note__c1-alpha': 'a'.repeat(1234) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Anteckningen för C1.1 får vara högst 1\u00a0000 tecken – du har skrivit 1\u00a0234 tecken.');
  });
});

describe('the readiness summary', () => {
  it('heads the count of ready indicators and the share ready differently, in both languages', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const summary = await agent.get(`/programs/${s.programId}/readiness/mini-five`);
    expect(summary.text).toContain('<th scope="col" class="num">Klart</th>');
    expect(summary.text).toContain('<th scope="col" class="num">Andel klart</th>');
    const english = await agent.get(`/programs/${s.programId}/readiness/mini-five?lang=en`);
    expect(english.text).toContain('<th scope="col" class="num">Ready</th>');
    expect(english.text).toContain('<th scope="col" class="num">Share ready</th>');
  });
});
