// Entry point: configuration → database → migrations → services (stores, rubrics, PDF pools) → app → listen.
// Fails fast with a clear message. On shutdown: the server, then the services' pools, then the database, then its lock.
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { refuseMissingDatabase } from './db/missing-database.js';
import { openDatabase } from './db/open-database.js';
import { installCrashLogging, logFatal } from './http/crash-logging.js';
import { prepareDatabaseFile } from './db/prepare-database-file.js';
import { createLogger, loadLogConfig } from './http/logger.js';
import { checkMemorySettings } from './memory-settings.js';
import { resolveSessionSecret } from './db/settings-store.js';
import { loadRubrics } from './rubrics/load-rubrics.js';
import { createServices, type Services, servicesConfigOf } from './services.js';
import { describeNewKeyFile } from './accounts/mfa-key.js';
import { describeFailure } from './cli/command-line.js';

const SHUTDOWN_GRACE_MS = 5_000;

/** How much heap V8 allows and from what, and any memory setting of the unit and the image the process runs without. */
function logMemorySettings(logger: ReturnType<typeof createLogger>): void {
  const totalBytes = totalmem();
  const memory = checkMemorySettings({
    env: process.env,
    execArgv: process.execArgv,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    constrainedBytes: process.constrainedMemory(),
    totalBytes,
  });
  const source =
    memory.memoryLimitMb === undefined
      ? `from the machine's ${Math.round(totalBytes / 1_048_576)} MB (no memory limit)`
      : `from a memory limit of ${memory.memoryLimitMb} MB`;
  logger.info(
    { heapLimitMb: memory.heapLimitMb, memoryLimitMb: memory.memoryLimitMb ?? null },
    `Memory: V8 allows each thread ${memory.heapLimitMb} MB of heap, sized ${source}; see docs/operations.md#memory.`,
  );
  if (process.env.NODE_ENV === 'production' && memory.missing.length > 0) {
    logger.warn(
      { missing: memory.missing },
      `Memory settings missing: ${memory.missing.join(', ')}. The server runs, but holds more memory than it uses; the systemd unit and the image set them (docs/operations.md#memory).`,
    );
  }
}

/** Where the key for TOTP secrets came from; a key file made now is to be copied somewhere safe once. */
function logMfaKey(logger: ReturnType<typeof createLogger>, start: Services['mfaKeyStart']): void {
  if (start === undefined) return;
  if (start.created) {
    logger.warn(describeNewKeyFile(start.from));
  } else logger.info(`TOTP secrets are sealed with the key from ${start.from}.`);
  if (start.sealedAtStart > 0)
    logger.info({ sealed: start.sealedAtStart }, `Sealed ${start.sealedAtStart} TOTP secret(s) stored in clear.`);
}

function startServer(): void {
  const config = loadConfig();
  // The one logger of the process: JSON lines on stdout (LOG_FORMAT=pretty for development).
  const logger = createLogger(loadLogConfig());
  installCrashLogging(logger);
  logMemorySettings(logger);
  // Before anything opens it: its folder is there, and no other server (or backup, or restore) works with it. The
  // lock taken here is held until the database is closed, or the process ends, which drops it whatever the cause.
  const lock = prepareDatabaseFile(config.databaseFile, { production: process.env.NODE_ENV === 'production' });
  // Read before the database is opened: a bad rubric file stops the start with nothing changed.
  const rubrics = loadRubrics(config.rubricsDir);
  refuseMissingDatabase(config);
  const db = openDatabase(config.databaseFile);
  // The lock last: no other server may start on the database before this one has closed it (and checkpointed its WAL).
  // The shutdown handlers below hold this function, and with it the lock, for the life of the process.
  const closeDatabase = () => {
    db.close();
    lock?.release();
  };
  const { from, to } = migrate(db);
  if (from !== to) logger.info({ from, to }, `Database ${config.databaseFile}: schema migrated from version ${from} to ${to}.`);
  // The stores prepare their statements now, so after the migrations.
  const services = createServices(db, servicesConfigOf(config), { rubrics });
  logMfaKey(logger, services.mfaKeyStart);
  // Every rubric version this installation has loaded is stored once, which puts rubric changes in the audit log.
  for (const loaded of rubrics.values()) services.reviews.recordRubricSnapshot(loaded);
  const sessionSecret = resolveSessionSecret(db, config.sessionSecret);
  const app = createApp({ services, config: { ...config.http, sessionSecret }, logger });

  // Express 5 calls this back on a listen error too (port taken, unknown host): the 'error' handler below reports
  // that, and nothing here may claim the server runs or hand out a setup link to whatever holds the port.
  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error) return;
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const shownHost = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
    const baseUrl = config.publicUrl ?? `http://${shownHost}:${port}`;
    // The URLs stand inside the message followed by a space, so an operator (and a script) can copy them out.
    logger.info(`hf-fidelity is running at ${baseUrl} (rubrics: ${[...rubrics.keys()].join(', ')})`);
    if (services.users.countUsers() === 0) {
      const token = services.setup.issueSetupToken();
      // The one token printed, on purpose: the operator needs this link, and it works once, within 24 hours. It goes
      // straight to the terminal (stderr), whatever LOG_LEVEL says, and never into the JSON log, which is shipped and kept.
      process.stderr.write(
        `No accounts yet. Create the first administrator in the browser at ${baseUrl}/setup?token=${token} (link valid 24 hours, once)\n`,
      );
      logger.info('No accounts yet: the one-time setup link is printed on the terminal (stderr), not in this log.');
      if (process.env.NODE_ENV === 'production') {
        // In production the compiled tool (the image has no sources for npm run admin:create), and no demo hint: the
        // demo's accounts share a published password (seed:demo refuses production).
        logger.info('Or on the command line: node dist/accounts/create-admin-cli.js --email you@example.org --name "Your Name"');
      } else {
        logger.info('Or on the command line: npm run admin:create -- --email you@example.org --name "Your Name"');
        logger.info('For a ready-made demo instead: stop the server, run npm run seed:demo, and start again.');
      }
    }
  });
  server.on('error', (error) => {
    // A port in use or an unknown HOST: the one line with what to do, as for any other start failure.
    logFatal(logger, `Could not start the server: ${describeFailure(error)}`);
    void services.close().finally(() => {
      closeDatabase();
      process.exit(1);
    });
  });

  let closing = false;
  const shutDown = (signal: string) => {
    if (closing) {
      // A second Ctrl-C or SIGTERM: stop waiting for requests in progress.
      logger.info(`${signal} received again: closing connections now.`);
      server.closeAllConnections();
      return;
    }
    closing = true;
    logger.info(`${signal} received: closing.`);
    // close() stops accepting connections, ends idle keep-alive ones, and calls back once requests in progress
    // have been answered; only then is the database closed, which checkpoints the WAL into the main file.
    server.close(() => {
      // The PDF pools first (a render still queued is refused), then the database they no longer read.
      services.close().then(
        () => {
          closeDatabase();
          logger.info('Server and database closed.');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'Stopping the PDF workers failed; closing the database anyway.');
          closeDatabase();
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
    // A request that never ends would hold close() open: end every connection after a grace period.
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutDown('SIGTERM'));
  process.on('SIGINT', () => shutDown('SIGINT'));
}

try {
  startServer();
} catch (error) {
  reportStartFailure(error);
}

/**
 * The last word of a server that cannot start: one line naming what to fix (describeFailure: the one line and its
 * advice for what an operator can mend, the stack for a bug), as a fatal JSON log line where log collectors read,
 * or on stderr when the logging settings are themselves what is wrong or LOG_LEVEL=silent would drop it.
 */
function reportStartFailure(error: unknown): never {
  const message = `Could not start the server: ${describeFailure(error)}`;
  try {
    logFatal(createLogger(loadLogConfig()), message);
  } catch {
    console.error(message);
  }
  process.exit(1);
}
