import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMfaKey } from '../src/accounts/mfa-key.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { createServices } from '../src/services.js';
import { defaultHttpConfig } from '../src/config.js';
import { buildScoringSheetModel } from '../src/scoring-sheet/scoring-sheet-model.js';
import { createReviewScenario } from './helpers/review-scenario.js';
import { loadTestRubrics, makeTestServices, ROOT } from './helpers/test-app.js';

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
