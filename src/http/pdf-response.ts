// Sends a PDF rendered off the request thread, or a 503 page in the user's language when the renderer is full.
import type { Request, Response } from 'express';
import type { MessageKey } from '../i18n/messages.js';
import { renderPage } from './render-page.js';

export async function sendRenderedPdf(
  req: Request,
  res: Response,
  options: {
    readonly render: () => Promise<Uint8Array>;
    /** Whether an error means "the renderer's queue is full": answered with 503 and Retry-After. */
    readonly isBusy: (error: unknown) => boolean;
    readonly busyMessageKey: MessageKey;
    readonly fileName: string;
  },
): Promise<void> {
  let pdf: Uint8Array;
  try {
    pdf = await options.render();
  } catch (error) {
    if (!options.isBusy(error)) throw error;
    res.set('Retry-After', '10');
    const title = req.t('reports.errors.busyTitle');
    await renderPage(res, 'errors/error', { title, heading: title, message: req.t(options.busyMessageKey), status: 503 }, 503);
    return;
  }
  res
    .status(200)
    .type('application/pdf')
    .set('Content-Disposition', `attachment; filename="${options.fileName}"`)
    // Reports and sheets name panel members: keep them out of shared caches.
    .set('Cache-Control', 'private, no-store')
    .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
}
