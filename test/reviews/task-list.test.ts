// The review overview as a task list: each step's status tag with its count, links to where the
// work is done, what is missing, and a step's primary button only when that step can be taken, per role.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createTestUser, loginAgent } from '../helpers/test-app.js';

/** The HTML of one step of the task list. */
function stepOf(html: string, name: string): string {
  const start = html.indexOf(`id="task-${name}"`);
  if (start < 0) throw new Error(`no step ${name}`);
  const end = html.indexOf('</li>\n  <li class="task-list__item"', start);
  return html.slice(start, end < 0 ? html.indexOf('</ol>', start) : end);
}

const tagOf = (html: string, name: string) => new RegExp(`id="tag-${name}">([^<]*)<`).exec(html)?.[1];

async function withObserver(s: ReviewScenario) {
  const observer = await createTestUser(s.db, ['reviewer'], { displayName: 'Olga Observer' });
  s.reviews.setPanelMember(s.reviewId, observer.id, 'observer');
  return loginAgent(s.app, observer.email);
}

describe('GET /reviews/:id as a task list', () => {
  it('when the panel is incomplete, then the coordinator sees what is missing and no button to start the rating', async () => {
    const s = await createReviewScenario();
    s.reviews.setPanelMember(s.reviewId, s.reviewerA.id, 'reviewer');
    const coordinator = await s.login(s.coordinator);
    const page = (await coordinator.get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(page, 'panel')).toBe('Påbörjad – 1 bedömare');
    expect(tagOf(page, 'rating')).toBe('Kan inte påbörjas än');
    expect(tagOf(page, 'consensus')).toBe('Kan inte påbörjas än');
    expect(stepOf(page, 'panel')).toContain('Panelen behöver en granskningsledare (ordförande).');
    expect(page).not.toContain('name="to" value="rating"');
    // Once the panel is complete, the button is there.
    s.reviews.setPanelMember(s.reviewId, s.lead.id, 'lead');
    const ready = (await coordinator.get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(ready, 'panel')).toBe('Klar – 2 bedömare');
    expect(stepOf(ready, 'panel')).toContain('name="to" value="rating"');
    expect(stepOf(ready, 'panel')).toContain('Starta individuell bedömning');
    // One primary button: starting the rating; adding another member is secondary now.
    expect(ready).toContain('<button type="submit" class="secondary">Spara i panelen</button>');
    expect(page).toContain('<button type="submit">Spara i panelen</button>');
    // The rating may begin now: not started, no longer "cannot start".
    expect(tagOf(ready, 'rating')).toMatch(/^Inte påbörjad/);
    expect(tagOf(ready, 'consensus')).toBe('Kan inte påbörjas än');
  });

  it('while raters are rating, then the count is in the tag, the waiting raters are named, and nobody gets "Starta konsensus"', async () => {
    const s = await createReviewScenario();
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, (min) => min + 1);
    const lead = await s.login(s.lead);
    const page = (await lead.get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(page, 'rating')).toBe('Påbörjad – 1 av 3 inskickade');
    const rating = stepOf(page, 'rating');
    // The lead has not submitted either: they read themself as "dig", then the others as a Swedish list.
    expect(rating).toContain('Väntar på inskickade bedömningar från: dig och Bertil Berg.');
    const b = await s.login(s.reviewerB);
    expect(stepOf((await b.get(`/reviews/${s.reviewId}?lang=en`)).text, 'rating')).toContain(
      'Waiting for submitted ratings from: you and Lena Lead.',
    );
    expect(rating).toContain(`<a class="button" href="/reviews/${s.reviewId}/rate">`);
    expect(page).not.toContain('name="to" value="consensus"');
    expect(rating).toContain('Konsensus kan startas när alla bedömare har skickat in.');
    // The rater who submitted has no rating button, and is told when they submitted.
    const a = await s.login(s.reviewerA);
    const own = stepOf((await a.get(`/reviews/${s.reviewId}`)).text, 'rating');
    expect(own).not.toContain('class="button"');
    expect(own).toContain('Du skickade in din bedömning');
  });

  it('when every rater has submitted, then the lead and the coordinator get "Starta konsensus", a reviewer and an observer do not', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    const observer = await withObserver(s);
    for (const person of [s.lead, s.coordinator]) {
      const page = (await (await s.login(person)).get(`/reviews/${s.reviewId}`)).text;
      expect(tagOf(page, 'rating')).toBe('Klar – 3 av 3 inskickade');
      expect(stepOf(page, 'rating')).toContain('name="to" value="consensus"');
      // Consensus may begin now (its button is on the page): not started, no longer "cannot start".
      expect(tagOf(page, 'consensus')).toMatch(/^Inte påbörjad/);
    }
    for (const agent of [await s.login(s.reviewerA), observer]) {
      const page = (await agent.get(`/reviews/${s.reviewId}`)).text;
      expect(page).not.toContain('name="to" value="consensus"');
      expect(page).toContain('id="task-consensus"');
    }
  });

  it('during consensus, then the counts of decided indicators and written sections are in the tags, what is missing is linked, and "Kontrollera och slutför" waits until all are decided', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const indicators = listIndicators(s.rubric);
    const [first] = indicators;
    const [a] = s.rubric.sections;
    if (!first || !a) throw new Error('missing');
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: first.indicator.id, score: first.indicator.scale.min + 1, notApplicable: false, rationale: '' },
      s.lead.id,
    );
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: a.id, strengths: ['S'], recommendations: ['R'] }], s.lead.id, undefined, undefined);
    const lead = await s.login(s.lead);
    const page = (await lead.get(`/reviews/${s.reviewId}`)).text;
    const total = indicators.length;
    const sections = s.rubric.sections.length;
    expect(tagOf(page, 'consensus')).toBe(`Påbörjad – 1 av ${total}`);
    expect(tagOf(page, 'findings')).toBe(`Påbörjad – 1 av ${sections}`);
    expect(tagOf(page, 'barriers')).toBe('Inte påbörjad – 0 av 3');
    expect(tagOf(page, 'finalise')).toBe('Kan inte påbörjas än');
    expect(stepOf(page, 'consensus')).toContain(`href="/reviews/${s.reviewId}/consensus/${a.id}?undecided=1"`);
    expect(stepOf(page, 'findings')).not.toContain(`/consensus/${a.id}#findings`);
    expect(stepOf(page, 'findings')).toContain(`/consensus/${s.rubric.sections[1]?.id}#findings`);
    expect(stepOf(page, 'barriers')).toContain(`href="/reviews/${s.reviewId}/barriers"`);
    expect(stepOf(page, 'finalise')).toContain('Granskningen kan slutföras när alla indikatorer har konsensus.');
    expect(page).not.toContain(`class="button" href="/reviews/${s.reviewId}/finalise"`);
    // Every indicator decided: now the step's button is there.
    for (const { indicator } of indicators.slice(1)) {
      s.reviews.saveConsensus(
        s.reviewId,
        { indicatorId: indicator.id, score: indicator.scale.min + 1, notApplicable: false, rationale: '' },
        s.lead.id,
      );
    }
    const ready = (await lead.get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(ready, 'consensus')).toBe(`Klar – ${total} av ${total}`);
    expect(tagOf(ready, 'finalise')).toBe('Inte påbörjad');
    expect(stepOf(ready, 'finalise')).toContain(`<a class="button" href="/reviews/${s.reviewId}/finalise">Kontrollera och slutför</a>`);
    // A reviewer sees the same statuses but no finalise button and no barrier form link.
    const reviewer = (await (await s.login(s.reviewerA)).get(`/reviews/${s.reviewId}`)).text;
    expect(tagOf(reviewer, 'consensus')).toBe(`Klar – ${total} av ${total}`);
    expect(reviewer).not.toContain(`href="/reviews/${s.reviewId}/finalise"`);
    expect(reviewer).not.toContain(`href="/reviews/${s.reviewId}/barriers"`);
    // In English too.
    const english = (await lead.get(`/reviews/${s.reviewId}?lang=en`)).text;
    expect(tagOf(english, 'consensus')).toBe(`Completed – ${total} of ${total}`);
  });

  it('does not show the rubric’s hash on the review page, but on its details page', async () => {
    const s = await createReviewScenario();
    const coordinator = await s.login(s.coordinator);
    const hash = s.reviews.findReviewById(s.reviewId)?.rubric.contentHash.slice(0, 16) ?? '';
    expect((await coordinator.get(`/reviews/${s.reviewId}`)).text).not.toContain(hash);
    expect((await coordinator.get(`/reviews/${s.reviewId}/details`)).text).toContain(`<code>${hash}</code>`);
  });
});
