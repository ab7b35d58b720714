// listIndicators makes each rubric object's list once: a review pinned to one rubric version must never get another
// version's indicators, and no caller can change the list the next caller gets.
import { describe, expect, it } from 'vitest';
import { createReviewStore } from '../../src/reviews/review-store.js';
import { type IndicatorPlace, listIndicators, type Rubric } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, rateAndSubmit, startRating } from '../helpers/review-scenario.js';
import { loadTestRubrics, loginAgent, MINI_RUBRIC_FILE, makeTestApp, ROOT } from '../helpers/test-app.js';

const FROZEN_1_1_FILE = `${ROOT}test/fixtures/rubrics/bostad-forst-1.1/bostad-forst.yaml`;

/** The rubric's indicator ids, read straight from its sections. */
const idsOf = (rubric: Rubric) => rubric.sections.flatMap((section) => section.indicators.map((indicator) => indicator.id));

/** The "rated of total" cells of the overview's panel table. */
const progressCells = (html: string) =>
  [...html.matchAll(/<td role="cell" data-label="Bedömda indikatorer" class="progress">(\d+) av (\d+)<\/td>/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);

describe('listIndicators', () => {
  it('when two reviews are pinned to different rubric versions, then each lists and counts its own indicators', async () => {
    // Review 1 is pinned to 1.1; then the app loads 2.0 on the same database and review 2 takes it.
    const before = makeTestApp({ rubrics: loadTestRubrics([FROZEN_1_1_FILE, MINI_RUBRIC_FILE]) });
    const s = await createReviewScenario({ app: before });
    startRating(s);
    rateAndSubmit(s, s.reviewerA.id, (min) => min + 1);
    const after = makeTestApp({ db: before.db });
    const latest = after.rubrics.get('bostad-forst');
    if (!latest) throw new Error('rubric missing');
    const reviews = createReviewStore(after.db);
    const second = reviews.insertReview({
      programId: s.programId,
      rubric: latest,
      kind: 'peer_review',
      visitStart: '2026-09-01',
      visitEnd: '2026-09-02',
      createdBy: s.coordinator.id,
    });
    reviews.setPanelMember(second, s.lead.id, 'lead');
    reviews.setPanelMember(second, s.reviewerA.id, 'reviewer');
    expect(reviews.transition(second, 'draft', 'rating')).toBe(true);

    const old = reviews.findReviewById(s.reviewId);
    const current = reviews.findReviewById(second);
    if (!old || !current) throw new Error('missing');
    expect([old.rubricVersion, current.rubricVersion]).toEqual(['1.1', '2.0']);
    const oldIds = idsOf(old.rubric.rubric);
    const currentIds = idsOf(current.rubric.rubric);
    expect(oldIds.length).not.toBe(currentIds.length);

    // The pages, each version asked in turn (the same rubric id, so a list kept per id would be the other's).
    const coordinator = await loginAgent(after.app, s.coordinator.email);
    const page1 = (await coordinator.get(`/reviews/${s.reviewId}`)).text;
    const page2 = (await coordinator.get(`/reviews/${second}`)).text;
    const page1Again = (await coordinator.get(`/reviews/${s.reviewId}`)).text;
    expect(progressCells(page1)).toContainEqual([oldIds.length, oldIds.length]);
    for (const [, total] of progressCells(page1)) expect(total).toBe(oldIds.length);
    for (const [, total] of progressCells(page2)) expect(total).toBe(currentIds.length);
    expect(progressCells(page2)).toHaveLength(2);
    expect(progressCells(page1Again)).toEqual(progressCells(page1));

    // The lists themselves, asked alternately.
    expect(listIndicators(old.rubric.rubric).map(({ indicator }) => indicator.id)).toEqual(oldIds);
    expect(listIndicators(current.rubric.rubric).map(({ indicator }) => indicator.id)).toEqual(currentIds);
    expect(listIndicators(old.rubric.rubric).map(({ indicator }) => indicator.id)).toEqual(oldIds);
    for (const { section, indicator } of listIndicators(current.rubric.rubric)) expect(section.indicators).toContain(indicator);
  });

  it('when a caller tries to change the list it got, then it cannot, and the next caller gets the whole list', async () => {
    const s = await createReviewScenario();
    const list = listIndicators(s.rubric);
    expect(Object.isFrozen(list)).toBe(true);
    // Why the casts: the type already forbids this; the test checks that the object does too.
    expect(() => (list as IndicatorPlace[]).pop()).toThrow(TypeError);
    expect(() =>
      (list as IndicatorPlace[]).push({
        section: s.rubric.sections[0] as IndicatorPlace['section'],
        indicator: list[0]?.indicator as IndicatorPlace['indicator'],
      }),
    ).toThrow(TypeError);
    const [first] = list;
    if (!first) throw new Error('missing');
    expect(() => {
      (first as { section: unknown }).section = undefined;
    }).toThrow(TypeError);
    const again = listIndicators(s.rubric);
    expect(again.map(({ indicator }) => indicator.id)).toEqual(idsOf(s.rubric));
    expect(again[0]?.section).toBe(s.rubric.sections[0]);
  });
});
