// Finalising through a check page: what is missing or thin with links, a confirm button that names
// the consequence, and a confirmation page with the result and the report.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import {
  type ReviewScenario,
  createReviewScenario,
  createScenarioInConsensus,
  rateAndSubmit,
  startRating,
} from '../helpers/review-scenario.js';
import { postForm } from '../helpers/test-app.js';

/** Decides every indicator inside the raters' spread, except the ones given, and writes the overall judgement. */
function decideAll(s: ReviewScenario, except: readonly string[] = []) {
  s.reviews.saveJudgement(s.reviewId, 'Verksamheten följer modellen i stort.', 0, s.lead.id);
  for (const { indicator } of listIndicators(s.rubric)) {
    if (except.includes(indicator.id)) continue;
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
      s.lead.id,
    );
  }
}

describe('GET /reviews/:id/finalise', () => {
  it('lists sections without strengths or recommendations, N/A indicators and missing rationales, with links, then the confirm button', async () => {
    const s = await createScenarioInConsensus();
    const indicators = listIndicators(s.rubric);
    const na = indicators.find(({ indicator }) => indicator.scale.allow_na && indicator.required !== true);
    const outside = indicators.find((i) => i !== na);
    if (!na || !outside) throw new Error('missing');
    decideAll(s, [na.indicator.id, outside.indicator.id]);
    s.reviews.saveConsensus(s.reviewId, { indicatorId: na.indicator.id, score: null, notApplicable: true, rationale: '' }, s.lead.id);
    // A score below every rating with no rationale (as the self-assessment adoption or an old save could leave it).
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: outside.indicator.id, score: outside.indicator.scale.min, notApplicable: false, rationale: '' },
      s.lead.id,
    );
    const [a, b] = s.rubric.sections;
    if (!a || !b) throw new Error('missing');
    s.reviews.replaceFindings(
      s.reviewId,
      [
        { sectionId: a.id, strengths: ['S'], recommendations: ['R'] },
        { sectionId: b.id, strengths: ['S'], recommendations: [] },
      ],
      s.lead.id,
      undefined,
      undefined,
    );
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/finalise`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`Styrkor saknas i ${a.code} `);
    expect(page.text).not.toContain(`Styrkor saknas i ${b.code} `);
    expect(page.text).toContain(`href="/reviews/${s.reviewId}/consensus/${b.id}#findings">Rekommendationer saknas i ${b.code} `);
    const c = s.rubric.sections[2];
    expect(page.text).toContain(`Styrkor saknas i ${c?.code} `);
    expect(page.text).toContain(`href="/reviews/${s.reviewId}/consensus/${na.section.id}#ind-${na.indicator.id}"`);
    expect(page.text).toContain('är ej tillämplig');
    expect(page.text).toContain(
      `href="/reviews/${s.reviewId}/consensus/${outside.section.id}#ind-${outside.indicator.id}">Motivering saknas för `,
    );
    expect(page.text).toContain(`${indicators.length} av ${indicators.length} indikatorer`);
    expect(page.text).toContain('>Ändra<');
    expect(page.text).toContain('Slutför och lås – granskningen kan inte ändras efter detta');
    expect(page.text).toContain(`action="/reviews/${s.reviewId}/finalise"`);
  });

  it('when a core element caps the level and no recommendation of its section is high, then the check page says so and links to the findings', async () => {
    const s = await createScenarioInConsensus();
    const critical = listIndicators(s.rubric).find(({ indicator }) => indicator.critical === true);
    if (!critical) throw new Error('the rubric has no critical indicator');
    // Everything else at the top of its scale, so that the band is above what the cap allows and the cap lowers it.
    decideAll(s);
    for (const { indicator } of listIndicators(s.rubric)) {
      const input = { indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false, rationale: 'Enligt underlaget.' };
      s.reviews.saveConsensus(s.reviewId, input, s.lead.id);
    }
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: critical.indicator.id, score: critical.indicator.scale.min, notApplicable: false, rationale: 'Saknas helt.' },
      s.lead.id,
    );
    const code = `${critical.section.code}.${critical.section.indicators.indexOf(critical.indicator) + 1}`;
    const withPriority = (priority: 'high' | 'medium') =>
      s.reviews.replaceFindings(s.reviewId, [
        {
          sectionId: critical.section.id,
          strengths: ['S'],
          recommendations: ['Åtgärda det'],
          recommendationMeta: [{ priority, owner: 'provider' }],
        },
      ]);
    withPriority('medium');
    const lead = await s.login(s.lead);
    const gap = `href="/reviews/${s.reviewId}/consensus/${critical.section.id}#findings">${code} begränsar nivån, men ingen rekommendation i avsnittet har hög prioritet`;
    expect((await lead.get(`/reviews/${s.reviewId}/finalise`)).text).toContain(gap);
    expect((await lead.get(`/reviews/${s.reviewId}/finalise?lang=en`)).text).toContain(
      `${code} caps the level, but no recommendation in its section has high priority`,
    );
    withPriority('high');
    expect((await lead.get(`/reviews/${s.reviewId}/finalise`)).text).not.toContain('begränsar nivån');
  });

  it("when N/A was a rater's own choice, then it needs no rationale; when no rater chose it, it does (the consensus section's rule)", async () => {
    const s = await createReviewScenario();
    startRating(s);
    const indicators = listIndicators(s.rubric);
    const naIndexes = indicators.flatMap(({ indicator }, index) =>
      indicator.scale.allow_na && indicator.required !== true ? [index] : [],
    );
    const [chosenIndex, unchosenIndex] = naIndexes;
    const chosen = indicators[chosenIndex ?? -1];
    const unchosen = indicators[unchosenIndex ?? -1];
    if (!chosen || !unchosen) throw new Error('the rubric needs two indicators that allow N/A');
    // The lead said N/A on the first; nobody did on the second.
    rateAndSubmit(s, s.lead.id, (min, _max, index) => (index === chosenIndex ? 'na' : min + 1));
    for (const rater of [s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    decideAll(s, [chosen.indicator.id, unchosen.indicator.id]);
    for (const { indicator } of [chosen, unchosen])
      s.reviews.saveConsensus(s.reviewId, { indicatorId: indicator.id, score: null, notApplicable: true, rationale: '' }, s.lead.id);
    const page = await (await s.login(s.lead)).get(`/reviews/${s.reviewId}/finalise`);
    const missing = (place: (typeof indicators)[number]) =>
      `href="/reviews/${s.reviewId}/consensus/${place.section.id}#ind-${place.indicator.id}">Motivering saknas för `;
    expect(page.text).not.toContain(missing(chosen));
    expect(page.text).toContain(missing(unchosen));
  });

  it('when a core element is decided at a score that caps the level without a rationale, then the check page asks for one, though the raters gave that score', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const indicators = listIndicators(s.rubric);
    const criticalIndex = indicators.findIndex(({ indicator }) => indicator.critical === true);
    const critical = indicators[criticalIndex];
    if (!critical) throw new Error('the rubric has no critical indicator');
    // Every rater gave the core element its minimum: inside the spread, so only the cap asks for the rationale.
    for (const rater of [s.lead, s.reviewerA, s.reviewerB])
      rateAndSubmit(s, rater.id, (min, _max, index) => (index === criticalIndex ? min : min + 1));
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    decideAll(s, [critical.indicator.id]);
    const decide = (rationale: string) =>
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: critical.indicator.id, score: critical.indicator.scale.min, notApplicable: false, rationale },
        s.lead.id,
      );
    decide('');
    const lead = await s.login(s.lead);
    const missing = `href="/reviews/${s.reviewId}/consensus/${critical.section.id}#ind-${critical.indicator.id}">Motivering saknas för `;
    expect((await lead.get(`/reviews/${s.reviewId}/finalise`)).text).toContain(missing);
    decide('Ingen deltagare har eget kontrakt.');
    expect((await lead.get(`/reviews/${s.reviewId}/finalise`)).text).not.toContain(missing);
  });

  it('when indicators lack a consensus, then there is no confirm button, and the undecided sections are linked', async () => {
    const s = await createScenarioInConsensus();
    const first = listIndicators(s.rubric)[0];
    if (!first) throw new Error('missing');
    decideAll(s, [first.indicator.id]);
    const lead = await s.login(s.lead);
    const page = await lead.get(`/reviews/${s.reviewId}/finalise`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('1 indikatorer saknar konsensuspoäng.');
    expect(page.text).toContain(`href="/reviews/${s.reviewId}/consensus/${first.section.id}?undecided=1"`);
    expect(page.text).not.toContain(`action="/reviews/${s.reviewId}/finalise"`);
    // A forced POST is refused: 409, still in consensus.
    const forced = await postForm(lead, `/reviews/${s.reviewId}/finalise`, `/reviews/${s.reviewId}/finalise`, {});
    expect(forced.status).toBe(409);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('consensus');
  });

  it('is for the lead and coordinators: a reviewer gets 403, someone outside the review 404', async () => {
    const s = await createScenarioInConsensus();
    expect((await (await s.login(s.reviewerA)).get(`/reviews/${s.reviewId}/finalise`)).status).toBe(403);
    expect((await (await s.login(s.outsider)).get(`/reviews/${s.reviewId}/finalise`)).status).toBe(404);
    expect((await (await s.login(s.coordinator)).get(`/reviews/${s.reviewId}/finalise`)).status).toBe(200);
  });
});

describe('POST /reviews/:id/finalise', () => {
  it('when everything is decided, then the review is locked and the confirmation page links the result and the report', async () => {
    const s = await createScenarioInConsensus();
    decideAll(s);
    const lead = await s.login(s.lead);
    const locked = await postForm(lead, `/reviews/${s.reviewId}/finalise`, `/reviews/${s.reviewId}/finalise`, {});
    expect(locked.status).toBe(303);
    expect(locked.headers.location).toBe(`/reviews/${s.reviewId}/finalised`);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('final');
    const done = await lead.get(`/reviews/${s.reviewId}/finalised`);
    expect(done.status).toBe(200);
    expect(done.text).toContain('<h1>Granskningen är slutförd</h1>');
    expect(done.text).toContain(`href="/reviews/${s.reviewId}/result"`);
    expect(done.text).toContain('href="/municipalities/0180/report.pdf"');
    // The check page of a final review goes to the confirmation.
    const again = await lead.get(`/reviews/${s.reviewId}/finalise`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/reviews/${s.reviewId}/finalised`);
    // The task list shows the step done, with the result and report.
    const overview = (await lead.get(`/reviews/${s.reviewId}`)).text;
    expect(/id="tag-finalise">([^<]*)</.exec(overview)?.[1]).toBe('Klar');
    expect(overview).toContain('href="/municipalities/0180/report.pdf"');
  });
});

describe('GET /reviews/:id/finalise: the barriers line', () => {
  it('when barriers are written in two categories, then the check page counts every item, and says none when there are none', async () => {
    const s = await createScenarioInConsensus();
    decideAll(s);
    const lead = await s.login(s.lead);
    expect((await lead.get(`/reviews/${s.reviewId}/finalise`)).text).toContain('Inga hinder är skrivna.');
    s.reviews.replaceFindings(
      s.reviewId,
      [],
      s.lead.id,
      [
        { category: 'systemic', items: ['Bostadsbrist i kommunen', 'Långa handläggningstider'] },
        { category: 'organisational', items: ['Personalomsättning'] },
      ],
      undefined,
    );
    const page = await lead.get(`/reviews/${s.reviewId}/finalise`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('3 punkter');
    expect(page.text).not.toContain('Inga hinder är skrivna.');
  });
});
