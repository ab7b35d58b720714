// The overdue actions of every round, wherever they come from: the start page counts them and links to their list at
// the top of the action plan page, which shows it whatever round the page is on. "Today" is the app's clock.
import { describe, expect, it } from 'vitest';
import { createPeerReview, createProgramScenario, finalisePeerReview, type ProgramScenario } from '../helpers/program-scenario.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';

const DAY = 86_400_000;

/**
 * A program with two final rounds on `clock`: the older one (visit 2 March 2026) has alfa (in progress, due 30
 * September 2026, owned by the staff member), beta (not started, due 31 December 2026, owned by Kim) and gamma (done);
 * the newest one (visit 1 March 2027) has one action, due 30 September 2027.
 */
async function twoRounds(clock: TestClock) {
  const s = await createProgramScenario({ rubricId: 'mini-five', clock: clock.now });
  finalisePeerReview(s, s.reviewId, (min) => min + 1, {
    'c1-first': ['Skriv ner rutinen för alfa.', 'Följ upp beta varje månad.'],
    'c2-second': ['Utbilda all personal i gamma.'],
  });
  const [alfa, beta, gamma] = makePlan(s, s.reviewId);
  setAction(s, alfa ?? 0, { ownerUserId: s.staff.id, ownerName: '', dueOn: '2026-09-30', status: 'in_progress' });
  setAction(s, beta ?? 0, { ownerUserId: undefined, ownerName: 'Kim', dueOn: '2026-12-31', status: 'not_started' });
  setAction(s, gamma ?? 0, { ownerUserId: undefined, ownerName: 'Kim', dueOn: '2026-06-30', status: 'done' });
  const newest = createPeerReview(s, '2027-03-01', 'mini-five');
  finalisePeerReview(s, newest, (min) => min + 2, { 'c1-first': ['Mät hur länge hyresgästerna bor kvar.'] });
  const [delta] = makePlan(s, newest);
  setAction(s, delta ?? 0, { ownerUserId: undefined, ownerName: 'Kim', dueOn: '2027-09-30', status: 'in_progress' });
  return { s, newest, alfa: alfa ?? 0, beta: beta ?? 0 };
}

function makePlan(s: ProgramScenario, reviewId: number): number[] {
  expect(s.services.actionPlans.createPlan(reviewId, s.programLead.id)).toMatchObject({ outcome: 'created' });
  return s.actions.listActionsOfReview(reviewId).map((action) => action.id);
}

function setAction(
  s: ProgramScenario,
  id: number,
  change: { ownerUserId: number | undefined; ownerName: string; dueOn: string; status: 'in_progress' | 'not_started' | 'done' },
): void {
  const expectedVersion = s.actions.findAction(id)?.version ?? 0;
  expect(s.actions.updateAction(id, { ...change, expectedVersion }, s.programLead.id)).toBe('saved');
}

/** The overdue list of an action plan page, from its heading to the end of its table; undefined when there is none. */
function overdueList(html: string): string | undefined {
  return /<h2 id="overdue">[\s\S]*?<\/table>/.exec(html)?.[0];
}

/** The link the start page's action plan line gives to the overdue actions. */
function homeOverdueLink(html: string, programId: number): string | undefined {
  return new RegExp(`<a href="/programs/${programId}/actions#overdue">[^<]*</a>`).exec(html)?.[0];
}

describe('the overdue actions of every round', () => {
  it('when only an older round has overdue actions, then the start page counts them and links to their list on the newest round’s plan', async () => {
    const clock = createTestClock(new Date('2027-06-01T08:00:00Z'));
    const { s, newest, alfa, beta } = await twoRounds(clock);
    const lead = await s.login(s.programLead);

    const home = await lead.get('/');
    expect(home.status).toBe(200);
    expect(homeOverdueLink(home.text, s.programId)).toBe(`<a href="/programs/${s.programId}/actions#overdue">varav 2 försenade</a>`);

    // The link opens the newest round, which has nothing overdue of its own; the list at the top has the older round's.
    const plan = await lead.get(`/programs/${s.programId}/actions`);
    expect(plan.status).toBe(200);
    expect(plan.text).toContain('Rekommendationer från granskningen 1 mars 2027.');
    // The newest round's own count: its one action is not late.
    expect(plan.text).toContain('1 åtgärd i den här omgången, som pågår eller inte har påbörjats.');
    const list = overdueList(plan.text) ?? '';
    expect(list).toContain('<h2 id="overdue">Försenade åtgärder</h2>');
    expect(list).toContain('Verksamheten har 2 försenade åtgärder');
    const rows = [...list.matchAll(/<tr role="row">\s*<th role="rowheader"[\s\S]*?<\/tr>/g)].map((match) => match[0]);
    // The same count as the start page, the longest overdue first, each with its round, due date, owner and status.
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`<a href="/actions/${alfa}">Skriv ner rutinen för alfa.</a>`);
    expect(rows[0]).toContain('>2026-03-02</td>');
    expect(rows[0]).toContain('>2026-09-30</td>');
    expect(rows[0]).toContain('>Sam Stödperson</td>');
    expect(rows[0]).toContain('Pågår');
    expect(rows[1]).toContain(`<a href="/actions/${beta}">Följ upp beta varje månad.</a>`);
    expect(rows[1]).toContain('>2026-12-31</td>');
    expect(rows[1]).toContain('>Kim</td>');
    expect(rows[1]).toContain('Inte påbörjad');
    // Done is never overdue, nor is the newest round's action due later.
    expect(list).not.toContain('gamma');
    expect(list).not.toContain('hyresgästerna');

    // The older round's own page shows the same list.
    const older = await lead.get(`/programs/${s.programId}/actions?review=${s.reviewId}`);
    expect(overdueList(older.text)).toBe(list);
    expect((await lead.get(`/programs/${s.programId}/actions?review=${newest}`)).text).toContain(list);

    const english = await lead.get(`/programs/${s.programId}/actions?lang=en`);
    const englishList = overdueList(english.text) ?? '';
    expect(englishList).toContain('<h2 id="overdue">Overdue actions</h2>');
    expect(englishList).toContain('The program has 2 overdue actions');
    expect(englishList).toContain('data-label="Review" class="iso-date">2026-03-02</td>');
    expect(homeOverdueLink((await lead.get('/?lang=en')).text, s.programId)).toContain('>2 of them overdue</a>');
  });

  it('when nothing is overdue on the app’s today, then there is no list and no count; the day after the due date there is', async () => {
    // Alfa is due today: not overdue yet.
    const clock = createTestClock(new Date('2026-09-30T08:00:00Z'));
    const { s, alfa, beta } = await twoRounds(clock);
    const lead = await s.login(s.programLead);
    const plan = await lead.get(`/programs/${s.programId}/actions`);
    expect(plan.status).toBe(200);
    expect(overdueList(plan.text)).toBeUndefined();
    expect(plan.text).not.toContain('Försenade åtgärder');
    expect(homeOverdueLink((await lead.get('/')).text, s.programId)).toBeUndefined();

    clock.advance(DAY);
    const again = await s.login(s.programLead);
    const home = await again.get('/');
    expect(homeOverdueLink(home.text, s.programId)).toBe(`<a href="/programs/${s.programId}/actions#overdue">varav 1 försenad</a>`);
    const list = overdueList((await again.get(`/programs/${s.programId}/actions`)).text) ?? '';
    expect(list).toContain('Verksamheten har 1 försenad åtgärd');
    expect(list).toContain(`<a href="/actions/${alfa}">Skriv ner rutinen för alfa.</a>`);

    // The older round's counts: with beta done too, one of its three is open and that one is overdue, each said of one.
    setAction(s, beta, { ownerUserId: undefined, ownerName: 'Kim', dueOn: '2026-12-31', status: 'done' });
    const older = `/programs/${s.programId}/actions?review=${s.reviewId}`;
    expect((await again.get(older)).text).toContain(
      '<p>3 åtgärder i den här omgången: 1 pågår eller har inte påbörjats (varav 1 försenad) och 2 är klara eller avbrutna.</p>',
    );
    expect((await again.get(`${older}&lang=en`)).text).toContain(
      '<p>3 actions in this round: 1 is in progress or not started (1 of them overdue) and 2 are done or dropped.</p>',
    );
  });

  it('when someone may not read the program’s plan, then neither the plan page nor the start page gives them its overdue actions', async () => {
    const clock = createTestClock(new Date('2027-06-01T08:00:00Z'));
    const { s } = await twoRounds(clock);
    // The program's staff read the list as its leads do.
    const staff = await s.login(s.staff);
    expect(overdueList((await staff.get(`/programs/${s.programId}/actions`)).text)).toContain('Verksamheten har 2 försenade åtgärder');

    const outsider = await s.login(s.outsider);
    const refused = await outsider.get(`/programs/${s.programId}/actions`);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('Försenade åtgärder');
    expect(refused.text).not.toContain('Skriv ner rutinen för alfa.');
    const home = await outsider.get('/');
    expect(home.status).toBe(200);
    expect(homeOverdueLink(home.text, s.programId)).toBeUndefined();
    expect(home.text).not.toContain('försenad');
  });
});
