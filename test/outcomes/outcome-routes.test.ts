import { describe, expect, it } from 'vitest';
import { extractCsrfToken, postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../program-work/program-work-helpers.js';

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
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([{ periodStart: '2010-01-01', movedIn: 29, stillFirstFlat: 18, caseManagers: 2.5 }]);
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
    expect(refused.text).toContain('Cannot be more than those who moved in (29).');
    expect(refused.text).toContain('Enter a whole number.');
    expect(refused.text).toContain('Enter a number, for example 3 or 2.5.');
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
    const firstSave = await first.post(`/outcomes/${id}`).type('form').send({ _csrf: extractCsrfToken(firstPage.text), ...STOCKHOLM, evictions: '4', version: '1' });
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
    const stale = await lead.post(`/outcomes/${id}/delete`).type('form').send({ _csrf: extractCsrfToken(opened.text), version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('så den togs inte bort');
    expect(stale.text).toMatch(/name="moved_in"[^>]*value="31"/);
    expect(s.outcomes.findPeriod(id)?.movedIn).toBe(31);
    const deleted = await lead.post(`/outcomes/${id}/delete`).type('form').send({ _csrf: extractCsrfToken(stale.text), version: '2' });
    expect(deleted.status).toBe(303);
    expect(s.outcomes.findPeriod(id)).toBeUndefined();
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
    }
    expect(s.outcomes.listPeriods(s.programId)).toHaveLength(1);
  });
});
