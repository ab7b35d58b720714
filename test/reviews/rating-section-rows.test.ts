// The rating form reads its section's ratings whole and, for the list of sections, only where every other indicator
// stands: what it shows must be the rater's own values of that section, and each section's status as before.
import { describe, expect, it } from 'vitest';
import { createReviewScenario, fullRatings, rateAndSubmit, startRating } from '../helpers/review-scenario.js';

async function scenario() {
  const s = await createReviewScenario();
  startRating(s);
  const [first, second, third] = s.rubric.sections;
  if (!first || !second || !third || first.indicators.length < 2) throw new Error('the shipped rubric changed shape');
  return { s, first, second, third };
}

describe('rating store: one rater, one section, and where each indicator stands', () => {
  it('when ratings, notes and sources are saved, then the section read and the progress map say exactly that', async () => {
    const { s, first, second } = await scenario();
    const [a1, a2] = first.indicators;
    const [b1] = second.indicators;
    if (!a1 || !a2 || !b1) throw new Error('missing');
    const saved = s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [
      { indicatorId: a1.id, score: a1.scale.min, notApplicable: false, evidence: [], note: '' },
      { indicatorId: a2.id, score: null, notApplicable: false, evidence: [], note: 'Bara en anteckning' },
      { indicatorId: b1.id, score: null, notApplicable: false, evidence: b1.evidence.slice(0, 1), note: '' },
    ]);
    expect(saved.outcome).toBe('saved');
    // Another rater's ratings are theirs alone.
    expect(
      s.reviews.saveRatings(
        s.reviewId,
        s.reviewerB.id,
        fullRatings(s.rubric, (min) => min, 'Bertils'),
      ).outcome,
    ).toBe('saved');

    const progress = s.reviews.readRatingProgress(s.reviewId, s.reviewerA.id);
    expect(Object.fromEntries(progress)).toEqual({ [a1.id]: 'rated', [a2.id]: 'begun', [b1.id]: 'begun' });

    const inFirst = s.reviews.listRatingsOfRaterIn(
      s.reviewId,
      s.reviewerA.id,
      first.indicators.map((i) => i.id),
    );
    expect(inFirst.map((r) => [r.indicatorId, r.score, r.note]).sort()).toEqual(
      [
        [a1.id, a1.scale.min, ''],
        [a2.id, null, 'Bara en anteckning'],
      ].sort(),
    );
    expect(inFirst.every((r) => r.raterId === s.reviewerA.id)).toBe(true);
    // The section read gives the same ratings as the whole read does for those indicators.
    const whole = s.reviews
      .listRatingsOfRater(s.reviewId, s.reviewerA.id)
      .filter((r) => first.indicators.some((i) => i.id === r.indicatorId));
    expect(inFirst.sort((x, y) => x.indicatorId.localeCompare(y.indicatorId))).toEqual(
      whole.sort((x, y) => x.indicatorId.localeCompare(y.indicatorId)),
    );
  });
});

describe('GET /reviews/:id/rate/:sectionId reads its own section', () => {
  it('when a section has a score and a note only, another a source only, then the form and its section list say so', async () => {
    const { s, first, second, third } = await scenario();
    const [a1, a2] = first.indicators;
    const [b1] = second.indicators;
    if (!a1 || !a2 || !b1) throw new Error('missing');
    s.reviews.saveRatings(s.reviewId, s.reviewerA.id, [
      { indicatorId: a1.id, score: a1.scale.min + 1, notApplicable: false, evidence: [], note: 'Annas anteckning' },
      { indicatorId: a2.id, score: null, notApplicable: false, evidence: [], note: 'Bara en anteckning' },
      { indicatorId: b1.id, score: null, notApplicable: false, evidence: b1.evidence.slice(0, 1), note: '' },
    ]);
    s.reviews.saveRatings(
      s.reviewId,
      s.reviewerB.id,
      fullRatings(s.rubric, (min) => min, 'Bertils anteckning'),
    );
    const a = await s.login(s.reviewerA);

    const form = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Annas anteckning');
    expect(form.text).toContain('Bara en anteckning');
    expect(form.text).not.toContain('Bertils anteckning');
    expect(form.text).toMatch(new RegExp(`name="score__${a1.id}" value="${a1.scale.min + 1}" checked`));
    // The section list counts rated indicators only: one in the first section, none in the second and third.
    expect(form.text).toContain(`(1/${first.indicators.length})`);
    expect(form.text).toContain(`(0/${second.indicators.length})`);

    const summary = await a.get(`/reviews/${s.reviewId}/rate`);
    expect(summary.text).toContain(`>Påbörjad: 1 av ${first.indicators.length}<`);
    // A source alone begins a section; a section with nothing kept has not begun.
    expect(summary.text).toContain(`>Påbörjad: 0 av ${second.indicators.length}<`);
    expect(summary.text).toMatch(new RegExp(`id="status-${third.id}">Inte påbörjad<`));
  });
});

describe('rating store: a consensus section reads the submitted ratings of its indicators', () => {
  it('when notes hold quotes, backslashes, line breaks, emoji and JSON-like text, then the section read gives them back exactly', async () => {
    const { s, first } = await scenario();
    const [a1, a2, a3] = first.indicators;
    if (!a1 || !a2 || !a3) throw new Error('missing');
    const awkward = 'Citat: "bra" \\ snedstreck\nny rad\tflik – åäö 🏠 {"score": 4} null';
    rateAndSubmit(s, s.reviewerA.id, (min, _max, index) => (index === 1 ? 'na' : min), awkward);
    // Reviewer B rates a1 only and submits; the lead rates and does not submit, so the lead's rows stay unread.
    s.reviews.saveRatings(s.reviewId, s.reviewerB.id, [
      { indicatorId: a1.id, score: a1.scale.max, notApplicable: false, evidence: [], note: '' },
    ]);
    expect(s.reviews.submitRatings(s.reviewId, s.reviewerB.id, [a1.id])).toBe('submitted');
    s.reviews.saveRatings(
      s.reviewId,
      s.lead.id,
      fullRatings(s.rubric, (min) => min, 'Utkast'),
    );

    const ids = [a1.id, a2.id, a3.id];
    const byKey = (r: { raterId: number; indicatorId: string }) => `${r.raterId}/${r.indicatorId}`;
    const sectionRead = s.reviews.listSubmittedRatingsOf(s.reviewId, ids).sort((x, y) => byKey(x).localeCompare(byKey(y)));
    const wholeRead = s.reviews
      .listSubmittedRatings(s.reviewId)
      .filter((r) => ids.includes(r.indicatorId))
      .sort((x, y) => byKey(x).localeCompare(byKey(y)));

    expect(sectionRead).toEqual(wholeRead);
    expect(sectionRead.filter((r) => r.raterId === s.reviewerA.id).map((r) => r.note)).toEqual([awkward, awkward, awkward]);
    expect(sectionRead.find((r) => r.raterId === s.reviewerA.id && r.indicatorId === a2.id)).toMatchObject({
      score: null,
      notApplicable: true,
    });
    expect(sectionRead.filter((r) => r.raterId === s.reviewerB.id).map((r) => [r.indicatorId, r.score])).toEqual([[a1.id, a1.scale.max]]);
    expect(sectionRead.some((r) => r.raterId === s.lead.id)).toBe(false);
    expect(s.reviews.listSubmittedRatingsOf(s.reviewId, [])).toEqual([]);
  });
});
