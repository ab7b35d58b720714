// The benchmark's yardstick: a bare express app rendering a static EJS page (fixed data, compiled once) of a
// requested size, so each app page is compared with plain express + EJS work of the same output size.
import { fileURLToPath } from 'node:url';
import express from 'express';

const VIEWS_DIR = fileURLToPath(new URL('./views', import.meta.url));
const ROW_NOTE = 'Framgick av personalintervjun och dokumentgranskningen; panelen var enig.';

type Row = { readonly label: string; readonly score: number; readonly note: string };

function buildRows(count: number): Row[] {
  return Array.from({ length: count }, (_, index) => ({ label: `Indikator ${index + 1}`, score: 1 + (index % 4), note: ROW_NOTE }));
}

/** GET /page?bytes=N renders the static page with as many rows as make it about N bytes long. */
export function createBaselineApp(): express.Express {
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.set('view cache', true);
  app.disable('x-powered-by');
  const rowsBySize = new Map<number, Row[]>();
  // One rendered row of the template is about this many bytes (measured once, at the first request).
  let bytesPerRow = 0;
  let emptyPageBytes = 0;
  const render = (rows: readonly Row[]) =>
    new Promise<string>((resolve, reject) =>
      app.render('baseline-page', { title: 'Baslinje', rows }, (error: Error | null, html: string) => (error ? reject(error) : resolve(html))),
    );

  app.get('/page', async (req, res) => {
    const bytes = Math.max(1_000, Math.min(5_000_000, Number(req.query.bytes) || 20_000));
    let rows = rowsBySize.get(bytes);
    if (!rows) {
      if (bytesPerRow === 0) {
        emptyPageBytes = Buffer.byteLength(await render([]));
        bytesPerRow = (Buffer.byteLength(await render(buildRows(100))) - emptyPageBytes) / 100;
      }
      rows = buildRows(Math.max(0, Math.round((bytes - emptyPageBytes) / bytesPerRow)));
      rowsBySize.set(bytes, rows);
    }
    res.render('baseline-page', { title: 'Baslinje', rows });
  });
  return app;
}
