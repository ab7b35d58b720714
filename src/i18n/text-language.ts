// Which of the two languages a free text (the panel's judgement, a strength, the program's response) is written in,
// so a report in the other language can mark it (PDF/UA: a change of language is tagged, or a screen reader reads
// Swedish with English sounds). Decided by the commonest short words of each language, and lower-case words with å, ä
// or ö for Swedish; a text with too few of them, or as many of each, is undecided. Pure.
import type { Locale } from './locale.js';

const WORDS: Readonly<Record<Locale, ReadonlySet<string>>> = {
  sv: new Set(
    'och att det som en ett är för med på av till inte har de den om men kan ska vi så när eller från hos sina sin deras också finns under efter utan alla mer bara vara varit blir'.split(
      ' ',
    ),
  ),
  en: new Set(
    'the and of to is in for with on that are not have it be by as at this from or an which their all more only been was were has can should will would there when'.split(
      ' ',
    ),
  ),
};

/** At least this many of one language's words, and more than twice the other's, decide. */
const MIN_HITS = 2;

/** A word written in lower case with å, ä or ö: Swedish (a capitalised one may be a name, as "Göteborg" in English). */
const SWEDISH_LETTERS = /^[a-zåäöé]*[åäö][a-zåäöé]*$/;

export function guessTextLanguage(text: string): Locale | undefined {
  const written = text.match(/[A-Za-zÅÄÖÉåäöé]+/g) ?? [];
  let sv = 0;
  let en = 0;
  for (const original of written) {
    const word = original.toLocaleLowerCase('sv');
    if (WORDS.sv.has(word) || SWEDISH_LETTERS.test(original)) sv += 1;
    if (WORDS.en.has(word)) en += 1;
  }
  if (sv >= MIN_HITS && sv > 2 * en) return 'sv';
  if (en >= MIN_HITS && en > 2 * sv) return 'en';
  return undefined;
}
