// The import form can send its CSV as a file (multipart/form-data). The file is read before the CSRF check, so
// the check sees the form's token, but only for POST /research/import by a logged-in researcher or coordinator:
// nobody else's multipart body is ever read (their request then fails the CSRF check, as any form without a token).
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { hasAnyRole } from '../accounts/access.js';
import { type BodyProblemKind, classifyUploadError, UnreadableBodyError } from '../http/body-errors.js';
import type { MessageKey } from '../i18n/messages.js';

export const IMPORT_PATH = '/research/import';
export const IMPORT_FILE_FIELD = 'csv_file';
/** The largest CSV file the import takes (a file of 700,000 ratings is about 60 MB: import it in parts). */
export const IMPORT_FILE_MAX_BYTES = 10 * 1024 * 1024;
const UPLOAD_ERROR_LOCAL = 'importUploadError';

export function researchImportUpload(researchRoles: Parameters<typeof hasAnyRole>[1]): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    // One file and the form's few fields; the pasted text may be as long as the urlencoded limit allows.
    limits: { fileSize: IMPORT_FILE_MAX_BYTES, files: 1, fields: 8, parts: 10, fieldSize: 256 * 1024 },
  }).single(IMPORT_FILE_FIELD);
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== IMPORT_PATH || !hasAnyRole(req.user, researchRoles)) return next();
    upload(req, res, (error: unknown) => {
      if (error !== undefined && error !== null) {
        // The status and message of an unreadable body are decided in one place for every body reader.
        const problem = classifyUploadError(error);
        // Not even the form's token could be read: a bad request (400/413 page), not an expired form.
        if (typeof (req.body as Record<string, unknown> | undefined)?._csrf !== 'string') return next(new UnreadableBodyError(problem));
        // A file over the limit, a form of the wrong shape or a body cut short is the user's to fix (or to send again):
        // the route says so next to the field, with that status, once the CSRF check has passed on what could be read.
        const failed: UploadFailure = { status: problem.status, error: UPLOAD_MESSAGES[problem.kind] ?? problem.messageKey };
        res.locals[UPLOAD_ERROR_LOCAL] = failed;
      }
      next();
    });
  };
}

/** The import's own words for the file field, where the general ones (errors.*) would say less. */
const UPLOAD_MESSAGES: Partial<Record<BodyProblemKind, MessageKey>> = {
  'file-too-large': 'research.import.fileTooLarge',
  unreadable: 'research.import.fileUnreadable',
};

type UploadFailure = { readonly status: number; readonly error: MessageKey };

export type ImportUpload =
  | { readonly ok: true; readonly text: string | undefined }
  /** status: 400 or 413 when the body could not be read, 422 when the file's content is not text. */
  | { readonly ok: false; readonly error: MessageKey; readonly status: number };

/** The uploaded file's text (undefined when none was sent), or why it cannot be read. */
export function readImportUpload(req: Request, res: Response): ImportUpload {
  const failed = res.locals[UPLOAD_ERROR_LOCAL] as UploadFailure | undefined;
  if (failed !== undefined) return { ok: false, error: failed.error, status: failed.status };
  const file = req.file;
  if (!file || file.size === 0) return { ok: true, text: undefined };
  try {
    // Strict UTF-8 (what the export writes and Excel's "CSV UTF-8" saves); a byte order mark is dropped.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.buffer) };
  } catch {
    return { ok: false, error: 'research.import.fileNotUtf8', status: 422 };
  }
}
