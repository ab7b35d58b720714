// Page furniture, drawn on every page once the page count is known: the running header (the report's and the
// chapter's title) and the footer (the verification code and the page number), all marked as pagination artifacts.
import type { ReportModel } from '../report-model-types.js';
import { CONTENT_WIDTH, PAGE } from '../report-page.js';
import type { Layout } from './block-layout.js';
import { applyText, COLOR, FONT, LEFT, strokeLine } from './pdf-style.js';

export function drawPageFurniture(layout: Layout, model: ReportModel): number {
  const { doc } = layout;
  const count = doc.bufferedPageRange().count;
  for (let index = 0; index < count; index++) {
    doc.switchToPage(index);
    // Text in the margins must not make pdfkit start a new page.
    const margins = doc.page.margins;
    const savedBottom = margins.bottom;
    margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    const title = layout.pageTitles[index];
    if (index > 0) {
      const headerY = PAGE.marginTop - 34;
      applyText(doc, { font: FONT.regular, size: 7.5, color: COLOR.muted });
      doc.text(model.runningHeader, LEFT, headerY, { width: CONTENT_WIDTH / 2 - 6, lineBreak: false, ellipsis: true });
      if (title)
        doc.text(title, LEFT + CONTENT_WIDTH / 2 + 6, headerY, {
          width: CONTENT_WIDTH / 2 - 6,
          align: 'right',
          lineBreak: false,
          ellipsis: true,
        });
      strokeLine(doc, [LEFT, headerY + 13], [LEFT + CONTENT_WIDTH, headerY + 13], 0.5, COLOR.rule);
    }
    const footerY = PAGE.height - PAGE.marginBottom + 26;
    strokeLine(doc, [LEFT, footerY - 8], [LEFT + CONTENT_WIDTH, footerY - 8], 0.5, COLOR.rule);
    applyText(doc, { font: FONT.regular, size: 7.5, color: COLOR.muted });
    doc.text(model.footerCode, LEFT, footerY, { width: CONTENT_WIDTH / 2, lineBreak: false });
    const pageText = model.footerPage.replace('{page}', String(index + 1)).replace('{pages}', String(count));
    doc.text(pageText, LEFT + CONTENT_WIDTH / 2, footerY, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    margins.bottom = savedBottom;
  }
  return count;
}
