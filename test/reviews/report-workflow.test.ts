// The report's own parts of a review: the overall judgement, priorities and owners of
// recommendations, the evidence base and the factual check, through their pages and the stored state.
import { readForm } from '../helpers/form-fields.js';
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../src/audit/audit-store.js';
import { createProgramMemberStore } from '../../src/program-members/program-member-store.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import {
  createReviewScenario,
  type ReviewScenario,
  startRating,
  createScenarioInConsensus,
  postSendPage,
} from '../helpers/review-scenario.js';
import { createTestUser, postForm } from '../helpers/test-app.js';

function decideAll(s: ReviewScenario) {
  for (const { indicator } of listIndicators(s.rubric)) {
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
      s.lead.id,
    );
  }
}

async function addProgramLead(s: ReviewScenario) {
  const person = await createTestUser(s.db, ['program_lead'], { displayName: 'Pia Programledare' });
  createProgramMemberStore(s.db).setMember(s.programId, person.id, 'lead', s.coordinator.id);
  return person;
}

const auditEntities = (s: ReviewScenario) =>
  createAuditStore(s.db)
    .listEntries(s.reviewId, 500, 0)
    .entries.map((e) => e.entity);

describe('the overall judgement', () => {
  it('when the lead saves it, then it is stored and finalising, refused before, goes ahead', async () => {
    const s = await createScenarioInConsensus();
    decideAll(s);
    const lead = await s.login(s.lead);
    const check = await lead.get(`/reviews/${s.reviewId}/finalise`);
    expect(check.text).toContain(`href="/reviews/${s.reviewId}/judgement"`);
    expect(check.text).toContain('Saknas – krävs för att slutföra');
    const refused = await postForm(lead, `/reviews/${s.reviewId}/finalise`, `/reviews/${s.reviewId}/finalise`, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Panelens samlade bedömning saknas.');
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('consensus');

    const text = 'Verksamheten har kommit långt. Bostäderna är vanliga lägenheter, men stödet saknar rutiner för rättelseanmaning.';
    const saved = await postForm(lead, `/reviews/${s.reviewId}/judgement`, `/reviews/${s.reviewId}/judgement`, {
      judgement: text,
      version: '0',
    });
    expect(saved.status).toBe(303);
    expect(s.reviews.findJudgement(s.reviewId)).toEqual({ text, version: 1 });
    expect(auditEntities(s)).toContain('judgement');
    const log = await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}/audit`);
    expect(log.text).toContain('Panelens samlade bedömning');
    const finalised = await postForm(lead, `/reviews/${s.reviewId}/finalise`, `/reviews/${s.reviewId}/finalise`, {});
    expect(finalised.status).toBe(303);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('final');
  });

  it('when it is empty or holds a personnummer, then 422 keeps what was typed', async () => {
    const s = await createScenarioInConsensus();
    const lead = await s.login(s.lead);
    const empty = await postForm(lead, `/reviews/${s.reviewId}/judgement`, `/reviews/${s.reviewId}/judgement`, {
      judgement: '  ',
      version: '0',
    });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Fel: ');
    const typed = 'Samtal med deltagare 19121212-1212 visade brister.';
    const pnr = await postForm(lead, `/reviews/${s.reviewId}/judgement`, `/reviews/${s.reviewId}/judgement`, {
      judgement: typed,
      version: '0',
    });
    expect(pnr.status).toBe(422);
    expect(pnr.text).toContain('personnummer');
    expect(pnr.text).toContain(typed);
    expect(s.reviews.findJudgement(s.reviewId)).toBeUndefined();
  });

  it('when the form is based on an older version, then 409 keeps the typed text and shows the stored one', async () => {
    const s = await createScenarioInConsensus();
    s.reviews.saveJudgement(s.reviewId, 'Första versionen.', 0, s.lead.id);
    const lead = await s.login(s.lead);
    const stale = await postForm(lead, `/reviews/${s.reviewId}/judgement`, `/reviews/${s.reviewId}/judgement`, {
      judgement: 'Min text.',
      version: '0',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Min text.');
    expect(stale.text).toContain('Första versionen.');
    expect(stale.text).toContain('name="version" value="1"');
    expect(s.reviews.findJudgement(s.reviewId)?.text).toBe('Första versionen.');
  });

  it('when anyone but the lead asks, then 403; outside consensus 404 before and 409 for the lead after', async () => {
    const s = await createScenarioInConsensus();
    expect((await (await s.login(s.reviewerA)).get(`/reviews/${s.reviewId}/judgement`)).status).toBe(403);
    expect((await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}/judgement`)).status).toBe(403);
    expect((await (await s.login(s.outsider)).get(`/reviews/${s.reviewId}/judgement`)).status).toBe(404);
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/judgement`);
    decideAll(s);
    s.reviews.saveJudgement(s.reviewId, 'Klar.', 0, s.lead.id);
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    const late = await lead
      .post(`/reviews/${s.reviewId}/judgement`)
      .type('form')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '', judgement: 'Sent skriven', version: '1' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Sent skriven');
  });
});

describe('priorities and owners of recommendations', () => {
  /**
   * A section in consensus with two saved recommendations ("Skriv rutinen", "Ordna styrgrupp"); `save` posts its
   * findings form with the typed lines and each row's priority and owner, and `stored` reads the recommendations back.
   */
  async function twoRecommendations() {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    s.reviews.replaceFindings(
      s.reviewId,
      [{ sectionId: section.id, strengths: ['S'], recommendations: ['Skriv rutinen', 'Ordna styrgrupp'] }],
      s.lead.id,
    );
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${section.id}`);
    const shown = readForm(page.text, 'consensus-form');
    const save = (lines: string, rows: readonly (readonly [string, string])[]) =>
      lead
        .post(shown.action)
        .type('form')
        .send({
          ...shown.fields,
          [`strengths__${section.id}`]: 'S',
          [`recommendations__${section.id}`]: lines,
          ...Object.fromEntries(
            rows.flatMap(([priority, owner], index) => [
              [`rec_text__${section.id}__${index}`, index === 0 ? 'Skriv rutinen' : 'Ordna styrgrupp'],
              [`rec_priority__${section.id}__${index}`, priority],
              [`rec_owner__${section.id}__${index}`, owner],
            ]),
          ),
        });
    const stored = () =>
      s.reviews
        .listFindings(s.reviewId)
        .filter((f) => f.kind === 'recommendation')
        .map((f) => [f.text, f.priority, f.owner]);
    return { s, section, page, save, stored };
  }

  it('when the lead chooses a priority and an owner per recommendation, then they are stored, kept by text when lines move, and new lines get medium', async () => {
    const { s, section, page, save, stored } = await twoRecommendations();
    expect(page.text).toContain(`name="rec_priority__${section.id}__1"`);
    expect(page.text).toContain('Ej angiven');
    // Reordered, with a new line.
    const saved = await save('Ordna styrgrupp\nSkriv rutinen\nNy punkt', [
      ['high', 'provider'],
      ['low', 'board'],
    ]);
    expect(saved.status).toBe(303);
    expect(stored()).toEqual([
      ['Ordna styrgrupp', 'low', 'board'],
      ['Skriv rutinen', 'high', 'provider'],
      ['Ny punkt', 'medium', undefined],
    ]);
    // The whole-review form has no rows: a save there keeps each text's priority and owner.
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: section.id, strengths: ['S2'], recommendations: ['Skriv rutinen'] }], s.lead.id);
    expect(stored()).toEqual([['Skriv rutinen', 'high', 'provider']]);
  });

  it('when the lead edits a line and changes its priority and owner in the same save, then the edited line keeps them', async () => {
    const { save, stored } = await twoRecommendations();
    // The first line edited (a full stop added), the second as it was.
    const saved = await save('Skriv rutinen.\nOrdna styrgrupp', [
      ['high', 'provider'],
      ['low', ''],
    ]);
    expect(saved.status).toBe(303);
    expect(stored()).toEqual([
      ['Skriv rutinen.', 'high', 'provider'],
      ['Ordna styrgrupp', 'low', undefined],
    ]);
  });

  it('when a row holds a value that is no choice, then 422 keeps the typed boxes and nothing is saved', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: section.id, strengths: [], recommendations: ['Skriv rutinen'] }], s.lead.id);
    const lead = await s.login(s.lead);
    const refused = await postForm(
      lead,
      `/reviews/${s.reviewId}/consensus/${section.id}`,
      `/reviews/${s.reviewId}/consensus/${section.id}/findings`,
      {
        [`recommendations__${section.id}`]: 'Skriv rutinen\nEn till',
        [`rec_text__${section.id}__0`]: 'Skriv rutinen',
        [`rec_priority__${section.id}__0`]: 'urgent',
        [`rec_owner__${section.id}__0`]: 'provider',
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('En till');
    expect(s.reviews.listFindings(s.reviewId).filter((f) => f.kind === 'recommendation')).toHaveLength(1);
  });
});

describe('the evidence base', () => {
  const counts = { staff: '6', participants: '5', caseOfficers: '2', landlords: '2', partners: '1', caseFiles: '10' };

  it('when a coordinator records it before final, then the counts and texts are stored and audited', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    const saved = await postForm(coordinator, `/reviews/${s.reviewId}/evidence`, `/reviews/${s.reviewId}/evidence`, {
      ...counts,
      caseFileAccess: 'consent',
      documents: 'Verksamhetsplan 2026\nRutin för rättelseanmaning',
      meetings: 'Teammöte',
      oralDebrief: '1',
      version: '0',
    });
    expect(saved.status).toBe(303);
    expect(s.reviews.findEvidenceBase(s.reviewId)).toMatchObject({
      staff: 6,
      participants: 5,
      caseOfficers: 2,
      caseFiles: 10,
      caseFileAccess: 'consent',
      oralDebrief: true,
      version: 1,
    });
    expect(auditEntities(s)).toContain('evidence_base');
  });

  it('when case files were read without saying how, a count is not a number, or a text holds a personnummer, then 422 keeps the values', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const lead = await s.login(s.lead);
    const refused = await postForm(lead, `/reviews/${s.reviewId}/evidence`, `/reviews/${s.reviewId}/evidence`, {
      ...counts,
      staff: 'sex',
      documents: 'Akt för 19121212-1212',
      meetings: 'Teammöte',
      version: '0',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Välj hur akterna lästes');
    expect(refused.text).toContain('value="sex"');
    // The message says what to type, not only that the value is wrong.
    expect(refused.text).toContain('Ange verksamhetens medarbetare som ett heltal, till exempel 12.');
    expect(refused.text).toContain('Teammöte');
    expect(refused.text).toContain('personnummer');
    expect(s.reviews.findEvidenceBase(s.reviewId)).toBeUndefined();
  });

  it('when nothing is stored, then the counts are blank; a count left blank is refused, not saved as 0', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const lead = await s.login(s.lead);
    const form = await lead.get(`/reviews/${s.reviewId}/evidence`);
    expect(form.status).toBe(200);
    for (const name of Object.keys(counts)) expect(form.text).toMatch(new RegExp(`name="${name}"[^>]*value=""`));
    const refused = await postForm(lead, `/reviews/${s.reviewId}/evidence`, `/reviews/${s.reviewId}/evidence`, {
      ...counts,
      partners: '',
      caseFileAccess: 'consent',
      meetings: 'Teammöte',
      version: '0',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Samverkanspartner: skriv antalet, 0 om det inte fanns några');
    expect(refused.text).not.toContain('som ett heltal');
    expect(refused.text).toContain('value="6"');
    expect(refused.text).toContain('Teammöte');
    expect(s.reviews.findEvidenceBase(s.reviewId)).toBeUndefined();
    // A written 0 is a count like any other.
    const saved = await postForm(lead, `/reviews/${s.reviewId}/evidence`, `/reviews/${s.reviewId}/evidence`, {
      ...counts,
      partners: '0',
      caseFileAccess: 'consent',
      version: '0',
    });
    expect(saved.status).toBe(303);
    expect(s.reviews.findEvidenceBase(s.reviewId)?.partners).toBe(0);
  });

  it('when saved on an older version, then 409 keeps the typed values; a reviewer gets 403', async () => {
    const s = await createReviewScenario();
    startRating(s);
    s.reviews.saveEvidenceBase(
      s.reviewId,
      {
        staff: 1,
        participants: 1,
        caseOfficers: 0,
        landlords: 0,
        partners: 0,
        caseFiles: 0,
        caseFileAccess: undefined,
        documents: '',
        meetings: '',
        oralDebrief: false,
      },
      0,
      s.coordinator.id,
    );
    const lead = await s.login(s.lead);
    const stale = await postForm(lead, `/reviews/${s.reviewId}/evidence`, `/reviews/${s.reviewId}/evidence`, {
      ...counts,
      caseFileAccess: 'anonymised',
      version: '0',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('value="10"');
    expect(s.reviews.findEvidenceBase(s.reviewId)?.staff).toBe(1);
    expect((await (await s.login(s.reviewerA)).get(`/reviews/${s.reviewId}/evidence`)).status).toBe(403);
  });
});

describe('the evidence base on the overview', () => {
  it('when the viewer may open it (the coordinator, the lead), then the overview links to it; a panel member who may not sees no link', async () => {
    const s = await createScenarioInConsensus();
    const evidenceLink = `href="/reviews/${s.reviewId}/evidence"`;
    for (const person of [s.coordinator, s.lead]) {
      const agent = await s.login(person);
      expect((await agent.get(`/reviews/${s.reviewId}`)).text).toContain(evidenceLink);
      expect((await agent.get(`/reviews/${s.reviewId}/evidence`)).status).toBe(200);
    }
    const reviewer = await s.login(s.reviewerA);
    const overview = await reviewer.get(`/reviews/${s.reviewId}`);
    expect(overview.status).toBe(200);
    expect(overview.text).not.toContain(evidenceLink);
    expect((await reviewer.get(`/reviews/${s.reviewId}/evidence`)).status).toBe(403);
    // The other report parts a panel member may open are still listed.
    expect(overview.text).toContain(`href="/reviews/${s.reviewId}/factual-check"`);
  });
});

// Sending renders the draft in both languages, to be kept as sent.
describe('the factual check', { timeout: 60_000 }, () => {
  it('when the coordinator sends the draft, the program lead answers and the lead records the changes, then each step is stored and audited', async () => {
    const s = await createScenarioInConsensus();
    const programLead = await addProgramLead(s);
    const pl = await s.login(programLead);
    // The program page links the program's leads to the check.
    expect((await pl.get(`/programs/${s.programId}`)).text).toContain(`href="/reviews/${s.reviewId}/factual-check"`);
    // Before it is sent, the program lead sees that nothing has come yet and cannot open the draft.
    expect((await pl.get(`/reviews/${s.reviewId}/factual-check`)).text).toContain('Utkastet har inte skickats till verksamheten.');
    expect((await pl.get(`/reviews/${s.reviewId}/draft.pdf`)).status).toBe(404);

    const coordinator = await s.login(s.coordinator);
    // Nothing is decided yet: the draft goes only knowingly (the check page's box).
    const sent = await postSendPage(coordinator, s.reviewId, { knowingly: '1' });
    expect(sent.status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)?.sentAt).toBeDefined();
    // Only the coordinator sends; only the program's leads answer.
    expect(
      (await postForm(await s.login(s.lead), `/reviews/${s.reviewId}/factual-check`, `/reviews/${s.reviewId}/factual-check/send`, {}))
        .status,
    ).toBe(403);
    expect((await coordinator.get(`/reviews/${s.reviewId}/factual-check/response`)).status).toBe(403);
    expect((await (await s.login(s.outsider)).get(`/reviews/${s.reviewId}/factual-check`)).status).toBe(404);

    const empty = await postForm(pl, `/reviews/${s.reviewId}/factual-check/response`, `/reviews/${s.reviewId}/factual-check/response`, {
      corrections: '',
      response: '',
      version: '0',
    });
    expect(empty.status).toBe(422);
    const answered = await postForm(pl, `/reviews/${s.reviewId}/factual-check/response`, `/reviews/${s.reviewId}/factual-check/response`, {
      corrections: 'Sidan 4: vi har två case managers till, inte en.',
      response: 'Vi tackar panelen och tar med rekommendationerna till socialnämnden.',
      version: '0',
    });
    expect(answered.status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)).toMatchObject({
      corrections: 'Sidan 4: vi har två case managers till, inte en.',
      responseVersion: 1,
    });
    const stale = await postForm(pl, `/reviews/${s.reviewId}/factual-check/response`, `/reviews/${s.reviewId}/factual-check/response`, {
      corrections: 'Annan text',
      response: '',
      version: '0',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Annan text');
    expect(stale.text).toContain('Vi tackar panelen');

    const lead = await s.login(s.lead);
    const changes = await postForm(lead, `/reviews/${s.reviewId}/factual-check/changes`, `/reviews/${s.reviewId}/factual-check/changes`, {
      changes: 'Antalet case managers är rättat i B6.',
      version: '0',
    });
    expect(changes.status).toBe(303);
    expect(s.reviews.findFactualCheck(s.reviewId)?.changes).toBe('Antalet case managers är rättat i B6.');
    expect((await pl.get(`/reviews/${s.reviewId}/factual-check/changes`)).status).toBe(403);
    expect(auditEntities(s)).toEqual(expect.arrayContaining(['factual_check', 'factual_check_response', 'factual_check_changes']));
  });

  it('when sent before consensus, then 409 and nothing is stored', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    const early = await postForm(coordinator, `/reviews/${s.reviewId}/factual-check`, `/reviews/${s.reviewId}/factual-check/send`, {});
    expect(early.status).toBe(409);
    expect(s.reviews.findFactualCheck(s.reviewId)).toBeUndefined();
  });
});
