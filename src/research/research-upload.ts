// The import form can send its CSV as a file (multipart/form-data). The file is read before the CSRF check, so
// the check sees the form's token, but only for POST /research/import by a logged-in researcher or coordinator:
// nobody else's multipart body is ever read (their request then fails the CSRF check, as any form without a token).
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { hasAnyRole } from '../accounts/access.js';
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
      // A file over the limit, a form of the wrong shape or a body cut short is the user's to fix (or to send again):
      // the route says so next to the field, once the CSRF check has passed on what could be read.
      if (error !== undefined && error !== null) {
        res.locals[UPLOAD_ERROR_LOCAL] =
          error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE' ? 'research.import.fileTooLarge' : 'research.import.fileUnreadable';
      }
      next();
    });
  };
}

export type ImportUpload = { readonly ok: true; readonly text: string | undefined } | { readonly ok: false; readonly error: MessageKey };

/** The uploaded file's text (undefined when none was sent), or why it cannot be read. */
export function readImportUpload(req: Request, res: Response): ImportUpload {
  const failed: unknown = res.locals[UPLOAD_ERROR_LOCAL];
  if (failed === 'research.import.fileTooLarge' || failed === 'research.import.fileUnreadable') return { ok: false, error: failed };
  const file = req.file;
  if (!file || file.size === 0) return { ok: true, text: undefined };
  try {
    // Strict UTF-8 (what the export writes and Excel's "CSV UTF-8" saves); a byte order mark is dropped.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.buffer) };
  } catch {
    return { ok: false, error: 'research.import.fileNotUtf8' };
  }
}
