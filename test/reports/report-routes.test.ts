import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { createTestUser, loginAgent, makeTestApp } from '../helpers/test-app.js';
import { binaryParser, extractPdfText, listOutlineTitles, normalizeSpace } from './pdf-text.js';
import { expectReportContent, WORDS } from './report-assertions.js';
import { createReportScenario, type ReportScenario } from './report-fixtures.js';

async function downloadReport(s: ReportScenario, query = '') {
  const agent = await s.login(s.reader);
  return agent.get(`/municipalities/${s.municipalityCode}/report.pdf${query}`).buffer(true).parse(binaryParser);
}

let twoByTwo: Promise<ReportScenario> | undefined;
const downloads = new Map<string, ReturnType<typeof downloadReport>>();

/**
 * The report of two programs with two reviews each, downloaded once per language for the tests that only read it:
 * each download is a render of some 40 pages. A test that changes the data makes a scenario of its own.
 */
async function downloadSharedReport(query: '?lang=sv' | '?lang=en') {
  twoByTwo ??= createReportScenario({ programs: 2, reviewsPerProgram: 2 });
  const s = await twoByTwo;
  let download = downloads.get(query);
  if (!download) {
    download = downloadReport(s, query);
    downloads.set(query, download);
  }
  return { s, response: await download };
}

describe('GET /municipalities/:code/report.pdf', { timeout: 60_000 }, () => {
  it('when the municipality has final reviews, then a logged-in user gets a Swedish PDF with every program, section and score', async () => {
    const { s, response } = await downloadSharedReport('?lang=sv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    expect(response.headers['content-disposition']).toContain('attachment');
    const pdf = response.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expectReportContent(s, pdf, 'sv');
    const text = normalizeSpace(extractPdfText(pdf));
    // The trend against the earlier review with the same rubric.
    expect(text).toContain(WORDS.sv.trend);
    expect(text).toContain('Jämförelse med den förra slutförda granskningen med samma bedömningsmall');
    // The panel on the cover, never who gave which score.
    for (const member of s.panel) expect(text).toContain(member.displayName);
  });

  it('when ?lang=en, then the report is in English with the same verification code', async () => {
    const { s, response } = await downloadSharedReport('?lang=en');
    expect(response.status).toBe(200);
    expectReportContent(s, response.body as Buffer, 'en');
    const text = normalizeSpace(extractPdfText(response.body as Buffer));
    expect(text).toContain(WORDS.en.trend);
    expect(text).toContain('Fidelity report');
  });

  it('when the data is unchanged, then the same bytes are sent again; when it changed, then the report shows the change', async () => {
    const s = await createReportScenario({ programs: 2, reviewsPerProgram: 2 });
    const first = await downloadReport(s, '?lang=sv');
    const second = await downloadReport(s, '?lang=sv');
    expect(first.status).toBe(200);
    expect(Buffer.compare(first.body as Buffer, second.body as Buffer)).toBe(0);
    // The renderer keeps reports by their data (report-renderer.ts): a kept report must never outlive a change.
    const municipalities = createMunicipalityStore(s.db);
    const municipality = municipalities.findMunicipalityByCode(s.municipalityCode);
    if (!municipality) throw new Error('no municipality');
    municipalities.updateMunicipality(municipality.id, { code: s.municipalityCode, name: 'Nyköping' });
    const third = await downloadReport(s, '?lang=sv');
    expect(third.status).toBe(200);
    const text = normalizeSpace(extractPdfText(third.body as Buffer));
    expect(text).toContain('Nyköping');
    expect(text).not.toContain(s.municipalityName);
  });

  it('when rendered, then the PDF is tagged, has its language and title set, and a bookmark per chapter and section', async () => {
    const { s, response } = await downloadSharedReport('?lang=sv');
    expect(response.status).toBe(200);
    const pdf = response.body as Buffer;
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Marked true');
    expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(raw).toContain('/Lang (sv-SE)');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toContain('/PageMode /UseOutlines');
    const info = spawnSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
    expect(info.stdout).toMatch(/^Title:\s+Bostad först – modelltrohet i Stockholm$/m);
    expect(info.stdout).toMatch(/^Tagged:\s+yes$/m);
    const titles = listOutlineTitles(pdf);
    const programNames = s.programs.map((program) => program.name).sort();
    expect(titles.filter((title) => programNames.includes(title)).sort()).toEqual(programNames);
    for (const section of s.rubric.rubric.sections) {
      expect(titles.filter((title) => title === `${section.code} ${section.title.sv}`)).toHaveLength(s.programs.length);
    }
    for (const chapter of ['Översikt', 'Sammanfattning', 'Utveckling sedan förra granskningen', 'Bilaga: Metod', 'Så räknas poängen']) {
      expect(titles).toContain(chapter);
    }
    // Headings are tagged as headings, in reading order.
    const structure = spawnSync('pdfinfo', ['-struct-text', '-'], { input: pdf, encoding: 'utf8' }).stdout;
    expect(structure).toMatch(/^\s+H1 \(block\)\n\s+"Stockholm"$/m);
    expect(structure).toMatch(/^\s+H2 \(block\)\n\s+"A1 En egen bostad är en mänsklig rättighet"$/m);
    expect(structure).toContain('Figure');
  });

  it('when no language is asked for, then the report follows the language of the interface', async () => {
    const s = await createReportScenario();
    const agent = await s.login(s.reader);
    await agent.get('/language/en?next=/');
    const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf`).buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    expect(normalizeSpace(extractPdfText(response.body as Buffer))).toContain('Appendix: Method');
  });

  it('when the rubric has other scales and sections (mini-five), then the figures are right for them', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const response = await downloadReport(s, '?lang=sv');
    expect(response.status).toBe(200);
    expectReportContent(s, response.body as Buffer, 'sv');
    const lines = extractPdfText(response.body as Buffer, { layout: true })
      .split('\n')
      .map((line) => normalizeSpace(line).trim());
    // C1: 1 and 2 of 5 → mean 1,50, 30 %. C2: 2 of 2, 4 and 5 of 5 → 11 of 12 = 91,67 %, no mean across scales.
    // X1: 1 and 2 of 5 → 30 %. Core: (30 + 91,67) / 2 = 60,83 % (Godkänd); Extra 30 % (Svag); overall 50,56 % (Svag).
    // Fidelity percents are shown to the nearest tenth like a hand calculation (the decimal only when it is not 0), with more decimals only where rounding would cross a band.
    expect(lines).toContain('Medelvärde 1,50 (skala 1–5) · 30 % av maxpoängen · 2 av 2 indikatorer bedömda');
    expect(lines).toContain('91,7 % av maxpoängen · 3 av 3 indikatorer bedömda');
    expect(lines).toContain('50,6 % av maxpoängen');
    expect(lines).toContainEqual(expect.stringMatching(/^Kärna – 60,8 % Godkänd$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Tillägg 1,50 \(skala 1–5\) 30 % Svag$/));
    expect(lines).toContainEqual(expect.stringMatching(/^C2 Andra – 91,7 % 3 av 3$/));
    // Spreads in the app's words: lowest–highest with how many raters, and a unanimous score said so.
    expect(lines).toContainEqual(expect.stringMatching(/^C2\.2 Delta följs upp\. 4 av 5 3–5 \(3 bedömare\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^C1\.2 Beta registreras\. 2 av 5 2 \(3 bedömare, alla$/));
  });

  it('when the municipality has no final review, then a 404 page says so and no PDF is sent', async () => {
    const testApp = makeTestApp();
    const municipalities = createMunicipalityStore(testApp.db);
    const id = municipalities.insertMunicipality({ code: '0126', name: 'Huddinge' });
    municipalities.insertProgram({
      municipalityId: id,
      name: 'Bostad först Huddinge',
      supportProvider: 'Stödteamet',
      housingPartners: '',
      supportModel: 'icm',
      startDate: undefined,
    });
    const user = await createTestUser(testApp.db, ['reviewer']);
    const agent = await loginAgent(testApp.app, user.email);
    const response = await agent.get('/municipalities/0126/report.pdf?lang=sv');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('Kommunen har ännu ingen slutförd granskning');
  });

  it('when the municipality does not exist, then a 404 page says so', async () => {
    const s = await createReportScenario();
    const agent = await s.login(s.reader);
    const unknown = await agent.get('/municipalities/9999/report.pdf?lang=en');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('There is no municipality with that code');
    const malformed = await agent.get('/municipalities/abc/report.pdf');
    expect(malformed.status).toBe(404);
  });

  it('when the language is not one of ours, then 404', async () => {
    const s = await createReportScenario();
    const agent = await s.login(s.reader);
    const response = await agent.get(`/municipalities/${s.municipalityCode}/report.pdf?lang=de`);
    expect(response.status).toBe(404);
  });

  it('when nobody is logged in, then it redirects to the login page', async () => {
    const s = await createReportScenario();
    const response = await request(s.app).get(`/municipalities/${s.municipalityCode}/report.pdf`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/login\?next=/);
  });
});

describe('GET /municipalities/:code (report download)', { timeout: 30_000 }, () => {
  it('when the municipality has a final review, then the page offers the report in Swedish and English', async () => {
    const s = await createReportScenario();
    const agent = await s.login(s.reader);
    const page = await agent.get(`/municipalities/${s.municipalityCode}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/municipalities/${s.municipalityCode}/report.pdf?lang=sv"`);
    expect(page.text).toContain(`href="/municipalities/${s.municipalityCode}/report.pdf?lang=en"`);
    expect(page.text).toContain('Ladda ner rapporten på svenska (PDF)');
  });

  it('when the municipality has no final review, then no download is offered', async () => {
    const testApp = makeTestApp();
    createMunicipalityStore(testApp.db).insertMunicipality({ code: '0127', name: 'Botkyrka' });
    const user = await createTestUser(testApp.db, ['reviewer']);
    const agent = await loginAgent(testApp.app, user.email);
    const page = await agent.get('/municipalities/0127');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('report.pdf');
  });
});
