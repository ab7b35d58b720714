import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { extractCsrfToken } from '../helpers/test-app.js';

describe('concurrent edits', () => {
  it('does not let a rating form based on an old version overwrite a newer save: 409, the other value shown, input kept', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('missing');
    // Two browser tabs of the same rater open the same section.
    const tab1 = await s.login(s.reviewerA);
    const tab2 = await s.login(s.reviewerA);
    const page1 = await tab1.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    const page2 = await tab2.get(`/reviews/${s.reviewId}/rate/${section.id}`);
    const versions = Object.fromEntries(section.indicators.map((i) => [`version__${i.id}`, '0']));
    const first = await tab1
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(page1.text),
        ...versions,
        [`score__${indicator.id}`]: '2',
        [`note__${indicator.id}`]: 'Från flik ett',
      });
    expect(first.status).toBe(303);
    const second = await tab2
      .post(`/reviews/${s.reviewId}/rate/${section.id}?lang=en`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(page2.text),
        ...versions,
        [`score__${indicator.id}`]: '4',
        [`note__${indicator.id}`]: 'Från flik två',
      });
    expect(second.status).toBe(409);
    expect(second.text).toContain('Someone else saved this');
    expect(second.text).toContain('Från flik ett');
    expect(second.text).toContain('Från flik två');
    expect(second.text).toContain('value="4" checked');
    expect(second.text).toContain(`name="version__${indicator.id}" value="1"`);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)).toMatchObject({
      score: 2,
      note: 'Från flik ett',
    });
    // Saving again from the re-rendered form (now based on version 1) replaces it on purpose.
    const again = await tab2
      .post(`/reviews/${s.reviewId}/rate/${section.id}`)
      .type('form')
      .send({
        _csrf: extractCsrfToken(second.text),
        ...versions,
        [`version__${indicator.id}`]: '1',
        [`score__${indicator.id}`]: '4',
        [`note__${indicator.id}`]: 'Från flik två',
      });
    expect(again.status).toBe(303);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)).toMatchObject({
      score: 4,
      version: 2,
    });
  });

  it('does not let a stale consensus form overwrite a newer decision', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    const tab1 = await s.login(s.lead);
    const tab2 = await s.login(s.lead);
    const page1 = await tab1.get(`/reviews/${s.reviewId}/consensus`);
    const page2 = await tab2.get(`/reviews/${s.reviewId}/consensus`);
    const url = `/reviews/${s.reviewId}/consensus/${indicator.id}`;
    expect(
      (
        await tab1
          .post(url)
          .type('form')
          .send({ _csrf: extractCsrfToken(page1.text), score: '2', rationale: 'Första beslutet', version: '0' })
      ).status,
    ).toBe(303);
    const stale = await tab2
      .post(url)
      .type('form')
      .send({ _csrf: extractCsrfToken(page2.text), score: '3', rationale: 'Andra försöket', version: '0' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Någon annan har sparat det här');
    expect(stale.text).toContain('Första beslutet');
    expect(stale.text).toContain('Andra försöket');
    expect(s.reviews.listConsensus(s.reviewId)[0]).toMatchObject({ score: 2, rationale: 'Första beslutet', version: 1 });
  });

  it("when two agents load the findings form and one saves, then the other's save is 409: both texts shown, the typed ones kept, nothing written", async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const [first, second] = s.rubric.sections;
    if (!first || !second) throw new Error('missing');
    const url = `/reviews/${s.reviewId}/findings`;
    const tab1 = await s.login(s.lead);
    const tab2 = await s.login(s.lead);
    const page1 = await tab1.get(url);
    const page2 = await tab2.get(url);
    expect(page1.text).toContain('name="version" value="0"');
    const firstSave = {
      version: '0',
      [`strengths__${first.id}`]: 'Förstahandskontrakt från start\nSnabb väg till nyckel',
      [`recommendations__${second.id}`]: 'Följ upp hyresskulder tidigt',
      barriers__systemic: 'Brist på hyresrätter',
    };
    expect(
      (
        await tab1
          .post(url)
          .type('form')
          .send({ _csrf: extractCsrfToken(page1.text), ...firstSave })
      ).status,
    ).toBe(303);
    const stored = { findings: s.reviews.listFindings(s.reviewId), barriers: s.reviews.listBarriers(s.reviewId) };
    const typed = {
      version: '0',
      [`strengths__${first.id}`]: 'Teamet <b>träffas</b> varje vecka',
      [`recommendations__${second.id}`]: 'Följ upp hyresskulder tidigt',
      barriers__organisational: 'Hög personalomsättning',
    };
    const stale = await tab2
      .post(url)
      .type('form')
      .send({ _csrf: extractCsrfToken(page2.text), ...typed });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Någon annan har sparat styrkor, rekommendationer eller hinder medan du arbetade');
    // What is stored now, beside what was typed (kept in its box, escaped).
    expect(stale.text).toContain('<li>Förstahandskontrakt från start</li>');
    expect(stale.text).toContain('<li>Snabb väg till nyckel</li>');
    expect(stale.text).toContain('<li>Brist på hyresrätter</li>');
    expect(stale.text).toContain('Teamet &lt;b&gt;träffas&lt;/b&gt; varje vecka</textarea>');
    expect(stale.text).toContain('Hög personalomsättning</textarea>');
    // Only the boxes that differ are flagged: the recommendation typed equals the stored one.
    expect(stale.text).toContain(`href="#f-strengths__${first.id}"`);
    expect(stale.text).toContain('href="#f-barriers__systemic"');
    expect(stale.text).toContain('href="#f-barriers__organisational"');
    expect(stale.text).not.toContain(`href="#f-recommendations__${second.id}"`);
    // The form is now based on what is stored, so saving it again replaces that knowingly.
    expect(stale.text).toContain('name="version" value="1"');
    expect({ findings: s.reviews.listFindings(s.reviewId), barriers: s.reviews.listBarriers(s.reviewId) }).toEqual(stored);
    const english = await tab2
      .post(`${url}?lang=en`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page2.text), ...typed });
    expect(english.status).toBe(409);
    expect(english.text).toContain('Someone else saved strengths, recommendations or barriers while you were working');
    // A fresh save, from the form as the 409 gave it back, goes through.
    const again = await tab2
      .post(url)
      .type('form')
      .send({ _csrf: extractCsrfToken(stale.text), ...typed, version: '1' });
    expect(again.status).toBe(303);
    expect(s.reviews.listFindings(s.reviewId)).toEqual([
      { sectionId: first.id, kind: 'strength', position: 1, text: 'Teamet <b>träffas</b> varje vecka' },
      { sectionId: second.id, kind: 'recommendation', position: 1, text: 'Följ upp hyresskulder tidigt', priority: 'medium' },
    ]);
    expect(s.reviews.listBarriers(s.reviewId)).toEqual([{ category: 'organisational', position: 1, text: 'Hög personalomsättning' }]);
    expect((await tab1.get(url)).text).toContain('name="version" value="2"');
  });

  it('when a stale findings form holds exactly what is stored, then it saves without a conflict and changes no version', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const section = s.rubric.sections[0];
    if (!section) throw new Error('missing');
    const url = `/reviews/${s.reviewId}/findings`;
    const tab1 = await s.login(s.lead);
    const tab2 = await s.login(s.lead);
    const page1 = await tab1.get(url);
    const page2 = await tab2.get(url);
    const same = { version: '0', [`strengths__${section.id}`]: 'Samma text i båda flikarna' };
    expect(
      (
        await tab1
          .post(url)
          .type('form')
          .send({ _csrf: extractCsrfToken(page1.text), ...same })
      ).status,
    ).toBe(303);
    const logged = () => (s.db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'finding'").get() as { n: number }).n;
    const before = logged();
    expect(
      (
        await tab2
          .post(url)
          .type('form')
          .send({ _csrf: extractCsrfToken(page2.text), ...same })
      ).status,
    ).toBe(303);
    expect(logged()).toBe(before);
    expect((await tab1.get(url)).text).toContain('name="version" value="1"');
  });

  it('treats a save identical to what is stored as no conflict', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const indicator = listIndicators(s.rubric)[0]?.indicator;
    if (!indicator) throw new Error('missing');
    const input = { indicatorId: indicator.id, score: 3, notApplicable: false, evidence: [], note: '' };
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [{ ...input, expectedVersion: 0 }]).outcome).toBe('saved');
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [{ ...input, expectedVersion: 0 }]).outcome).toBe('saved');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)[0]?.version).toBe(1);
  });

  it('when a findings form comes without its version, then it is refused with 422, the typed text kept and nothing written', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const person of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, person.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const [first] = s.rubric.sections;
    if (!first) throw new Error('missing');
    // Someone saved meanwhile; a form without a version must not overwrite it unchecked.
    expect(
      s.reviews.replaceFindings(
        s.reviewId,
        [{ sectionId: first.id, strengths: ['Sparat i en annan flik'], recommendations: [] }],
        s.lead.id,
        undefined,
        undefined,
      ),
    ).toBe('saved');
    const lead = await s.login(s.lead);
    for (const url of [
      `/reviews/${s.reviewId}/findings`,
      `/reviews/${s.reviewId}/consensus/${first.id}/findings`,
      `/reviews/${s.reviewId}/barriers`,
    ]) {
      const page = await lead.get(
        url.endsWith('/findings') && url.includes('/consensus/') ? `/reviews/${s.reviewId}/consensus/${first.id}` : url,
      );
      const response = await lead
        .post(url)
        .type('form')
        .send({
          _csrf: extractCsrfToken(page.text),
          [`strengths__${first.id}`]: 'Skrivet utan version',
          barriers__systemic: 'Hinder utan version',
        });
      expect(response.status, url).toBe(422);
      expect(response.text).toContain(url.endsWith('/barriers') ? 'Hinder utan version' : 'Skrivet utan version');
    }
    expect(s.reviews.listFindings(s.reviewId).map((f) => f.text)).toEqual(['Sparat i en annan flik']);
    expect(s.reviews.listBarriers(s.reviewId)).toEqual([]);
  });
});
