// The smallest pieces of a report model: a paragraph and a table cell of one paragraph. Apart from report-model.ts
// so the capabilities' report parts (actions, outcomes) can use them without importing the model builder itself.
import type { Paragraph, TableCell } from './report-model-types.js';

export function p(text: string, style: Paragraph['style'] = 'body'): Paragraph {
  return { text, style };
}

export function cell(text: string, style: Paragraph['style'] = 'body'): TableCell {
  return [p(text, style)];
}
