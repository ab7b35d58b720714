// The test tiers, as Vitest projects. `npm test` runs all three; `npm run test:fast` only unit and routes.
// - unit: pure domain code and single modules (scoring, agreement, formats, rubrics, the personnummer guard), no app;
// - routes: everything through an app built by createApp (supertest, real SQLite), and the PDFs it renders;
// - browser-server: real Chromium, real server processes and the command-line tools, each started as a process.
// A new test file lands in routes unless it matches a unit or browser-server pattern; either tier runs it.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const BROWSER_SERVER = ['test/browser/**/*.test.ts', 'test/server/**/*.test.ts', 'test/**/*-cli.test.ts', 'test/**/*-server.test.ts'];

const UNIT = [
  'test/cli/**/*.test.ts',
  'test/i18n/**/*.test.ts',
  'test/privacy/**/*.test.ts',
  'test/rubrics/**/*.test.ts',
  'test/tools/**/*.test.ts',
  'test/workers/**/*.test.ts',
  'test/app-version.test.ts',
  'test/config.test.ts',
  'test/memory-settings.test.ts',
  'test/accounts/totp-seal.test.ts',
  'test/actions/action-matching.test.ts',
  'test/actions/action-status.test.ts',
  'test/db/migrate.test.ts',
  'test/db/settings-store.test.ts',
  'test/db/transact.test.ts',
  'test/demo/demo-dates.test.ts',
  'test/http/csv.test.ts',
  'test/http/error-handler.test.ts',
  'test/http/field-labels.test.ts',
  'test/http/form-fields.test.ts',
  'test/http/stack-table-roles.test.ts',
  'test/http/view-renderer.test.ts',
  'test/municipalities/municipality-store.test.ts',
  'test/outcomes/retention.test.ts',
  'test/reports/action-blocks.test.ts',
  'test/reports/pdf-colours.test.ts',
  'test/reports/private-apis.test.ts',
  'test/reports/report-charts.test.ts',
  'test/research/agreement.test.ts',
  'test/research/comparison.test.ts',
  'test/reviews/consensus-rationale.test.ts',
  'test/reviews/rating-spread.test.ts',
  'test/reviews/result-view.test.ts',
  'test/reviews/scoring.test.ts',
  'test/reviews/spread-text.test.ts',
  'test/self-assessment/gap.test.ts',
  'test/self-assessment/review-access-self.test.ts',
  'test/sign-on/sign-on-config.test.ts',
];

export default defineConfig({
  test: {
    // Vitest runs one worker fewer than there are cores: a single worker on a 2-core machine such as CI's, which ran
    // the files one after another (about 7.5 minutes). Two workers there take 4–5 minutes (1,591 tests on Node 20 and
    // on Node 24, each file still in a fresh module system); larger machines keep Vitest's default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, exclude: BROWSER_SERVER } },
      { extends: true, test: { name: 'routes', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...BROWSER_SERVER] } },
      // Each of these starts a browser, a server or a CLI process: about a second alone, but several times that while
      // both cores are busy with the other files (a server start once took over 5 s in a full run), so 30 s each.
      { extends: true, test: { name: 'browser-server', include: BROWSER_SERVER, testTimeout: 30_000 } },
    ],
  },
});
