// The smallest pieces of a report model: a paragraph, a table cell of one paragraph and a table of facts. Apart from report-model.ts
// so the capabilities' report parts (actions, outcomes) can use them without importing the model builder itself.
import type { Locale } from '../i18n/locale.js';
import { guessTextLanguage } from '../i18n/text-language.js';
import type { Paragraph, TableBlock, TableCell } from './report-model-types.js';

export function p(text: string, style: Paragraph['style'] = 'body'): Paragraph {
  return { text, style };
}

/**
 * Free text someone wrote (a judgement, a response): marked with its own language when that is not the report's, so
 * the PDF tags the change of language.
 */
export function freeText(text: string, reportLocale: Locale, style: Paragraph['style'] = 'body'): Paragraph {
  const lang = guessTextLanguage(text);
  return lang === undefined || lang === reportLocale ? p(text, style) : { text, style, lang };
}

/**
 * Free texts of one kind (a table's recommendations, a list of documents): each marked with its own language, or, when
 * it is too short to tell, with the language of all of them together.
 */
export function freeTexts(texts: readonly string[], reportLocale: Locale): (text: string, style?: Paragraph['style']) => Paragraph {
  const together = guessTextLanguage(texts.join(' '));
  return (text, style = 'body') => {
    const lang = guessTextLanguage(text) ?? together;
    return lang === undefined || lang === reportLocale ? p(text, style) : { text, style, lang };
  };
}

/** The language to mark on a list of free texts (see freeText), or undefined for the report's own. */
export function freeTextLang(items: readonly string[], reportLocale: Locale): Locale | undefined {
  const lang = guessTextLanguage(items.join(' '));
  return lang === reportLocale ? undefined : lang;
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
