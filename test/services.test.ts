import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { generateMfaKey } from '../src/accounts/mfa-key.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { createMunicipalityStore } from '../src/municipalities/municipality-store.js';
import { gatherReportData } from '../src/reports/report-data.js';
import { createServices } from '../src/services.js';
import { defaultHttpConfig } from '../src/config.js';
import { buildScoringSheetModel } from '../src/scoring-sheet/scoring-sheet-model.js';
import { createReviewScenario } from './helpers/review-scenario.js';
import { loadTestRubrics, makeTestServices, openTestDatabase, ROOT } from './helpers/test-app.js';
import { createReportScenario } from './reports/report-fixtures.js';

describe('createServices', () => {
  it('when no rubrics are passed, then it loads them from config.rubricsDir', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const services = createServices(db, { ...defaultHttpConfig(), rubricsDir: `${ROOT}rubrics` }, { mfaKey: generateMfaKey() });
    expect([...services.rubrics.keys()]).toContain('bostad-forst');
  });

  it('when neither rubrics nor a rubrics folder is given, then it says so instead of starting without rubrics', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    expect(() => createServices(db, defaultHttpConfig())).toThrow(/rubricsDir/);
  });

  it('when the services are closed, then their PDF pools take no more work, and the database stays open', async () => {
    const s = await createReviewScenario();
    const services = makeTestServices(s.db, loadTestRubrics());
    await services.close();
    const review = services.reviews.findReviewById(s.reviewId);
    if (!review) throw new Error('no review');
    await expect(services.sheetRenderer.render(buildScoringSheetModel(review, undefined, 'sv'))).rejects.toThrow(/closed/);
    expect(services.reviews.findReviewById(s.reviewId)?.id).toBe(s.reviewId);
  });
});

describe('shared PDF pools', { timeout: 60_000 }, () => {
  it('when two sets of test services share the pools, then both render on one worker, and closing one leaves the pools to the other', async () => {
    const s = await createReportScenario({ rubricId: 'mini-five' });
    const gathered = gatherReportData({ municipalities: createMunicipalityStore(s.db), reviews: s.reviews }, s.municipalityCode);
    if (gathered.kind !== 'ok') throw new Error(gathered.kind);
    const job = { data: gathered.data, locale: 'sv' as const };
    const first = makeTestServices(openTestDatabase());
    const second = makeTestServices(openTestDatabase());
    const fromFirst = await first.reportRenderer.render(job);
    const fromSecond = await second.reportRenderer.render(job);
    expect(fromFirst.threadId).not.toBe(threadId);
    expect(fromSecond.threadId).toBe(fromFirst.threadId);
    await first.close();
    await expect(first.reportRenderer.render(job)).rejects.toThrow(/closed/);
    expect((await second.reportRenderer.render(job)).threadId).toBe(fromFirst.threadId);
  });
});

describe('the clock reaches every store', () => {
  // Store factories default their clock to the real time so a test can build one with `createXStore(db)`; in src/
  // a call without the clock would write wall-clock times past a test's clock. createServices is the only caller.
  it('when src/ is read, then every call of a factory that takes a clock passes one', () => {
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(join(ROOT, 'src', file), 'utf8'));
    const factories = files.flatMap((text) =>
      [...text.matchAll(/export function (create\w+)\(\s*\w+: \w+,\s*clock: Clock/g)].map((m) => m[1]),
    );
    expect(factories.length).toBeGreaterThan(15);
    const withoutClock = files.flatMap((text) =>
      factories.filter((name) => new RegExp(`\\b${name}\\(\\s*[\\w.]+\\s*\\)`).test(text)).map((name) => name),
    );
    expect(withoutClock).toEqual([]);
  });
});
