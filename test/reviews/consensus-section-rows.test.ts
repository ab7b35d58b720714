// The consensus section page reads only its own section's rows (ratings, consensus, findings): what it shows must be
// exactly that section's, submitted ratings only, and never stale after a save elsewhere.
import { readForm } from '../helpers/form-fields.js';
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, fullRatings, rateAndSubmit, type ReviewScenario, startRating } from '../helpers/review-scenario.js';

const sectionsOf = (s: ReviewScenario) => {
  const [a, b] = s.rubric.sections;
  if (!a || !b) throw new Error('the rubric needs two sections');
  return { a, b };
};

const sectionUrl = (s: ReviewScenario, sectionId: string) => `/reviews/${s.reviewId}/consensus/${sectionId}`;

/** The section's one form as the page shows it: the decisions as stored, the findings, their version and fingerprint. */
const formOf = (html: string) => readForm(html, 'consensus-form').fields;

const decidedOf = (html: string) => /(\d+) av (\d+) beslutade/.exec(html)?.slice(1).map(Number);

describe('consensus section page: only its own section, submitted ratings only', () => {
  it('when a rater has a draft in the section, then the page does not show it; after they submit, it does', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const { a } = sectionsOf(s);
    rateAndSubmit(s, s.lead.id, (min) => min + 1);
    rateAndSubmit(s, s.reviewerA.id, (min) => min + 1);
    // Reviewer B's ratings are saved but not submitted: a draft, with a note only they may read.
    const draft = fullRatings(s.rubric, (min) => min, 'Bertils utkast');
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerB.id, draft).outcome).toBe('saved');
    // The lead has submitted, so may already see the others' submitted ratings during rating.
    const lead = await s.login(s.lead);
    const before = await lead.get(sectionUrl(s, a.id));
    expect(before.status).toBe(200);
    expect(before.text).toContain('Anna Andersson');
    expect(before.text).not.toContain('Bertil Berg');
    expect(before.text).not.toContain('Bertils utkast');

    const ids = listIndicators(s.rubric).map(({ indicator }) => indicator.id);
    expect(s.reviews.submitRatings(s.reviewId, s.reviewerB.id, ids)).toBe('submitted');
    const after = await lead.get(sectionUrl(s, a.id));
    expect(after.text).toContain('Bertil Berg');
    // One row per indicator of section A, none of section B's.
    expect(after.text.split('Bertils utkast')).toHaveLength(a.indicators.length + 1);
  });

  it('when the consensus of an indicator in section B is saved, then A counts only its own and B shows it decided', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const { a, b } = sectionsOf(s);
    const [a1] = a.indicators;
    const [b1] = b.indicators;
    if (!a1 || !b1) throw new Error('missing');
    s.reviews.saveConsensus(s.reviewId, { indicatorId: a1.id, score: a1.scale.min + 1, notApplicable: false, rationale: '' }, s.lead.id);
    s.reviews.saveConsensus(
      s.reviewId,
      { indicatorId: b1.id, score: b1.scale.min + 1, notApplicable: false, rationale: 'Beslut i B' },
      s.lead.id,
    );
    const lead = await s.login(s.lead);

    const pageA = await lead.get(sectionUrl(s, a.id));
    expect(decidedOf(pageA.text)).toEqual([1, a.indicators.length]);
    expect(pageA.text).not.toContain('Beslut i B');

    const pageB = await lead.get(sectionUrl(s, b.id));
    expect(decidedOf(pageB.text)).toEqual([1, b.indicators.length]);
    expect(pageB.text).toContain('Beslut i B');
    // The filter hides B's decided indicator and keeps its undecided ones.
    const filtered = await lead.get(`${sectionUrl(s, b.id)}?undecided=1`);
    expect(filtered.text).not.toContain(`id="ind-${b1.id}"`);
    for (const other of b.indicators.slice(1)) expect(filtered.text).toContain(`id="ind-${other.id}"`);
    // Stored state: both decisions, each under its own indicator.
    expect(
      s.reviews
        .listConsensus(s.reviewId)
        .map((c) => c.indicatorId)
        .sort(),
    ).toEqual([a1.id, b1.id].sort());
  });

  it('when section A’s findings are saved, then B’s page shows only B’s texts and the same fingerprint as before, and B saves without a conflict', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const { a, b } = sectionsOf(s);
    const lead = await s.login(s.lead);
    const findingsUrl = (sectionId: string) => `${sectionUrl(s, sectionId)}/save`;

    // B's own save first, then a fresh GET of B: its fingerprint.
    const pageB0 = await lead.get(sectionUrl(s, b.id));
    const savedB = await lead
      .post(findingsUrl(b.id))
      .type('form')
      .send({ ...formOf(pageB0.text), [`strengths__${b.id}`]: 'B styrka', [`recommendations__${b.id}`]: 'B rekommendation' });
    expect(savedB.status).toBe(303);
    const pageB1 = await lead.get(sectionUrl(s, b.id));
    const afterOwnSave = formOf(pageB1.text);

    // Then A is saved.
    const pageA = await lead.get(sectionUrl(s, a.id));
    const savedA = await lead
      .post(findingsUrl(a.id))
      .type('form')
      .send({ ...formOf(pageA.text), [`strengths__${a.id}`]: 'A styrka', [`recommendations__${a.id}`]: 'A rekommendation' });
    expect(savedA.status).toBe(303);

    const pageB2 = await lead.get(sectionUrl(s, b.id));
    expect(pageB2.text).toContain('B styrka');
    expect(pageB2.text).toContain('B rekommendation');
    expect(pageB2.text).not.toContain('A styrka');
    expect(pageB2.text).not.toContain('A rekommendation');
    const now = formOf(pageB2.text);
    expect(now.findings_base).toBe(afterOwnSave.findings_base);
    // The review-wide version went up with A's save, and B's page carries the current one.
    expect(Number(now.findings_version)).toBe(Number(afterOwnSave.findings_version) + 1);
    expect(now.findings_version).toBe(String(s.reviews.findFindingsVersion(s.reviewId)));

    // Saving B from the page shown before A's save is no conflict: B itself did not change.
    const savedAgain = await lead
      .post(findingsUrl(b.id))
      .type('form')
      .send({ ...afterOwnSave, [`strengths__${b.id}`]: 'B styrka, ändrad', [`recommendations__${b.id}`]: 'B rekommendation' });
    expect(savedAgain.status).toBe(303);
    const stored = s.reviews.listFindings(s.reviewId).map((f) => `${f.sectionId}/${f.kind}/${f.text}`);
    expect(stored.sort()).toEqual(
      [
        `${a.id}/strength/A styrka`,
        `${a.id}/recommendation/A rekommendation`,
        `${b.id}/strength/B styrka, ändrad`,
        `${b.id}/recommendation/B rekommendation`,
      ].sort(),
    );
  });

  it('when a section has two recommendations, then each priority and owner select is named by its row and column, and no id repeats', async () => {
    const s = await createReviewScenario();
    startRating(s);
    for (const rater of [s.lead, s.reviewerA, s.reviewerB]) rateAndSubmit(s, rater.id, (min) => min + 1);
    s.reviews.transition(s.reviewId, 'rating', 'consensus');
    const { a } = sectionsOf(s);
    s.reviews.replaceFindings(s.reviewId, [{ sectionId: a.id, strengths: [], recommendations: ['Första', 'Andra'] }], s.lead.id);
    const page = (await (await s.login(s.lead)).get(sectionUrl(s, a.id))).text;

    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    // The names, read as a screen reader joins aria-labelledby's texts: the recommendation, then the column.
    const textOf = (id: string) => new RegExp(`id="${id}">([^<]*)<`).exec(page)?.[1];
    const names = [...page.matchAll(/<select [^>]*aria-labelledby="([^"]+)"/g)].map((match) =>
      (match[1] ?? '').split(' ').map(textOf).join(' – '),
    );
    expect(names).toEqual(['Första – Prioritet', 'Första – Ansvarig', 'Andra – Prioritet', 'Andra – Ansvarig']);
  });
});
