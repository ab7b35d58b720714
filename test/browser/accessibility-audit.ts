// Accessibility checks run on every page the browser journey visits: axe-core's WCAG 2.1 A/AA rules,
// plus our own checks that axe leaves to judgement (every field labelled, <html lang> = the chosen language, and no
// sideways scrolling at a phone's width).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

const AXE_SCRIPT = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

export type AxeViolation = {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
};

export type PageAudit = {
  readonly label: string;
  readonly url: string;
  readonly lang: string | null;
  readonly violations: readonly AxeViolation[];
  readonly unlabelledFields: readonly string[];
  /** How far the page scrolls sideways at a phone's width (390 px), in px: 0 when it does not. */
  readonly sidewaysAtPhoneWidth: number;
};

const PHONE_WIDTH = 390;

/**
 * Shows the page at a phone's width for a moment and measures how far it scrolls sideways; the viewport is then put
 * back as it was. Tables may scroll inside their own box, but the page itself never may.
 */
export async function measureSidewaysScroll(page: Page): Promise<number> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: PHONE_WIDTH, height: before?.height ?? 844 });
  try {
    return await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/**
 * Runs axe in the page. The script is injected as an inline <script>, which our Content-Security-Policy
 * (script-src 'self') blocks: the browser contexts of the journey are therefore created with bypassCSP.
 */
export async function runAxe(page: Page, within?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.addScriptTag({ path: AXE_SCRIPT });
  const context = within === undefined ? 'document' : JSON.stringify({ include: [within] });
  const options = JSON.stringify({ runOnly: { type: 'tag', values: WCAG_21_AA_TAGS }, resultTypes: ['violations'] });
  // A string, not a function: the project's TypeScript has no DOM types, and axe lives only in the page.
  return page.evaluate(`window.axe.run(${context}, ${options}).then((results) => results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact || 'unknown',
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(' ')),
  })))`);
}

/** Form fields a person cannot identify: no <label>, aria-label or aria-labelledby. Hidden inputs and buttons are left out. */
export function findUnlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => !['hidden', 'submit', 'button', 'reset'].includes(el.type))
    .filter((el) => (el.labels === null || el.labels.length === 0 || [...el.labels].every((l) => l.textContent.trim() === ''))
      && !(el.getAttribute('aria-label') || '').trim()
      && !(el.getAttribute('aria-labelledby') || '').split(/\\s+/).some((id) => id && document.getElementById(id)?.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 160))`);
}

/** Audits the page; `within` (a selector) limits axe to the part that changed since the page was last audited whole. */
export async function auditPage(page: Page, label: string, within?: string): Promise<PageAudit> {
  const lang = await page.locator('html').getAttribute('lang');
  const violations = await runAxe(page, within);
  const unlabelledFields = await findUnlabelledFields(page);
  const sidewaysAtPhoneWidth = await measureSidewaysScroll(page);
  return { label, url: page.url(), lang, violations, unlabelledFields, sidewaysAtPhoneWidth };
}

/** Collects the audits of one journey run; each distinct page label is audited once. */
export function createAccessibilityLog(expectedLang: string) {
  const audits: PageAudit[] = [];
  const seen = new Set<string>();
  return {
    audits,
    async check(page: Page, label: string, within?: string): Promise<void> {
      if (seen.has(label)) return;
      seen.add(label);
      audits.push(await auditPage(page, label, within));
    },
    /** Everything that must be zero, as readable lines naming the page and the offending elements. */
    listProblems(): string[] {
      const problems: string[] = [];
      for (const audit of audits) {
        const where = `${audit.label} (${new URL(audit.url).pathname})`;
        if (audit.lang !== expectedLang) problems.push(`${where}: <html lang="${audit.lang}">, expected "${expectedLang}"`);
        const unlabelled = new Map<string, number>();
        for (const field of audit.unlabelledFields) unlabelled.set(field, (unlabelled.get(field) ?? 0) + 1);
        for (const [field, count] of unlabelled) problems.push(`${where}: ${count} × field without a label: ${field}`);
        if (audit.sidewaysAtPhoneWidth > 0) problems.push(`${where}: scrolls ${audit.sidewaysAtPhoneWidth} px sideways at 390 px`);
        for (const v of audit.violations.filter((violation) => BLOCKING_IMPACTS.has(violation.impact))) {
          problems.push(`${where}: axe ${v.impact} ${v.rule} (${v.help}) at ${v.targets.join(' | ')}`);
        }
      }
      return problems;
    },
    /** Minor and moderate findings: reported, not failing. */
    listAdvisories(): string[] {
      return audits.flatMap((audit) =>
        audit.violations
          .filter((v) => !BLOCKING_IMPACTS.has(v.impact))
          .map((v) => `${audit.label}: axe ${v.impact} ${v.rule} (${v.help}) at ${v.targets.slice(0, 5).join(' | ')}`),
      );
    },
  };
}

export type AccessibilityLog = ReturnType<typeof createAccessibilityLog>;

const STYLESHEET = readFileSync(fileURLToPath(new URL('../../views/assets/app.css', import.meta.url)), 'utf8');

/**
 * Audits a page's HTML from the app (got through supertest) in Chromium, with the stylesheet inlined (the page's own
 * link has no server behind it here): its language, its serious or critical violations and its unlabelled fields.
 */
export async function auditHtml(browser: Browser, label: string, html: string) {
  const page = await browser.newPage({ bypassCSP: true });
  try {
    await page.setContent(html.replace('<link rel="stylesheet" href="/assets/app.css">', `<style>${STYLESHEET}</style>`));
    const result = await auditPage(page, label);
    return {
      lang: result.lang,
      blocking: result.violations.filter((v) => BLOCKING_IMPACTS.has(v.impact)),
      unlabelled: result.unlabelledFields,
    };
  } finally {
    await page.close();
  }
}
