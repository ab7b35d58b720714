// A form posted after its session ended loses nothing typed: 401 with the login form, the reason
// and every typed field on one page; after the login, one click saves it with a token of the new session. The typed
// values are never stored on the way: not in a session row, not in a cookie.
import { generate } from 'otplib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createRecoveryCodes, createTotpSecret, hashRecoveryCode } from '../../src/accounts/mfa.js';
import { createProgramScenario, finalisePeerReview } from '../helpers/program-scenario.js';
import { createReviewScenario, createScenarioInConsensus, startRating } from '../helpers/review-scenario.js';
import { type Agent, extractCsrfToken, TEST_PASSWORD } from '../helpers/test-app.js';

const TYPED_NOTE = 'Hyresavtal i eget namn sågs i tre av tre akter (skrivet innan sessionen gick ut)';

type Form = { action: string; fields: [string, string][] };

/** The fields of the page's first form that is not the logout form, as a browser sends them (checked radios only). */
function readForm(html: string): Form {
  const form = [...html.matchAll(/<form\b[^>]*\baction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((match) => match[1] !== '/logout');
  if (!form) throw new Error('no form on the page');
  const decode = (text: string) =>
    text.replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const fields: [string, string][] = [];
  for (const match of (form[2] ?? '').matchAll(/<input([^>]*)>|<textarea[^>]*name="([^"]+)"[^>]*>\n?([\s\S]*?)<\/textarea>/g)) {
    if (match[1] !== undefined) {
      const attrs = match[1];
      const name = /name="([^"]+)"/.exec(attrs)?.[1];
      const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
      if (!name || (/type="(radio|checkbox)"/.test(attrs) && !/ checked/.test(attrs))) continue;
      fields.push([decode(name), decode(value)]);
    } else fields.push([decode(match[2] ?? ''), decode(match[3] ?? '')]);
  }
  return { action: decode(form[1] ?? ''), fields };
}

function encode(fields: readonly [string, string][]): string {
  return fields.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

async function ratingInProgress() {
  const s = await createReviewScenario();
  startRating(s);
  const section = s.rubric.sections[0];
  const indicator = section?.indicators[0];
  if (!section || !indicator) throw new Error('no section');
  const agent = await s.login(s.reviewerA);
  const url = `/reviews/${s.reviewId}/rate/${section.id}`;
  const page = await agent.get(url);
  // What the rater typed: a score and a note on the first indicator, sent with the page's token and versions.
  const typed = readForm(page.text).fields.map(([name, value]): [string, string] =>
    name === `score__${indicator.id}`
      ? [name, String(indicator.scale.max)]
      : name === `note__${indicator.id}`
        ? [name, TYPED_NOTE]
        : [name, value],
  );
  if (!typed.some(([name]) => name === `score__${indicator.id}`)) typed.push([`score__${indicator.id}`, String(indicator.scale.max)]);
  return { s, agent, url, indicator, typed };
}

const sessionRows = (s: Awaited<ReturnType<typeof createReviewScenario>>) =>
  s.db.prepare('SELECT data FROM sessions').all() as { data: string }[];

/** What the idle limit does: the store finds the session past its expiry and refuses it. */
function expireSessions(s: Awaited<ReturnType<typeof createReviewScenario>>): void {
  s.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
}

/** The site's address as the browser sees it: a kept form is given back only to a request from a page of it. */
const SITE = 'hf.test';

/** A form posted from a page of the site, as a browser posts it (with Origin). */
function post(agent: Agent, url: string, fields: readonly [string, string][]) {
  return agent.post(url).set('Host', SITE).set('Origin', `http://${SITE}`).type('form').send(encode(fields));
}

describe('a rating form posted after the session ended', () => {
  it('when the session was idle too long, then it answers 401 with the login form, the reason and every typed value, storing none of them', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    expireSessions(s);
    const response = await post(agent, url, typed);
    expect(response.status).toBe(401);
    expect(response.text).toContain('sessionen har tagit slut, till exempel efter 120 minuter utan aktivitet');
    expect(response.text).toContain('action="/login/resume"');
    expect(response.text).toContain('id="f-email"');
    expect(response.text).toContain('id="f-password"');
    const form = readForm(response.text);
    expect(form.fields).toContainEqual([`kept.note__${indicator.id}`, TYPED_NOTE]);
    expect(form.fields).toContainEqual([`kept.score__${indicator.id}`, String(indicator.scale.max)]);
    expect(form.fields).toContainEqual(['_resume', url]);
    // The idle session is gone from the server, and with it whose it was: the e-mail is typed again.
    expect(form.fields).toContainEqual(['email', '']);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
    // Stored nowhere: the only session row is the new one holding the login form's token.
    for (const row of sessionRows(s)) expect(row.data).not.toContain('Hyresavtal');
    expect(String(response.headers['set-cookie'] ?? '')).not.toContain('Hyresavtal');
  });

  it('when the user logs in on that page, then the typed values come back with a fresh token, and one click saves them', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    expireSessions(s);
    const ended = readForm((await post(agent, url, typed)).text);
    const login = ended.fields.map(([name, value]): [string, string] =>
      name === 'email' ? [name, s.reviewerA.email] : name === 'password' ? [name, TEST_PASSWORD] : [name, value],
    );
    const resumed = await post(agent, ended.action, login);
    expect(resumed.status).toBe(200);
    expect(resumed.text).toContain('Du är inloggad igen');
    expect(resumed.text).not.toContain('id="f-password"');
    const kept = readForm(resumed.text);
    expect(kept.action).toBe(url);
    expect(kept.fields).toContainEqual([`note__${indicator.id}`, TYPED_NOTE]);
    const token = kept.fields.find(([name]) => name === '_csrf')?.[1];
    expect(token).not.toBe(ended.fields.find(([name]) => name === '_csrf')?.[1]);
    // Not saved before the click.
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
    for (const row of sessionRows(s)) expect(row.data).not.toContain('Hyresavtal');

    const saved = await post(agent, kept.action, kept.fields);
    expect(saved.status).toBe(303);
    const rating = s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id);
    expect(rating).toMatchObject({ score: indicator.scale.max, note: TYPED_NOTE });
  });

  it('when the login page itself sat open until its own session ended, then the typed values still come back with it', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    expireSessions(s);
    const first = readForm((await post(agent, url, typed)).text);
    expireSessions(s);
    const login = first.fields.map(([name, value]): [string, string] =>
      name === 'email' ? [name, s.reviewerA.email] : name === 'password' ? [name, TEST_PASSWORD] : [name, value],
    );
    const again = await post(agent, first.action, login);
    expect(again.status).toBe(401);
    const form = readForm(again.text);
    expect(form.action).toBe('/login/resume');
    expect(form.fields).toContainEqual([`kept.note__${indicator.id}`, TYPED_NOTE]);
    expect(form.fields).toContainEqual(['_resume', url]);
    expect(form.fields).toContainEqual(['email', s.reviewerA.email]);
  });

  it('when the password is wrong, then the page comes back (401) with the typed values, and the login throttle still counts', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    expireSessions(s);
    let form = readForm((await post(agent, url, typed)).text);
    let last: request.Response | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const login = form.fields.map(([name, value]): [string, string] =>
        name === 'email' ? [name, s.reviewerA.email] : name === 'password' ? [name, 'wrong password'] : [name, value],
      );
      last = await post(agent, form.action, login);
      form = readForm(last.text);
      expect(form.fields).toContainEqual([`kept.note__${indicator.id}`, TYPED_NOTE]);
      if (attempt === 0) {
        expect(last.status).toBe(401);
        expect(last.text).toContain('Fel e-postadress eller lösenord.');
      }
      // The refused login is the page's one alert, its error summary, focused; and the title says so.
      expect(last.text).toMatch(/<title>Fel: Logga in igen för att spara – /);
      expect(last.text).toMatch(/<div class="error-summary" role="alert" tabindex="-1" autofocus>/);
      expect(last.text.match(/role="alert"/g)).toHaveLength(1);
    }
    // The fifth failure locks the account, as on the login page.
    expect(last?.status).toBe(429);
    expect(last?.text).toContain('För många misslyckade inloggningsförsök');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });

  it('when the absolute limit has passed, then it says so, keeps the typed values and fills in the e-mail of the session, which one click with the password resumes', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    s.db.prepare("UPDATE sessions SET data = json_set(data, '$.loggedInAt', 0)").run();
    const response = await post(agent, url, typed);
    expect(response.status).toBe(401);
    expect(response.text).toContain('Du har loggats ut eftersom du har varit inloggad i 12 timmar');
    const form = readForm(response.text);
    expect(form.fields).toContainEqual([`kept.note__${indicator.id}`, TYPED_NOTE]);
    expect(form.fields).toContainEqual(['email', s.reviewerA.email]);
    for (const row of sessionRows(s)) expect(row.data).not.toContain('Hyresavtal');
    // Only the password is typed.
    const login = form.fields.map(([name, value]): [string, string] => (name === 'password' ? [name, TEST_PASSWORD] : [name, value]));
    const resumed = await post(agent, form.action, login);
    expect(resumed.status).toBe(200);
    expect(readForm(resumed.text).fields).toContainEqual([`note__${indicator.id}`, TYPED_NOTE]);
  });

  it('when the absolute limit has passed on a deactivated account, or the address names an e-mail, then no e-mail is filled in', async () => {
    const { s, agent, url, typed } = await ratingInProgress();
    s.db.prepare("UPDATE sessions SET data = json_set(data, '$.loggedInAt', 0)").run();
    s.db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(s.reviewerA.id);
    const deactivated = await post(agent, url, typed);
    expect(deactivated.status).toBe(401);
    expect(readForm(deactivated.text).fields).toContainEqual(['email', '']);
    expect(deactivated.text).not.toContain(s.reviewerA.email);
    // A link someone else made: the address is never where the e-mail comes from, neither after the absolute limit,
    // where the session's own e-mail is filled in, nor after the idle limit, where none is.
    const phish = encodeURIComponent('support@phish.example');
    const absolute = await ratingInProgress();
    absolute.s.db.prepare("UPDATE sessions SET data = json_set(data, '$.loggedInAt', 0)").run();
    const crafted = await post(absolute.agent, `${absolute.url}?email=${phish}`, absolute.typed);
    expect(crafted.status).toBe(401);
    expect(readForm(crafted.text).fields).toContainEqual(['email', absolute.s.reviewerA.email]);
    const idle = await ratingInProgress();
    expireSessions(idle.s);
    const craftedIdle = await post(idle.agent, `${idle.url}?email=${phish}`, idle.typed);
    expect(craftedIdle.status).toBe(401);
    expect(readForm(craftedIdle.text).fields).toContainEqual(['email', '']);
  });

  it('when the user logged out in another tab, then the form still comes back with the login form, in English too', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    const other = await agent.get('/');
    expect(
      (
        await agent
          .post('/logout')
          .type('form')
          .send({ _csrf: extractCsrfToken(other.text) })
      ).status,
    ).toBe(303);
    const response = await post(agent, `${url}?lang=en`, typed);
    expect(response.status).toBe(401);
    expect(response.text).toContain('the session has ended, for example after 120 minutes without activity');
    expect(readForm(response.text).fields).toContainEqual([`kept.note__${indicator.id}`, TYPED_NOTE]);
    // A logout ends the session on the server: whose it was is not kept for the next person at the screen.
    expect(readForm(response.text).fields).toContainEqual(['email', '']);
    for (const row of sessionRows(s)) expect(row.data).not.toContain('Hyresavtal');
  });

  it('when the user has logged in again in another tab, then the old token gets the typed values back with a fresh one (403), and one click saves', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    const other = await agent.get('/');
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: extractCsrfToken(other.text) });
    const loginPage = await agent.get('/login');
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ _csrf: extractCsrfToken(loginPage.text), email: s.reviewerA.email, password: TEST_PASSWORD })
      ).status,
    ).toBe(303);
    const response = await post(agent, url, typed);
    expect(response.status).toBe(403);
    expect(response.text).not.toContain('id="f-password"');
    const kept = readForm(response.text);
    expect(kept.action).toBe(url);
    expect(kept.fields).toContainEqual([`note__${indicator.id}`, TYPED_NOTE]);
    expect((await post(agent, kept.action, kept.fields)).status).toBe(303);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)?.note).toBe(TYPED_NOTE);
  });

  it('when a user whose account was deactivated posts, then nothing is saved and the login cannot resume it', async () => {
    const { s, agent, url, typed } = await ratingInProgress();
    s.db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(s.reviewerA.id);
    const response = await post(agent, url, typed);
    expect(response.status).toBe(401);
    const form = readForm(response.text);
    const login = form.fields.map(([name, value]): [string, string] =>
      name === 'email' ? [name, s.reviewerA.email] : name === 'password' ? [name, TEST_PASSWORD] : [name, value],
    );
    expect((await post(agent, form.action, login)).status).toBe(401);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });

  it('when the account has a second factor, then the typed values wait on the page while the code is given in another tab, and are saved after', async () => {
    const { s, agent, url, indicator, typed } = await ratingInProgress();
    const secret = createTotpSecret();
    s.services.mfa.enableTotp(s.reviewerA.id, secret, createRecoveryCodes().map(hashRecoveryCode), 0);
    expireSessions(s);
    const ended = readForm((await post(agent, url, typed)).text);
    const login = ended.fields.map(([name, value]): [string, string] =>
      name === 'email' ? [name, s.reviewerA.email] : name === 'password' ? [name, TEST_PASSWORD] : [name, value],
    );
    const waiting = await post(agent, ended.action, login);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain('href="/login/mfa" target="_blank"');
    const kept = readForm(waiting.text);
    expect(kept.action).toBe(url);
    expect(kept.fields).toContainEqual([`note__${indicator.id}`, TYPED_NOTE]);
    // The other tab: the code.
    const codePage = await agent.get('/login/mfa');
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
    expect(
      (
        await agent
          .post('/login/mfa')
          .type('form')
          .send({ _csrf: extractCsrfToken(codePage.text), code })
      ).status,
    ).toBe(303);
    // Back here: the page's token was of the waiting login, so the fields come back once more with a fresh one.
    const again = await post(agent, kept.action, kept.fields);
    expect(again.status).toBe(403);
    const fresh = readForm(again.text);
    expect(fresh.fields).toContainEqual([`note__${indicator.id}`, TYPED_NOTE]);
    expect((await post(agent, fresh.action, fresh.fields)).status).toBe(303);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id).find((r) => r.indicatorId === indicator.id)?.note).toBe(TYPED_NOTE);
    for (const row of sessionRows(s)) expect(row.data).not.toContain('Hyresavtal');
  });

  it('when a page of another site posts to an ended session, then it is refused (403) and nothing typed comes back on a page', async () => {
    const { s, agent, url, typed } = await ratingInProgress();
    // Past the absolute limit: the session is still found, and the user middleware ends it.
    s.db.prepare("UPDATE sessions SET data = json_set(data, '$.loggedInAt', 0)").run();
    const response = await agent.post(url).set('Host', SITE).set('Origin', 'https://evil.example').type('form').send(encode(typed));
    expect(response.status).toBe(403);
    expect(response.text).not.toContain('Hyresavtal');
    expect(response.text).not.toContain('action="/login/resume"');
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });

  it('when a post to an ended session shows neither Origin nor Referer, then it gets no page with the typed values (403), and a Referer of the site is enough', async () => {
    const { s, agent, url, typed } = await ratingInProgress();
    expireSessions(s);
    const bare = await agent.post(url).set('Host', SITE).type('form').send(encode(typed));
    expect(bare.status).toBe(403);
    expect(bare.text).not.toContain('Hyresavtal');
    const foreign = await agent.post(url).set('Host', SITE).set('Referer', 'https://evil.example/page').type('form').send(encode(typed));
    expect(foreign.status).toBe(403);
    expect(foreign.text).not.toContain('Hyresavtal');

    const again = await ratingInProgress();
    expireSessions(again.s);
    const fromSite = await again.agent
      .post(again.url)
      .set('Host', SITE)
      .set('Referer', `http://${SITE}${again.url}`)
      .type('form')
      .send(encode(again.typed));
    expect(fromSite.status).toBe(401);
    expect(fromSite.text).toContain('Hyresavtal');
  });

  it('when the form was one of the second factor (turning it off with a recovery code), then the code is not written into the page', async () => {
    const { s, agent } = await ratingInProgress();
    const recoveryCodes = createRecoveryCodes();
    s.services.mfa.enableTotp(s.reviewerA.id, createTotpSecret(), recoveryCodes.map(hashRecoveryCode), 0);
    const account = await agent.get('/account');
    expect(account.text).toContain('action="/account/mfa/disable"');
    const code = recoveryCodes[0] ?? '';
    expireSessions(s);
    const response = await post(agent, '/account/mfa/disable', [
      ['_csrf', extractCsrfToken(account.text)],
      ['code', code],
      ['current_password', TEST_PASSWORD],
    ]);
    expect(response.status).toBe(401);
    expect(response.text).not.toContain(code);
    expect(response.text).not.toContain(TEST_PASSWORD);
    // Asked for again, in empty fields.
    expect(response.text).toMatch(/name="kept\.code" type="password" value=""/);
    expect(response.text).toMatch(/name="kept\.current_password" type="password" value=""/);
    expect(s.services.mfa.countRecoveryCodes(s.reviewerA.id)).toBe(recoveryCodes.length);
  });

  it('when a client without a cookie posts without a token, then it is refused as before and no session is started', async () => {
    const { s, url } = await ratingInProgress();
    const before = sessionRows(s).length;
    const response = await request(s.app).post(url).type('form').send({ note: 'x' });
    expect(response.status).toBe(403);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(sessionRows(s)).toHaveLength(before);
  });

  it('when another user logs in on the page, then the kept form is theirs to save, under their own rights', async () => {
    const { s, agent, url, typed } = await ratingInProgress();
    expireSessions(s);
    const form = readForm((await post(agent, url, typed)).text);
    const login = form.fields.map(([name, value]): [string, string] =>
      name === 'email' ? [name, s.outsider.email] : name === 'password' ? [name, TEST_PASSWORD] : [name, value],
    );
    const resumed = await post(agent, form.action, login);
    expect(resumed.status).toBe(200);
    const kept = readForm(resumed.text);
    // The outsider is no rater on this panel: the save is refused like any post of theirs.
    expect((await post(agent, kept.action, kept.fields)).status).toBe(404);
    expect(s.reviews.listRatingsOfRater(s.reviewId, s.reviewerA.id)).toHaveLength(0);
  });
});

/** The header and footer of a page: where its site-wide links are, outside the page's own content. */
const chromeOf = (html: string) => html.replace(/<main[\s\S]*<\/main>/, '');

describe('a consensus section form posted after the session ended', () => {
  it('when the lead presses "Spara allt" after the session ended, then the page keeps every value, asks before leaving, has no link off it, shows no marker as a box, and saves after the login', async () => {
    const s = await createScenarioInConsensus();
    const section = s.rubric.sections[0];
    const indicator = section?.indicators[0];
    if (!section || !indicator) throw new Error('no section');
    const agent = await s.login(s.lead);
    const url = `/reviews/${s.reviewId}/consensus/${section.id}`;
    const page = readForm((await agent.get(url)).text);
    expect(page.action).toBe(`${url}/save`);
    const rationale = 'Panelen enades efter aktgranskningen (skrivet innan sessionen gick ut)';
    const strengths = 'Alla har eget kontrakt';
    const typed: [string, string][] = [
      ...page.fields.map(([name, value]): [string, string] =>
        name === `rationale__${indicator.id}` ? [name, rationale] : name === `strengths__${section.id}` ? [name, strengths] : [name, value],
      ),
      [`score__${indicator.id}`, '3'],
      // The button pressed: "Spara allt för A1", at the findings.
      ['focus', 'findings'],
    ];
    expireSessions(s);
    const ended = await post(agent, page.action, typed);
    expect(ended.status).toBe(401);
    // The only copy of what was typed: leaving it asks first, and nothing in the header or footer leads off it.
    expect(ended.text).toMatch(/<form method="post" action="\/login\/resume" class="form" data-warn-unsaved data-unsaved>/);
    expect(ended.text).toContain('<script src="/assets/unsaved-changes.js" defer></script>');
    expect(chromeOf(ended.text)).not.toContain('href="/login"');
    expect(ended.text).not.toContain('data-language-switch');
    expect(ended.text).not.toContain('/language/');
    // The form's markers ride along hidden; what was typed is there to edit.
    for (const marker of ['focus', 'findings_base', 'findings_version', `version__${indicator.id}`])
      expect(ended.text, marker).toMatch(new RegExp(`<input type="hidden" name="kept\\.${marker}" value="[^"]*">`));
    expect(ended.text).not.toMatch(/<label for="kept-\d+">(?:findings base|focus)<\/label>/);
    expect(ended.text).not.toMatch(/name="kept\.(?:focus|findings_base)" type="text"/);
    expect(ended.text).toMatch(/<label for="kept-\d+">A1\.1 Motivering<\/label>/);

    const form = readForm(ended.text);
    const login = form.fields.map(([name, value]): [string, string] =>
      name === 'email' ? [name, s.lead.email] : name === 'password' ? [name, TEST_PASSWORD] : [name, value],
    );
    const resumed = await post(agent, form.action, login);
    expect(resumed.status).toBe(200);
    // Logged in again, but still the only copy: the same warning, still no language switch.
    expect(resumed.text).toMatch(/class="form" data-warn-unsaved data-unsaved>/);
    expect(resumed.text).not.toContain('data-language-switch');
    const kept = readForm(resumed.text);
    expect(kept.fields).toContainEqual(['focus', 'findings']);
    const saved = await post(agent, kept.action, kept.fields);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${url}#findings`);
    expect(s.reviews.listConsensus(s.reviewId).find((c) => c.indicatorId === indicator.id)).toMatchObject({ score: 3, rationale });
    expect(
      s.reviews
        .listFindings(s.reviewId)
        .filter((f) => f.sectionId === section.id)
        .map((f) => f.text),
    ).toEqual([strengths]);
  });
});

/** The label of each box on a kept page, by its field's name: what the person reads beside what they typed. */
function keptLabels(html: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const match of html.matchAll(/<label for="(kept-\d+)">([^<]*)<\/label>/g)) {
    const name = new RegExp(`id="${match[1]}" name="kept\\.([^"]+)"`).exec(html)?.[1];
    if (name) labels.set(name, match[2] ?? '');
  }
  return labels;
}

describe('the action and factual check forms posted after the session ended', () => {
  it("when the action form comes back, then its boxes have the form's own labels, in Swedish and in English", async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    finalisePeerReview(s, s.reviewId, (min) => min + 1, { 'c1-first': ['Skriv ner rutinen för alfa.'] });
    expect(s.services.actionPlans.createPlan(s.reviewId, s.programLead.id)).toMatchObject({ outcome: 'created' });
    const id = s.actions.listActionsOfReview(s.reviewId)[0]?.id;
    const agent = await s.login(s.programLead);
    const url = `/actions/${id}`;
    const page = await agent.get(url);
    const typed: [string, string][] = [
      ['_csrf', extractCsrfToken(page.text)],
      ['version', '1'],
      ['status', 'in_progress'],
      ['owner_user_id', ''],
      ['owner_name', 'Extern konsult'],
      ['due_on', '2031-06-30'],
      ['note', 'Rutinen är skriven'],
      ['noted_on', '2026-03-01'],
    ];
    expireSessions(s);
    const ended = await post(agent, url, typed);
    expect(ended.status).toBe(401);
    expect(Object.fromEntries(keptLabels(ended.text))).toEqual({
      owner_name: 'Ansvarig (namn)',
      due_on: 'Klart senast',
      note: 'Anteckning',
      noted_on: 'Anteckningens datum',
    });
    expect(ended.text).not.toMatch(/>(?:owner name|due on|noted on)</);
    const english = await post(agent, `${url}?lang=en`, typed);
    expect(english.status).toBe(401);
    expect(Object.fromEntries(keptLabels(english.text))).toEqual({
      owner_name: 'Owner (name)',
      due_on: 'Due',
      note: 'Note',
      noted_on: 'Date of the note',
    });
  });

  it('when the factual check response comes back, then "corrections" and "response" read as the form labels them', async () => {
    const s = await createProgramScenario({ rubricId: 'mini-five' });
    startRating(s);
    expect(s.reviews.transition(s.reviewId, 'rating', 'consensus')).toBe(true);
    expect(s.reviews.sendFactualCheck(s.reviewId, s.coordinator.id)).toBe('sent');
    const agent = await s.login(s.programLead);
    const url = `/reviews/${s.reviewId}/factual-check/response`;
    const page = await agent.get(url);
    expect(page.status).toBe(200);
    const typed: [string, string][] = [
      ['_csrf', extractCsrfToken(page.text)],
      ['version', '0'],
      ['corrections', 'På sidan om A1 står fel antal lägenheter.'],
      ['response', 'Vi känner igen bilden.'],
    ];
    expireSessions(s);
    const ended = await post(agent, url, typed);
    expect(ended.status).toBe(401);
    expect(Object.fromEntries(keptLabels(ended.text))).toEqual({ corrections: 'Faktarättelser', response: 'Verksamhetens svar' });
    const english = await post(agent, `${url}?lang=en`, typed);
    expect(Object.fromEntries(keptLabels(english.text))).toEqual({
      corrections: 'Factual corrections',
      response: 'The program&#39;s response',
    });
    expect(s.reviews.findFactualCheck(s.reviewId)?.corrections).toBe('');
  });
});
