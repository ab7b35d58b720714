// Small building blocks of the browser journey: how a person logs in, switches language, submits a form
// and rates a section. Selectors use names, ids and form actions, never visible text, so both languages share them.
import type { Locator, Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import type { Locale } from '../../src/i18n/locale.js';
import type { RubricIndicator, RubricSection } from '../../src/rubrics/rubric-schema.js';

export type Account = {
  readonly key: string;
  readonly displayName: string;
  readonly email: string;
  readonly affiliation: string;
  readonly roles: readonly string[];
};

/** A level of the scale, or 'na'. */
export type Choice = number | 'na';

export const JOURNEY_PASSWORD = 'journey-password-2026';

/** Clicks a submit button (or presses a key) and waits for the page it leads to; returns that page's response. */
export async function submitAndWait(page: Page, action: Locator | (() => Promise<void>)): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    typeof action === 'function' ? action() : action.click(),
  ]);
  if (!response) throw new Error(`no response for the navigation to ${page.url()}`);
  return response;
}

export async function gotoPage(page: Page, path: string): Promise<Response> {
  const response = await page.goto(path, { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${path}`);
  return response;
}

export function readLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** Switches the interface language with the footer link, as a person would, unless it is already right. */
export async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
  if ((await readLang(page)) === locale) return;
  await submitAndWait(page, page.locator(`footer a[hreflang="${locale}"]`));
  const lang = await readLang(page);
  if (lang !== locale) throw new Error(`the language link did not switch to ${locale} (html lang="${lang}")`);
}

export async function logIn(page: Page, account: Account, locale: Locale): Promise<void> {
  await gotoPage(page, '/login');
  await chooseLanguage(page, locale);
  await page.locator('#f-email').fill(account.email);
  await page.locator('#f-password').fill(JOURNEY_PASSWORD);
  const response = await submitAndWait(page, page.locator('form[action="/login"] button[type="submit"]'));
  if (new URL(response.url()).pathname === '/login') throw new Error(`login failed for ${account.email} (${response.status()})`);
}

export async function fillAccountForm(page: Page, account: Account, withRoles: boolean): Promise<void> {
  await page.locator('#f-display_name').fill(account.displayName);
  await page.locator('#f-email').fill(account.email);
  await page.locator('#f-affiliation').fill(account.affiliation);
  if (withRoles) {
    for (const role of account.roles) await page.locator(`input[name="roles"][value="${role}"]`).check();
  }
  await page.locator('#f-password').fill(JOURNEY_PASSWORD);
  await page.locator('#f-password_confirm').fill(JOURNEY_PASSWORD);
}

export function scoreRadio(page: Page, indicatorId: string, choice: Choice | ''): Locator {
  return page.locator(`input[type="radio"][name="score__${indicatorId}"][value="${choice}"]`);
}

/**
 * Rates a section with mouse clicks: the score of every indicator, the first suggested evidence source of the
 * first one, and a note where given. `force` skips playwright's wait for a still layout (two animation frames
 * per click, slow on a loaded machine); the click is still a real mouse click and check() still verifies it.
 */
export async function rateSectionByClicking(
  page: Page,
  section: RubricSection,
  choose: (indicator: RubricIndicator) => Choice,
  notes: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [index, indicator] of section.indicators.entries()) {
    await scoreRadio(page, indicator.id, choose(indicator)).check({ force: true });
    const evidence = indicator.evidence[0];
    if (index === 0 && evidence) await page.locator(`input[name="evidence__${indicator.id}"][value="${evidence}"]`).check({ force: true });
    const note = notes.get(indicator.id);
    if (note !== undefined) await page.locator(`#f-note__${indicator.id}`).fill(note);
  }
}

type FocusedField = { tag: string; type: string | null; name: string | null; value: string | null };

/** The element that has the keyboard focus, in one round trip (a string: the project's TypeScript has no DOM types). */
function describeFocus(page: Page): Promise<FocusedField | null> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    return el && el !== document.body
      ? { tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), name: el.getAttribute('name'), value: el.getAttribute('value') }
      : null;
  })()`);
}

/**
 * Rates a whole section with the keyboard alone, as a person who cannot use a mouse would: Tab from the top
 * of the page to each radio group, arrow keys to pick the level, Space for the first evidence source,
 * typing for the note, and Enter on "save and next". Returns the indicators it set, in order.
 */
export async function rateSectionWithKeyboard(
  page: Page,
  section: RubricSection,
  choose: (indicator: RubricIndicator) => Choice,
  notes: ReadonlyMap<string, string>,
): Promise<string[]> {
  const byId = new Map(section.indicators.map((indicator) => [indicator.id, indicator]));
  const scored = new Set<string>();
  const evidenced = new Set<string>();
  const noted = new Set<string>();
  const visited: string[] = [];
  await page.locator('body').focus();
  const maxPresses = 40 + section.indicators.length * 20;
  for (let press = 0; press < maxPresses; press++) {
    await page.keyboard.press('Tab');
    const focus = await describeFocus(page);
    if (!focus?.name) continue;
    const [field, indicatorId = ''] = focus.name.split('__');
    const indicator = byId.get(indicatorId);
    if (field === 'score' && indicator && !scored.has(indicator.id)) {
      // The group is entered on its checked radio ("not rated", first); each ArrowDown moves one level on and selects it.
      const choice = choose(indicator);
      const levels = indicator.scale.max - indicator.scale.min + 1;
      const steps = choice === 'na' ? levels + 1 : choice - indicator.scale.min + 1;
      for (let step = 0; step < steps; step++) await page.keyboard.press('ArrowDown');
      scored.add(indicator.id);
      visited.push(indicator.id);
    } else if (field === 'evidence' && indicator && !evidenced.has(indicator.id)) {
      await page.keyboard.press('Space');
      evidenced.add(indicator.id);
    } else if (field === 'note' && indicator && !noted.has(indicator.id)) {
      const note = notes.get(indicator.id);
      if (note !== undefined) await page.keyboard.type(note);
      noted.add(indicator.id);
    } else if (focus.tag === 'button' && focus.name === 'action' && (focus.value === 'next' || focus.value === 'save')) {
      if (scored.size !== section.indicators.length)
        throw new Error(`reached the buttons after ${scored.size} of ${section.indicators.length} indicators`);
      await submitAndWait(page, () => page.keyboard.press('Enter'));
      return visited;
    }
  }
  throw new Error(`keyboard: no submit button reached within ${maxPresses} Tab presses`);
}

/** Reads back which radio of each indicator is checked, for comparing with what was chosen. */
export async function readCheckedScores(page: Page, section: RubricSection): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const indicator of section.indicators) {
    const checked = page.locator(`input[type="radio"][name="score__${indicator.id}"]:checked`);
    result.set(indicator.id, (await checked.count()) > 0 ? ((await checked.getAttribute('value')) ?? '') : '');
  }
  return result;
}

/**
 * Counts the Tab presses from the top of a rating page to the first indicator's score, as a keyboard user gets
 * there: Tab to the skip link, Enter to follow it, Tab on. Enter is not a Tab press. Throws past `max` presses.
 */
export async function countTabsToFirstScore(page: Page, indicatorId: string, max: number): Promise<number> {
  await page.locator('body').focus();
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    const focus = await describeFocus(page);
    if (focus?.name === `score__${indicatorId}`) return presses;
    const onSkipLink = await page.evaluate('document.activeElement?.classList.contains("skip-link") === true');
    if (onSkipLink) await page.keyboard.press('Enter');
  }
  throw new Error(`keyboard: the first score was not reached within ${max} Tab presses`);
}

/** Leaves the section page through a section link (a submit button of the form: it saves) and waits for the new page. */
export function leaveThroughSectionLink(page: Page, sectionId: string): Promise<Response> {
  return submitAndWait(page, page.locator(`form#rating-form button[name="goto"][value="${sectionId}"]`));
}

/** Following the link asks first (the browser's leave-page dialog, from unsaved-changes.js); the answer is to stay. */
export async function expectLeavingAsked(page: Page, link: Locator): Promise<void> {
  const asked = new Promise<string>((resolve) => {
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    });
  });
  await Promise.all([asked, link.click()]);
  expect(await asked).toBe('beforeunload');
}
