// The smallest pieces of a report model: a paragraph, a table cell of one paragraph and a table of facts. Apart from report-model.ts
// so the capabilities' report parts (actions, outcomes) can use them without importing the model builder itself.
import type { Locale } from '../i18n/locale.js';
import { guessTextLanguage } from '../i18n/text-language.js';
import type { MixedText, Paragraph, Run, TableBlock, TableCell } from './report-model-types.js';

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

/** Where a frame puts the free text: a character no translation or free text holds. */
const SLOT = '\u0000';

/**
 * The report's words with a free text in them (a recommendation in its line of section, priority and owner; an
 * outcome comment after its period): `frame` gets a placeholder and returns the words around it. In `lang`, the free
 * text's language when it is not the report's, the text is mixed, so that the PDF tags only the free text with its
 * language (a screen reader then reads the report's words in the report's voice); else it is plain text.
 */
export function mixFreeText(frame: (slot: string) => string, free: string, lang: Locale | undefined): string | MixedText {
  const parts = frame(SLOT).split(SLOT);
  const text = parts.join(free);
  if (lang === undefined) return text;
  const runs: Run[] = parts.flatMap((part, index) => [
    ...(index > 0 ? [{ text: free, lang }] : []),
    ...(part === '' ? [] : [{ text: part }]),
  ]);
  return { text, runs };
}

/** A paragraph of mixFreeText's text. */
export function mixedParagraph(text: string | MixedText, style: Paragraph['style'] = 'body'): Paragraph {
  return typeof text === 'string' ? p(text, style) : { text: text.text, style, runs: text.runs };
}

export function cell(text: string, style: Paragraph['style'] = 'body'): TableCell {
  return [p(text, style)];
}

/**
 * A two-column list of facts: each row a label in bold (the row's header) and its value; no column headers. A label
 * wraps between its words only: hyphenated, it would read as two words.
 */
export function factsTable(caption: string, facts: readonly (readonly [string, TableCell])[], labelShare = 0.26): TableBlock {
  return {
    type: 'table',
    caption,
    columns: [
      { header: caption, share: labelShare, align: 'left', wholeWords: true },
      { header: '', share: 1 - labelShare, align: 'left' },
    ],
    rows: facts.map(([label, value]) => [cell(label, 'strong'), value]),
    rowHeaders: true,
    columnHeaders: false,
  };
}
