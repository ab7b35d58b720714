import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { postForm } from '../helpers/test-app.js';
import {
  createPeerReview,
  createProgramScenario,
  finalisePeerReview,
  type ProgramScenario,
  rateAtMaxAndSubmit,
} from '../helpers/program-scenario.js';

/** Starts a self-assessment on mini-five through HTTP as the program lead; returns its id. */
async function startSelfAssessment(s: ProgramScenario, fields: Record<string, string | string[]> = {}): Promise<number> {
  const agent = await s.login(s.programLead);
  const page = `/programs/${s.programId}/self-assessments`;
  const response = await postForm(agent, page, page, { rubric_id: 'mini-five', date: '2026-02-01', ...fields });
  expect(response.status).toBe(303);
  const id = Number(/^\/reviews\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** Rates every indicator as the lead (the only rater), submits, moves to consensus, adopts and finalises, through HTTP. */
async function completeSelfAssessment(s: ProgramScenario, id: number): Promise<void> {
  const review = s.reviews.findReviewById(id);
  if (!review) throw new Error('no review');
  const indicators = listIndicators(review.rubric.rubric);
  s.reviews.saveRatings(
    id,
    s.programLead.id,
    indicators.map(({ indicator }) => ({
      indicatorId: indicator.id,
      score: indicator.scale.max,
      notApplicable: false,
      evidence: [],
      note: '',
    })),
  );
  expect(
    s.reviews.submitRatings(
      id,
      s.programLead.id,
      indicators.map(({ indicator }) => indicator.id),
    ),
  ).toBe('submitted');
  const agent = await s.login(s.programLead);
  expect((await postForm(agent, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'consensus' })).status).toBe(303);
  const adopted = await postForm(agent, `/programs/${s.programId}/self-assessments`, `/self-assessments/${id}/adopt`, {});
  expect(adopted.status).toBe(303);
  expect(adopted.headers.location).toBe(`/reviews/${id}/consensus`);
  expect(s.reviews.listConsensus(id)).toHaveLength(indicators.length);
  expect((await postForm(agent, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'final' })).status).toBe(303);
  expect(s.reviews.findReviewById(id)?.status).toBe('final');
}

describe('POST /programs/:id/self-assessments', () => {
  it('when a program lead starts one, then it is a self-assessment in rating with the lead as its only rater', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s);
    const review = s.reviews.findReviewById(id);
    expect(review).toMatchObject({
      kind: 'self_assessment',
      status: 'rating',
      rubricId: 'mini-five',
      visitStart: '2026-02-01',
      createdBy: s.programLead.id,
    });
    expect(s.reviews.listPanel(id).map((m) => [m.userId, m.role])).toEqual([[s.programLead.id, 'lead']]);
    const agent = await s.login(s.programLead);
    const overview = await agent.get(`/reviews/${id}`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('Självskattning');
    expect(overview.text).toContain(`/reviews/${id}/rate`);
  });

  it('when colleagues are chosen, then they rate too; a colleague from outside the program is refused with 422 and the form kept', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s, { co_raters: [String(s.staff.id)] });
    expect(
      s.reviews
        .listPanel(id)
        .map((m) => m.role)
        .sort(),
    ).toEqual(['lead', 'reviewer']);
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    const refused = await postForm(agent, page, `${page}?lang=en`, {
      rubric_id: 'mini-five',
      date: '2026-03-01',
      co_raters: [String(s.outsider.id)],
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose the colleagues who rate.');
    expect(refused.text).toContain('value="2026-03-01"');
  });

  it('when one is dated in the future, or one with the same rubric is still in progress, then 422 keeps the form and nothing starts', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    const future = await postForm(agent, page, page, { rubric_id: 'mini-five', date: '2999-01-01' });
    expect(future.status).toBe(422);
    expect(future.text).toContain('kan inte ligga i framtiden');
    expect(future.text).toContain('value="2999-01-01"');
    // The summary is the first thing under the heading, above the list of self-assessments, and links to the date.
    expect(future.text).toMatch(/<\/h1>\s*<div class="error-summary" role="alert" tabindex="-1" autofocus>.*<a href="#f-date">/s);
    expect(future.text.match(/role="alert"/g)).toHaveLength(1);
    expect(future.text).toMatch(/<title>Fel: /);
    const id = await startSelfAssessment(s);
    const second = await postForm(agent, page, page, { rubric_id: 'mini-five', date: '2026-03-01' });
    expect(second.status).toBe(422);
    expect(second.text).toContain('Det finns redan en självskattning med den här mallen som inte är slutförd');
    expect(
      s.reviews
        .listReviewsForProgram(s.programId)
        .filter((r) => r.kind === 'self_assessment')
        .map((r) => r.id),
    ).toEqual([id]);
  });

  it('answers 422 for an unknown rubric, 403 for the program’s staff and for someone outside the program', async () => {
    const s = await createProgramScenario();
    const page = `/programs/${s.programId}/self-assessments`;
    const lead = await s.login(s.programLead);
    expect((await postForm(lead, page, page, { rubric_id: 'nope' })).status).toBe(422);
    const staff = await s.login(s.staff);
    expect((await postForm(staff, page, page, { rubric_id: 'mini-five' })).status).toBe(403);
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(page)).status).toBe(403);
    expect(s.reviews.listReviewsForProgram(s.programId).filter((r) => r.kind === 'self_assessment')).toEqual([]);
  });
});

describe('who sees a self-assessment', () => {
  it('when it is not shared, then only the program’s people see it: coordinators, admins and other reviewers get 404s and no list entry', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s);
    for (const person of [s.coordinator, s.admin, s.outsider]) {
      const agent = await s.login(person);
      expect((await agent.get(`/reviews/${id}`)).status, person.displayName).toBe(404);
      const program = await agent.get(`/programs/${s.programId}`);
      expect(program.text).not.toContain(`/reviews/${id}`);
    }
    const staff = await s.login(s.staff);
    expect((await staff.get(`/reviews/${id}`)).status).toBe(200);
    expect((await staff.get(`/programs/${s.programId}`)).text).toContain(`/reviews/${id}`);
    // Staff follow it but may not rate: they are not on its panel.
    expect((await staff.get(`/reviews/${id}/rate`)).status).toBe(404);

    await completeSelfAssessment(s, id);
    for (const person of [s.coordinator, s.outsider]) {
      const agent = await s.login(person);
      expect((await agent.get(`/reviews/${id}/result`)).status, person.displayName).toBe(404);
      expect((await agent.get(`/reviews/${id}`)).status, person.displayName).toBe(404);
    }
    expect((await staff.get(`/reviews/${id}/result`)).status).toBe(200);
    // A coordinator's start page does not name it either.
    const coordinator = await s.login(s.coordinator);
    expect((await coordinator.get('/')).text).not.toContain(`/reviews/${id}"`);
  });

  it('when the lead shares it with a coming peer review, then that panel reads it (result and readiness) until the lead stops sharing', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s);
    await completeSelfAssessment(s, id);
    const peerId = createPeerReview(s, '2026-04-10', 'mini-five');
    s.reviews.setPanelMember(peerId, s.reviewerA.id, 'lead');
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    expect((await lead.get(page)).text).toContain(`value="${peerId}"`);
    const shared = await postForm(lead, page, `/self-assessments/${id}/share`, { peer_review_id: String(peerId) });
    expect(shared.status).toBe(303);
    expect(s.selfAssessments.listSharesOf(id).map((share) => share.peerReviewId)).toEqual([peerId]);

    const panel = await s.login(s.reviewerA);
    const overview = await panel.get(`/reviews/${peerId}`);
    expect(overview.text).toContain('Självskattningar som verksamheten delat med panelen');
    expect(overview.text).toContain(`/reviews/${id}/result`);
    expect((await panel.get(`/reviews/${id}/result`)).status).toBe(200);
    expect((await panel.get(`/programs/${s.programId}/readiness/mini-five`)).status).toBe(200);
    // Read-only: the panel does not get the self-assessment's working pages.
    expect((await panel.get(`/reviews/${id}`)).status).toBe(303);
    expect((await panel.get(`/reviews/${id}/consensus`)).status).toBe(404);
    const other = await s.login(s.outsider);
    expect((await other.get(`/reviews/${id}/result`)).status).toBe(404);

    expect((await postForm(lead, page, `/self-assessments/${id}/unshare`, { peer_review_id: String(peerId) })).status).toBe(303);
    expect((await panel.get(`/reviews/${id}/result`)).status).toBe(404);
    expect((await panel.get(`/programs/${s.programId}/readiness/mini-five`)).status).toBe(403);
  });

  it('refuses to share with a final review (422, form kept) or an unfinished self-assessment (409), and refuses staff (403)', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s);
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    finalisePeerReview(s, s.reviewId, (_min, max) => max);
    expect((await postForm(lead, page, `/self-assessments/${id}/share`, { peer_review_id: String(s.reviewId) })).status).toBe(409);
    await completeSelfAssessment(s, id);
    const refused = await postForm(lead, page, `/self-assessments/${id}/share?lang=en`, { peer_review_id: String(s.reviewId) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose a coming peer review of the same program.');
    const staff = await s.login(s.staff);
    const peerId = createPeerReview(s, '2026-09-01', 'mini-five');
    expect((await postForm(staff, page, `/self-assessments/${id}/share`, { peer_review_id: String(peerId) })).status).toBe(403);
    expect(s.selfAssessments.listSharesOf(id)).toEqual([]);
  });

  it('offers and accepts only a coming peer review on the same rubric: another rubric is refused with 422, the choice kept', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s);
    await completeSelfAssessment(s, id);
    const sameRubric = createPeerReview(s, '2026-09-01', 'mini-five');
    const otherRubric = createPeerReview(s, '2026-10-01', 'bostad-forst');
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    const list = await lead.get(page);
    expect(list.text).toContain(`value="${sameRubric}"`);
    expect(list.text).not.toContain(`value="${otherRubric}"`);
    const refused = await postForm(lead, page, `/self-assessments/${id}/share`, { peer_review_id: String(otherRubric) });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Granskningen använder en annan bedömningsmall än självskattningen.');
    // The refusal's summary takes focus like every error summary, sits first under the heading (not inside the
    // self-assessment's section further down), and links to the choice.
    expect(refused.text).toMatch(
      new RegExp(`</h1>\\s*<div class="error-summary" role="alert" tabindex="-1" autofocus>.*<a href="#f-peer_review_id-${id}">`, 's'),
    );
    expect(refused.text).toContain(`id="f-peer_review_id-${id}"`);
    expect(refused.text.match(/role="alert"/g)).toHaveLength(1);
    expect(refused.text).toMatch(/<title>Fel: /);
    expect(s.selfAssessments.listSharesOf(id)).toEqual([]);
  });

  it('answers 404 for the self-assessment routes on a peer review', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const page = `/programs/${s.programId}/self-assessments`;
    expect((await postForm(lead, page, `/self-assessments/${s.reviewId}/adopt`, {})).status).toBe(404);
  });
});

describe('POST /self-assessments/:id/adopt', () => {
  it('when two raters differ on some indicators, then only the agreed ones become consensus', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s, { co_raters: [String(s.staff.id)] });
    const review = s.reviews.findReviewById(id);
    if (!review) throw new Error('no review');
    const indicators = listIndicators(review.rubric.rubric);
    const rate = (raterId: number, shift: number) => {
      s.reviews.saveRatings(
        id,
        raterId,
        indicators.map(({ indicator }, index) => ({
          indicatorId: indicator.id,
          score: index === 0 ? indicator.scale.min + shift : indicator.scale.min,
          notApplicable: false,
          evidence: [],
          note: '',
        })),
      );
      s.reviews.submitRatings(
        id,
        raterId,
        indicators.map(({ indicator }) => indicator.id),
      );
    };
    rate(s.programLead.id, 0);
    rate(s.staff.id, 1);
    const lead = await s.login(s.programLead);
    expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'consensus' })).status).toBe(303);
    const staff = await s.login(s.staff);
    expect((await postForm(staff, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {})).status).toBe(403);
    expect((await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {})).status).toBe(303);
    const decided = s.reviews.listConsensus(id).map((c) => c.indicatorId);
    expect(decided).toHaveLength(indicators.length - 1);
    expect(decided).not.toContain(indicators[0]?.indicator.id);
  });
});

describe('GET /programs/:id/gap', () => {
  it('compares the self-assessment with the latest final peer review, largest gap first, with the next level’s anchor', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    // The panel gave the lowest level everywhere; the program rates itself at the top (completeSelfAssessment).
    finalisePeerReview(s, s.reviewId, (min) => min);
    const id = await startSelfAssessment(s);
    await completeSelfAssessment(s, id);
    const agent = await s.login(s.programLead);
    const page = await agent.get(`/programs/${s.programId}/gap?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('What a higher score looks like');
    expect(page.text).toContain('self-assessment higher');
    // Alpha: 5 against 1 on 1–5; the level above the panel's 1 is "A little."
    expect(page.text).toContain('A little.');
    expect(page.text).toContain('+4');
    // Sections: 100 % against the panel's lowest levels, the difference in percentage points, figures as the result page shows them.
    expect(page.text).toMatch(/\+\d+(\.\d)? percentage points/);
    // In Swedish the unit is written out: "procentenheter", never "p.e.".
    const swedish = await agent.get(`/programs/${s.programId}/gap`);
    expect(swedish.text).toMatch(/\+\d+(,\d)? procentenheter/);
    expect(swedish.text).not.toContain('p.e.');
    // Largest relative gap first: every indicator is at its maximum gap, so rubric order decides.
    expect(page.text.indexOf('C1.1')).toBeLessThan(page.text.indexOf('C1.2'));
    const staff = await s.login(s.staff);
    expect((await staff.get(`/programs/${s.programId}/gap`)).status).toBe(200);
    const outsider = await s.login(s.outsider);
    expect((await outsider.get(`/programs/${s.programId}/gap`)).status).toBe(403);
  });

  it('when the self-assessment is still in consensus with part decided, then it shows no level, says what is missing, and shows it once enough is decided', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min);
    const id = await startSelfAssessment(s);
    rateAtMaxAndSubmit(s, id, s.programLead.id);
    expect(s.reviews.transition(id, 'rating', 'consensus')).toBe(true);
    const indicators = listIndicators(s.reviews.findReviewById(id)?.rubric.rubric ?? s.rubric);
    // Only C1 decided, at the top: alone it would read "Bra" (100 %) while C2 and X1, which decide the level too, are open.
    const decide = (sectionId: string) => {
      for (const { section, indicator } of indicators)
        if (section.id === sectionId)
          s.reviews.saveConsensus(
            id,
            { indicatorId: indicator.id, score: indicator.scale.max, notApplicable: false, rationale: '' },
            s.programLead.id,
          );
    };
    decide('c1-first');
    const agent = await s.login(s.programLead);
    const selfLevel = (html: string) => /<dt>(?:Självskattning|Self-assessment)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/.exec(html)?.[1] ?? '';
    const partial = await agent.get(`/programs/${s.programId}/gap`);
    expect(partial.status).toBe(200);
    expect(selfLevel(partial.text)).toContain(
      'Nivån visas när alla 3 avsnitt i Kärna och Tillägg är tillräckligt bedömda: 2 kvar (C2, X1).',
    );
    expect(selfLevel(partial.text)).not.toContain('<strong>');
    expect(selfLevel(partial.text)).not.toContain('Bra');
    const english = await agent.get(`/programs/${s.programId}/gap?lang=en`);
    expect(selfLevel(english.text)).toContain(
      'The level is shown once all 3 sections of Core and Extra are rated enough: 2 to go (C2, X1).',
    );
    // The panel's level, from a final review, stands as before.
    expect(partial.text).toMatch(/<dt>Granskning<\/dt>\s*<dd><strong>Svag<\/strong>/);
    decide('c2-second');
    decide('x1-extra');
    const complete = await agent.get(`/programs/${s.programId}/gap`);
    expect(selfLevel(complete.text)).toMatch(/^<strong>Bra<\/strong>/);
    expect(selfLevel(complete.text)).not.toContain('Nivån visas');
  });

  it('says so when there is nothing to compare yet', async () => {
    const s = await createProgramScenario();
    const agent = await s.login(s.programLead);
    const page = await agent.get(`/programs/${s.programId}/gap?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('There is no self-assessment with consensus scores yet.');
  });
});

describe('self-assessments and the municipality report', () => {
  it('leaves a final self-assessment out of the report: with no final peer review there is no report to download', async () => {
    const s = await createProgramScenario();
    const id = await startSelfAssessment(s);
    await completeSelfAssessment(s, id);
    const agent = await s.login(s.programLead);
    expect((await agent.get('/municipalities/0180')).text).not.toContain('report.pdf');
    expect((await agent.get('/municipalities/0180/report.pdf')).status).toBe(404);
  });
});

describe('the day of a self-assessment', () => {
  it('when the lead leaves the date empty, then the self-assessment is dated the app clock’s day in Sweden', async () => {
    // 23:30 UTC on 3 May is already 4 May in Sweden.
    const s = await createProgramScenario({ clock: () => new Date('2031-05-03T23:30:00Z') });
    const id = await startSelfAssessment(s, { date: '' });
    expect(s.reviews.findReviewById(id)?.visitStart).toBe('2031-05-04');
  });
});
