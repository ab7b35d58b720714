// Outcome indicators as the seeds report them: offered beside moved in, a cumulative period since
// the start that may overlap the yearly ones, exits by reason, eviction threats and terminated leases beside
// executed evictions, the median days from decision to keys; on the program's pages and in the PDF report.
import { describe, expect, it } from 'vitest';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import { binaryParser, extractPdfText, normalizeSpace } from '../reports/pdf-text.js';
import { createReportScenario } from '../reports/report-fixtures.js';
import { expectErrorSummaryFirst, postForm } from '../helpers/test-app.js';
import { createProgramScenario } from '../helpers/program-scenario.js';

/** The Stockholm report's figures 2010–2014: everyone offered moved in. */
const STOCKHOLM_SINCE_START = {
  kind: 'since_start',
  period_start: '2010-01-01',
  period_end: '2014-12-31',
  offered: '29',
  moved_in: '29',
  still_first_flat: '18',
  still_in_program: '21',
  first_hand_leases: '5',
  evictions: '1',
  eviction_threats: '7',
  terminated_leases: '3',
  median_days_to_keys: '94',
  exits_own_lease: '2',
  exits_care: '1',
  exits_died: '2',
  exits_left: '3',
  exits_other: '',
  complaints: '12',
  clients: '21',
  case_managers: '3',
  note: 'Från Stockholms rapport.',
};

const YEARLY = {
  kind: 'period',
  period_start: '2014-01-01',
  period_end: '2014-12-31',
  moved_in: '6',
  still_first_flat: '5',
  still_in_program: '6',
  first_hand_leases: '1',
  evictions: '0',
  complaints: '3',
  clients: '21',
  case_managers: '3',
  note: '',
};

describe('outcome details on the program’s pages', () => {
  it('when the lead enters the Stockholm figures since the start, then they are stored and read 62 %, 72 % and 17 % with offers, exits and threats', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    expect((await postForm(agent, page, page, STOCKHOLM_SINCE_START)).status).toBe(303);
    const [stored] = s.outcomes.listPeriods(s.programId);
    expect(stored).toMatchObject({
      kind: 'since_start',
      movedIn: 29,
      details: {
        offered: 29,
        evictionThreats: 7,
        terminatedLeases: 3,
        medianDaysToKeys: 94,
        exits: { own_lease: 2, care: 1, died: 2, left: 3, other: null },
      },
    });
    // The audit log holds the new figures too (migration 14's triggers).
    const logged = s.db.prepare("SELECT new_value FROM audit_log WHERE entity = 'outcome_period' ORDER BY id DESC LIMIT 1").get() as {
      new_value: string;
    };
    expect(JSON.parse(logged.new_value)).toMatchObject({
      kind: 'since_start',
      offered: 29,
      eviction_threats: 7,
      median_days_to_keys: 94,
      exits_other: null,
    });
    const shown = await agent.get(page);
    expect(shown.text).toContain('2010-01-01\u00a0– 2014-12-31 (sedan start, kumulativt)');
    expect(shown.text).toContain('18 / 29 (62\u00a0%)');
    expect(shown.text).toContain('21 / 29 (72\u00a0%)');
    expect(shown.text).toContain('5 / 29 (17\u00a0%)');
    expect(shown.text).toContain('Erbjudits bostad');
    expect(shown.text).toContain('Hot om avhysning');
    expect(shown.text).toContain('Uppsagda hyresavtal');
    expect(shown.text).toContain('94 dagar');
    expect(shown.text).toContain('Flyttat vidare med eget kontrakt: 2');
    expect(shown.text).toContain('Annat skäl: –');
    // Exits count everyone who left in the period, not only those who moved in during it: the definitions say so.
    expect(shown.text).toContain(
      '<dt>Avslut efter skäl</dt><dd>Alla avslutade insatser under perioden, efter skäl, också för deltagare som flyttade in före den.',
    );
    // The edit form shows what is stored, empty where nothing was recorded.
    const edit = await agent.get(`/outcomes/${stored?.id ?? 0}`);
    expect(edit.text).toMatch(/name="median_days_to_keys"[^>]*value="94"/);
    expect(edit.text).toMatch(/name="exits_other"[^>]*value=""/);
    expect(edit.text).toMatch(/<option value="since_start" selected>/);
  });

  it('when a since-start period overlaps the yearly ones, then it is accepted; two yearly periods still may not overlap', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    expect((await postForm(agent, page, page, YEARLY)).status).toBe(303);
    expect((await postForm(agent, page, page, STOCKHOLM_SINCE_START)).status).toBe(303);
    const overlapping = await postForm(agent, page, page, { ...YEARLY, period_start: '2014-06-01', period_end: '2015-05-31' });
    expect(overlapping.status).toBe(422);
    expect(overlapping.text).toContain('överlappar perioden 2014-01-01 – 2014-12-31');
    expectErrorSummaryFirst(overlapping.text, 'f-period_start');
    // Yearly first, latest first, then the cumulative one.
    expect(s.outcomes.listPeriods(s.programId).map((period) => period.kind)).toEqual(['period', 'since_start']);
  });

  it('when a period without the new figures is saved, then they are stored as not recorded and read "–"', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const { kind: _kind, ...withoutKind } = YEARLY;
    expect((await postForm(agent, page, page, withoutKind)).status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)[0]).toMatchObject({ kind: 'period', details: { offered: null, medianDaysToKeys: null } });
  });

  it('when a field is empty or refused, then it gets one message, and no figure is held to a refused moved-in count', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const empty = await postForm(agent, page, `${page}?lang=en`, { ...STOCKHOLM_SINCE_START, moved_in: '' });
    expect(empty.status).toBe(422);
    const summary = (html: string) => /<div class="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    expect(summary(empty.text).match(/<li>/g)).toHaveLength(1);
    expect(summary(empty.text)).not.toContain('as a whole number');
    const negative = await postForm(agent, page, `${page}?lang=en`, { ...STOCKHOLM_SINCE_START, moved_in: '-1' });
    expect(negative.status).toBe(422);
    expect(summary(negative.text).match(/<li>/g)).toHaveLength(1);
    expect(negative.text).not.toContain('cannot be more than the number who moved in');
  });

  it('refuses bad figures with 422, each message naming its field, and keeps what was typed', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const refused = await postForm(agent, page, `${page}?lang=en`, {
      ...STOCKHOLM_SINCE_START,
      offered: '20',
      median_days_to_keys: 'tre månader',
      exits_died: '-1',
      kind: 'weekly',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose the kind of period.');
    expect(refused.text).toContain('Enter the days from decision to keys as a whole number');
    expect(refused.text).toContain('Enter the number who died as 0 or more.');
    expect(refused.text).toContain('value="tre månader"');
    expect(refused.text).toContain('value="-1"');
    // The title starts "Error: " and the summary takes focus on load, as on every refused form (render-page.ts).
    expect(refused.text).toMatch(/<title>Error: Outcomes/);
    expect(refused.text).toContain('<div class="error-summary" role="alert" tabindex="-1" autofocus>');
    expect(s.outcomes.listPeriods(s.programId)).toEqual([]);
    const fewerOffers = await postForm(agent, page, `${page}?lang=en`, { ...STOCKHOLM_SINCE_START, offered: '20' });
    expect(fewerOffers.status).toBe(422);
    expect(fewerOffers.text).toContain(
      'The number offered a flat cannot be fewer than the number who moved in (29) in a period since the start.',
    );
    expect(fewerOffers.text).toContain('value="20"');
  });

  it('refuses a personal identity number in the comment with 422, keeping the text', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    const refused = await postForm(agent, page, page, { ...STOCKHOLM_SINCE_START, note: 'Gäller 19121212-1212' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('19121212-1212</textarea>');
    expect(s.outcomes.listPeriods(s.programId)).toEqual([]);
  });

  it('when someone corrected the period meanwhile, then a stale correction of the new figures is refused with 409 and nothing is written', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/outcomes`;
    await postForm(agent, page, page, STOCKHOLM_SINCE_START);
    const id = s.outcomes.listPeriods(s.programId)[0]?.id ?? 0;
    expect(
      (await postForm(agent, `/outcomes/${id}`, `/outcomes/${id}`, { ...STOCKHOLM_SINCE_START, median_days_to_keys: '80', version: '1' }))
        .status,
    ).toBe(303);
    const stale = await postForm(agent, `/outcomes/${id}`, `/outcomes/${id}`, {
      ...STOCKHOLM_SINCE_START,
      median_days_to_keys: '60',
      version: '1',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('value="60"');
    expect(s.outcomes.findPeriod(id)).toMatchObject({ version: 2, details: { medianDaysToKeys: 80 } });
  });
});

describe('outcome details in the PDF report', { timeout: 90_000 }, () => {
  it('prints offered beside moved in, the cumulative period labelled, the three shares, threats, terminations, exits and days to keys', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const program = s.programs[0];
    if (!program) throw new Error('no program');
    const outcomes = createOutcomeStore(s.db);
    const author = s.panel[0]?.id ?? 0;
    const input = {
      periodStart: '2010-01-01',
      periodEnd: '2014-12-31',
      movedIn: 29,
      stillFirstFlat: 18,
      stillInProgram: 21,
      firstHandLeases: 5,
      evictions: 1,
      complaints: 12,
      clients: 21,
      caseManagers: 3,
      note: '',
    };
    outcomes.insertPeriod(
      program.id,
      {
        ...input,
        kind: 'since_start',
        details: {
          offered: 29,
          evictionThreats: 7,
          terminatedLeases: 3,
          medianDaysToKeys: 94,
          exits: { own_lease: 2, care: 1, died: 2, left: 3, other: null },
        },
      },
      author,
    );
    outcomes.insertPeriod(
      program.id,
      {
        ...input,
        periodStart: '2014-01-01',
        periodEnd: '2014-12-31',
        movedIn: 6,
        stillFirstFlat: 5,
        stillInProgram: 6,
        firstHandLeases: 1,
      },
      author,
    );
    const agent = await s.login(s.reader);
    const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    expect(text).toContain('(sedan start, kumulativt)');
    expect(text).toContain('18 / 29 (62 %)');
    expect(text).toContain('21 / 29 (72 %)');
    expect(text).toContain('5 / 29 (17 %)');
    expect(text).toContain('Erbjudits bostad');
    expect(text).toContain('Hot om avhysning');
    expect(text).toContain('94 dagar');
    expect(text).toContain('Avlidit: 2');
    // The support is an insats and the unit a verksamhet (domain.md §7); offered a flat says what it counts.
    expect(text).toContain('Kvar i insatsen');
    expect(text).toContain('Avbrutit insatsen: 3');
    expect(text).toContain('Sedan verksamhetens start (kumulativt): En period sedan start räknar alla sedan verksamheten startade');
    expect(text).toContain('Avslut efter skäl: Alla avslutade insatser under perioden');
    expect(text).toContain('Erbjudits bostad: Antalet som erbjudits en bostad genom verksamheten under perioden');
    expect(text).not.toMatch(/programmets start|kvar i programmet|lämnat programmet|står bredvid/iu);
    // Each period's caseload with its basis, as on the program's page.
    expect(text).toContain('7,0 (21 / 3)');
    const english = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf?lang=en`).buffer(true).parse(binaryParser);
    const englishText = normalizeSpace(extractPdfText(english.body as Buffer));
    expect(englishText).toContain('(since start, cumulative)');
    expect(englishText).toContain('Offered a flat');
    expect(englishText).toContain('Terminated leases');
    expect(englishText).toContain('Offered a flat: The number offered a flat through the program during the period');
    expect(englishText).toContain('7.0 (21 / 3)');
  });
});
