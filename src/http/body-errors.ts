// What a request body that cannot be read answers, for every body reader in one place: the urlencoded parser
// (body-parser, behind express.urlencoded) and the research import's multipart reader (multer, built on busboy).
// Each is the sender's problem, never the server's: a 4xx status and a message in the user's language, no stack.
import multer from 'multer';
import type { MessageKey } from '../i18n/messages.js';

export type BodyProblemKind =
  | 'too-large'
  | 'file-too-large'
  | 'too-many-fields'
  | 'charset'
  | 'encoding'
  | 'broken-encoding'
  | 'unreadable';

export type BodyProblem = { readonly kind: BodyProblemKind; readonly status: 400 | 413 | 415; readonly messageKey: MessageKey };

const PROBLEMS: Readonly<Record<BodyProblemKind, BodyProblem>> = {
  'too-large': { kind: 'too-large', status: 413, messageKey: 'errors.tooLargeText' },
  'file-too-large': { kind: 'file-too-large', status: 413, messageKey: 'errors.tooLargeText' },
  'too-many-fields': { kind: 'too-many-fields', status: 413, messageKey: 'errors.tooManyFieldsText' },
  charset: { kind: 'charset', status: 415, messageKey: 'errors.unsupportedCharsetText' },
  encoding: { kind: 'encoding', status: 415, messageKey: 'errors.unsupportedEncodingText' },
  'broken-encoding': { kind: 'broken-encoding', status: 400, messageKey: 'errors.brokenEncodingText' },
  unreadable: { kind: 'unreadable', status: 400, messageKey: 'errors.badRequestText' },
};

/** body-parser's error types (its `type` property). */
const BODY_PARSER_TYPES: Readonly<Record<string, BodyProblemKind>> = {
  'entity.too.large': 'too-large',
  'parameters.too.many': 'too-many-fields',
  'charset.unsupported': 'charset',
  'encoding.unsupported': 'encoding',
  'entity.parse.failed': 'unreadable',
  'request.aborted': 'unreadable',
  'request.size.invalid': 'unreadable',
};

/** multer's limit codes; anything else it or busboy reports (a body cut short, a malformed part) is unreadable. */
const MULTER_CODES: Readonly<Record<string, BodyProblemKind>> = {
  LIMIT_FILE_SIZE: 'file-too-large',
  LIMIT_FIELD_VALUE: 'too-large',
  LIMIT_PART_COUNT: 'too-many-fields',
  LIMIT_FIELD_COUNT: 'too-many-fields',
  LIMIT_FILE_COUNT: 'too-many-fields',
};

/**
 * zlib's error codes: Z_DATA_ERROR, Z_BUF_ERROR for gzip and deflate, ERR__ERROR_FORMAT_… and the like for brotli.
 * body-parser passes a decompression error on as it is, with status 400 but no `type`.
 */
const ZLIB_CODE = /^(Z_[A-Z_]+|ERR_(_ERROR|BROTLI)[A-Z0-9_]*)$/;

/** A body that could not be read, with its problem already known: for the error handler to answer. */
export class UnreadableBodyError extends Error {
  readonly problem: BodyProblem;
  constructor(problem: BodyProblem) {
    super(`request body refused: ${problem.kind}`);
    this.name = 'UnreadableBodyError';
    this.problem = problem;
  }
}

/** The problem a body reader reported, or undefined when the error did not come from reading a body. */
export function classifyBodyError(error: unknown): BodyProblem | undefined {
  if (error instanceof UnreadableBodyError) return error.problem;
  if (error instanceof multer.MulterError) return PROBLEMS[MULTER_CODES[error.code] ?? 'unreadable'];
  const e = error as { type?: unknown; status?: unknown; code?: unknown } | null;
  if (typeof e?.type === 'string') {
    const kind = BODY_PARSER_TYPES[e.type];
    if (kind !== undefined) return PROBLEMS[kind];
  }
  if (e?.status === 400 && typeof e.code === 'string' && ZLIB_CODE.test(e.code)) return PROBLEMS['broken-encoding'];
  return undefined;
}

/** The problem of a failed multipart upload: every error while reading it is the body's. */
export function classifyUploadError(error: unknown): BodyProblem {
  return classifyBodyError(error) ?? PROBLEMS.unreadable;
}
