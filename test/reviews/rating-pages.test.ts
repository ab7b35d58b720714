// The rater's pages: the start page "Din bedömning" as a task list, section links that save, and
// check-your-answers before submitting.
import { describe, expect, it } from 'vitest';
import { listIndicators } from '../../src/rubrics/rubric-schema.js';
import { createReviewScenario, fullRatings, startRating } from '../helpers/review-scenario.js';
import { type Agent, extractCsrfToken } from '../helpers/test-app.js';

/** The fields a browser sends from the section page untouched: the token and each indicator's version. */
function pageFields(html: string): Record<string, string> {
  const fields: Record<string, string> = { _csrf: extractCsrfToken(html) };
  for (const match of html.matchAll(/<input type="hidden" name="(version__[^"]+|return|return_at)" value="([^"]*)">/g))
    fields[match[1] ?? ''] = match[2] ?? '';
  return fields;
}

/** Posts a section's form as a browser sends it from `pageHtml`: the page's token and hidden fields, then `fields`. */
function postSection(agent: Agent, reviewId: number, section: { readonly id: string }, pageHtml: string, fields: Record<string, string>) {
  return agent
    .post(`/reviews/${reviewId}/rate/${section.id}`)
    .type('form')
    .send({ ...pageFields(pageHtml), ...fields });
}

async function ratingScenario() {
  const s = await createReviewScenario();
  startRating(s);
  const [first, second, third] = s.rubric.sections;
  if (!first || !second || !third || first.indicators.length < 3) throw new Error('the shipped rubric changed shape');
  const a = await s.login(s.reviewerA);
  return { s, a, first, second, third };
}

describe('GET /reviews/:id/rate (Din bedömning)', () => {
  it('when nothing is rated, then every section is "Inte påbörjad" and the one primary action is "Börja" to the first section', async () => {
    const { s, a, first } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Din bedömning</h1>');
    expect(page.text).not.toContain('Skicka in bedömningen');
    expect(page.text.match(/>Inte påbörjad</g)).toHaveLength(s.rubric.sections.length);
    expect(page.text).toContain(`<a class="button" href="/reviews/${s.reviewId}/rate/${first.id}">Börja</a>`);
    expect(page.text.match(/class="button"/g)).toHaveLength(1);
    // The page no longer submits: that goes through the check page.
    expect(page.text).not.toContain(`action="/reviews/${s.reviewId}/submit"`);
  });

  it('when a section is partly rated and another done, then their tags say so and "Fortsätt där du slutade" goes to the first unrated indicator', async () => {
    const { s, a, first, second } = await ratingScenario();
    const ratings = fullRatings(s.rubric, (min) => min);
    const firstIds = new Set(first.indicators.slice(0, 2).map((i) => i.id));
    const secondIds = new Set(second.indicators.map((i) => i.id));
    const chosen = ratings.filter((r) => firstIds.has(r.indicatorId) || secondIds.has(r.indicatorId));
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, chosen).outcome).toBe('saved');
    const page = await a.get(`/reviews/${s.reviewId}/rate`);
    expect(page.text).toContain(`>Påbörjad: 2 av ${first.indicators.length}<`);
    expect(page.text).toMatch(new RegExp(`id="status-${second.id}">Klar<`));
    const third = first.indicators[2];
    expect(page.text).toContain(
      `<a class="button" href="/reviews/${s.reviewId}/rate/${first.id}#h-${third?.id}">Fortsätt där du slutade</a>`,
    );
    expect(page.text).toContain(`Du har bedömt ${2 + second.indicators.length} av ${listIndicators(s.rubric).length} indikatorer.`);
  });

  it('when everything is rated, then the primary action is to check and submit', async () => {
    const { s, a } = await ratingScenario();
    expect(
      s.reviews.saveRatings(
        s.reviewId,
        s.reviewerA.id,
        fullRatings(s.rubric, (min) => min),
      ).outcome,
    ).toBe('saved');
    const page = await a.get(`/reviews/${s.reviewId}/rate?lang=en`);
    expect(page.text).toContain('<h1>Your rating</h1>');
    expect(page.text).toContain(`<a class="button" href="/reviews/${s.reviewId}/rate/check">Check and submit</a>`);
    expect(page.text.match(/>Completed</g)).toHaveLength(s.rubric.sections.length);
  });
});

describe('the section form', () => {
  it('has a skip link to the first indicator, section links that are submit buttons, and the unsaved-changes script', async () => {
    const { s, a, first, second } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    const firstIndicator = first.indicators[0];
    expect(page.text).toContain(`<a class="skip-link" href="#h-${firstIndicator?.id}">Hoppa till första indikatorn</a>`);
    expect(page.text).toContain(`<h2 id="h-${firstIndicator?.id}" tabindex="-1">`);
    expect(page.text).toContain(`<button type="submit" name="goto" value="${second.id}"`);
    expect(page.text).toContain('<script src="/assets/unsaved-changes.js" defer></script>');
    // No inline script or handler: the policy allows scripts from this site only.
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]|\son[a-z]+="/);
    const script = await a.get('/assets/unsaved-changes.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('beforeunload');
  });

  it('when a section link is pressed, then what was typed is saved and the rater lands on that section', async () => {
    const { s, a, first, third } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    const indicator = first.indicators[0];
    if (!indicator) throw new Error('no indicator');
    const response = await postSection(a, s.reviewId, first, page.text, {
      goto: third.id,
      [`score__${indicator.id}`]: String(indicator.scale.max),
      [`note__${indicator.id}`]: 'Sågs på plats',
      [`version__${indicator.id}`]: '0',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}/rate/${third.id}`);
    const saved = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id);
    expect(saved).toMatchObject({ score: indicator.scale.max, note: 'Sågs på plats' });
  });

  it('when "Din bedömning" is pressed on a section, then it saves and goes to the start page', async () => {
    const { s, a, first } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    const indicator = first.indicators[0];
    if (!indicator) throw new Error('no indicator');
    const response = await postSection(a, s.reviewId, first, page.text, {
      goto: '_summary',
      [`score__${indicator.id}`]: String(indicator.scale.min),
      [`version__${indicator.id}`]: '0',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}/rate`);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)?.score).toBe(
      indicator.scale.min,
    );
  });

  it('when the last section is shown, then its one primary button saves and goes on to checking the answers', async () => {
    const { s, a } = await ratingScenario();
    const last = s.rubric.sections[s.rubric.sections.length - 1];
    const indicator = last?.indicators[0];
    if (!last || !indicator) throw new Error('no last section');
    const page = await a.get(`/reviews/${s.reviewId}/rate/${last.id}`);
    expect(page.text).toContain('<button type="submit" name="action" value="check">Spara och kontrollera dina svar</button>');
    expect(page.text).not.toContain('value="next"');
    expect(page.text).toContain('<button type="submit" name="action" value="save" class="secondary">');
    const response = await postSection(a, s.reviewId, last, page.text, {
      action: 'check',
      [`score__${indicator.id}`]: String(indicator.scale.min),
      [`version__${indicator.id}`]: '0',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}/rate/check`);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).some((r) => r.indicatorId === indicator.id)).toBe(true);
  });

  it('when a section link is pressed with a refused value, then the page stays (422) with every value kept and nothing saved', async () => {
    const { s, a, first, second } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    const [indicator, other] = first.indicators;
    if (!indicator || !other) throw new Error('no indicator');
    const response = await postSection(a, s.reviewId, first, page.text, {
      goto: second.id,
      [`score__${indicator.id}`]: '99',
      [`score__${other.id}`]: String(other.scale.min),
      [`note__${other.id}`]: 'Behålls trots felet',
    });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/<title>Fel: /);
    expect(response.text).toContain('Behålls trots felet');
    expect(response.text).toMatch(new RegExp(`name="score__${other.id.replace(/\./g, '\\.')}" value="${other.scale.min}" checked`));
    // The message also stands beside the refused score, and only there.
    expect(response.text.match(/<p class="field-error" id="err-[^"]+">/g)).toEqual([
      `<p class="field-error" id="err-score__${indicator.id}">`,
    ]);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });
});

describe('GET /reviews/:id/rate/check (check your answers)', () => {
  it('when every indicator is rated, then it lists every score, N/A, evidence and note by section with "Ändra" links, and a confirm button', async () => {
    const { s, a } = await ratingScenario();
    const ratings = fullRatings(
      s.rubric,
      (min, max, index) => (index === 1 ? 'na' : index % 2 === 0 ? max : min),
      'Anteckning från besöket',
    );
    const withNa = listIndicators(s.rubric)
      .filter(({ indicator }) => indicator.scale.allow_na)
      .map(({ indicator }) => indicator.id);
    // Only indicators that allow N/A may be N/A: give the others a score.
    const fixed = ratings.map((r) => (r.notApplicable && !withNa.includes(r.indicatorId) ? { ...r, score: 1, notApplicable: false } : r));
    expect(s.reviews.saveRatings(s.reviewId, s.reviewerA.id, fixed).outcome).toBe('saved');
    const page = await a.get(`/reviews/${s.reviewId}/rate/check`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Kontrollera dina svar innan du skickar in</h1>');
    for (const section of s.rubric.sections) {
      expect(page.text).toContain(`<h2 id="check-section-${section.id}">${section.code} `);
      for (const indicator of section.indicators) {
        // "Ändra" carries the way back: the section then offers "Spara och gå tillbaka till dina svar".
        expect(page.text).toContain(
          `href="/reviews/${s.reviewId}/rate/${section.id}?return=check&amp;return_at=${indicator.id}#h-${indicator.id}">Ändra<span class="visually-hidden">`,
        );
      }
    }
    const changeLinks = page.text.match(/>Ändra<span/g) ?? [];
    expect(changeLinks).toHaveLength(listIndicators(s.rubric).length);
    expect(page.text.match(/Anteckning från besöket/g)).toHaveLength(listIndicators(s.rubric).length);
    if (fixed.some((r) => r.notApplicable)) expect(page.text).toContain('<strong>Ej tillämplig</strong>');
    expect(page.text).toContain(`action="/reviews/${s.reviewId}/submit"`);
    expect(page.text).toContain('Skicka in – dina poäng låses');
  });

  it('when indicators are missing, then they are listed with links and there is no submit button', async () => {
    const { s, a, first } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate/check`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${listIndicators(s.rubric).length} återstår`);
    const firstId = first.indicators[0]?.id;
    expect(page.text).toContain(
      `href="/reviews/${s.reviewId}/rate/${first.id}?return=check&amp;return_at=${firstId}#h-${firstId}">${first.code}.1 `,
    );
    expect(page.text).not.toContain(`action="/reviews/${s.reviewId}/submit"`);
    expect(page.text).not.toContain('Skicka in – dina poäng låses');
  });

  it('when the confirm button is pressed, then the ratings are submitted and frozen', async () => {
    const { s, a } = await ratingScenario();
    expect(
      s.reviews.saveRatings(
        s.reviewId,
        s.reviewerA.id,
        fullRatings(s.rubric, (min) => min),
      ).outcome,
    ).toBe('saved');
    const page = await a.get(`/reviews/${s.reviewId}/rate/check`);
    const form = /<form method="post" action="([^"]+)">\s*<input type="hidden" name="_csrf" value="([^"]+)">/.exec(page.text);
    expect(form?.[1]).toBe(`/reviews/${s.reviewId}/submit`);
    const response = await a
      .post(form?.[1] ?? '')
      .type('form')
      .send({ _csrf: form?.[2] ?? '' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}`);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.submittedAt).toBeDefined();
    expect((await a.get(`/reviews/${s.reviewId}/rate/check`)).status).toBe(409);
  });

  it('when an incomplete rating is submitted anyway, then the check page comes back (422) naming what is missing', async () => {
    const { s, a } = await ratingScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate`);
    const response = await a
      .post(`/reviews/${s.reviewId}/submit`)
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text) });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/<title>Fel: Kontrollera dina svar/);
    // The refusal is the page's one alert, focused on load like every error summary.
    expect(response.text).toMatch(/<div class="error-summary" role="alert" tabindex="-1" autofocus>\s*<p>/);
    expect(response.text.match(/role="alert"/g)).toHaveLength(1);
    expect(s.reviews.listPanel(s.reviewId).find((m) => m.userId === s.reviewerA.id)?.submittedAt).toBeUndefined();
  });
});

describe('a section opened from the check page ("Ändra")', () => {
  /** Every indicator rated at its minimum, so the check page is complete; the rater then changes one. */
  async function checkedScenario() {
    const scenario = await ratingScenario();
    const { s } = scenario;
    expect(
      s.reviews.saveRatings(
        s.reviewId,
        s.reviewerA.id,
        fullRatings(s.rubric, (min) => min),
      ).outcome,
    ).toBe('saved');
    return scenario;
  }

  it('when the rater follows "Ändra", then the primary button goes back to the answers, and saving lands there at the changed indicator', async () => {
    const { s, a, first } = await checkedScenario();
    const indicator = first.indicators[1];
    if (!indicator) throw new Error('no indicator');
    const check = await a.get(`/reviews/${s.reviewId}/rate/check`);
    const href = new RegExp(
      `href="(/reviews/${s.reviewId}/rate/${first.id}\\?return=check&amp;return_at=${indicator.id})#h-${indicator.id}">Ändra`,
    ).exec(check.text)?.[1];
    expect(href).toBeDefined();
    const page = await a.get((href ?? '').replaceAll('&amp;', '&'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<input type="hidden" name="return" value="check">');
    expect(page.text).toContain(`<input type="hidden" name="return_at" value="${indicator.id}">`);
    // One primary button, and it goes back; on to the next section stays, as a secondary one.
    expect(page.text).toContain('<button type="submit" name="action" value="check">Spara och gå tillbaka till dina svar</button>');
    expect(page.text).toContain(
      '<button type="submit" name="action" value="next" class="secondary">Spara och gå till nästa avsnitt</button>',
    );
    expect(page.text.match(/<button type="submit" name="action" value="[a-z]+">/g)).toHaveLength(1);
    const response = await postSection(a, s.reviewId, first, page.text, {
      action: 'check',
      [`score__${indicator.id}`]: String(indicator.scale.max),
      [`note__${indicator.id}`]: 'Ändrad efter kontrollen',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}/rate/check#check-${indicator.id}`);
    const saved = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id);
    expect(saved).toMatchObject({ score: indicator.scale.max, note: 'Ändrad efter kontrollen' });
    // The row it lands at.
    expect((await a.get(`/reviews/${s.reviewId}/rate/check`)).text).toContain(`<div class="summary-list__row" id="check-${indicator.id}">`);
  });

  it('when the section is opened without the marker, then its primary button goes on to the next section, as before', async () => {
    const { s, a, first } = await checkedScenario();
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}`);
    expect(page.text).not.toContain('Spara och gå tillbaka till dina svar');
    expect(page.text).not.toContain('name="return"');
    expect(page.text).toContain('<button type="submit" name="action" value="next">Spara och gå till nästa avsnitt</button>');
  });

  it('when a plain save or a refused value comes back, then the way back is kept and nothing typed is lost', async () => {
    const { s, a, first } = await checkedScenario();
    const [indicator, other] = first.indicators;
    if (!indicator || !other) throw new Error('no indicator');
    const url = `/reviews/${s.reviewId}/rate/${first.id}?return=check&return_at=${indicator.id}`;
    const page = await a.get(url);
    const saved = await postSection(a, s.reviewId, first, page.text, {
      action: 'save',
      [`score__${indicator.id}`]: String(indicator.scale.max),
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(url);
    const again = await a.get(url);
    const before = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === other.id);
    const refused = await postSection(a, s.reviewId, first, again.text, {
      action: 'check',
      [`score__${indicator.id}`]: '99',
      [`score__${other.id}`]: String(other.scale.max),
      [`note__${other.id}`]: 'Behålls trots felet',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Behålls trots felet');
    expect(refused.text).toContain('Spara och gå tillbaka till dina svar');
    expect(refused.text).toContain(`<input type="hidden" name="return_at" value="${indicator.id}">`);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === other.id)).toEqual(before);
  });

  it('when the marker is not one the page knows, or names an indicator of another section, then it is ignored or falls back to the section', async () => {
    const { s, a, first, second } = await checkedScenario();
    const unknown = await a.get(`/reviews/${s.reviewId}/rate/${first.id}?return=elsewhere`);
    expect(unknown.status).toBe(200);
    expect(unknown.text).not.toContain('Spara och gå tillbaka till dina svar');
    const foreign = second.indicators[0]?.id ?? '';
    const page = await a.get(`/reviews/${s.reviewId}/rate/${first.id}?return=check&return_at=${foreign}`);
    expect(page.text).toContain('Spara och gå tillbaka till dina svar');
    expect(page.text).not.toContain('name="return_at"');
    const response = await postSection(a, s.reviewId, first, page.text, { action: 'check', return_at: foreign });
    expect(response.headers.location).toBe(`/reviews/${s.reviewId}/rate/check#check-section-${first.id}`);
  });
});
