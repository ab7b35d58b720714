import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, type Person, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';

const RATIONALE = 'Nästan alla har förstahandskontrakt enligt akterna.';
const STRENGTH = 'Alla deltagare har ett eget kontrakt';
const RECOMMENDATION = 'Följ upp tiden från beslut till nycklar';

/** As EJS escapes text: enough to find rubric texts in the page. */
function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** The page's own content, without the header that names the logged-in user. */
function mainOf(html: string): string {
  const match = /<main[^>]*>([\s\S]*)<\/main>/.exec(html);
  if (!match?.[1]) throw new Error('no <main> on the page');
  return match[1];
}

/** Rating done by the panel (lead 2 on the first indicator and 3 elsewhere, the reviewers 4 and 3), now in consensus. */
function reachConsensus(s: ReviewScenario): void {
  startRating(s);
  rateAndSubmit(s, s.lead.id, (_min, _max, index) => (index === 0 ? 2 : 3), 'Leads egen anteckning');
  rateAndSubmit(s, s.reviewerA.id, () => 4);
  rateAndSubmit(s, s.reviewerB.id, () => 3);
  if (!s.reviews.transition(s.reviewId, 'rating', 'consensus')) throw new Error('could not start consensus');
}

/**
 * Consensus 4 on the first indicator and 3 on all others, findings for the first section, then final.
 * On rubric 2.0, A1 has six indicators: mean (4 + 5 × 3) / 6 = 3.17, 79,2 %. Every other section: 3.00, 75 %.
 * The principles decide: (79.17 + 7 × 75) / 8 = 75.5 % → adequate; mean (3.167 + 7 × 3) / 8 = 3.02.
 */
function decideAndFinalise(s: ReviewScenario, finalise = true): void {
  listIndicators(s.rubric).forEach(({ indicator }, index) => {
    const input = { indicatorId: indicator.id, score: index === 0 ? 4 : 3, notApplicable: false, rationale: index === 0 ? RATIONALE : '' };
    if (s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome !== 'saved') throw new Error('consensus not saved');
  });
  const firstSection = s.rubric.sections[0];
  if (!firstSection) throw new Error('rubric without sections');
  s.reviews.replaceFindings(s.reviewId, [{ sectionId: firstSection.id, strengths: [STRENGTH], recommendations: [RECOMMENDATION] }]);
  if (finalise && !s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
}

async function finalScenario(): Promise<ReviewScenario> {
  const s = await createReviewScenario();
  reachConsensus(s);
  decideAndFinalise(s);
  return s;
}

async function getResult(s: ReviewScenario, person: Person, query = '') {
  const agent = await s.login(person);
  return agent.get(`/reviews/${s.reviewId}/result${query}`);
}

/** A section's own result page (the first section's unless named): its indicators, rationales and findings. */
async function getSection(s: ReviewScenario, person: Person, query = '', sectionId = s.rubric.sections[0]?.id ?? '') {
  const agent = await s.login(person);
  return agent.get(`/reviews/${s.reviewId}/result/${sectionId}${query}`);
}

describe('GET /reviews/:id/result', () => {
  it('when the review is final, then any logged-in user sees the scores, level, rationale and findings in Swedish', async () => {
    const s = await finalScenario();
    const response = await getResult(s, s.outsider);
    expect(response.status).toBe(200);
    const html = response.text;
    expect(html).toContain('<h1>Resultat: Bostad först Stockholm</h1>');
    for (const section of s.rubric.sections) expect(html).toContain(escapeHtml(section.title.sv));
    expect(html).toContain('3,17 (skala 1–4)');
    expect(html).toContain('3,00 (skala 1–4)');
    expect(html).toContain('medelvärde 3,02 (skala 1–4)');
    expect(html).toContain('Nivån avgörs av');
    expect(html).toContain('79,2\u00a0%');
    expect(html).toContain('Godtagbar modelltrohet');
    expect(html).toContain('8 av 8 avsnitt i de delar som avgör nivån har poäng');
    // The result is split by section (ux.md 7): the whole result links each section to its page, which holds the
    // indicators, their rationales and the section's findings.
    const first = s.rubric.sections[0];
    expect(html).toContain(`href="/reviews/${s.reviewId}/result/${first?.id}"`);
    expect(html).not.toContain(RATIONALE);
    expect(html).not.toContain(STRENGTH);
    const section = await getSection(s, s.outsider);
    expect(section.status).toBe(200);
    const sectionHtml = section.text;
    expect(sectionHtml).toContain(`<h1>${first?.code} ${escapeHtml(first?.title.sv ?? '')}</h1>`);
    expect(sectionHtml).toContain(`href="/reviews/${s.reviewId}/result">Hela resultatet</a>`);
    expect(sectionHtml).toContain(`href="/reviews/${s.reviewId}/result/${s.rubric.sections[1]?.id}" rel="next"`);
    expect(sectionHtml).toContain(RATIONALE);
    expect(sectionHtml).toContain(STRENGTH);
    expect(sectionHtml).toContain(RECOMMENDATION);
    // The first indicator: consensus 4 with its anchor; raters gave 2, 4 and 3.
    const firstIndicator = first?.indicators[0];
    expect(sectionHtml).toContain(escapeHtml(firstIndicator?.scale.anchors['4']?.sv ?? 'missing anchor'));
    expect(sectionHtml).toContain('2–4 (3 bedömare)');
    expect(sectionHtml).toContain('3–4 (3 bedömare)');
    expect(mainOf(sectionHtml)).not.toContain('style=');
    expect((await getSection(s, s.outsider, '', 'no-such-section')).status).toBe(404);
    expect(html).not.toContain('Förhandsvisning');
    // Bars are drawn by SVG attributes: the Content-Security-Policy forbids style attributes.
    expect(html).toContain('<rect x="0" y="0" width="79.2" height="10"');
    expect(mainOf(html)).not.toContain('style=');
  });

  it('when asked in English, then texts are English and numbers use a decimal point', async () => {
    const s = await finalScenario();
    const response = await getResult(s, s.outsider, '?lang=en');
    expect(response.status).toBe(200);
    const html = response.text;
    expect(html).toContain('<h1>Result: Bostad först Stockholm</h1>');
    expect(html).toContain(escapeHtml(s.rubric.sections[0]?.title.en ?? 'missing'));
    expect(html).toContain('3.17 (scale 1–4)');
    expect(html).toContain('mean 3.02 (scale 1–4)');
    expect(html).toContain('79.2%');
    expect(html).toContain('Adequate fidelity');
    expect(html).not.toContain('3,17');
    const section = (await getSection(s, s.outsider, '?lang=en')).text;
    expect(section).toContain('2–4 (3 raters)');
    // The panel wrote in Swedish: those texts carry lang="sv" in the English page (WCAG 3.1.2); the Swedish page none.
    expect(section).toMatch(/<dd lang="sv">Nästan alla har förstahandskontrakt enligt akterna\.<\/dd>/);
    expect(section).toMatch(new RegExp(`<ul lang="sv"><li>${STRENGTH}</li>`));
    expect((await getSection(s, s.outsider)).text).not.toContain('lang="sv"><');
  });

  it('never shows who rated what: no rater names and no raters’ notes', async () => {
    const s = await finalScenario();
    const raterNames = [s.lead, s.reviewerA, s.reviewerB].map((p) => p.displayName);
    for (const asOutsider of [await getResult(s, s.outsider), await getSection(s, s.outsider)]) {
      for (const name of raterNames) expect(asOutsider.text).not.toContain(name);
      expect(asOutsider.text).not.toContain('Leads egen anteckning');
    }
    // A panel member's own name is in the header ("Logged in as"), so look at the page content only.
    const asLead = await getResult(s, s.lead);
    expect(asLead.status).toBe(200);
    for (const name of raterNames) expect(mainOf(asLead.text)).not.toContain(name);
  });

  it('when the viewer is on the panel or a coordinator, then there is a link to the overview; otherwise not', async () => {
    const s = await finalScenario();
    const overviewLink = `href="/reviews/${s.reviewId}"`;
    expect((await getResult(s, s.reviewerA)).text).toContain(overviewLink);
    expect((await getResult(s, s.coordinator)).text).toContain(overviewLink);
    expect((await getResult(s, s.outsider)).text).not.toContain(overviewLink);
  });

  it('when the review is in draft or rating, then it is 404 for everyone, the panel and the coordinator included', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    expect((await getResult(s, s.coordinator)).status).toBe(404);
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, () => 4);
    for (const person of [s.coordinator, s.lead, s.reviewerA, s.reviewerB, s.outsider]) {
      const response = await getResult(s, person);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('Bostad först Stockholm');
    }
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('rating');
  });

  it('when the review is in consensus, then the panel and coordinators see a preview and others get 404', async () => {
    const s = await createReviewScenario();
    reachConsensus(s);
    const firstIndicator = s.rubric.sections[0]?.indicators[0];
    if (!firstIndicator) throw new Error('rubric without indicators');
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: firstIndicator.id, score: 4, notApplicable: false, rationale: RATIONALE },
      s.lead.id,
    );
    for (const person of [s.lead, s.reviewerB, s.coordinator]) {
      const response = await getResult(s, person);
      expect(response.status).toBe(200);
      expect(response.text).toContain('Förhandsvisning: granskningen är inte slutförd');
      const section = await getSection(s, person);
      expect(section.status).toBe(200);
      expect(section.text).toContain('Förhandsvisning: granskningen är inte slutförd');
      expect(section.text).toContain('Ingen konsensus');
      expect(section.text).toContain(RATIONALE);
    }
    expect((await getResult(s, s.outsider)).status).toBe(404);
    expect((await getSection(s, s.outsider)).status).toBe(404);
  });

  it('when a later round of the program is final, then an earlier round says the report shows the later one', async () => {
    const s = await finalScenario();
    const loaded = s.rubrics.get('bostad-forst');
    if (!loaded) throw new Error('rubric missing');
    const laterId = s.reviews.insertReview({
      programId: s.programId,
      rubric: loaded,
      kind: 'peer_review',
      visitStart: '2026-10-05',
      visitEnd: '2026-10-06',
      createdBy: s.coordinator.id,
    });
    const later = { ...s, reviewId: laterId };
    reachConsensus(later);
    decideAndFinalise(later);

    const earlier = mainOf((await getResult(s, s.outsider)).text);
    expect(earlier).toContain(
      'Det här är inte verksamhetens senaste granskning. Kommunens rapport bygger på den senaste, från 5 oktober 2026.',
    );
    expect(earlier).toContain(`<a href="/reviews/${laterId}/result">Se resultatet av den senaste granskningen</a>`);
    expect(earlier).toContain('Ladda ner kommunens rapport med den senaste granskningen (PDF)');
    expect(earlier).toContain('href="/municipalities/0180/report.pdf"');
    const earlierEnglish = mainOf((await getResult(s, s.outsider, '?lang=en')).text);
    expect(earlierEnglish).toContain(
      escapeHtml("This is not the program's latest review. The municipality's report is based on the latest, of 5 October 2026."),
    );

    const latest = mainOf((await getResult(later, s.outsider)).text);
    expect(latest).not.toContain('inte verksamhetens senaste');
    expect(latest).toContain('Ladda ner rapporten (PDF)');
    expect(latest).toContain('href="/municipalities/0180/report.pdf"');
  });

  it('when the review is a preview in consensus, then there is no report link', async () => {
    const s = await createReviewScenario();
    reachConsensus(s);
    decideAndFinalise(s, false);
    const page = mainOf((await getResult(s, s.lead)).text);
    expect(page).toContain('Förhandsvisning');
    expect(page).not.toContain('report.pdf');
  });

  it('when nobody is logged in, then it redirects to the login page', async () => {
    const s = await finalScenario();
    const response = await request(s.app).get(`/reviews/${s.reviewId}/result`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(`/reviews/${s.reviewId}/result`)}`);
  });

  it('when the id is unknown or not a number, then it is 404', async () => {
    const s = await finalScenario();
    const agent = await s.login(s.coordinator);
    expect((await agent.get(`/reviews/${s.reviewId + 1000}/result`)).status).toBe(404);
    expect((await agent.get('/reviews/abc/result')).status).toBe(404);
    expect((await agent.get('/reviews/0/result')).status).toBe(404);
  });
});

/** Consensus through the store: in each section `count` gives how many of its indicators are decided (at 2 of 4). */
function decideFirst(s: ReviewScenario, count: (section: ReviewScenario['rubric']['sections'][number]) => number): void {
  for (const section of s.rubric.sections) {
    for (const indicator of section.indicators.slice(0, count(section))) {
      const input = { indicatorId: indicator.id, score: 2, notApplicable: false, rationale: 'Under rätt nivå enligt panelen' };
      if (s.reviews.saveConsensus(s.reviewId, input, s.lead.id).outcome !== 'saved') throw new Error('consensus not saved');
    }
  }
}

const principle = (section: ReviewScenario['rubric']['sections'][number]) => section.kind === 'principle';

describe('the fidelity level on the result page during the consensus', () => {
  /** Every level's label in both languages: none may stand on a page for a level the panel has not reached. */
  const levelLabels = (s: ReviewScenario) => s.rubric.fidelity_levels.flatMap((level) => [level.label.sv, level.label.en]);

  it('when only A1 and A2 of the eight principles are decided, then the preview shows no level, names none, and says what it waits for', async () => {
    const s = await createReviewScenario();
    reachConsensus(s);
    decideFirst(s, (section) => (['A1', 'A2'].includes(section.code) ? section.indicators.length : 0));
    const page = mainOf((await getResult(s, s.lead)).text);
    expect(page).toContain('Förhandsvisning');
    for (const label of levelLabels(s)) expect(page).not.toContain(label);
    expect(page).not.toContain('Nivån avgörs av');
    expect(page).not.toContain('Nivån begränsas');
    expect(page).toContain(
      'Nivån visas när alla 8 avsnitt i Bostad först-principerna är tillräckligt bedömda: 6 kvar (A3, A4, A5, A6, A7, A8).',
    );
    // The figures of what is decided stay, with how much they stand on.
    expect(page).toContain('2 av 8 avsnitt i de delar som avgör nivån har poäng');
    expect(page).toContain('50\u00a0%');
    const english = mainOf((await getResult(s, s.coordinator, '?lang=en')).text);
    for (const label of levelLabels(s)) expect(english).not.toContain(label);
    expect(english).toContain(
      'The level is shown once all 8 sections of the Housing First principles are rated enough: 6 to go (A3, A4, A5, A6, A7, A8).',
    );
  });

  it('when every principle has enough decided indicators (the scoring’s share, not all of them), then the preview shows the level; one short, and it waits for that one', async () => {
    const s = await createReviewScenario();
    reachConsensus(s);
    // Two thirds of each principle's indicators (the rubric's min_rated_share), none of the agreement's six areas.
    const enough = (section: ReviewScenario['rubric']['sections'][number]) =>
      principle(section) ? Math.ceil((section.indicators.length * 2) / 3) : 0;
    decideFirst(s, (section) => (section.code === 'A8' ? enough(section) - 1 : enough(section)));
    const short = mainOf((await getResult(s, s.lead)).text);
    expect(short).not.toContain('Delvis modelltrohet');
    expect(short).toContain('är tillräckligt bedömda: 1 kvar (A8).');

    const a8 = s.rubric.sections.find((section) => section.code === 'A8');
    const missing = a8?.indicators[enough(a8) - 1];
    if (!missing) throw new Error('no indicator');
    s.reviews.saveConsensus(s.reviewId, { indicatorId: missing.id, score: 2, notApplicable: false, rationale: 'Beslutat' }, s.lead.id);
    const complete = mainOf((await getResult(s, s.lead)).text);
    expect(complete).toContain('Förhandsvisning');
    expect(complete).toContain('<strong>Delvis modelltrohet</strong>');
    expect(complete).toContain('Nivån avgörs av');
    expect(complete).not.toContain('Nivån visas när');
  });

  it('when a review was finalised with only A1 and A2 decided, then its result page shows its level as before', async () => {
    const s = await createReviewScenario();
    reachConsensus(s);
    decideFirst(s, (section) => (['A1', 'A2'].includes(section.code) ? section.indicators.length : 0));
    if (!s.reviews.transition(s.reviewId, 'consensus', 'final')) throw new Error('could not finalise');
    const page = mainOf((await getResult(s, s.outsider)).text);
    expect(page).not.toContain('Förhandsvisning');
    expect(page).toContain('<strong>Delvis modelltrohet</strong>');
    expect(page).not.toContain('Nivån visas när');
  });

  it('when only A1 and A2 are decided, then neither the home pages, the program page nor the research page show a level for it', async () => {
    const s = await createReviewScenario();
    reachConsensus(s);
    decideFirst(s, (section) => (['A1', 'A2'].includes(section.code) ? section.indicators.length : 0));
    const pages: [Person, string][] = [
      [s.lead, '/'],
      [s.reviewerA, '/'],
      [s.coordinator, '/'],
      [s.coordinator, `/programs/${s.programId}`],
      [s.coordinator, '/municipalities/0180'],
      [s.coordinator, '/research'],
    ];
    for (const [person, path] of pages) {
      const response = await (await s.login(person)).get(path);
      expect(response.status, path).toBe(200);
      for (const label of levelLabels(s)) expect(mainOf(response.text), `${path}: ${label}`).not.toContain(label);
    }
  });
});
