// Where long words may be hyphenated, from the TeX patterns of the `hyphen` package (Swedish for the Swedish report,
// British English for the English one). The renderer breaks lines itself (text-layout.ts), so it asks for the
// break points of a word that does not fit and draws a hyphen only where it breaks one. Loaded with the fonts, once
// per worker (or CLI run): never on the server's main thread, which does not load pdfkit either.
import { createRequire } from 'node:module';
import type { Locale } from '../../i18n/locale.js';

/** The offsets (in UTF-16 units) inside `word` where it may be broken with a hyphen, ascending. */
export type Hyphenator = (word: string) => readonly number[];
export type Hyphenators = Readonly<Record<Locale, Hyphenator>>;

/** What the hyphen package's language modules export (it ships no typings). */
type HyphenModule = {
  readonly hyphenateSync: (text: string, options?: { readonly hyphenChar?: string; readonly minWordLength?: number }) => string;
};

export const SOFT_HYPHEN = '\u00AD';
/** Shorter words are never broken. */
const MIN_WORD_LENGTH = 6;
/** At least this many characters stay on each side of a break. */
const MIN_PART = 2;

/**
 * Compounds the report prints often, broken at their joints: the patterns break by syllable ("procen-tenheter",
 * "arbetslivso-rienterad"), and a reader stumbles on a break inside a part of a compound. Lower case; a hyphen marks
 * each break allowed.
 */
const COMPOUNDS: Readonly<Record<Locale, readonly string[]>> = {
  sv: [
    'procent-enheter',
    'arbets-livs-orienterad',
    'första-hands-kontrakt',
    'första-hands-kontrakten',
    'social-nämnden',
    'social-tjänsten',
    'modell-trohet',
    'bostads-företag',
    'bostads-företagen',
    'hyres-värden',
    'hyres-värdar',
  ],
  en: [],
};

function compoundPoints(compounds: readonly string[]): ReadonlyMap<string, readonly number[]> {
  return new Map(
    compounds.map((compound) => {
      const parts = compound.split('-');
      const points: number[] = [];
      let offset = 0;
      for (const part of parts.slice(0, -1)) {
        offset += part.length;
        points.push(offset);
      }
      return [parts.join(''), points];
    }),
  );
}

function createHyphenator(module: HyphenModule, compounds: readonly string[]): Hyphenator {
  const joints = compoundPoints(compounds);
  return (word) => {
    if (word.length < MIN_WORD_LENGTH) return [];
    const known = joints.get(word.toLocaleLowerCase('sv'));
    if (known) return known;
    const marked = module.hyphenateSync(word, { hyphenChar: SOFT_HYPHEN, minWordLength: MIN_WORD_LENGTH });
    const points: number[] = [];
    let offset = 0;
    for (const char of marked) {
      if (char === SOFT_HYPHEN) {
        if (offset >= MIN_PART && word.length - offset >= MIN_PART) points.push(offset);
      } else {
        offset += char.length;
      }
    }
    return points;
  };
}

/** The patterns of both report languages; each hyphenator keeps its own cache of the words it has seen. */
export function loadHyphenators(): Hyphenators {
  const require = createRequire(import.meta.url);
  return {
    sv: createHyphenator(require('hyphen/sv') as HyphenModule, COMPOUNDS.sv),
    en: createHyphenator(require('hyphen/en-gb') as HyphenModule, COMPOUNDS.en),
  };
}
