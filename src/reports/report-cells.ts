// The smallest pieces of a report model: a paragraph, a table cell of one paragraph and a table of facts. Apart from report-model.ts
// so the capabilities' report parts (actions, outcomes) can use them without importing the model builder itself.
import type { Paragraph, TableBlock, TableCell } from './report-model-types.js';

export function p(text: string, style: Paragraph['style'] = 'body'): Paragraph {
  return { text, style };
}

export function cell(text: string, style: Paragraph['style'] = 'body'): TableCell {
  return [p(text, style)];
}

/** A two-column list of facts: each row a label in bold (the row's header) and its value; no column headers. */
export function factsTable(caption: string, facts: readonly (readonly [string, TableCell])[], labelShare = 0.26): TableBlock {
  return {
    type: 'table',
    caption,
    columns: [
      { header: caption, share: labelShare, align: 'left' },
      { header: '', share: 1 - labelShare, align: 'left' },
    ],
    rows: facts.map(([label, value]) => [cell(label, 'strong'), value]),
    rowHeaders: true,
    columnHeaders: false,
  };
}
