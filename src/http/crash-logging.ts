// The server's last words reach the operator: a start that fails and a crash while it runs each leave a fatal line,
// where a collector reading the JSON log looks for it. src/server.ts installs this once.
import type { Logger } from './logger.js';

/** Node's names for the two ways an error ends the process, logged as the line's `event`. */
export type CrashEvent = 'uncaughtException' | 'unhandledRejection';

const DESCRIPTIONS: Readonly<Record<CrashEvent, string>> = {
  uncaughtException: 'an uncaught exception',
  unhandledRejection: 'an unhandled promise rejection',
};

/**
 * A fatal line that must not be lost. LOG_LEVEL=silent drops every line, fatal ones too, and a server that stops
 * without a word looks like a hang: then the message goes to stderr as plain text, as the setup link does.
 */
export function logFatal(logger: Logger, message: string): void {
  if (logger.isLevelEnabled('fatal')) logger.fatal(message);
  else process.stderr.write(`${message}\n`);
}

/**
 * Logs an uncaught exception or unhandled rejection as one fatal JSON line, with the event, the error's message and
 * its stack. It only watches (uncaughtExceptionMonitor, which Node calls for both): Node still prints the stack on
 * stderr and exits with 1, so systemd or the container restarts the server. pino writes to stdout synchronously,
 * so the line is out before the process ends. With LOG_LEVEL=silent the stack on stderr is all there is.
 */
export function installCrashLogging(logger: Logger): void {
  process.on('uncaughtExceptionMonitor', (error: unknown, origin: CrashEvent) => {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal(
      { event: origin, err: error },
      `The server crashed on ${DESCRIPTIONS[origin]}: ${message}. It exits with code 1 (the stack is on stderr too).`,
    );
  });
}
