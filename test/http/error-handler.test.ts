// The error handler when the answer has already begun (express-session stores the session as a page goes out): one
// log line, never express's own last handler, which prints a stack outside the JSON log.
import { Writable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/error-handler.js';
import { createLogger, type Logger } from '../../src/http/logger.js';

function collectingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', format: 'json' }, { destination }) };
}

/** A request and an answer whose headers have gone out, ended or not; the socket records whether it was closed. */
function begunAnswer(ended: boolean, url = '/login') {
  const socket = {
    destroyed: false,
    destroy() {
      socket.destroyed = true;
    },
  };
  const req = { method: 'POST', path: url.split('?')[0], originalUrl: url, socket } as unknown as Request;
  const res = { headersSent: true, writableEnded: ended, locals: {} } as unknown as Response;
  return { req, res, socket };
}

/** The app's own path words as the app would list them (src/http/path-words.ts), as far as these tests need them. */
const PATH_WORDS: ReadonlySet<string> = new Set(['login', 'users']);

const handlerLoggingTo = (logger: Logger) =>
  errorHandler(
    logger,
    () => 0,
    () => PATH_WORDS,
  );

const sqliteFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('errorHandler after the answer began', () => {
  it('when the session cannot be stored as the page goes out, then one line without a stack, and nothing passed on', async () => {
    const { lines, logger } = collectingLogger();
    const { req, res, socket } = begunAnswer(true);
    const passedOn: unknown[] = [];
    await handlerLoggingTo(logger)(sqliteFull, req, res, ((error: unknown) => passedOn.push(error)) as NextFunction);
    expect(passedOn).toEqual([]);
    expect(socket.destroyed).toBe(false);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe(
      'POST /login: the session could not be stored (SQLITE_FULL: database or disk is full); logins and forms fail until it can be',
    );
    expect(lines[0]).not.toContain('"stack"');
  });

  it('when the session cannot be stored because another process holds the write lock, then the line names that cause', async () => {
    const { lines, logger } = collectingLogger();
    const { req, res } = begunAnswer(true);
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    await handlerLoggingTo(logger)(busy, req, res, (() => undefined) as NextFunction);
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe(
      'POST /login: the session could not be stored (another process holds a write lock on the database (a sqlite3 shell or a database browser?) (SQLITE_BUSY: database is locked)); logins and forms fail until it can be',
    );
  });

  it('when an answer not yet complete fails, then it is logged, the connection closed, and nothing passed on', async () => {
    const { lines, logger } = collectingLogger();
    const { req, res, socket } = begunAnswer(false);
    const passedOn: unknown[] = [];
    await handlerLoggingTo(logger)(new Error('template broke'), req, res, ((error: unknown) => passedOn.push(error)) as NextFunction);
    expect(passedOn).toEqual([]);
    expect(socket.destroyed).toBe(true);
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe('POST /login failed after its answer began: template broke');
  });

  it("when the path is one no route answered, then the line shows only its ids and the app's own path words", async () => {
    const { lines, logger } = collectingLogger();
    const { req, res } = begunAnswer(true, '/users/anna.svensson@kommun.se/19811218-9876?q=anna');
    await handlerLoggingTo(logger)(sqliteFull, req, res, (() => undefined) as NextFunction);
    expect(JSON.parse(lines[0] ?? '{}').msg).toMatch(/^POST \/users\/:x\/:x: the session could not be stored/);
    expect(lines.join('\n')).not.toContain('anna');
  });
});
