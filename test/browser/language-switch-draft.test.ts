// The language switch on a form page keeps what was typed (views/assets/unsaved-changes.js), in Chromium against the
// real server (src/server.ts) over a data directory prepared through the stores: a review in rating on the shipped
// rubric, each test with a rater of its own. The typed values come back in the page of the other language, marked
// unsaved, with the versions they were typed on, so a change saved meanwhile by another is a conflict, not overwritten.
// The page a save comes back on after the session ended, the only copy of what was typed, has no switch at all: it
// asks before it is left instead.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { type Db, openDatabase } from '../../src/db/open-database.js';
import { createMunicipalityStore } from '../../src/municipalities/municipality-store.js';
import { ratingFieldNames } from '../../src/reviews/review-forms.js';
import { createReviewStore, type ReviewStore } from '../../src/reviews/review-store.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';
import { createTestUser, SHIPPED_RUBRIC_FILE, TEST_PASSWORD } from '../helpers/test-app.js';
import { makeDataDir, type SpawnedServer, spawnServer } from '../server/spawn-server.js';
import { CHROMIUM_PATH, findChromium, isCiRun } from './browser-available.js';
import { launchChromium, openPersonContext, saveFailureArtifacts } from './browser-session.js';
import { expectLeavingAsked, gotoPage, readLang, scoreRadio, submitAndWait } from './journey-steps.js';

const chromiumPath = findChromium();
const loaded = loadRubricFile(SHIPPED_RUBRIC_FILE);
const section = loaded.rubric.sections[0];
const indicator = section?.indicators[0];
if (!section || !indicator) throw new Error('the shipped rubric has no first section or indicator');
const names = ratingFieldNames(indicator.id);
const level = indicator.scale.min + 1;

type Rater = Awaited<ReturnType<typeof createTestUser>>;

/** A review in rating with a panel of three, written straight into the server's database file before it starts. */
async function prepareReview(db: Db): Promise<{ reviewId: number; raters: Rater[] }> {
  migrate(db);
  const municipalities = createMunicipalityStore(db);
  const reviews = createReviewStore(db);
  const municipalityId = municipalities.insertMunicipality({ code: '0180', name: 'Stockholm' });
  const programId = municipalities.insertProgram({
    municipalityId,
    name: 'Bostad först Stockholm',
    supportProvider: 'Stadsmissionen',
    housingPartners: 'Svenska Bostäder',
    supportModel: 'icm',
    startDate: '2020-01-01',
  });
  const coordinator = await createTestUser(db, ['coordinator'], { displayName: 'Cora Coordinator' });
  const raters = [
    await createTestUser(db, ['reviewer'], { displayName: 'Lena Lead' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Anna Andersson' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Bertil Berg' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Cecilia Carlsson' }),
    await createTestUser(db, ['reviewer'], { displayName: 'Doris Dahl' }),
  ];
  const reviewId = reviews.insertReview({
    programId,
    rubric: loaded,
    kind: 'peer_review',
    visitStart: '2026-03-02',
    visitEnd: '2026-03-03',
    createdBy: coordinator.id,
  });
  raters.forEach((rater, index) => reviews.setPanelMember(reviewId, rater.id, index === 0 ? 'lead' : 'reviewer'));
  if (!reviews.transition(reviewId, 'draft', 'rating')) throw new Error('could not start rating');
  return { reviewId, raters };
}

describe.skipIf(!chromiumPath && !isCiRun())('the language switch on a form with unsaved changes', { timeout: 60_000 }, () => {
  const dataDir = makeDataDir('hf-fidelity-lang-draft-');
  let db: Db;
  let reviews: ReviewStore;
  let server: SpawnedServer | undefined;
  let browser: Browser | undefined;
  let reviewId = 0;
  let raters: Rater[] = [];

  beforeAll(async () => {
    const file = join(dataDir, 'hf-fidelity.sqlite');
    const preparing = openDatabase(file);
    try {
      ({ reviewId, raters } = await prepareReview(preparing));
    } finally {
      // The server refuses a database another process holds open, so this one is closed before it starts.
      preparing.close();
    }
    [server, browser] = await Promise.all([
      spawnServer({ dataDir, expectSetupLink: false }),
      launchChromium(chromiumPath ?? CHROMIUM_PATH),
    ]);
    // Then opened again beside it, for the saves "in another tab" and to read what the server stored.
    db = openDatabase(file);
    reviews = createReviewStore(db);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A rater logged in through the login form, in a browser context of their own, on the first section's form. */
  async function openRatingForm(rater: Rater): Promise<Page> {
    if (!browser || !server) throw new Error('not started');
    const { page } = await openPersonContext(browser, server.baseUrl);
    onTestFailed(async () => {
      const dir = await saveFailureArtifacts(`language-switch-draft-${rater.displayName}`, { rater: page }, server?.output());
      console.error(`Screenshot and HTML of the failed test: ${dir}`);
    });
    await gotoPage(page, '/login');
    await page.locator('#f-email').fill(rater.email);
    await page.locator('#f-password').fill(TEST_PASSWORD);
    await submitAndWait(page, page.locator('form[action="/login"] button[type="submit"]'));
    await gotoPage(page, formPath());
    expect(await readLang(page)).toBe('sv');
    return page;
  }

  const formPath = () => `/reviews/${reviewId}/rate/${section?.id}`;

  /** Switches to English with the footer link; the leave-page dialog, if the page asked, is answered by leaving. */
  async function switchToEnglish(page: Page): Promise<string[]> {
    const dialogs: string[] = [];
    const onDialog = (dialog: { type(): string; accept(): Promise<void> }) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    };
    page.on('dialog', onDialog);
    try {
      await submitAndWait(page, page.locator('footer a[hreflang="en"]'));
    } finally {
      page.off('dialog', onDialog);
    }
    expect(await readLang(page)).toBe('en');
    expect(new URL(page.url()).pathname).toBe(formPath());
    return dialogs;
  }

  /** The drafts left in the tab's sessionStorage (string expression: the tests are type-checked without the DOM library). */
  const keptDrafts = (page: Page) =>
    page.evaluate<string[]>(`Object.keys(sessionStorage).filter((key) => key.startsWith('hf-fidelity.draft '))`);

  it('when a rater switches language with typed changes, then the English form has them back, unsaved, and saving stores them', async () => {
    const rater = raters[0];
    if (!rater) throw new Error('no rater');
    const page = await openRatingForm(rater);
    const note = 'Hyreskontrakt i eget namn, enligt intervjuerna – skrivet före språkbytet.';
    await page.locator(`#f-${names.note}`).fill(note);
    await scoreRadio(page, indicator.id, level).check({ force: true });

    expect(await switchToEnglish(page)).toEqual([]);
    await expect(page.locator(`#f-${names.note}`).inputValue()).resolves.toBe(note);
    await expect(scoreRadio(page, indicator.id, level).isChecked()).resolves.toBe(true);
    await expect(page.locator('#rating-form').getAttribute('data-unsaved')).resolves.toBe('');
    // Forgotten once put back: the draft is in the form, not in the browser.
    expect(await keptDrafts(page)).toEqual([]);
    // Still unsaved: leaving by an ordinary link asks first.
    await expectLeavingAsked(page, page.locator(`main a[href="/reviews/${reviewId}"]`).first());

    const saved = await submitAndWait(page, page.locator('button[name="action"][value="save"]'));
    expect(saved.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(formPath());
    await expect(page.locator(`#f-${names.note}`).inputValue()).resolves.toBe(note);
    await expect(page.locator('#rating-form').getAttribute('data-unsaved')).resolves.toBe(null);
    const stored = reviews.listRatingsOfRater(reviewId, rater.id).find((rating) => rating.indicatorId === indicator.id);
    expect(stored).toMatchObject({ score: level, notApplicable: false, note });
  });

  it('when the same rating is saved in another tab before the switch, then the English form keeps the version it was typed on, and its save is a conflict', async () => {
    const rater = raters[1];
    if (!rater) throw new Error('no rater');
    const page = await openRatingForm(rater);
    const note = 'Skrivet i fliken som blir inaktuell.';
    await page.locator(`#f-${names.note}`).fill(note);
    // Saved meanwhile in another tab: the page's version (0) is now stale.
    const other = {
      indicatorId: indicator.id,
      score: indicator.scale.max,
      notApplicable: false,
      evidence: [],
      note: 'Sparat i en annan flik.',
    };
    expect(reviews.saveRatings(reviewId, rater.id, [other]).outcome).toBe('saved');

    expect(await switchToEnglish(page)).toEqual([]);
    await expect(page.locator(`#f-${names.note}`).inputValue()).resolves.toBe(note);
    await expect(page.locator('#rating-form').getAttribute('data-unsaved')).resolves.toBe('');
    // The server served version 1; the draft was typed on version 0, and that is what the form now carries.
    await expect(page.locator(`input[name="${names.version}"]`).inputValue()).resolves.toBe('0');
    expect(await keptDrafts(page)).toEqual([]);

    const refused = await submitAndWait(page, page.locator('button[name="action"][value="save"]'));
    expect(refused.status()).toBe(409);
    await expect(page.locator(`#f-${names.note}`).inputValue()).resolves.toBe(note);
    const stored = reviews.listRatingsOfRater(reviewId, rater.id).find((rating) => rating.indicatorId === indicator.id);
    expect(stored?.note).toBe(other.note);
  });

  it('when a draft holds a CSRF token, then the page after the switch keeps its own', async () => {
    const rater = raters[3];
    if (!rater) throw new Error('no rater');
    const page = await openRatingForm(rater);
    const note = 'Ett utkast med en förfalskad nyckel.';
    // A draft as the switch keeps it (under the page's path and the form's id, for this session), with a token added
    // among its hidden fields that no draft may put back. Nothing is typed, so the switch keeps no other.
    const token = await page.locator('#rating-form input[name="_csrf"]').inputValue();
    const draft = { token, fields: { [names.note]: { values: [note] } }, base: { _csrf: ['forged'] } };
    await page.evaluate(
      `sessionStorage.setItem(${JSON.stringify(`hf-fidelity.draft ${formPath()} rating-form`)}, ${JSON.stringify(JSON.stringify(draft))})`,
    );

    expect(await switchToEnglish(page)).toEqual([]);
    await expect(page.locator(`#f-${names.note}`).inputValue()).resolves.toBe(note);
    await expect(page.locator('#rating-form input[name="_csrf"]').inputValue()).resolves.toBe(token);
    const saved = await submitAndWait(page, page.locator('button[name="action"][value="save"]'));
    expect(saved.status()).toBe(200);
    const stored = reviews.listRatingsOfRater(reviewId, rater.id).find((rating) => rating.indicatorId === indicator.id);
    expect(stored?.note).toBe(note);
  });

  it('when a refused form is switched to English, then every value it came back with is on the English form, unsaved', async () => {
    const rater = raters[2];
    if (!rater) throw new Error('no rater');
    const page = await openRatingForm(rater);
    // A personnummer (Skatteverket's test number) in a note is refused, and the form comes back with every value.
    const note = 'Besökte 19121212-1212 i lägenheten.';
    await page.locator(`#f-${names.note}`).fill(note);
    await scoreRadio(page, indicator.id, level).check({ force: true });
    const refused = await submitAndWait(page, page.locator('button[name="action"][value="save"]'));
    expect(refused.status()).toBe(422);
    // Every field of a refused form is kept, with the version it was served with.

    expect(await switchToEnglish(page)).toEqual([]);
    await expect(page.locator(`#f-${names.note}`).inputValue()).resolves.toBe(note);
    await expect(scoreRadio(page, indicator.id, level).isChecked()).resolves.toBe(true);
    await expect(page.locator('#rating-form').getAttribute('data-unsaved')).resolves.toBe('');
    await expect(page.locator(`input[name="${names.version}"]`).inputValue()).resolves.toBe('0');
    expect(reviews.listRatingsOfRater(reviewId, rater.id)).toEqual([]);
  });

  it('when the session has ended on a save, then the page that keeps the form has no language switch or login link, asks before leaving (Back too), and saves after the login', async () => {
    const rater = raters[4];
    if (!rater) throw new Error('no rater');
    const page = await openRatingForm(rater);
    const note = 'Skrivet innan sessionen tog slut, sparat först efter inloggningen.';
    await page.locator(`#f-${names.note}`).fill(note);
    await scoreRadio(page, indicator.id, level).check({ force: true });
    // The session ends as after two idle hours: the store finds it past its expiry.
    db.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?').run(Date.now() - 1, rater.id);

    const ended = await submitAndWait(page, page.locator('button[name="action"][value="save"]'));
    expect(ended.status()).toBe(401);
    await expect(page.locator('h1').textContent()).resolves.toBe('Logga in igen för att spara');
    await expect(page.locator(`[name="kept.${names.note}"]`).inputValue()).resolves.toBe(note);
    // Nothing in the header or footer leads to a page without what was typed.
    await expect(page.locator('a[data-language-switch]').count()).resolves.toBe(0);
    await expect(page.locator('header a[href="/login"]').count()).resolves.toBe(0);
    // The way that is left, the site's name, asks first; so does the browser's Back.
    await expectLeavingAsked(page, page.locator('header .site-name a'));
    const backAsked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    // Back as a script asks it (the history's own step, which the browser's button takes too), without waiting for a page.
    await page.evaluate('history.back()');
    expect(await backAsked).toBe('beforeunload');
    await expect(page.locator(`[name="kept.${names.note}"]`).inputValue()).resolves.toBe(note);

    // Logging in on the page and pressing its one button saves what was typed, without asking.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.locator('#f-email').fill(rater.email);
    await page.locator('#f-password').fill(TEST_PASSWORD);
    const resumed = await submitAndWait(page, page.locator('main form button[type="submit"]'));
    expect(resumed.status()).toBe(200);
    await expect(page.locator('a[data-language-switch]').count()).resolves.toBe(0);
    const saved = await submitAndWait(page, page.locator('main form button[type="submit"]'));
    expect(saved.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(formPath());
    expect(dialogs).toEqual([]);
    const stored = reviews.listRatingsOfRater(reviewId, rater.id).find((rating) => rating.indicatorId === indicator.id);
    expect(stored).toMatchObject({ score: level, note });
  });
});
