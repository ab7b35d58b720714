// Sending the draft for the program's factual check: a check page before it goes (what is not decided yet, sent only
// knowingly), the draft kept as it was sent (the program's corrections point at its pages) while the panel is told when
// the review has moved on, where the program's leads are told that a draft waits for them, and the report parts'
// status on the review overview.
import { describe, expect, it, vi } from 'vitest';
import { createAuditStore } from '../../src/audit/audit-store.js';
import { RendererBusyError } from '../../src/reports/report-renderer.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createProgramScenario, type ProgramScenario } from '../helpers/program-scenario.js';
import { readForm } from '../helpers/form-fields.js';
import { postSendPage, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
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

    const refused = await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' });
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

    const past = await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-06' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('Svara senast kan inte vara en dag som har varit: välj i dag eller senare');
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();

    const sent = await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' });
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
    expect((await postSendPage(coordinator, s.reviewId)).status).toBe(303);

    const asSent = await getPdf(programLead, `/reviews/${s.reviewId}/draft.pdf?lang=sv`);
    expect(asSent.equals(s.reviews.findSentDraftPdf(s.reviewId, 'sv') ?? Buffer.alloc(0))).toBe(true);
    const unchanged = await coordinator.get(check);
    expect(unchanged.text).toContain('Utkastet är oförändrat sedan det skickades.');
    // Nothing new to send: no button to send it again, only the reply-by day to move.
    expect(unchanged.text).not.toContain('Kontrollera och skicka det nya utkastet');
    expect(unchanged.text).toContain(`<a href="${check}/send">Ändra svara senast</a>`);
    const nothingNew = await coordinator.get(`${check}/send`);
    expect(nothingNew.status).toBe(200);
    expect(nothingNew.text).toContain('<h1>Ändra svara senast</h1>');
    expect(nothingNew.text).not.toContain('Skicka det nya utkastet');

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
    const resent = await postSendPage(coordinator, s.reviewId);
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

describe('moving the reply-by day', { timeout: 120_000 }, () => {
  it("when the draft is unchanged and the coordinator sets a new reply-by day, then only the day moves: the program's leads see it, the draft and its sending day stay, and the log records the move", async () => {
    const { s, clock } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const programLead = await s.login(s.programLead);
    const check = `/reviews/${s.reviewId}/factual-check`;
    expect((await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' })).status).toBe(303);
    const asSent = s.reviews.findSentDraftPdf(s.reviewId, 'sv');
    clock.advance(LATER);

    const page = await coordinator.get(`${check}/send`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Ändra svara senast</h1>');
    expect(page.text).toContain('Utkastet är oförändrat sedan det skickades 7 december 2026, så det skickas inte igen');
    expect(page.text).toContain('value="2026-12-21"');
    expect(page.text).toContain('Ändra svara senast – utkastet skickas inte igen');
    expect(page.text).not.toContain('name="knowingly"');
    expect((await coordinator.get(`${check}/send?lang=en`)).text).toContain('<h1>Change the reply-by day</h1>');

    const moved = await postSendPage(coordinator, s.reviewId, { replyBy: '2027-01-11' });
    expect(moved.status).toBe(303);
    expect(moved.headers.location).toBe(check);
    const after = (await coordinator.get(check)).text;
    expect(after).toContain('Svara senast är ändrat. Utkastet skickades inte igen.');
    expect(after).toContain('Utkastet skickades 7 december 2026. <strong>Svara senast 11 januari 2027.</strong>');
    // Not sent again: the sending day and the draft kept stay as they were.
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ sentAt: SENT_AT.toISOString(), replyBy: '2027-01-11', sendVersion: 2 });
    expect(s.reviews.findSentDraftPdf(s.reviewId, 'sv')?.equals(asSent ?? Buffer.alloc(0))).toBe(true);

    const notice = `<a href="${check}">Utkast att faktagranska – svara senast 11 januari 2027</a>`;
    expect((await programLead.get('/')).text).toContain(notice);
    expect((await programLead.get(`/programs/${s.programId}`)).text).toContain(notice);
    const moves = createAuditStore(s.db)
      .listEntries(s.reviewId, 500, 0)
      .entries.filter((entry) => entry.entity === 'factual_check' && entry.action === 'update');
    expect(moves.map((entry) => [JSON.parse(entry.oldValue ?? '{}'), JSON.parse(entry.newValue ?? '{}')])).toEqual([
      [
        { sent_at: SENT_AT.toISOString(), reply_by: '2026-12-21' },
        { sent_at: SENT_AT.toISOString(), reply_by: '2027-01-11' },
      ],
    ]);

    // Once the program has answered, a later day does not ask them again: no new draft waits for them.
    expect(s.reviews.saveFactualResponse(s.reviewId, { corrections: '', response: 'Tack.' }, 0, s.programLead.id)).toBe('saved');
    expect((await postSendPage(coordinator, s.reviewId, { replyBy: '2027-01-18' })).status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ sentAt: SENT_AT.toISOString(), replyBy: '2027-01-18' });
    expect((await programLead.get('/')).text).not.toContain('Utkast att faktagranska');
    expect((await coordinator.get(`/reviews/${s.reviewId}`)).text).toContain('Verksamheten har svarat');
  });

  it('when the draft changes while the reply-by page is open, then the move is refused with 409 and nothing is sent; the page now offers the new draft with the typed day kept', async () => {
    const { s } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const send = `/reviews/${s.reviewId}/factual-check/send`;
    expect((await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' })).status).toBe(303);
    const asSent = s.reviews.findSentDraftPdf(s.reviewId, 'sv');
    const shown = readForm((await coordinator.get(send)).text, 'send-form').fields;

    expect(s.reviews.saveJudgement(s.reviewId, JUDGEMENT, 0, s.lead.id)).toBe('saved');
    const refused = await coordinator
      .post(send)
      .type('form')
      .send({ ...shown, replyBy: '2027-01-11' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('<title>Fel: ');
    expect(refused.text).toContain('Utkastet har ändrats medan du hade sidan öppen');
    expect(refused.text).toContain('<h1>Kontrollera innan du skickar utkastet</h1>');
    expect(refused.text).toContain('value="2027-01-11"');
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ sentAt: SENT_AT.toISOString(), replyBy: '2026-12-21', sendVersion: 1 });
    expect(s.reviews.findSentDraftPdf(s.reviewId, 'sv')?.equals(asSent ?? Buffer.alloc(0))).toBe(true);

    // Sent again from the page as it is now, the new draft goes with the typed day.
    const again = readForm(refused.text, 'send-form').fields;
    expect((await coordinator.post(send).type('form').send(again)).status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ replyBy: '2027-01-11', sendVersion: 2 });
    expect(textOf(s.reviews.findSentDraftPdf(s.reviewId, 'sv') ?? Buffer.alloc(0))).toContain('Panelen skriver sitt samlade');
  });
});

describe('a send form without its markers', { timeout: 60_000 }, () => {
  it('when the form carries no version or draft fingerprint (a page from before they existed), then it is judged against what is stored now: sent first, then the day moved, never a 422', async () => {
    const { s } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const send = `/reviews/${s.reviewId}/factual-check/send`;
    const { version: _version, draft_base: _base, ...withoutMarkers } = readForm((await coordinator.get(send)).text, 'send-form').fields;

    const sent = await coordinator
      .post(send)
      .type('form')
      .send({ ...withoutMarkers, replyBy: '2026-12-21' });
    expect(sent.status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ replyBy: '2026-12-21', sendVersion: 1 });

    // Malformed markers count as missing too; the draft is unchanged, so only the day moves.
    const moved = await coordinator
      .post(send)
      .type('form')
      .send({ ...withoutMarkers, version: 'x', draft_base: '', replyBy: '2027-01-11' });
    expect(moved.status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ replyBy: '2027-01-11', sendVersion: 2 });
  });
});

describe('a draft that changes while it renders', { timeout: 60_000 }, () => {
  it('when the judgement is saved while the draft waits for the renderer, then the send is refused with 409 as stale and nothing is stored', async () => {
    const { s } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const renderer = s.services.reportRenderer;
    const original = renderer.render.bind(renderer);
    let saved = false;
    // The change lands after the route's early check, while the draft renders: as a save would while it waits in the queue.
    const render = vi.spyOn(renderer, 'render').mockImplementation(async (job) => {
      if (!saved) {
        saved = true;
        expect(s.reviews.saveJudgement(s.reviewId, JUDGEMENT, 0, s.lead.id)).toBe('saved');
      }
      return original(job);
    });

    const refused = await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' });
    expect(render).toHaveBeenCalled();
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Utkastet har ändrats medan du hade sidan öppen');
    expect(refused.text).toContain('value="2026-12-21"');
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();
    expect(s.reviews.findSentDraftPdf(s.reviewId, 'sv')).toBeUndefined();

    // Sent again from the page as it is now, the draft with the judgement goes.
    render.mockRestore();
    const again = readForm(refused.text, 'send-form').fields;
    expect((await coordinator.post(`/reviews/${s.reviewId}/factual-check/send`).type('form').send(again)).status).toBe(303);
    expect(textOf(s.reviews.findSentDraftPdf(s.reviewId, 'sv') ?? Buffer.alloc(0))).toContain('Panelen skriver sitt samlade');
  });
});

describe('what a send decides before it renders the draft', { timeout: 60_000 }, () => {
  it('when a send has nothing to render or was based on an older page, then it is answered without rendering: with the report renderer closed, an unchanged draft moves its day or does nothing, and a stale form is 409 with nothing written', async () => {
    const { s } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    const send = `/reviews/${s.reviewId}/factual-check/send`;
    const check = `/reviews/${s.reviewId}/factual-check`;
    const beforeFirst = readForm((await coordinator.get(send)).text, 'send-form').fields;
    expect((await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' })).status).toBe(303);
    const beforeMove = readForm((await coordinator.get(send)).text, 'send-form').fields;

    // From here on, a render would fail: whatever answers did not render.
    await s.services.reportRenderer.close();

    const nothing = await postSendPage(coordinator, s.reviewId);
    expect(nothing.status).toBe(303);
    expect((await coordinator.get(check)).text).toContain(
      'Inget ändrades: utkastet är oförändrat och svara senast är samma dag som förut.',
    );
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ replyBy: '2026-12-21', sendVersion: 1 });

    expect((await postSendPage(coordinator, s.reviewId, { replyBy: '2027-01-11' })).status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ replyBy: '2027-01-11', sendVersion: 2 });

    // A page shown before the day moved: the day stored now is named beside the one typed, which stays.
    const stale = await coordinator
      .post(send)
      .type('form')
      .send({ ...beforeMove, replyBy: '2027-01-18' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain(
      'Någon annan har skickat utkastet eller ändrat svara senast medan du hade sidan öppen. Nu gäller: skickat 7 december 2026, svara senast 11 januari 2027.',
    );
    expect(stale.text).toContain('value="2027-01-18"');
    expect(readForm(stale.text, 'send-form').fields.version).toBe('2');
    // A page shown before the first sending, as a second tab would be.
    const staleFirst = await coordinator
      .post(send)
      .type('form')
      .send({ ...beforeFirst, replyBy: '2027-02-01' });
    expect(staleFirst.status).toBe(409);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({ sentAt: SENT_AT.toISOString(), replyBy: '2027-01-11', sendVersion: 2 });
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

describe('a send while too many reports wait', { timeout: 60_000 }, () => {
  it('when the report renderer is full, then the check page comes back with 503, Retry-After, "Fel:" in its title and the typed day, and nothing is sent', async () => {
    const { s } = await scenarioInConsensus();
    decideAll(s);
    const coordinator = await s.login(s.coordinator);
    // The pool's own refusal is tested in test/reports/report-renderer.test.ts; here the route's answer to it.
    const render = vi.spyOn(s.services.reportRenderer, 'render').mockRejectedValue(new RendererBusyError('full'));

    const busy = await postSendPage(coordinator, s.reviewId, { replyBy: '2026-12-21' });
    expect(render).toHaveBeenCalled();
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('10');
    expect(busy.text).toContain('<title>Fel: Kontrollera innan du skickar utkastet');
    expect(busy.text).toContain('eftersom många rapporter väntar. Inget skickades.');
    expect(busy.text).toContain('value="2026-12-21"');
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();

    // A form posted without its markers comes back with those it was judged by.
    const shown = readForm((await coordinator.get(`/reviews/${s.reviewId}/factual-check/send`)).text, 'send-form').fields;
    const { version: _version, draft_base: _base, ...withoutMarkers } = shown;
    const again = await coordinator.post(`/reviews/${s.reviewId}/factual-check/send`).type('form').send(withoutMarkers);
    expect(again.status).toBe(503);
    expect(readForm(again.text, 'send-form').fields).toMatchObject({ version: '0', draft_base: shown.draft_base });
  });
});
