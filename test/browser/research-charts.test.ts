// The research page's charts and tables as Chromium lays them out, with the demo's data (its HTML through supertest,
// shown with the app's stylesheet, test/browser/page-layout.ts): at 1366 px the heat map's overall head stays inside
// the chart and clear of the sections' codes, and its table fits its box without scrolling; below 600 px the charts,
// whose text would shrink to 4 or 5 px, give way to the tables, which carry the same figures. Both pages (the second
// with the agreement per kind of review) are audited with axe-core as the journey's pages are.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/demo/seed-demo.js';
import { loadRubrics } from '../../src/rubrics/load-rubrics.js';
import { loginAgent, makeTestApp, makeTestServices, ROOT } from '../helpers/test-app.js';
import { auditHtml } from './accessibility-audit.js';
import { findChromium, isCiRun } from './browser-available.js';
import { launchChromium } from './browser-session.js';
import { evaluateIn, openPagePerWidth, type PageAtWidth } from './page-layout.js';

const chromiumPath = findChromium();

/** The demo's research page with the Stockholm program's trend: of peer reviews, and of all kinds (a kind strip more). */
async function demoResearchPages(): Promise<Record<string, string>> {
  const db = openDatabase(':memory:');
  migrate(db);
  const rubrics = loadRubrics(join(ROOT, 'rubrics'));
  const summary = await seedDemo(makeTestServices(db, rubrics));
  const { app, services } = makeTestApp({ db, rubrics });
  const programId = services.reviews.findReviewById(summary.finalReview.id)?.programId;
  if (programId === undefined) throw new Error('demo review missing');
  const researcher = await loginAgent(app, 'forskare@demo.example', DEMO_PASSWORD);
  return {
    'peer reviews': (await researcher.get(`/research?program=${programId}`)).text,
    'all kinds': (await researcher.get(`/research?kind=all&program=${programId}`)).text,
  };
}

type Box = { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };

/**
 * In the heat map's SVG, in its own units: the viewBox's width, the boxes of the overall column's head lines, and
 * those of the sections' codes.
 */
const MEASURE_HEAT_HEAD = `(() => {
  const svg = document.querySelector('svg.heatmap');
  const box = (text) => { const b = text.getBBox(); return { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height }; };
  return {
    width: svg.viewBox.baseVal.width,
    head: [...svg.querySelectorAll('.heatmap-overall-head text')].map(box),
    codes: [...svg.querySelectorAll(':scope > g:first-of-type > text')].map(box),
  };
})()`;

/** The heat map table's scroll box: how wide its table is against what the box shows. */
const MEASURE_TABLE_BOX = `(() => {
  const box = document.querySelector('.table-scroll:has(> .heatmap-table)');
  return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
})()`;

/** What is shown below 600 px: the charts, their notes and the tables. */
const MEASURE_SHOWN = `(() => {
  const shown = (selector) => [...document.querySelectorAll(selector)].map((element) => element.getClientRects().length > 0);
  return {
    charts: shown('svg.chart'),
    notes: shown('.chart-hidden-note'),
    legend: shown('.trend-legend'),
    tables: shown('table'),
  };
})()`;

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe.skipIf(!chromiumPath && !isCiRun())('the research page’s charts', { timeout: 120_000 }, () => {
  let browser: Browser;
  let pageAt: PageAtWidth;
  let pages: Record<string, string>;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath ?? '/usr/bin/chromium');
    pageAt = openPagePerWidth(browser);
    pages = await demoResearchPages();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('when shown at 1366 px, then the overall head is inside the heat map and clear of B6, and the table fits its box', async () => {
    for (const [label, html] of Object.entries(pages)) {
      expect(html, label).toContain('Sammanvägd modelltrohet (A1–A8)');
      const heat = await evaluateIn<{ width: number; head: Box[]; codes: Box[] }>(pageAt, html, 1366, MEASURE_HEAT_HEAD);
      expect(heat.head.length, label).toBeGreaterThan(1);
      expect(heat.codes.length, label).toBeGreaterThan(0);
      for (const line of heat.head) {
        expect(line.left, label).toBeGreaterThanOrEqual(0);
        expect(line.right, label).toBeLessThanOrEqual(heat.width);
        expect(
          heat.codes.filter((code) => overlaps(line, code)),
          label,
        ).toEqual([]);
      }
      const box = await evaluateIn<{ scrollWidth: number; clientWidth: number }>(pageAt, html, 1366, MEASURE_TABLE_BOX);
      expect(box.scrollWidth, label).toBeLessThanOrEqual(box.clientWidth);
    }
  });

  it('when shown at 390 px, then the charts and the trend’s legend are hidden, a note says so, and the tables are there', async () => {
    for (const [label, html] of Object.entries(pages)) {
      const phone = await evaluateIn<Record<string, boolean[]>>(pageAt, html, 390, MEASURE_SHOWN);
      expect(phone.charts, label).toEqual([false, false]);
      expect(phone.legend, label).toEqual([false]);
      expect(phone.notes, label).toEqual([true, true]);
      expect(
        phone.tables?.every((shown) => shown),
        label,
      ).toBe(true);
      // From 600 px on, a chart's text is large enough: the charts are back and the notes gone.
      const tablet = await evaluateIn<Record<string, boolean[]>>(pageAt, html, 640, MEASURE_SHOWN);
      expect(tablet.charts, label).toEqual([true, true]);
      expect(tablet.notes, label).toEqual([false, false]);
    }
  });

  it('when audited with axe-core, then neither page has a serious problem', async () => {
    for (const [label, html] of Object.entries(pages)) {
      expect(await auditHtml(browser, `research, ${label}`, html)).toEqual({ lang: 'sv', blocking: [], unlabelled: [] });
    }
  });
});
