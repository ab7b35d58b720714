// The report as a board document, read from the rendered PDF's text: page 1 carries the verdict
// (level, figures, the panel's judgement, the three highest-priority recommendations), the method part the evidence
// base and the factual check, the last appendix the program's response, and a draft says UTKAST on every page.
import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createProgramMemberStore } from '../../src/program-members/program-member-store.js';
import { renderReportPdf } from '../../src/reports/pdf/render-report-pdf.js';
import { gatherReportData, type ReportData } from '../../src/reports/report-data.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, postSendPage, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { createTestUser } from '../helpers/test-app.js';
import { binaryParser, extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario, testReportFonts } from './report-fixtures.js';

const JUDGEMENT =
  'Verksamheten erbjuder vanliga lägenheter och ett frivilligt stöd. Rutinerna för rättelseanmaning saknas och måste skrivas.';

async function boardData(): Promise<ReportData> {
  const s = await createReportScenario({ reviewsPerProgram: 2 });
  const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
  if (gathered.kind !== 'ok') throw new Error(gathered.kind);
  const [program] = gathered.data.programs;
  const [a, b, c] = s.rubric.rubric.sections;
  if (!program || !a || !b || !c) throw new Error('missing');
  const recommendation = (
    sectionId: string,
    position: number,
    text: string,
    priority: 'high' | 'medium' | 'low',
    owner?: 'provider' | 'board' | 'housing',
  ) => ({ sectionId, kind: 'recommendation' as const, position, text, priority, owner });
  const latest = {
    ...program.latest,
    judgement: { text: JUDGEMENT, version: 1 },
    findings: [
      recommendation(a.id, 1, 'Låg punkt om skyltning', 'low'),
      recommendation(a.id, 2, 'Skriv en rutin för rättelseanmaning', 'high', 'provider'),
      recommendation(b.id, 1, 'Ge socialnämnden en årlig uppföljning', 'high', 'board'),
      recommendation(c.id, 1, 'Teckna förstahandskontrakt från start', 'high', 'housing'),
      recommendation(c.id, 2, 'Medelviktig punkt om utbildning', 'medium'),
    ],
    evidenceBase: {
      staff: 7,
      participants: 5,
      caseOfficers: 2,
      landlords: 3,
      partners: 1,
      caseFiles: 10,
      caseFileAccess: 'consent' as const,
      documents: 'Verksamhetsplan 2026\nRutin för hyresskulder',
      meetings: 'Teammöte',
      oralDebrief: true,
      version: 1,
    },
    factualCheck: {
      sentAt: '2026-04-02T09:00:00.000Z',
      corrections: 'Sidan 4: två case managers, inte en.',
      response: 'Vi tar rekommendationerna till nämnden.',
      responseVersion: 1,
      respondedAt: '2026-04-09T09:00:00.000Z',
      changes: 'Antalet case managers är rättat.',
      changesVersion: 1,
      changesAt: '2026-04-10T09:00:00.000Z',
      sendVersion: 1,
    },
  };
  return { ...gathered.data, programs: [{ ...program, latest }] };
}

const pagesOf = (pdf: Uint8Array) =>
  extractPdfText(pdf)
    .split('\f')
    .filter((page) => page.trim() !== '')
    .map(normalizeSpace);

describe('the board report', { timeout: 90_000 }, () => {
  it('when rendered, then page 1 carries the level, the figures, the change, the judgement and the three highest-priority recommendations', async () => {
    const data = await boardData();
    const model = buildReportModel(data, 'sv');
    const { pdf } = await renderReportPdf(model, testReportFonts());
    const page1 = normalizeSpace(extractPdfText(pdf, { page: 1 }));
    const level = model.chapters[0]?.blocks.find((block) => block.type === 'table');
    expect(level).toBeDefined();
    expect(page1).toContain('Resultat och vad som måste hända');
    expect(page1).toMatch(/(Hög|Godtagbar|Delvis|Låg) modelltrohet/);
    expect(page1).toContain('medelvärde');
    // The change's figure, with its unit on a line of its own under it in the same cell.
    expect(page1).toMatch(/ [+−±]\d[\d,]* /);
    expect(page1).toContain('procentenheter');
    expect(page1).not.toMatch(/procent-\s*enheter/);
    expect(page1).toContain('senast');
    expect(page1).toContain(JUDGEMENT);
    expect(page1).toContain('Skriv en rutin för rättelseanmaning');
    expect(page1).toContain('ansvarig: utföraren av stödet');
    expect(page1).toContain('Ge socialnämnden en årlig uppföljning');
    expect(page1).toContain('Teckna förstahandskontrakt från start');
    expect(page1).not.toContain('Medelviktig punkt om utbildning');
    expect(page1).not.toContain('Låg punkt om skyltning');
  });

  it('when the board or social services own a recommendation outside the top three, then page 1 lists it for them', async () => {
    const data = await boardData();
    const [program] = data.programs;
    const [a] = data.programs[0]?.latest.review.rubric.rubric.sections ?? [];
    if (!program || !a) throw new Error('missing');
    const extra = {
      sectionId: a.id,
      kind: 'recommendation' as const,
      position: 3,
      text: 'Besluta om budget för fler tjänster',
      priority: 'low' as const,
      owner: 'social_services' as const,
    };
    const withExtra = { ...data, programs: [{ ...program, latest: { ...program.latest, findings: [...program.latest.findings, extra] } }] };
    const { pdf } = await renderReportPdf(buildReportModel(withExtra, 'sv'), testReportFonts());
    const page1 = normalizeSpace(extractPdfText(pdf, { page: 1 }));
    const heading = page1.indexOf('Rekommendationer till socialnämnden och socialtjänsten');
    expect(heading).toBeGreaterThan(page1.indexOf('Det viktigaste att göra'));
    expect(page1.indexOf('Besluta om budget för fler tjänster')).toBeGreaterThan(heading);
    // The board's own high-priority item is already among the three most important: not listed twice.
    expect(page1.split('Ge socialnämnden en årlig uppföljning')).toHaveLength(2);
  });

  it('when rendered, then the recommendations are grouped by owner, the evidence base and the factual check are in the method part, and the response is the last appendix', async () => {
    const { pdf } = await renderReportPdf(buildReportModel(await boardData(), 'sv'), testReportFonts());
    const pages = pagesOf(pdf);
    const text = pages.join(' ');
    expect(text).toContain('Rekommendationer efter ansvarig');
    // In reading order (layout): the owners in their order, each group by priority.
    const layout = normalizeSpace(extractPdfText(pdf, { layout: true }));
    const byOwner = layout.slice(layout.lastIndexOf('Rekommendationer efter ansvarig'));
    const at = (needle: string) => byOwner.indexOf(needle);
    expect(at('Utföraren av stödet')).toBeGreaterThan(-1);
    expect(at('Socialnämnden')).toBeGreaterThan(at('Skriv en rutin för rättelseanmaning'));
    expect(at('Hyresvärdar och bostadsbolag')).toBeGreaterThan(at('Ge socialnämnden en årlig uppföljning'));
    expect(at('Ej angiven')).toBeGreaterThan(at('Teckna förstahandskontrakt från start'));
    expect(at('Låg punkt om skyltning')).toBeGreaterThan(at('Medelviktig punkt om utbildning'));
    // People interviewed from landlords and housing companies, not three of each.
    expect(text).toContain(
      '7 medarbetare, 5 deltagare, 2 handläggare, 3 företrädare för hyresvärdar och bostadsbolag, 1 samverkanspartner',
    );
    expect(text).toContain('10 personakter, lästa med deltagarnas samtycke');
    expect(text).toContain('Platsbesöket avslutades med en muntlig återkoppling till verksamheten.');
    expect(text).toContain('skickades till verksamheten för faktagranskning 2 april 2026');
    const last = pages.slice(-2).join(' ');
    expect(last).toContain('Bilaga: verksamhetens svar');
    expect(last).toContain('Sidan 4: två case managers, inte en.');
    expect(last).toContain('Vi tar rekommendationerna till nämnden.');
    expect(last).toContain('Antalet case managers är rättat.');
  });

  it('when the English report is rendered, then page 1 has the verdict in English', async () => {
    const { pdf } = await renderReportPdf(buildReportModel(await boardData(), 'en'), testReportFonts());
    const page1 = normalizeSpace(extractPdfText(pdf, { page: 1 }));
    expect(page1).toContain('The result and what must happen');
    expect(page1).toContain('owner: the support provider');
    expect(page1).toContain(JUDGEMENT);
  });
});

describe('GET /reviews/:id/draft.pdf', { timeout: 90_000 }, () => {
  it('when the coordinator has sent the draft, then the program lead gets it marked UTKAST on every page, with the judgement on page 1', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    s.reviews.saveJudgement(s.reviewId, JUDGEMENT, 0, s.lead.id);
    const programLead = await createTestUser(s.db, ['program_lead']);
    createProgramMemberStore(s.db).setMember(s.programId, programLead.id, 'lead', s.coordinator.id);
    const coordinator = await s.login(s.coordinator);
    expect((await postSendPage(coordinator, s.reviewId)).status).toBe(303);
    const agent = await s.login(programLead);
    const response = await agent.get(`/reviews/${s.reviewId}/draft.pdf?lang=sv`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    const pages = pagesOf(response.body as Buffer);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page).toContain('UTKAST / DRAFT');
    expect(pages[0]).toContain(JUDGEMENT);
    expect(pages[0]).toContain('UTKAST – FÖR FAKTAGRANSKNING');
    // A draft has no response appendix yet, and its method part does not point to one.
    const text = pages.join(' ').replace(/\s+/g, ' ');
    expect(text).not.toContain('Bilaga: verksamhetens svar');
    expect(text).not.toContain('Verksamhetens svar finns i bilagan');
    expect(text).toContain('Verksamhetens svar tas med som bilaga i den slutliga rapporten.');
  });
});
