// npm run seed:demo: fills the configured (empty) database with fictional demo data and prints the logins.
import { mkdirSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { type Db, openDatabase } from '../db/open-database.js';
import { loadRubrics } from '../rubrics/load-rubrics.js';
import { DemoSeedRefusedError, type DemoSummary, seedDemo } from './seed-demo.js';

function formatSummary(summary: DemoSummary, databaseFile: string): string {
  const emailWidth = Math.max(...summary.logins.map((login) => login.email.length));
  return [
    `Demo data created in ${databaseFile} (rubric ${summary.rubricId}).`,
    'All names, organisations, programs and reviews in it are fictional; only the municipality codes are real.',
    '',
    'Programs:',
    ...summary.programs.map((p) => `  ${p.municipalityCode} ${p.municipalityName}: ${p.programName}`),
    '',
    'Reviews:',
    `  #${summary.finalReview.id} ${summary.finalReview.programName}: final, 3 raters, consensus on all ${summary.finalReview.indicators} indicators`,
    `  #${summary.ratingReview.id} ${summary.ratingReview.programName}: independent rating (one rater submitted, one part-way, one not started)`,
    '',
    `Logins (the password for all of them is ${summary.password}):`,
    ...summary.logins.map(
      (login) => `  ${login.email.padEnd(emailWidth)}  ${login.roles.join(', ')}  (${login.displayName}, ${login.affiliation})`,
    ),
    '',
    `To try rating, log in as ${summary.ratingReview.notStartedEmail}, who has not started on review #${summary.ratingReview.id}.`,
  ].join('\n');
}

async function runSeedDemo(): Promise<number> {
  let db: Db | undefined;
  try {
    const config = loadConfig();
    mkdirSync(config.dataDir, { recursive: true });
    db = openDatabase(config.databaseFile);
    migrate(db);
    const rubrics = loadRubrics(config.rubricsDir);
    const summary = await seedDemo(db, rubrics);
    console.log(formatSummary(summary, config.databaseFile));
    return 0;
  } catch (error) {
    if (error instanceof DemoSeedRefusedError) {
      console.error(`seed:demo refused: ${error.message}`);
    } else {
      console.error(`seed:demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return 1;
  } finally {
    db?.close();
  }
}

process.exitCode = await runSeedDemo();
