import { describe, expect, it } from 'vitest';
import { extractCsrfToken, postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

const STOCKHOLM = {
  period_start: '2010-01-01',
  period_end: '2014-12-31',
  moved_in: '29',
  still_first_flat: '18',
  still_in_program: '21',
  first_hand_leases: '5',
  evictions: '3',
  complaints: '12',
  clients: '21',
  case_managers: '2,5',
  note: 'Från Stockholms rapport.',
};

describe('outcome indicators', () => {
  it('when the program lead enters a period, then it is stored and the program page shows the figures with their definitions', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const saved = await postForm(agent, page, page, STOCKHOLM);
    expect(saved.status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([
      { periodStart: '2010-01-01', movedIn: 29, stillFirstFlat: 18, caseManagers: 2.5 },
    ]);
    // Everyone logged in sees the figures on the program page.
    const reader = await s.login(s.outsider);
    const program = await reader.get(`/programs/${s.programId}`);
    expect(program.text).toContain('18 / 29 (62\u00a0%)');
    expect(program.text).toContain('21 / 29 (72\u00a0%)');
    expect(program.text).toContain('5 / 29 (17\u00a0%)');
    expect(program.text).toContain('8,4');
    expect(program.text).toContain('delat med alla som flyttat in under perioden');
    const english = await reader.get(`/programs/${s.programId}?lang=en`);
    expect(english.text).toContain('divided by everyone who moved in during the period');
  });

  it('refuses counts above those who moved in, an end before the start and bad numbers with 422, keeping the form', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const refused = await postForm(agent, page, `${page}?lang=en`, {
      ...STOCKHOLM,
      period_end: '2009-12-31',
      still_first_flat: '30',
      first_hand_leases: '31',
      evictions: '-1',
      case_managers: 'två',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('The end date cannot be before the start date.');
    expect(refused.text).toContain('The number still in their first flat cannot be more than the number who moved in (29).');
    expect(refused.text).toContain('Enter the number of evictions as 0 or more.');
    expect(refused.text).toContain('Enter the number of case managers as a number, for example 3 or 2.5.');
    expect(refused.text).toContain('value="två"');
    expect(s.outcomes.listPeriods(s.programId)).toEqual([]);
  });

  it('refuses a period that overlaps another of the program with 422 naming it; adjacent periods are fine', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    expect((await postForm(agent, page, page, STOCKHOLM)).status).toBe(303);
    const overlapping = await postForm(agent, page, page, { ...STOCKHOLM, period_start: '2014-12-31', period_end: '2015-12-31' });
    expect(overlapping.status).toBe(422);
    expect(overlapping.text).toContain('överlappar perioden 2010-01-01 – 2014-12-31');
    expect((await postForm(agent, page, page, { ...STOCKHOLM, period_start: '2015-01-01', period_end: '2015-12-31' })).status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)).toHaveLength(2);
  });

  it('lets the lead correct and delete a period; the edit is checked for overlap against the others only', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    await postForm(agent, page, page, STOCKHOLM);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    expect((await postForm(agent, `/outcomes/${id}`, `/outcomes/${id}`, { ...STOCKHOLM, moved_in: '30', version: '1' })).status).toBe(303);
    expect(s.outcomes.findPeriod(id)).toMatchObject({ movedIn: 30, version: 2 });
    expect((await postForm(agent, `/outcomes/${id}`, `/outcomes/${id}/delete`, { version: '2' })).status).toBe(303);
    expect(s.outcomes.findPeriod(id)).toBeUndefined();
  });

  it('when someone else corrected the period meanwhile, then a stale correction is refused with 409: nothing written, both versions shown, input kept', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    await postForm(lead, page, page, STOCKHOLM);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    // Two people open the same period; the first saves a correction.
    const first = await s.login(s.programLead);
    const firstPage = await first.get(`/outcomes/${id}`);
    const secondPage = await lead.get(`/outcomes/${id}?lang=en`);
    expect(secondPage.text).toContain('name="version" value="1"');
    const firstSave = await first
      .post(`/outcomes/${id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(firstPage.text), ...STOCKHOLM, evictions: '4', version: '1' });
    expect(firstSave.status).toBe(303);
    const stale = await lead
      .post(`/outcomes/${id}?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(secondPage.text), ...STOCKHOLM, complaints: '13', note: 'Min rättelse', version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Someone else changed this period since you opened the page, so nothing was saved.');
    expect(stale.text).toContain('Stored now');
    expect(stale.text).toContain('Min rättelse');
    expect(stale.text).toMatch(/name="complaints"[^>]*value="13"/);
    expect(stale.text).toContain('name="version" value="2"');
    expect(s.outcomes.findPeriod(id)).toMatchObject({ evictions: 4, complaints: 12, note: 'Från Stockholms rapport.', version: 2 });
    // Saving again from the page that now knows version 2 replaces it, knowingly.
    const again = await lead
      .post(`/outcomes/${id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(stale.text), ...STOCKHOLM, complaints: '13', note: 'Min rättelse', version: '2' });
    expect(again.status).toBe(303);
    expect(s.outcomes.findPeriod(id)).toMatchObject({ complaints: 13, note: 'Min rättelse', version: 3 });
  });

  it('when someone else corrected the period meanwhile, then a stale deletion is refused with 409 and shows what is stored now', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    await postForm(lead, page, page, STOCKHOLM);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    const opened = await lead.get(`/outcomes/${id}`);
    const other = await s.login(s.programLead);
    expect((await postForm(other, `/outcomes/${id}`, `/outcomes/${id}`, { ...STOCKHOLM, moved_in: '31', version: '1' })).status).toBe(303);
    const stale = await lead
      .post(`/outcomes/${id}/delete`)
      .type('form')
      .send({ _csrf: extractCsrfToken(opened.text), version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('så den togs inte bort');
    expect(stale.text).toMatch(/name="moved_in"[^>]*value="31"/);
    expect(s.outcomes.findPeriod(id)?.movedIn).toBe(31);
    const deleted = await lead
      .post(`/outcomes/${id}/delete`)
      .type('form')
      .send({ _csrf: extractCsrfToken(stale.text), version: '2' });
    expect(deleted.status).toBe(303);
    expect(s.outcomes.findPeriod(id)).toBeUndefined();
  });

  it('asks before deleting: the edit page links to a page showing the period and its figures, whose confirm form carries the version', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    await postForm(lead, page, page, STOCKHOLM);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    // The edit page no longer deletes in one click: it links to the confirmation page.
    const edit = await lead.get(`/outcomes/${id}`);
    expect(edit.text).toContain(`href="/outcomes/${id}/delete"`);
    expect(edit.text).not.toContain(`action="/outcomes/${id}/delete"`);
    const confirm = await lead.get(`/outcomes/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Ta bort perioden 2010-01-01 – 2014-12-31?');
    expect(confirm.text).toContain('Perioden och alla dess antal i tabellen nedan tas bort');
    // What will be deleted: the period, its counts, the computed figures and the comment.
    expect(confirm.text).toContain('18 / 29 (62\u00a0%)');
    expect(confirm.text).toContain('Från Stockholms rapport.');
    expect(confirm.text).toContain('Avhysningar');
    expect(confirm.text).toMatch(
      new RegExp(
        `<form method="post" action="/outcomes/${id}/delete"[^>]*>\\s*<input type="hidden" name="_csrf" value="[^"]+">\\s*<input type="hidden" name="version" value="1">`,
      ),
    );
    expect(confirm.text).toContain('Ja, ta bort perioden');
    expect(confirm.text).toContain(`<a href="/outcomes/${id}">Avbryt och gå tillbaka till perioden</a>`);
    // Only looking at it changes nothing.
    expect(s.outcomes.findPeriod(id)?.version).toBe(1);
    const english = await lead.get(`/outcomes/${id}/delete?lang=en`);
    expect(english.text).toContain('Delete the period 2010-01-01 – 2014-12-31?');
    expect(english.text).toContain('Yes, delete the period');
    // Confirming deletes it, once.
    const deleted = await lead
      .post(`/outcomes/${id}/delete`)
      .type('form')
      .send({ _csrf: extractCsrfToken(confirm.text), version: '1' });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.location).toBe(page);
    expect(s.outcomes.findPeriod(id)).toBeUndefined();
    expect((await lead.get(page)).text).toContain('Perioden är borttagen.');
    expect((await lead.get(`/outcomes/${id}/delete`)).status).toBe(404);
  });

  it('when the period was corrected after the confirmation page was shown, then confirming is refused with 409 and nothing is deleted', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    await postForm(lead, page, page, STOCKHOLM);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    const confirm = await lead.get(`/outcomes/${id}/delete`);
    const other = await s.login(s.coordinator);
    expect((await postForm(other, `/outcomes/${id}`, `/outcomes/${id}`, { ...STOCKHOLM, moved_in: '31', version: '1' })).status).toBe(303);
    const stale = await lead
      .post(`/outcomes/${id}/delete`)
      .type('form')
      .send({ _csrf: extractCsrfToken(confirm.text), version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('så den togs inte bort');
    expect(s.outcomes.findPeriod(id)?.movedIn).toBe(31);
    // A fresh confirmation page shows the correction and carries its version.
    const again = await lead.get(`/outcomes/${id}/delete`);
    expect(again.text).toContain('18 / 31 (58\u00a0%)');
    expect(again.text).toContain('name="version" value="2"');
  });

  it('calls evictions the same thing in the label and its hint', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const list = await lead.get(`/programs/${s.programId}/outcomes`);
    expect(list.text).toContain('>Avhysningar</label>');
    expect(list.text).toContain('Avhysningar under perioden, det vill säga vräkningar som Kronofogden har verkställt.');
    expect(list.text).not.toContain('Vräkningar');
  });

  it('when the outcomes page is read, then it speaks of the insats and the verksamhet, and says what offered a flat counts', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    expect((await postForm(lead, page, page, STOCKHOLM)).status).toBe(303);
    const list = await lead.get(page);
    expect(list.text).toContain('<th scope="col" class="num">Kvar i insatsen</th>');
    expect(list.text).toContain('>Avbrutit insatsen <span class="optional">');
    expect(list.text).toContain('Sedan verksamhetens start (kumulativt)');
    expect(list.text).toContain(
      '<dt>Erbjudits bostad</dt><dd>Antalet som erbjudits en bostad genom verksamheten under perioden, oavsett om de flyttat in.',
    );
    expect(list.text).not.toMatch(/kvar i programmet|lämnat programmet|programmets start|står bredvid/iu);
    // The caseload with its basis, which the report now prints too.
    expect(list.text).toContain('8,4 <span class="muted">(21 / 2,5)</span>');
    const english = await lead.get(`${page}?lang=en`);
    expect(english.text).toContain('<dt>Offered a flat</dt><dd>The number offered a flat through the program during the period');
    expect(english.text).toContain('>Median days from decision to keys <span class="optional">');
  });

  it('lets coordinators enter figures too; staff and others read but may not change them', async () => {
    const s = await createProgramScenario();
    const page = `/programs/${s.programId}/outcomes`;
    const coordinator = await s.login(s.coordinator);
    expect((await postForm(coordinator, page, page, STOCKHOLM)).status).toBe(303);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    for (const person of [s.staff, s.outsider]) {
      const agent = await s.login(person);
      const list = await agent.get(page);
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(`action="${page}"`);
      expect((await postForm(agent, page, page, { ...STOCKHOLM, period_start: '2020-01-01', period_end: '2020-12-31' })).status).toBe(403);
      expect((await agent.get(`/outcomes/${id}`)).status).toBe(403);
      expect((await agent.get(`/outcomes/${id}/delete`)).status).toBe(403);
      expect((await postForm(agent, page, `/outcomes/${id}/delete`, { version: '1' })).status).toBe(403);
    }
    expect(s.outcomes.listPeriods(s.programId)).toHaveLength(1);
  });
});
