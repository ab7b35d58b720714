// Sending the draft for the program's factual check: a check page before it goes (what is not decided yet, sent only
// knowingly), the draft kept as it was sent (the program's corrections point at its pages) while the panel is told when
// the review has moved on, where the program's leads are told that a draft waits for them, and the report parts'
// status on the review overview.
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../src/audit/audit-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createProgramScenario, type ProgramScenario } from '../helpers/program-scenario.js';
import { rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import type { Agent } from '../helpers/test-app.js';
import { postForm } from '../helpers/test-app.js';
import { createTestClock, type TestClock } from '../helpers/test-clock.js';
import { binaryParser, extractPdfText, normalizeSpace } from '../reports/pdf-text.js';

const SENT_AT = new Date('2026-12-07T10:00:00.000Z');
// Less than a session's idle time, so the logged-in agents stay logged in.
const LATER = 10 * 60 * 1000;
const JUDGEMENT = 'Panelen skriver sitt samlade omdöme efter utskicket.';

/** The program scenario's peer review in consensus, on a clock standing at 7 December 2026: nothing decided yet. */
async function scenarioInConsensus(): Promise<{ s: ProgramScenario; clock: TestClock }> {
  const clock = createTestClock(SENT_AT);
  const s = await createProgramScenario({ clock: clock.now });
  startRating(s);
  for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start the consensus');
  return { s, clock };
}

function decideAll(s: ProgramScenario): void {
  for (const { indicator } of listIndicators(s.rubric)) {
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
      s.lead.id,
    );
  }
}

const getPdf = async (agent: Agent, path: string): Promise<Buffer> => {
  const response = await agent.get(path).buffer(true).parse(binaryParser);
  expect(response.status, path).toBe(200);
  return response.body as Buffer;
};

const textOf = (pdf: Uint8Array) => normalizeSpace(extractPdfText(pdf));

describe('the check page before the draft is sent', { timeout: 60_000 }, () => {
  it('when nothing is decided, then the factual check leads to a check page listing the undecided sections, and sending without ticking the box is 422 with nothing stored', async () => {
    const { s } = await scenarioInConsensus();
    const coordinator = await s.login(s.coordinator);
    const check = `/reviews/${s.reviewId}/factual-check`;
    const page = await coordinator.get(check);
    expect(page.text).toContain(`<a class="button" href="${check}/send">Kontrollera och skicka utkastet</a>`);
    // The draft does not go with one button on this page.
    expect(page.text).not.toContain(`action="${check}/send"`);

    const send = await coordinator.get(`${check}/send`);
    expect(send.status).toBe(200);
    expect(send.text).toContain('<h1>Kontrollera innan du skickar utkastet</h1>');
    const total = listIndicators(s.rubric).length;
    expect(send.text).toContain(`0 av ${total} indikatorer beslutade`);
    for (const section of s.rubric.sections) {
      expect(send.text).toContain(`href="/reviews/${s.reviewId}/consensus/${section.id}?undecided=1"`);
    }
    expect(send.text).toContain(`Skicka utkastet ändå, fast ${s.rubric.sections.length} avsnitt saknar konsensus`);

    const refused = await postForm(coordinator, `${check}/send`, `${check}/send`, { replyBy: '2026-12-21' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<title>Fel: ');
    expect(refused.text).toContain('Kryssa i att utkastet ska skickas fast alla avsnitt inte har konsensus');
    expect(refused.text).toContain('aria-describedby="err-knowingly"');
    // What was typed comes back.
    expect(refused.text).toContain('value="2026-12-21"');
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();

    const english = await coordinator.get(`${check}/send?lang=en`);
    expect(english.text).toContain('<h1>Check before you send the draft</h1>');
    expect(english.text).toContain(`0 of ${total} indicators decided`);
    expect(english.text).toContain(`Send the draft anyway, although ${s.rubric.sections.length} sections have no consensus`);
  });

  it('when every indicator is decided, then no box is asked for, a reply-by day in the past is refused, and the draft is sent and kept in both languages', async () => {
    const { s } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const send = `/reviews/${s.reviewId}/factual-check/send`;
    const page = await coordinator.get(send);
    expect(page.text).toContain('Alla indikatorer har konsensus.');
    expect(page.text).not.toContain('name="knowingly"');

    const past = await postForm(coordinator, send, send, { replyBy: '2026-12-06' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('Svara senast kan inte vara en dag som har varit: välj i dag eller senare');
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();

    const sent = await postForm(coordinator, send, send, { replyBy: '2026-12-21' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/reviews/${s.reviewId}/factual-check`);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ sentAt: SENT_AT.toISOString(), replyBy: '2026-12-21' });
    for (const locale of ['sv', 'en'] as const) {
      expect(s.reviews.findSentDraftPdf(s.reviewId, locale)?.subarray(0, 5).toString('latin1'), locale).toBe('%PDF-');
    }
    const after = await coordinator.get(`/reviews/${s.reviewId}/factual-check`);
    expect(after.text).toContain('Utkastet är skickat till verksamheten.');
    expect(after.text).toContain('<strong>Svara senast 21 december 2026.</strong>');
    // The audit log keeps the sending with its reply-by day, under the field's own name.
    const log = await coordinator.get(`/reviews/${s.reviewId}/audit`);
    expect(log.text).toContain('Utkast skickat för faktagranskning');
    expect(log.text).toContain('Svara senast');
  });
});

describe('the draft as it was sent', { timeout: 120_000 }, () => {
  it('when the review changes after sending, then the program lead still reads the draft as sent, the panel is told it has changed, and the coordinator may send the new one, which replaces it', async () => {
    const { s, clock } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const lead = await s.login(s.lead);
    const programLead = await s.login(s.programLead);
    const check = `/reviews/${s.reviewId}/factual-check`;
    expect((await postForm(coordinator, `${check}/send`, `${check}/send`, {})).status).toBe(303);

    const asSent = await getPdf(programLead, `/reviews/${s.reviewId}/draft.pdf?lang=sv`);
    expect(asSent.equals(s.reviews.findSentDraftPdf(s.reviewId, 'sv') ?? Buffer.alloc(0))).toBe(true);
    const unchanged = await coordinator.get(check);
    expect(unchanged.text).toContain('Utkastet är oförändrat sedan det skickades.');
    expect(unchanged.text).not.toContain(`href="${check}/send"`);
    // Nothing new to send: the check page goes back to the factual check.
    const nothingNew = await coordinator.get(`${check}/send`);
    expect(nothingNew.status).toBe(303);
    expect(nothingNew.headers.location).toBe(check);

    // The panel writes its judgement after the draft went out.
    expect(s.reviews.saveJudgement(s.reviewId, JUDGEMENT, 0, s.lead.id)).toBe('saved');
    const again = await getPdf(programLead, `/reviews/${s.reviewId}/draft.pdf?lang=sv`);
    expect(again.equals(asSent)).toBe(true);
    expect(textOf(again)).not.toContain('Panelen skriver sitt samlade');
    expect(textOf(await getPdf(coordinator, `/reviews/${s.reviewId}/draft.pdf?lang=sv`))).toContain('Panelen skriver sitt samlade');
    expect((await getPdf(coordinator, `/reviews/${s.reviewId}/draft.pdf?sent=1&lang=sv`)).equals(asSent)).toBe(true);

    const changed = await coordinator.get(check);
    expect(changed.text).toContain(
      'Utkastet har ändrats sedan det skickades 7 december 2026. Verksamheten läser utkastet som det skickades.',
    );
    expect(changed.text).toContain(`href="/reviews/${s.reviewId}/draft.pdf?sent=1&amp;lang=sv"`);
    expect(changed.text).toContain(`<a class="button" href="${check}/send">Kontrollera och skicka det nya utkastet</a>`);
    const forLead = await lead.get(check);
    expect(forLead.text).toContain('Utkastet har ändrats sedan det skickades');
    expect(forLead.text).not.toContain(`href="${check}/send"`);
    expect((await coordinator.get(`${check}?lang=en`)).text).toContain('The draft has changed since it was sent on 7 December 2026.');
    // The program's leads are not told of a draft they have not been sent.
    expect((await programLead.get(check)).text).not.toContain('har ändrats');

    clock.advance(LATER);
    const resendPage = await coordinator.get(`${check}/send`);
    expect(resendPage.text).toContain('Det nya utkastet ersätter det som skickades 7 december 2026.');
    expect(resendPage.text).toContain('Skicka det nya utkastet – det ersätter det som skickades 7 december 2026');
    const resent = await postForm(coordinator, `${check}/send`, `${check}/send`, {});
    expect(resent.status).toBe(303);
    expect((await coordinator.get(check)).text).toContain('Det nya utkastet är skickat till verksamheten.');
    expect(s.reviews.findFactualCheck(s.reviewId)?.sentAt).toBe(new Date(SENT_AT.getTime() + LATER).toISOString());
    const newDraft = await getPdf(programLead, `/reviews/${s.reviewId}/draft.pdf?lang=sv`);
    expect(newDraft.equals(asSent)).toBe(false);
    expect(textOf(newDraft)).toContain('Panelen skriver sitt samlade');
    const audit = createAuditStore(s.db).listEntries(s.reviewId, 500, 0).entries;
    expect(audit.filter((entry) => entry.entity === 'factual_check').map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['insert', 'update']),
    );

    // Finalised, the final report takes the draft's place: the kept drafts go.
    expect((await postForm(lead, `/reviews/${s.reviewId}/finalise`, `/reviews/${s.reviewId}/finalise`, {})).status).toBe(303);
    expect(s.reviews.hasSentDraft(s.reviewId)).toBe(false);
  });
});

describe("where the program's leads are told", () => {
  it('when a draft waits for their factual check, then their start page and the program page say so with the reply-by day and the link; once answered, they do not', async () => {
    const { s } = await scenarioInConsensus();
    const programLead = await s.login(s.programLead);
    const notice = `<a href="/reviews/${s.reviewId}/factual-check">Utkast att faktagranska – svara senast 21 december 2026</a>`;
    expect((await programLead.get('/')).text).not.toContain('Utkast att faktagranska');

    s.reviews.sendFactualCheck(s.reviewId, s.coordinator.id, { sentAt: SENT_AT.toISOString(), draft: undefined, replyBy: '2026-12-21' });
    expect((await programLead.get('/')).text).toContain(notice);
    const program = (await programLead.get(`/programs/${s.programId}`)).text;
    expect(program).toContain(notice);
    // At the top of the page, above the latest result.
    expect(program.indexOf(notice)).toBeLessThan(program.indexOf('id="latest-result"'));
    expect((await programLead.get('/?lang=en')).text).toContain('Draft to fact-check – reply by 21 December 2026');
    // The program's staff do not answer the check.
    expect((await (await s.login(s.staff)).get('/')).text).not.toContain('Utkast att faktagranska');

    expect(s.reviews.saveFactualResponse(s.reviewId, { corrections: '', response: 'Tack.' }, 0, s.programLead.id)).toBe('saved');
    expect((await programLead.get('/')).text).not.toContain('Utkast att faktagranska');
    expect((await programLead.get(`/programs/${s.programId}`)).text).not.toContain('Utkast att faktagranska');
  });

  it('when no reply-by day was set, then the notice says when the draft was sent', async () => {
    const { s } = await scenarioInConsensus();
    s.reviews.sendFactualCheck(s.reviewId, s.coordinator.id, { sentAt: SENT_AT.toISOString(), draft: undefined, replyBy: undefined });
    const home = (await (await s.login(s.programLead)).get('/')).text;
    expect(home).toContain(`<a href="/reviews/${s.reviewId}/factual-check">Utkast att faktagranska – skickat 7 december 2026</a>`);
  });

  it('when a program lead opens the factual check, then a breadcrumb leads back to the municipality and the program', async () => {
    const { s } = await scenarioInConsensus();
    const page = await (await s.login(s.programLead)).get(`/reviews/${s.reviewId}/factual-check`);
    expect(page.text).toContain(
      `<nav aria-label="Du är här"><p><a href="/municipalities/0180">Stockholm</a> › <a href="/programs/${s.programId}">Bostad först Stockholm</a></p></nav>`,
    );
    const coordinator = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}/factual-check`);
    expect(coordinator.text).toContain(
      `<a href="/programs/${s.programId}">Bostad först Stockholm</a> › <a href="/reviews/${s.reviewId}">Granskning av Bostad först Stockholm</a>`,
    );
  });
});

describe("the report's parts on the review overview", () => {
  it('when the judgement is written and the draft is sent and answered, then each part’s status tag says so', async () => {
    const { s } = await scenarioInConsensus();
    const coordinator = await s.login(s.coordinator);
    const overview = () => coordinator.get(`/reviews/${s.reviewId}`).then((response) => response.text);
    const factualCheck = `<a href="/reviews/${s.reviewId}/factual-check">Faktagranskning</a>`;
    let text = await overview();
    expect(text).toContain(`${factualCheck} <strong class="badge badge--draft">Utkastet är inte skickat</strong>`);
    // The coordinator may not open the lead's judgement page: named, with its state, but not linked.
    expect(text).toContain('<span>Samlad bedömning</span> <strong class="badge badge--rating">Saknas – krävs för att slutföra</strong>');
    expect(text).toContain(
      `<a href="/reviews/${s.reviewId}/evidence">Underlag (intervjuer, akter, dokument)</a> <strong class="badge badge--draft">Inte angivet</strong>`,
    );

    s.reviews.saveJudgement(s.reviewId, JUDGEMENT, 0, s.lead.id);
    s.reviews.sendFactualCheck(s.reviewId, s.coordinator.id);
    text = await overview();
    expect(text).toContain('<span>Samlad bedömning</span> <strong class="badge badge--final">Skriven</strong>');
    expect(text).toContain(`${factualCheck} <strong class="badge badge--draft">Skickat, väntar på svar</strong>`);

    s.reviews.saveFactualResponse(s.reviewId, { corrections: 'Sidan 4: två case managers.', response: '' }, 0, s.programLead.id);
    expect(await overview()).toContain(`${factualCheck} <strong class="badge badge--final">Verksamheten har svarat</strong>`);
    expect((await coordinator.get(`/reviews/${s.reviewId}?lang=en`)).text).toContain(
      `Factual check</a> <strong class="badge badge--final">The program has responded</strong>`,
    );
  });
});
