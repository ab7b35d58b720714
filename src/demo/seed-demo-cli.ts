import { parseArgs } from 'node:util';
import { describeAppVersion } from '../app-version.js';
import { formatCommand } from '../cli/shell-command.js';
import { createSettableClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { describeFailure, openCommandDatabase } from '../cli/command-line.js';
import type { Db } from '../db/open-database.js';
import { describeNewKeyFile } from '../accounts/mfa-key.js';
import { createServices, type Services, servicesConfigOf } from '../services.js';
import { DemoSeedRefusedError, type DemoSummary, seedDemo } from './seed-demo.js';

function usage(): string {
  return [
    `Usage: ${formatCommand('seed:demo', '')}   (takes no arguments)`,
    'Fills the configured database (DATA_DIR or DATABASE_FILE), which must have no users or municipalities yet, with fictional demo data.',
  ].join('\n');
}

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
    `  #${summary.selfAssessment.id} ${summary.finalReview.programName}: the program lead's self-assessment of ${summary.selfAssessment.date}, final, shared with the panel of #${summary.selfAssessment.sharedWith}`,
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

async function runSeedDemo(argv: readonly string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(usage());
      return 0;
    }
    if (values.version) {
      console.log(describeAppVersion());
      return 0;
    }
  } catch (error) {
    console.error(`seed:demo: ${error instanceof Error ? error.message : String(error)}`);
    console.error(usage());
    return 1;
  }
  // The demo's logins share a password printed in the README: in a production installation its administrator would be
  // anyone's for the taking (the first to log in sets up its second factor). Refused before anything is opened.
  if (process.env.NODE_ENV === 'production') {
    console.error(
      'seed:demo refused: NODE_ENV=production. The demo accounts share a published password; load the demo only in a trial installation.',
    );
    return 1;
  }
  let db: Db | undefined;
  let services: Services | undefined;
  try {
    const config = loadConfig();
    // The database's own folder: DATABASE_FILE may lie outside DATA_DIR.
    db = openCommandDatabase(config, 'seed:demo');
    // Each step of the story is written at its own date (seedDemo's DemoTime), moved by whole months to follow today.
    const time = createSettableClock();
    services = createServices(db, servicesConfigOf(config), { pdfRendering: 'inline', clock: time.clock });
    if (services.mfaKeyStart?.created) console.log(describeNewKeyFile(services.mfaKeyStart.from));
    const summary = await seedDemo(services, time);
    console.log(formatSummary(summary, config.databaseFile));
    return 0;
  } catch (error) {
    if (error instanceof DemoSeedRefusedError) {
      console.error(`seed:demo refused: ${error.message}`);
    } else {
      // A stack trace only for a bug; what the operator can fix (configuration, paths, a newer database) gets one line.
      const message = describeFailure(error);
      console.error(`seed:demo failed: ${message}`);
    }
    return 1;
  } finally {
    await services?.close();
    db?.close();
  }
}

process.exitCode = await runSeedDemo(process.argv.slice(2));
