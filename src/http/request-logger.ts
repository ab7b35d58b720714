import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { type Logger, loggedRouteOf } from './logger.js';

/** An incoming X-Request-Id (from a proxy) is kept only when it is a short token of safe characters. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The request id: the proxy's when safe, or a new one; sent back as X-Request-Id. */
function requestIdOf(req: Request, res: Response): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The fields of a request line: who, method, path (never the query string: it may hold tokens; and of a path no route
 * answered, only its ids and the app's own path words), status and time.
 */
function requestLine(req: Request, res: Response, durationMs: number, pathWords: ReadonlySet<string>) {
  const route = loggedRouteOf(req, res.statusCode, pathWords);
  return { userId: req.user?.id, method: req.method, route, status: res.statusCode, durationMs };
}

const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * Gives every request its id and a child logger (req.log) that stamps it on each line, and, unless logRequests
 * is off, logs one line per request when its response is done. Headers and bodies are never logged.
 */
export function requestLogger(
  logger: Logger,
  {
    logRequests,
    pathWords,
  }: {
    readonly logRequests: boolean;
    /** The app's own path words (listPathWords), asked for when a line is written: its routes are mounted after this. */
    readonly pathWords: () => ReadonlySet<string>;
  },
): RequestHandler {
  const middleware = pinoHttp<Request, Response>({
    logger,
    // The serializers, redaction and formats are the logger's own (createLogger): no second set here.
    wrapSerializers: false,
    genReqId: requestIdOf,
    // req.log binds only the request id, not the whole request with its headers.
    quietReqLogger: true,
    quietResLogger: true,
    autoLogging: logRequests,
    // A health probe's line is at debug, whatever it answers: a 30-second probe would otherwise write ~2,900 lines a
    // day, and a failing one as many errors. Why /readyz fails is logged once by the health route, when it starts.
    customLogLevel: (req, res, error) =>
      HEALTH_PATHS.has(req.path) ? 'debug' : error !== undefined || res.statusCode >= 500 ? 'error' : 'info',
    customSuccessObject: (req, res, value: { responseTime: number }) => requestLine(req, res, value.responseTime, pathWords()),
    // The error itself, with its stack, is logged by the error handler; the request line stays a request line.
    customErrorObject: (req, res, _error, value: { responseTime: number }) => requestLine(req, res, value.responseTime, pathWords()),
    customSuccessMessage: (req, res) =>
      `${req.method} ${loggedRouteOf(req, res.statusCode, pathWords())} ${res.statusCode}${res.writableEnded ? '' : ' (aborted)'}`,
    customErrorMessage: (req, res) => `${req.method} ${loggedRouteOf(req, res.statusCode, pathWords())} ${res.statusCode}`,
  });
  return (req, res, next) => middleware(req, res, next);
}
