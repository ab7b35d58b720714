// An outcome period as a program lead types it: only a period that has ended (on the app's clock) is taken, counts
// may be written in digit groups ("1 000", with a space or a no-break space), and a negative count asks for 0 or more.
import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

/** 7 December 2026, in the morning in Sweden. */
const DECEMBER_7 = () => new Date('2026-12-07T09:00:00Z');

const YEAR_2026 = {
  kind: 'period',
  period_start: '2026-01-01',
  period_end: '2026-12-31',
  moved_in: '12',
  still_first_flat: '10',
  still_in_program: '11',
  first_hand_leases: '4',
  evictions: '0',
  complaints: '3',
  clients: '30',
  case_managers: '4',
  note: '',
};

describe('an outcome period that has not ended', () => {
  it('when its last day is after today, then it is refused with 422 naming the latest last day, and nothing is stored', async () => {
    const s = await createProgramScenario({ clock: DECEMBER_7 });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const refused = await postForm(agent, page, page, YEAR_2026);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Perioden har inte tagit slut än: periodens sista dag kan vara senast 6 december 2026.');
    expect(refused.text).toContain('value="2026-12-31"');
    expect(s.outcomes.listPeriods(s.programId)).toEqual([]);
    const english = await postForm(agent, page, `${page}?lang=en`, { ...YEAR_2026, kind: 'since_start' });
    expect(english.text).toContain('The period has not ended yet: the last day of the period can be 6 December 2026 at the latest.');
  });

  it('when its last day is today, then it is refused too; the day before is taken', async () => {
    const s = await createProgramScenario({ clock: DECEMBER_7 });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    expect((await postForm(agent, page, page, { ...YEAR_2026, period_end: '2026-12-07' })).status).toBe(422);
    const saved = await postForm(agent, page, page, { ...YEAR_2026, period_end: '2026-12-06' });
    expect(saved.status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([{ periodStart: '2026-01-01', periodEnd: '2026-12-06' }]);
  });

  it('when a stored period is corrected to end in the future, then the correction is refused and the period stays', async () => {
    const s = await createProgramScenario({ clock: DECEMBER_7 });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    expect((await postForm(agent, page, page, { ...YEAR_2026, period_start: '2025-01-01', period_end: '2025-12-31' })).status).toBe(303);
    const [period] = s.outcomes.listPeriods(s.programId);
    const edit = `/outcomes/${period?.id}`;
    const refused = await postForm(agent, edit, edit, { ...YEAR_2026, period_start: '2025-01-01', version: String(period?.version) });
    expect(refused.status).toBe(422);
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([{ periodEnd: '2025-12-31' }]);
  });
});

describe('counts as people type them', () => {
  it('when a count is written in digit groups, then "1 000" is a thousand, with a space or a no-break space', async () => {
    const s = await createProgramScenario({ clock: DECEMBER_7 });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const saved = await postForm(agent, page, page, {
      ...YEAR_2026,
      period_start: '2010-01-01',
      period_end: '2025-12-31',
      kind: 'since_start',
      moved_in: '1 000',
      still_first_flat: '1\u00a0000',
      offered: '1\u202f250',
    });
    expect(saved.status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([{ movedIn: 1000, stillFirstFlat: 1000, details: { offered: 1250 } }]);
  });

  it('when digits are grouped wrongly, then it is no whole number; a negative count asks for 0 or more', async () => {
    const s = await createProgramScenario({ clock: DECEMBER_7 });
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const refused = await postForm(agent, page, page, {
      ...YEAR_2026,
      period_end: '2025-12-31',
      period_start: '2025-01-01',
      moved_in: '10 00',
      evictions: '-1',
      complaints: '\u22122',
      case_managers: '-1,5',
      offered: '-3',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Ange antal som flyttat in som ett heltal, till exempel 12.');
    expect(refused.text).toContain('Ange antal avhysningar som 0 eller fler.');
    expect(refused.text).toContain('Ange antal klagomål som 0 eller fler.');
    expect(refused.text).toContain('Ange antal case managers som 0 eller fler.');
    expect(refused.text).toContain('Ange antal som erbjudits bostad som 0 eller fler.');
    // One message per field: a negative count is not also told to be a whole number.
    expect(refused.text).not.toContain('Ange antal avhysningar som ett heltal');
    expect(s.outcomes.listPeriods(s.programId)).toEqual([]);
  });

  it('when a period stored before the rule has not ended, then its figures can still be corrected without moving its end', async () => {
    const s = await createProgramScenario({ clock: DECEMBER_7 });
    // As stored before periods had to have ended: straight through the store, which has no such rule.
    const stored = s.outcomes.insertPeriod(
      s.programId,
      {
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        movedIn: 12,
        stillFirstFlat: 10,
        stillInProgram: 11,
        firstHandLeases: 4,
        evictions: 0,
        complaints: 3,
        clients: 30,
        caseManagers: 4,
        note: '',
      },
      s.programLead.id,
    );
    expect(stored.outcome).toBe('saved');
    const [period] = s.outcomes.listPeriods(s.programId);
    const agent = await s.login(s.programLead);
    const edit = `/outcomes/${period?.id}`;
    const mended = await postForm(agent, edit, edit, { ...YEAR_2026, complaints: '2', version: String(period?.version) });
    expect(mended.status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([{ periodEnd: '2026-12-31', complaints: 2 }]);
  });
});
