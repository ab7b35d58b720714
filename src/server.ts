// Entry point: configuration → database lock → rubrics → listen → database → migrations → services (stores, rubrics,
// PDF pools) → app → requests. Fails fast with a clear message; a port that cannot be bound changes nothing.
// On shutdown: the server, then the services' pools, then the database, then its lock.
import { createServer, type Server } from 'node:http';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
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
import { describeAdminCreateCommand } from './cli/admin-create-hint.js';
import { readAppVersion } from './app-version.js';
import { runningUser } from './db/open-database.js';

const SHUTDOWN_GRACE_MS = 5_000;
// Above the 60 s that nginx (and most load balancers) keep an idle upstream connection: see startServer.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

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

/** "127.0.0.1:3000", "[::]:3000": where the server listens, which a reverse proxy's configuration names. */
function describeListenAddress(server: Server, config: { host: string; port: number }): string {
  const address = server.address();
  if (typeof address !== 'object' || address === null) return `${config.host}:${config.port}`;
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

function startServer(): void {
  const config = loadConfig();
  // The one logger of the process: JSON lines on stdout (LOG_FORMAT=pretty for development).
  const logger = createLogger(loadLogConfig());
  installCrashLogging(logger);
  const version = readAppVersion();
  logger.info({ version, node: process.version }, `Starting hf-fidelity ${version} on Node ${process.version}.`);
  logMemorySettings(logger);
  // Before anything opens it: its folder is there, and no other server (or backup, or restore) works with it. The
  // lock taken here is held until the database is closed, or the process ends, which drops it whatever the cause.
  const lock = prepareDatabaseFile(config.databaseFile, { production: process.env.NODE_ENV === 'production' });
  // Read before the database is opened: a bad rubric file stops the start with nothing changed.
  const rubrics = loadRubrics(config.rubricsDir);
  refuseMissingDatabase(config);

  // The port before the database: a port in use or an unknown HOST stops the start before anything is migrated or a
  // key file made. Requests are taken only once the app is attached below, in the same turn of the event loop as the
  // migrations, so none arrives at a server without its app.
  const server = createServer();
  // nginx's upstream keepalive (the recipe in docs/operations.md) keeps an idle connection 60 s by default; Node
  // closes one after 5 s, so nginx could send a request (a POST, which it does not retry) on a connection Node is
  // closing at that moment, and answer 502. The server keeps idle connections longer than the proxy does.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  const refuseListen = (error: Error) => {
    // A port in use or an unknown HOST: the one line with what to do, as for any other start failure.
    logFatal(logger, `Could not start the server: ${describeFailure(error)}`);
    lock?.release();
    process.exit(1);
  };
  server.once('error', refuseListen);
  server.listen(config.port, config.host, () => {
    server.off('error', refuseListen);
    try {
      serve({ config, logger, lock, rubrics, server, version });
    } catch (error) {
      reportStartFailure(error);
    }
  });
}

type Started = {
  readonly config: ReturnType<typeof loadConfig>;
  readonly logger: ReturnType<typeof createLogger>;
  readonly lock: ReturnType<typeof prepareDatabaseFile>;
  readonly rubrics: ReturnType<typeof loadRubrics>;
  readonly server: Server;
  readonly version: string;
};

/** Once the port is bound: the database, its migrations, the services and the app, then requests. */
function serve({ config, logger, lock, rubrics, server, version }: Started): void {
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
  const sessionSecret = resolveSessionSecret(db, config.sessionSecret, (line) => logger.info(line));
  const app = createApp({ services, config: { ...config.http, sessionSecret }, logger });
  server.on('request', app);

  const listening = describeListenAddress(server, config);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const shownHost = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
  const baseUrl = config.publicUrl ?? `http://${shownHost}:${port}`;
  // The URLs stand inside the message followed by a space, so an operator (and a script) can copy them out. Where it
  // listens is said apart from PUBLIC_URL, the proxy's address: it is what the proxy's configuration must name.
  logger.info(
    { version, schemaVersion: to, listening },
    `hf-fidelity ${version} (database schema version ${to}) is running at ${baseUrl} (listening on ${listening}; rubrics: ${[...rubrics.keys()].join(', ')})`,
  );
  if (services.users.countUsers() === 0) {
    const token = services.setup.issueSetupToken();
    // The one token printed, on purpose: the operator needs this link, and it works once, within 24 hours. It goes
    // straight to the terminal (stderr), whatever LOG_LEVEL says, and never into the JSON log, which is shipped and kept.
    process.stderr.write(
      `No accounts yet. Create the first administrator in the browser at ${baseUrl}/setup?token=${token} (link valid 24 hours, once)\n`,
    );
    logger.info('No accounts yet: the one-time setup link is printed on the terminal (stderr), not in this log.');
    // The exact command: this installation's data folder and build, as the server's user. In production no demo
    // hint: the demo's accounts share a published password (seed:demo refuses production).
    const production = process.env.NODE_ENV === 'production';
    const builtServer = import.meta.url.endsWith('.js');
    logger.info(
      describeAdminCreateCommand({
        dataDir: config.dataDir,
        databaseFile: config.databaseFile,
        cwd: process.cwd(),
        production,
        mfaKeyFromEnv: config.mfaKey !== undefined,
        user: runningUser(),
        builtScript: builtServer ? fileURLToPath(new URL('./accounts/create-admin-cli.js', import.meta.url)) : undefined,
        projectDir: fileURLToPath(new URL('..', import.meta.url)),
      }),
    );
    if (!production) logger.info('For a ready-made demo instead: stop the server, run npm run seed:demo, and start again.');
  }
  server.on('error', (error) => {
    logFatal(logger, `The server stopped: ${describeFailure(error)}`);
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
