// The date fields are date inputs: the browser shows its own picker and writes the date its own way (mm/dd/yyyy in an
// English Chrome, åååå-mm-dd in a Swedish one), so no hint states a format that could contradict it. The hints say
// what the date means; a bad date's message says what to do with an example, not a format; and a browser that shows
// a text box instead may send a year-first date as Swedes type it ("2027-3-31", "20270331"), which is kept as ISO.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTranslator, isMessageKey } from '../../src/i18n/messages.js';
import { createProgramScenario, finalisePeerReview } from '../helpers/program-scenario.js';
import { postSendPage, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { postForm } from '../helpers/test-app.js';

const VIEWS = join(import.meta.dirname, '..', '..', 'views');

/** A date written as a format ("ÅÅÅÅ-MM-DD", "YYYY", "mm/dd") or as digits ("2026-03-10", "10/3"): either may differ from the picker's. */
const DATE_FORMAT = /[ÅY]{2,}|[åy]{2,}|\b(?:MM|DD|mm|dd)\b|\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?/;

/** Every date input a view includes, with the message key of its hint (undefined when it has none or builds it). */
function dateFieldsOfViews(): { view: string; name: string; hintKey: string | undefined }[] {
  const fields: { view: string; name: string; hintKey: string | undefined }[] = [];
  for (const view of readdirSync(VIEWS, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ejs'))) {
    const text = readFileSync(join(VIEWS, view), 'utf8');
    for (const [call = ''] of text.matchAll(/include\('[^']*text-field', \{[^\n]*\}\)/g)) {
      if (!/\btype: 'date'/.test(call)) continue;
      fields.push({ view, name: /\bname: ([^,]+),/.exec(call)?.[1] ?? '', hintKey: /\bhint: t\('([^']+)'\)/.exec(call)?.[1] });
    }
  }
  return fields;
}

/** Each date input of a page with its hint's text (by aria-describedby), as the page shows it. */
function dateInputsOf(html: string): { name: string; hint: string | undefined }[] {
  return [...html.matchAll(/<input [^>]*type="date"[^>]*>/g)].map(([input]) => {
    const name = /name="([^"]*)"/.exec(input)?.[1] ?? '';
    const hintId = /aria-describedby="(hint-[^" ]+)/.exec(input)?.[1];
    const hint = hintId === undefined ? undefined : new RegExp(`<p class="hint" id="${hintId}">([^<]*)</p>`).exec(html)?.[1];
    return { name, hint };
  });
}

/** The hints of a page's date inputs by field name, after checking that none of them states a date format. */
function checkedHints(html: string, path: string): Record<string, string | undefined> {
  const inputs = dateInputsOf(html);
  expect(inputs.length, `${path} has date inputs`).toBeGreaterThan(0);
  for (const { name, hint } of inputs) expect(hint ?? '', `${path}: ${name}`).not.toMatch(DATE_FORMAT);
  return Object.fromEntries(inputs.map(({ name, hint }) => [name, hint]));
}

describe('the hints of date inputs', () => {
  it('when any view has a date field, then its hint states no date format, in Swedish or in English', () => {
    const fields = dateFieldsOfViews();
    // The scan finds them: visit days (new review, details), due day and note day, start date, self-assessment day,
    // reply-by (two forms), outcome period, readiness check day.
    expect(fields.length).toBeGreaterThanOrEqual(12);
    const sv = createTranslator('sv');
    const en = createTranslator('en');
    for (const { view, name, hintKey } of fields) {
      if (hintKey === undefined) continue;
      expect(isMessageKey(hintKey), `${view}: ${hintKey}`).toBe(true);
      if (!isMessageKey(hintKey)) continue;
      expect(sv(hintKey), `${view}: ${name}`).not.toMatch(DATE_FORMAT);
      expect(en(hintKey), `${view}: ${name}`).not.toMatch(DATE_FORMAT);
    }
  });

  it('when the format pattern meets the old hints, then it refuses them (the check can fail)', () => {
    for (const old of ['ÅÅÅÅ-MM-DD', 'YYYY-MM-DD', 'Skriv datumet som åååå-mm-dd', 'mm/dd/yyyy', 'till exempel 2026-03-10']) {
      expect(old).toMatch(DATE_FORMAT);
    }
    expect('Lämna tomt för i dag.').not.toMatch(DATE_FORMAT);
  });

  it('when the program’s pages with date fields are opened, then each date input’s hint says what the date means, in both languages', async () => {
    const s = await createProgramScenario();
    const section = s.rubric.sections[0];
    if (!section) throw new Error('no section');
    const coordinator = await s.login(s.coordinator);
    const programLead = await s.login(s.programLead);
    const admin = await s.login(s.admin);
    // The review's details while it is a draft, then its factual check once it is in consensus.
    const pages = [
      { agent: coordinator, path: `/programs/${s.programId}/reviews/new` },
      { agent: coordinator, path: `/reviews/${s.reviewId}/details` },
      { agent: coordinator, path: `/reviews/${s.reviewId}/factual-check/send`, inConsensus: true },
      { agent: admin, path: '/municipalities/0180/programs/new' },
      { agent: admin, path: `/programs/${s.programId}/edit` },
      { agent: programLead, path: `/programs/${s.programId}/self-assessments` },
      { agent: programLead, path: `/programs/${s.programId}/outcomes` },
      { agent: programLead, path: `/programs/${s.programId}/readiness/${s.rubric.id}/sections/${section.id}` },
    ];
    const hints: Record<string, string | undefined> = {};
    for (const { agent, path, inConsensus } of pages) {
      if (inConsensus) {
        startRating(s);
        for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
        if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start the consensus');
      }
      for (const lang of ['sv', 'en']) {
        const page = await agent.get(`${path}?lang=${lang}`);
        expect(page.status, path).toBe(200);
        const found = checkedHints(page.text, `${path} (${lang})`);
        for (const [name, hint] of Object.entries(found)) hints[`${lang}:${name}`] = hint;
      }
    }
    expect(hints).toMatchObject({
      'sv:visit_start': 'Lämna tomt om besöket inte är bokat än.',
      'sv:visit_end': 'Samma dag som den första om besöket bara är en dag.',
      'sv:replyBy': 'Dagen verksamheten ombeds svara senast. Den står på verksamhetens startsida.',
      'sv:start_date': 'När verksamheten började ta emot deltagare.',
      'sv:date': 'Lämna tomt för i dag.',
      'sv:period_start': 'För en period sedan start: dagen verksamheten startade.',
      'sv:period_end': 'Perioden ska ha tagit slut, så den sista dagen är i går eller tidigare.',
      'en:visit_start': 'Leave empty if the visit is not booked yet.',
      'en:replyBy': 'The day the program is asked to reply by. It is shown on the program&#39;s start page.',
      'en:date': 'Leave empty for today.',
      'en:period_end': 'The period must have ended, so its last day is yesterday or earlier.',
    });
    const checked = Object.entries(hints).find(([key]) => key.startsWith('sv:checked__'))?.[1];
    expect(checked).toBe(
      'Har du ändrat något? Lämna fältet tomt, så sparas dagens datum. Har du kontrollerat igen utan att ändra något? Ange dagens datum.',
    );
  });

  it('when an action is opened, then its due day and note day say what they mean, in both languages', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
    expect(s.services.actionPlans.createPlan(s.reviewId, s.programLead.id)).toMatchObject({ outcome: 'created' });
    const id = s.actions.listActionsOfReview(s.reviewId)[0]?.id ?? 0;
    const agent = await s.login(s.programLead);
    const swedish = checkedHints((await agent.get(`/actions/${id}`)).text, 'action (sv)');
    expect(swedish).toEqual({
      due_on: 'Dagen åtgärden ska vara genomförd. Är den inte klar till dess räknas den som försenad.',
      noted_on: 'Lämna tomt för i dag.',
    });
    const english = checkedHints((await agent.get(`/actions/${id}?lang=en`)).text, 'action (en)');
    expect(english).toEqual({
      due_on: 'The day the action is to be done by. If it is not done by then, it counts as overdue.',
      noted_on: 'Leave empty for today.',
    });
  });
});

describe('a date the form refuses', () => {
  it('when a date does not exist, then its message asks for a real date with an example, not a format, in both languages', async () => {
    const s = await createProgramScenario();
    const coordinator = await s.login(s.coordinator);
    const path = `/programs/${s.programId}/reviews/new`;
    const form = { rubric_id: s.rubric.id, kind: 'peer_review', visit_start: '2026-02-30', visit_end: '31 mars' };
    const refused = await postForm(coordinator, path, path, form);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Kontrollera första besöksdag: ange ett datum som finns, till exempel 2026-03-10.');
    expect(refused.text).toContain('Kontrollera sista besöksdag: ange ett datum som finns, till exempel 2026-03-10.');
    expect(refused.text).not.toMatch(/ÅÅÅÅ|YYYY/);
    // What was typed comes back: a text box shows it as it was.
    expect(refused.text).toContain('value="31 mars"');
    const english = await postForm(coordinator, path, `${path}?lang=en`, form);
    expect(english.text).toContain('Check the first day of the visit: enter a real date, for example 2026-03-10.');
    expect(english.text).not.toMatch(/ÅÅÅÅ|YYYY/);
  });
});

describe('a date typed into a text box in place of a date picker', () => {
  it('when a program’s start date is typed as 2021-3-1, then it is stored as 2021-03-01', async () => {
    const s = await createProgramScenario();
    const admin = await s.login(s.admin);
    const path = `/programs/${s.programId}/edit`;
    const saved = await postForm(admin, path, path, {
      name: s.services.municipalities.findProgramById(s.programId)?.name ?? '',
      support_provider: 'Stadsmissionen',
      support_model: 'icm',
      start_date: '2021-3-1',
    });
    expect(saved.status, saved.text.slice(0, 2000)).toBe(303);
    expect(s.services.municipalities.findProgramById(s.programId)?.startDate).toBe('2021-03-01');
  });

  it('when the visit days are typed as 20260302 and 2026/3/3, then the review keeps 2026-03-02 and 2026-03-03', async () => {
    const s = await createProgramScenario();
    const coordinator = await s.login(s.coordinator);
    const path = `/reviews/${s.reviewId}/details`;
    const saved = await postForm(coordinator, path, path, { kind: 'peer_review', visit_start: '20260302', visit_end: '2026/3/3' });
    expect(saved.status).toBe(303);
    expect(s.reviews.findReviewById(s.reviewId)).toMatchObject({ visitStart: '2026-03-02', visitEnd: '2026-03-03' });
  });

  it('when an outcome period is typed as 2024.1.1 to 2024.12.31, then it is stored in the ISO form', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const path = `/programs/${s.programId}/outcomes`;
    const saved = await postForm(agent, path, path, {
      period_start: '2024.1.1',
      period_end: '2024.12.31',
      moved_in: '10',
      still_first_flat: '8',
      still_in_program: '9',
      first_hand_leases: '2',
      evictions: '0',
      complaints: '1',
      clients: '12',
      case_managers: '2',
    });
    expect(saved.status).toBe(303);
    expect(s.outcomes.listPeriods(s.programId)).toMatchObject([{ periodStart: '2024-01-01', periodEnd: '2024-12-31' }]);
  });

  // Sending renders the draft's PDFs, which takes seconds on a busy machine.
  it('when the reply-by day is typed as 2099-1-5, then the factual check keeps that day', { timeout: 60_000 }, async () => {
    const s = await createProgramScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start the consensus');
    const coordinator = await s.login(s.coordinator);
    const sent = await postSendPage(coordinator, s.reviewId, { replyBy: '2099-1-5', knowingly: 'on' });
    expect(sent.status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)?.replyBy).toBe('2099-01-05');
  });
});
