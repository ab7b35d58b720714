import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { allowsNotApplicable, listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken, postForm } from '../helpers/test-app.js';

describe('POST /programs/:id/reviews/new', () => {
  it('creates a draft review that pins the rubric snapshot, when a coordinator sends a valid form', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const response = await postForm(agent, `/programs/${s.programId}/reviews/new`, `/programs/${s.programId}/reviews/new`, {
      rubric_id: 'mini-five',
      kind: 'self_assessment',
      visit_start: '2026-05-04',
      visit_end: '2026-05-05',
    });
    expect(response.status).toBe(303);
    const id = Number(/\/reviews\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
    const review = s.reviews.findReviewById(id);
    expect(review).toMatchObject({ status: 'draft', kind: 'self_assessment', visitStart: '2026-05-04', rubricId: 'mini-five' });
    expect(review?.rubric.contentHash).toBe(s.rubrics.get('mini-five')?.contentHash);
    const page = await agent.get(`/reviews/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Självskattning');
  });

  it('re-renders the form with 422 and the typed values when the visit ends before it starts', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const response = await postForm(agent, `/programs/${s.programId}/reviews/new`, `/programs/${s.programId}/reviews/new?lang=en`, {
      rubric_id: 'bostad-forst',
      kind: 'peer_review',
      visit_start: '2026-05-04',
      visit_end: '2026-05-01',
    });
    expect(response.status).toBe(422);
    // The message names the fields as the form does: the visit's first and last day.
    expect(response.text).toContain('The last day of the site visit cannot be before its first day.');
    expect(response.text).toContain('value="2026-05-04"');
    expect(response.text).toContain('value="2026-05-01"');
  });

  it('answers 422 for an unknown rubric and 403 for a reviewer', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    const bad = await postForm(coordinator, `/programs/${s.programId}/reviews/new`, `/programs/${s.programId}/reviews/new`, {
      rubric_id: 'no-such-rubric',
      kind: 'peer_review',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Välj bedömningsmall.');
    const reviewer = await s.login(s.reviewerA);
    expect((await reviewer.get(`/programs/${s.programId}/reviews/new`)).status).toBe(403);
  });
});

describe('the rubric snapshot', () => {
  it('keeps an existing review on its pinned rubric when the rubric file changes', async () => {
    const s = await createReviewScenario();
    const pinned = s.reviews.findReviewById(s.reviewId)?.rubric.contentHash;
    const original = s.rubrics.get('bostad-forst');
    if (!original) throw new Error('rubric missing');
    // The crosswalk names every indicator, so a rubric cut down to two sections leaves it out.
    const { crosswalk: _crosswalk, ...rest } = original.rubric;
    const changedRubric = { ...rest, version: '2.1', sections: original.rubric.sections.slice(0, 2) };
    const { toLoadedRubric } = await import('../../src/rubrics/load-rubrics.js');
    const changed = toLoadedRubric(changedRubric);
    const newId = s.reviews.insertReview({
      programId: s.programId,
      rubric: changed,
      kind: 'peer_review',
      visitStart: undefined,
      visitEnd: undefined,
      createdBy: s.coordinator.id,
    });
    const old = s.reviews.findReviewById(s.reviewId);
    expect(old?.rubric.contentHash).toBe(pinned);
    expect(old?.rubric.rubric.sections).toHaveLength(14);
    expect(s.reviews.findReviewById(newId)?.rubric.rubric.sections).toHaveLength(2);
    expect(s.reviews.findReviewById(newId)?.rubricVersion).toBe('2.1');
  });
});

describe('POST /reviews/:id/status', () => {
  it('refuses to start rating without a lead, with the reason on the page (409)', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    s.reviews.setPanelMember(s.reviewId, s.reviewerB.id, 'reviewer');
    const agent = await s.login(s.coordinator);
    const response = await postForm(agent, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'rating' });
    expect(response.status).toBe(409);
    expect(response.text).toContain('Panelen behöver en granskningsledare (ordförande).');
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('draft');
  });

  it('moves draft → rating → consensus → final when each guard is met', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    for (const [person, role] of [
      [s.lead, 'lead'],
      [s.reviewerA, 'reviewer'],
      [s.reviewerB, 'reviewer'],
    ] as const) {
      const added = await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/panel`, {
        user_id: String(person.id),
        role,
      });
      expect(added.status).toBe(303);
      expect(added.headers.location).toBe(`/reviews/${s.reviewId}#panel`);
    }
    // The notice stands at the panel, where the page lands, rather than at the top out of sight.
    const overview = (await coordinator.get(`/reviews/${s.reviewId}`)).text;
    expect(overview).toMatch(/<h2 id="panel">[^<]*<\/h2>\s*<p class="flash" role="status">Panelen är uppdaterad\.<\/p>/);
    expect(overview.match(/class="flash"/g)).toHaveLength(1);
    expect((await postForm(coordinator, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'rating' })).status).toBe(303);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('rating');

    // Consensus waits for every rater.
    rateAndSubmit(s, s.lead.id, (min) => min + 1);
    rateAndSubmit(s, s.reviewerA.id, (min) => min + 2);
    const lead = await s.login(s.lead);
    const early = await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'consensus' });
    expect(early.status).toBe(409);
    expect(early.text).toContain('Bertil Berg');
    rateAndSubmit(s, s.reviewerB.id, (min) => min + 2);
    expect((await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'consensus' })).status).toBe(303);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('consensus');

    // Final waits for a consensus on every indicator.
    const notYet = await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'final' });
    expect(notYet.status).toBe(409);
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 2, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    // A peer review is finalised only with the panel's overall judgement.
    expect((await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'final' })).status).toBe(409);
    s.reviews.saveJudgement(s.reviewId, 'Verksamheten följer modellen i stort.', 0, s.lead.id);
    expect((await postForm(lead, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'final' })).status).toBe(303);
    const final = s.reviews.findReviewById(s.reviewId);
    expect(final?.status).toBe('final');
    expect(final?.finalisedAt).toBeDefined();
  });

  it('does not let a reviewer start the rating or a non-member move the review on', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    const reviewer = await s.login(s.reviewerA);
    const response = await postForm(reviewer, `/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/status`, { to: 'rating' });
    expect(response.status).toBe(403);
    const outsider = await s.login(s.outsider);
    const page = await outsider.get('/');
    const forbidden = await outsider
      .post(`/reviews/${s.reviewId}/status`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), to: 'rating' });
    // Someone who may not see the review gets 404, as on its overview: the id's existence is not revealed.
    expect(forbidden.status).toBe(404);
    expect(s.reviews.findReviewById(s.reviewId)?.status).toBe('draft');
  });

  it('locks a final review: no rating, consensus or panel change goes through', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    for (const { indicator } of listIndicators(s.rubric)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    s.reviews.transition(s.reviewId, 'consensus', 'final');
    const first = listIndicators(s.rubric)[0]?.indicator;
    if (!first) throw new Error('no indicator');
    const lead = await s.login(s.lead);
    const consensus = await postForm(lead, `/reviews/${s.reviewId}/consensus`, `/reviews/${s.reviewId}/consensus/${first.id}`, {
      score: String(first.scale.max),
      rationale: 'Ändrat i efterhand',
    });
    // Refused with what was typed given back: see consensus-not-saved.test.ts.
    expect(consensus.status).toBe(409);
    expect(consensus.text).toContain('Ändrat i efterhand');
    expect(s.reviews.listConsensus(s.reviewId).find((c) => c.indicatorId === first.id)?.score).toBe(first.scale.min);
    const coordinator = await s.login(s.coordinator);
    const panel = await postForm(coordinator, `/reviews/${s.reviewId}/result`, `/reviews/${s.reviewId}/panel`, {
      user_id: String(s.outsider.id),
      role: 'reviewer',
    });
    expect(panel.status).toBe(403);
    expect(
      s.reviews.saveConsensus(s.reviewId, { indicatorId: first.id, score: 1, notApplicable: false, rationale: '' }, s.lead.id).outcome,
    ).toBe('locked');
  });
});

describe('independent rating is blind', () => {
  const SECRET = 'ANNAS-HEMLIGA-ANTECKNING';

  it('shows reviewer B none of reviewer A’s submitted ratings through any page before B submits', async () => {
    const s = await createReviewScenario();
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, (_min, max) => max, SECRET);
    const b = await s.login(s.reviewerB);
    const firstSection = s.rubric.sections[0];
    if (!firstSection) throw new Error('no section');
    const paths = [
      '/',
      `/reviews/${s.reviewId}`,
      `/reviews/${s.reviewId}/rate`,
      `/reviews/${s.reviewId}/rate/${firstSection.id}`,
      `/reviews/${s.reviewId}/consensus`,
      `/reviews/${s.reviewId}/result`,
      `/reviews/${s.reviewId}/findings`,
      `/programs/${s.programId}`,
    ];
    for (const path of paths) {
      const response = await b.get(path).redirects(3);
      expect(response.text, path).not.toContain(SECRET);
    }
    expect((await b.get(`/reviews/${s.reviewId}/consensus`)).status).toBe(404);
    expect((await b.get(`/reviews/${s.reviewId}/result`)).status).toBe(404);
    // The rating form holds only B's own (empty) values: no radio is checked but "not rated".
    const form = await b.get(`/reviews/${s.reviewId}/rate/${firstSection.id}`);
    expect(form.text).not.toMatch(/value="\d+" checked/);
  });

  it('lets B see the submitted ratings once B has submitted, and never anyone’s drafts', async () => {
    const s = await createReviewScenario();
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, (_min, max) => max, SECRET);
    s.reviews.saveRatings(s.reviewId, s.lead.id, [
      { indicatorId: listIndicators(s.rubric)[0]?.indicator.id ?? '', score: 1, notApplicable: false, evidence: [], note: 'LEAD-DRAFT' },
    ]);
    rateAndSubmit(s, s.reviewerB.id, (min) => min);
    const b = await s.login(s.reviewerB);
    // Consensus is one section per page: the first indicator is in the first section.
    const view = await b.get(`/reviews/${s.reviewId}/consensus/${s.rubric.sections[0]?.id}`);
    expect(view.status).toBe(200);
    expect(view.text).toContain(SECRET);
    expect(view.text).not.toContain('LEAD-DRAFT');
    // A coordinator who is not on the panel sees progress counts only while rating runs.
    const coordinator = await s.login(s.coordinator);
    expect((await coordinator.get(`/reviews/${s.reviewId}/consensus`)).status).toBe(404);
    const overview = await coordinator.get(`/reviews/${s.reviewId}`);
    expect(overview.text).not.toContain(SECRET);
  });

  it('freezes a rater’s ratings once submitted', async () => {
    const s = await createReviewScenario();
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, (min) => min);
    const a = await s.login(s.reviewerA);
    const section = s.rubric.sections[0];
    if (!section) throw new Error('no section');
    const page = await a.get(`/reviews/${s.reviewId}`);
    const response = await a
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), [`score__${section.indicators[0]?.id}`]: '4' });
    expect(response.status).toBe(409);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === section.indicators[0]?.id)?.score).toBe(
      1,
    );
  });
});

describe('the rating form', () => {
  it('saves a section and moves on to the next, keeping what was entered', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const a = await s.login(s.reviewerA);
    const [first, second] = s.rubric.sections;
    if (!first || !second) throw new Error('sections missing');
    // i2: one that may be N/A (the core items of rubric 2.0 may not).
    const [i1] = first.indicators;
    const i2 = first.indicators.find((i) => i !== i1 && allowsNotApplicable(i));
    if (!i1 || !i2) throw new Error('indicators missing');
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    expect(page.text).toContain(i1.scale.anchors['1']?.sv ?? 'missing anchor');
    const body = `_csrf=${encodeURIComponent(extractCsrfToken(page.text))}&action=next&score__${i1.id}=3&evidence__${i1.id}=S&evidence__${i1.id}=D&note__${i1.id}=${encodeURIComponent('Sågs i akterna')}&score__${i2.id}=na${first.indicators.map((i) => `&version__${i.id}=0`).join('')}`;
    const response = await a.post(`/reviews/${s.reviewId}/rate/${first.id}`).type('form').send(body);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}/rate/${second.id}`);
    const saved = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id);
    expect(saved.find((r) => r.indicatorId === i1.id)).toMatchObject({
      score: 3,
      notApplicable: false,
      evidence: ['D', 'S'],
      note: 'Sågs i akterna',
    });
    expect(saved.find((r) => r.indicatorId === i2.id)).toMatchObject({ score: null, notApplicable: true });
    const again = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    expect(again.text).toContain('value="3" checked');
    expect(again.text).toContain('Sågs i akterna');
  });

  it('refuses a note with a personal identity number: 422, every value kept, nothing saved', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const a = await s.login(s.reviewerA);
    const section = s.rubric.sections[0];
    const [i1, i2] = section?.indicators ?? [];
    if (!section || !i1 || !i2) throw new Error('missing');
    const page = await a.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    const response = await a
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        [`score__${i1.id}`]: '2',
        [`note__${i1.id}`]: 'Deltagare 121212-1212 fick nyckel',
        [`score__${i2.id}`]: '4',
        [`note__${i2.id}`]: 'Bra rutin',
      });
    expect(response.status).toBe(422);
    expect(response.text).toContain('personnummer');
    expect(response.text).toContain('Deltagare 121212-1212 fick nyckel');
    expect(response.text).toContain('Bra rutin');
    expect(response.text).toContain('value="4" checked');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });

  it('refuses a score outside the scale and N/A where the scale does not allow it', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const a = await s.login(s.reviewerA);
    const noNa = s.rubric.sections.flatMap((sec) => sec.indicators.map((i) => ({ sec, i }))).find(({ i }) => !i.scale.allow_na);
    if (!noNa) throw new Error('fixture has no indicator without N/A');
    const page = await a.get(`/reviews/${s.reviewId}/rate/${noNa.sec.id}`);
    expect(page.text).not.toContain(`name="score__${noNa.i.id}" value="na"`);
    for (const value of ['na', String(noNa.i.scale.max + 1), 'drop table']) {
      const response = await a
        .post(`/reviews/${s.reviewId}/rate/${noNa.sec.id}?lang=en`)
        .type('form')
        .send({ _csrf: extractCsrfToken(page.text), [`score__${noNa.i.id}`]: value });
      expect(response.status, value).toBe(422);
      // N/A is refused by name since required indicators exist; other bad values as before.
      // Every message names its field: the score of the indicator, by its code.
      const code = `${noNa.sec.code}.${noNa.sec.indicators.indexOf(noNa.i) + 1}`;
      expect(response.text).toContain(
        value === 'na' ? 'must be rated: it cannot be marked not applicable.' : `Choose the score for ${code}.`,
      );
    }
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });

  it('does not submit an incomplete rating (422 with what is missing)', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const a = await s.login(s.reviewerA);
    const response = await postForm(a, `/reviews/${s.reviewId}/rate`, `/reviews/${s.reviewId}/submit`, {});
    expect(response.status).toBe(422);
    expect(response.text).toContain(`${listIndicators(s.rubric).length} återstår`);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.submittedAt).toBeUndefined();
  });

  it('works end to end on a rubric with 1–5 and 0–2 scales', async () => {
    const s = await createReviewScenario({ rubricId: 'mini-five' });
    startRating(s);
    const a = await s.login(s.reviewerA);
    for (const section of s.rubric.sections) {
      const page = await a.get(`/reviews/${s.reviewId}/rate/${section.id}`);
      expect(page.status).toBe(200);
      const fields: Record<string, string> = { _csrf: extractCsrfToken(page.text) };
      for (const indicator of section.indicators) {
        fields[`score__${indicator.id}`] = String(indicator.scale.max);
        fields[`version__${indicator.id}`] = '0';
      }
      expect((await a.post(`/reviews/${s.reviewId}/rate/${section.id}`).type('form').send(fields)).status).toBe(303);
    }
    const submitted = await postForm(a, `/reviews/${s.reviewId}/rate`, `/reviews/${s.reviewId}/submit`, {});
    expect(submitted.status).toBe(303);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.submittedAt).toBeDefined();
  });

  it('gives 404 to people who are not raters on the panel', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.outsider, s.coordinator]) {
      const agent = await s.login(person);
      expect((await agent.get(`/reviews/${s.reviewId}/rate`)).status).toBe(404);
    }
  });
});

describe('consensus', () => {
  async function inConsensus() {
    const s = await createReviewScenario();
    startRating(s);
    rateAndSubmit(s, s.lead.id, (min) => min + 1);
    rateAndSubmit(s, s.reviewerA.id, (min) => min + 2);
    rateAndSubmit(s, s.reviewerB.id, (min, _max, index) => (index === 0 ? min : min + 2));
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    return s;
  }

  it('lists the indicators raters disagree on most first, with every rating side by side', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    // One section per page: both indicators are in the first section.
    const page = await lead.get(`/reviews/${s.reviewId}/consensus/${s.rubric.sections[0]?.id}`);
    expect(page.status).toBe(200);
    const first = listIndicators(s.rubric)[0]?.indicator;
    const second = listIndicators(s.rubric)[1]?.indicator;
    if (!first || !second) throw new Error('missing');
    // Indicator 0 has range min..min+2, the others min+1..min+2: indicator 0 must come first.
    expect(page.text.indexOf(`id="ind-${first.id}"`)).toBeLessThan(page.text.indexOf(`id="ind-${second.id}"`));
    const firstBlock = page.text.slice(page.text.indexOf(`id="ind-${first.id}"`), page.text.indexOf(`id="ind-${second.id}"`));
    for (const name of ['Lena Lead', 'Anna Andersson', 'Bertil Berg']) expect(firstBlock).toContain(name);
  });

  it('refuses a score outside the raters’ range without a rationale (422), and saves it with one', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    const indicator = listIndicators(s.rubric)[1]?.indicator;
    if (!indicator) throw new Error('missing');
    const outside = String(indicator.scale.min); // raters gave min+1..min+2
    const refused = await postForm(lead, `/reviews/${s.reviewId}/consensus`, `/reviews/${s.reviewId}/consensus/${indicator.id}`, {
      score: outside,
      rationale: '',
      version: '0',
    });
    expect(refused.status).toBe(422);
    // The terminology: "bedömarnas spridning (lägst–högst)", not "spann".
    expect(refused.text).toContain('utanför bedömarnas spridning (lägst–högst)');
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(0);
    const saved = await postForm(lead, `/reviews/${s.reviewId}/consensus`, `/reviews/${s.reviewId}/consensus/${indicator.id}`, {
      score: outside,
      rationale: 'Akterna visade att rutinen saknas.',
      version: '0',
    });
    expect(saved.status).toBe(303);
    expect(s.reviews.listConsensus(s.reviewId)[0]).toMatchObject({
      indicatorId: indicator.id,
      score: Number(outside),
      rationale: 'Akterna visade att rutinen saknas.',
    });
  });

  it('saves a score inside the range without a rationale', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    const indicator = listIndicators(s.rubric)[1]?.indicator;
    if (!indicator) throw new Error('missing');
    const response = await postForm(lead, `/reviews/${s.reviewId}/consensus`, `/reviews/${s.reviewId}/consensus/${indicator.id}`, {
      score: String(indicator.scale.min + 2),
      version: '0',
    });
    expect(response.status).toBe(303);
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(1);
  });

  it('lets only the lead record consensus', async () => {
    const s = await inConsensus();
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    for (const person of [s.reviewerA, s.coordinator]) {
      const agent = await s.login(person);
      const response = await postForm(agent, `/reviews/${s.reviewId}/consensus`, `/reviews/${s.reviewId}/consensus/${indicator.id}`, {
        score: String(indicator.scale.min + 2),
      });
      expect(response.status).toBe(403);
    }
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(`/reviews/${s.reviewId}/consensus`)).status).toBe(404);
    expect(s.reviews.listConsensus(s.reviewId)).toHaveLength(0);
  });

  it('saves strengths and recommendations per section, one per line', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    const response = await postForm(lead, `/reviews/${s.reviewId}/findings`, `/reviews/${s.reviewId}/findings`, {
      [`strengths__${section.id}`]: 'Förstahandskontrakt från start\n\n- Snabb väg till nyckel',
      [`recommendations__${section.id}`]: 'Följ upp hyresskulder tidigt',
      version: '0',
    });
    expect(response.status).toBe(303);
    expect(s.reviews.listFindings(s.reviewId)).toEqual([
      { sectionId: section.id, kind: 'recommendation', position: 1, text: 'Följ upp hyresskulder tidigt', priority: 'medium' },
      { sectionId: section.id, kind: 'strength', position: 1, text: 'Förstahandskontrakt från start' },
      { sectionId: section.id, kind: 'strength', position: 2, text: 'Snabb väg till nyckel' },
    ]);
    const refused = await postForm(lead, `/reviews/${s.reviewId}/findings`, `/reviews/${s.reviewId}/findings`, {
      [`strengths__${section.id}`]: 'Ny punkt\nKontakt med 19121212-1212',
      version: String(s.reviews.findFindingsVersion(s.reviewId)),
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Kontakt med 19121212-1212');
    expect(s.reviews.listFindings(s.reviewId)).toHaveLength(3);
  });

  it('says how many points a box may hold, and which line is too long, keeping the text', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    const manyLines = Array.from({ length: 31 }, (_, i) => `Punkt ${i + 1}`).join('\n');
    const tooMany = await postForm(lead, `/reviews/${s.reviewId}/findings`, `/reviews/${s.reviewId}/findings`, {
      [`recommendations__${section.id}`]: manyLines,
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain(`Rekommendationerna för avsnitt ${section.code}: skriv högst 30 punkter, en per rad.`);
    expect(tooMany.text).toContain('Punkt 31');
    const longLine = await postForm(lead, `/reviews/${s.reviewId}/findings`, `/reviews/${s.reviewId}/findings?lang=en`, {
      [`strengths__${section.id}`]: `Kort punkt\n${'x'.repeat(1001)}`,
    });
    expect(longLine.status).toBe(422);
    expect(longLine.text).toContain(`The list of strengths for section ${section.code}: line 2 must be 1,000 characters or fewer.`);
    expect(s.reviews.listFindings(s.reviewId)).toHaveLength(0);
  });

  it('when a box holds a personnummer, then the message names the box (its section, strengths or recommendations), on both findings forms', async () => {
    const s = await inConsensus();
    const lead = await s.login(s.lead);
    const section = s.rubric.sections[1];
    if (!section) throw new Error('missing');
    const whole = await postForm(lead, `/reviews/${s.reviewId}/findings`, `/reviews/${s.reviewId}/findings`, {
      [`strengths__${section.id}`]: 'Kontakt med 19121212-1212',
      version: String(s.reviews.findFindingsVersion(s.reviewId)),
    });
    expect(whole.status).toBe(422);
    expect(whole.text).toContain(`Styrkorna för avsnitt ${section.code} innehåller något som ser ut som ett personnummer`);
    const sectionPage = `/reviews/${s.reviewId}/consensus/${section.id}`;
    const bySection = await postForm(lead, sectionPage, `${sectionPage}/findings?lang=en`, {
      [`recommendations__${section.id}`]: 'Ring 19121212-1212',
      version: String(s.reviews.findFindingsVersion(s.reviewId)),
    });
    expect(bySection.status).toBe(422);
    expect(bySection.text).toContain(`The list of recommendations for section ${section.code} contains what looks like`);
    expect(s.reviews.listFindings(s.reviewId)).toHaveLength(0);
  });
});

describe('security of state-changing requests', () => {
  it('rejects a POST without a CSRF token (403) and changes nothing', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const response = await agent
      .post(`/reviews/${s.reviewId}/panel`)
      .type('form')
      .send({ user_id: String(s.lead.id), role: 'lead' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Formuläret hade gått ut');
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('rejects a POST from another origin even with a valid token', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const page = await agent.get(`/reviews/${s.reviewId}`);
    const response = await agent
      .post(`/reviews/${s.reviewId}/panel`)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), user_id: String(s.lead.id), role: 'lead' });
    expect(response.status).toBe(403);
    expect(s.reviews.listPanel(s.reviewId)).toHaveLength(0);
  });

  it('sends anonymous visitors to the login page and answers unknown ids with 404', async () => {
    const s = await createReviewScenario();
    const anonymous = await request(s.app).get(`/reviews/${s.reviewId}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(`/reviews/${s.reviewId}`)}`);
    const agent = await s.login(s.coordinator);
    for (const path of ['/reviews/999999', '/reviews/abc', '/reviews/1e3', `/reviews/${s.reviewId}/rate/no-such-section`]) {
      expect((await agent.get(path)).status, path).toBe(404);
    }
  });

  it('sets a strict Content-Security-Policy and no inline scripts or styles', async () => {
    const s = await createReviewScenario();
    const agent = await s.login(s.coordinator);
    const page = await agent.get(`/reviews/${s.reviewId}`);
    const csp = page.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.text).not.toMatch(/<script|style=/i);
  });
});
