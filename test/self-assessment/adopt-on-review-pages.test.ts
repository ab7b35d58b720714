// The one-step adoption of a lone rater's ratings as consensus, offered where the lead lands after "Starta konsensus"
// (the review overview and the consensus page), and the self-assessment's own wording on the review pages.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import type { Agent } from '../helpers/test-app.js';
import { postForm } from '../helpers/test-app.js';
import { createProgramScenario, finalisePeerReview, type ProgramScenario, rateAtMaxAndSubmit } from '../helpers/program-scenario.js';

/** Starts a self-assessment on mini-five through HTTP as the program lead; returns its id. */
async function startSelfAssessment(s: ProgramScenario, agent: Agent, fields: Record<string, string | string[]> = {}): Promise<number> {
  const page = `/programs/${s.programId}/self-assessments`;
  const response = await postForm(agent, page, page, { rubric_id: 'mini-five', date: '2026-02-01', ...fields });
  expect(response.status).toBe(303);
  const id = Number(/^\/reviews\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** A self-assessment the program lead rated alone, submitted and moved to consensus with "Starta konsensus". */
async function loneRaterInConsensus(): Promise<{ s: ProgramScenario; id: number; lead: Agent }> {
  const s = await createProgramScenario();
  const lead = await s.login(s.programLead);
  const id = await startSelfAssessment(s, lead);
  rateAtMaxAndSubmit(s, id, s.programLead.id);
  expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'consensus' })).status).toBe(303);
  return { s, id, lead };
}

const adoptAction = (id: number) => `action="/self-assessments/${id}/adopt"`;

describe('the adopt form on the review overview and the consensus page', () => {
  it('when the lead rated alone and consensus has started, then both pages offer it, with a CSRF token', async () => {
    const { id, lead } = await loneRaterInConsensus();
    for (const path of [`/reviews/${id}`, `/reviews/${id}/consensus`]) {
      const page = await lead.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).toContain(adoptAction(id));
      expect(page.text, path).toContain('Ta över samstämmiga bedömningar som konsensus');
      expect(page.text, path).toContain('Du är ensam bedömare');
      const form = page.text.slice(page.text.indexOf(adoptAction(id)));
      expect(form.slice(0, form.indexOf('</form>'))).toMatch(/name="_csrf" value="[^"]+"/);
    }
    // On the overview's task list it sits in the consensus step, before the finalise step.
    const overview = (await lead.get(`/reviews/${id}`)).text;
    const consensusStep = overview.indexOf('id="task-consensus"');
    expect(consensusStep).toBeGreaterThan(0);
    expect(overview.indexOf(adoptAction(id))).toBeGreaterThan(consensusStep);
    expect(overview.indexOf(adoptAction(id))).toBeLessThan(overview.indexOf('id="task-finalise"'));
    const english = (await lead.get(`/reviews/${id}?lang=en`)).text;
    expect(english).toContain('Adopt agreed ratings as consensus');
    expect(english).toContain('You are the only rater');
  });

  it('is not offered to the program’s staff, who follow the self-assessment but may not edit its consensus', async () => {
    const { s, id } = await loneRaterInConsensus();
    const staff = await s.login(s.staff);
    const overview = await staff.get(`/reviews/${id}`);
    expect(overview.status).toBe(200);
    expect(overview.text).not.toContain(adoptAction(id));
  });

  it('when posted from the overview, then every rating becomes consensus and the self-assessment can be finalised', async () => {
    const { s, id, lead } = await loneRaterInConsensus();
    const adopted = await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {});
    expect(adopted.status).toBe(303);
    expect(adopted.headers.location).toBe(`/reviews/${id}/consensus`);
    const review = s.reviews.findReviewById(id);
    if (!review) throw new Error('no review');
    const indicators = listIndicators(review.rubric.rubric);
    expect(s.reviews.listConsensus(id)).toHaveLength(indicators.length);
    const consensus = await lead.get(`/reviews/${id}/consensus`);
    expect(consensus.text).toContain('Bedömningarna är övertagna som konsensus. Kontrollera och slutför.');
    expect(consensus.text).toContain(`${indicators.length} av ${indicators.length} indikatorer har konsensus`);
    expect(consensus.text).not.toContain(adoptAction(id));
    const overview = await lead.get(`/reviews/${id}`);
    expect(overview.text).not.toContain(adoptAction(id));
    expect(overview.text).not.toContain('saknar konsensuspoäng');
    expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'final' })).status).toBe(303);
    expect(s.reviews.findReviewById(id)?.status).toBe('final');
  });

  it('when the lead has already decided an indicator, then it is no longer offered', async () => {
    const { s, id, lead } = await loneRaterInConsensus();
    const review = s.reviews.findReviewById(id);
    const first = review ? listIndicators(review.rubric.rubric)[0] : undefined;
    if (!first) throw new Error('no indicator');
    const saved = await postForm(lead, `/reviews/${id}/consensus`, `/reviews/${id}/consensus/${first.indicator.id}`, {
      score: String(first.indicator.scale.max),
      rationale: '',
      version: '0',
    });
    expect(saved.status).toBe(303);
    for (const path of [`/reviews/${id}`, `/reviews/${id}/consensus`])
      expect((await lead.get(path)).text, path).not.toContain(adoptAction(id));
  });

  it('is not offered on a self-assessment with two raters: their ratings go through the consensus form', async () => {
    const s = await createProgramScenario();
    const lead = await s.login(s.programLead);
    const id = await startSelfAssessment(s, lead, { co_raters: [String(s.staff.id)] });
    rateAtMaxAndSubmit(s, id, s.programLead.id);
    rateAtMaxAndSubmit(s, id, s.staff.id);
    expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'consensus' })).status).toBe(303);
    for (const path of [`/reviews/${id}`, `/reviews/${id}/consensus`])
      expect((await lead.get(path)).text, path).not.toContain(adoptAction(id));
  });

  it('is not offered on a peer review in consensus, to its lead or anyone else', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    for (const [person, role] of [
      [s.lead, 'lead'],
      [s.reviewerA, 'reviewer'],
      [s.reviewerB, 'reviewer'],
    ] as const) {
      s.reviews.setPanelMember(s.reviewId, person.id, role);
    }
    expect(s.reviews.transition(s.reviewId, 'draft', 'rating')).toBe(true);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAtMaxAndSubmit(s, s.reviewId, rater.id);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    for (const person of [s.lead, s.coordinator]) {
      const agent = await s.login(person);
      for (const path of [`/reviews/${s.reviewId}`, `/reviews/${s.reviewId}/consensus`]) {
        const page = await agent.get(path);
        expect(page.status, path).toBe(200);
        expect(page.text, path).not.toContain('/adopt"');
      }
    }
  });
});

describe('a self-assessment’s own wording on the review pages', () => {
  it('names it a self-assessment with a date (no site visit), in Swedish and English, through to the final flash', async () => {
    const { s, id, lead } = await loneRaterInConsensus();
    const overview = (await lead.get(`/reviews/${id}`)).text;
    expect(overview).toContain('<h1>Självskattning av Bostad först Stockholm</h1>');
    expect(overview).toContain('<title>Självskattning av Bostad först Stockholm');
    expect(overview).toContain('<dt>Datum</dt><dd>2026-02-01</dd>');
    expect(overview).not.toContain('Platsbesök');
    expect(overview).not.toContain('Granskning av');
    // Finalising is offered once every indicator has a consensus (the task list); the step says so until then.
    expect(overview).toContain('Granskningen kan slutföras när alla indikatorer har konsensus.');
    const english = (await lead.get(`/reviews/${id}?lang=en`)).text;
    expect(english).toContain('<h1>Self-assessment of Bostad först Stockholm</h1>');
    expect(english).toContain('<dt>Date</dt><dd>2026-02-01</dd>');
    expect(english).not.toContain('Site visit');
    expect(english).toContain('The review can be finalised once every indicator has a consensus.');

    const preview = (await lead.get(`/reviews/${id}/result`)).text;
    expect(preview).toContain('Förhandsvisning: självskattningen är inte slutförd');
    expect(preview).toContain('<dt>Datum</dt><dd>2026-02-01</dd>');
    expect(preview).toContain('>Självskattning av Bostad först Stockholm</a>');
    expect(preview).not.toContain('Platsbesök');
    expect((await lead.get(`/reviews/${id}/consensus`)).text).toContain('>Självskattning av Bostad först Stockholm</a>');

    expect((await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {})).status).toBe(303);
    expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'final' })).status).toBe(303);
    const done = (await lead.get(`/reviews/${id}`)).text;
    expect(done).toContain('Självskattningen är slutförd och låst.');
    expect(done).not.toContain('Granskningen är slutförd och låst.');
    expect(done).not.toContain('Granskningen är låst.');

    const result = (await lead.get(`/reviews/${id}/result`)).text;
    expect(result).toContain('<dt>Datum</dt><dd>2026-02-01</dd>');
    expect(result).not.toContain('Platsbesök');
    const resultEnglish = (await lead.get(`/reviews/${id}/result?lang=en`)).text;
    expect(resultEnglish).toContain('<dt>Date</dt><dd>2026-02-01</dd>');
    expect(resultEnglish).toContain('>Self-assessment of Bostad först Stockholm</a>');
    expect(s.reviews.findReviewById(id)?.status).toBe('final');
  });

  it('says so in English after finalising, when the page is read in English', async () => {
    const { id, lead } = await loneRaterInConsensus();
    expect((await postForm(lead, `/reviews/${id}`, `/self-assessments/${id}/adopt`, {})).status).toBe(303);
    expect((await postForm(lead, `/reviews/${id}`, `/reviews/${id}/status`, { to: 'final' })).status).toBe(303);
    expect((await lead.get(`/reviews/${id}?lang=en`)).text).toContain('The self-assessment is final and locked.');
  });

  it('leaves a peer review’s wording as it was', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (_min, max) => max);
    const agent = await s.login(s.lead);
    const overview = (await agent.get(`/reviews/${s.reviewId}`)).text;
    expect(overview).toContain('<h1>Granskning av Bostad först Stockholm</h1>');
    expect(overview).toContain('<dt>Platsbesök</dt>');
    expect(overview).toContain('Granskningen är låst. Resultatet kan läsas av alla inloggade.');
    const result = (await agent.get(`/reviews/${s.reviewId}/result`)).text;
    expect(result).toContain('<dt>Platsbesök</dt>');
    expect(result).toContain('>Granskning av Bostad först Stockholm</a>');
    expect((await agent.get(`/reviews/${s.reviewId}/result?lang=en`)).text).toContain('<dt>Site visit</dt>');
  });
});
