// Detects Swedish personal identity numbers in free text, so that the tool can refuse
// text that would make it hold data about an individual person.
//
// Format (Skatteverket, SKV 704 "Personnummer" and the rules on samordningsnummer):
//   YYMMDD-NNNC or YYYYMMDD-NNNC (the separator is '-', or '+' once the person turns 100).
//   - YYMMDD / YYYYMMDD is the date of birth. In a samordningsnummer (coordination number)
//     60 is added to the day, so its day runs 61–91.
//   - NNN is the birth number, C the check digit: Luhn (mod 10) over the nine digits
//     YYMMDDNNN with the weights 2,1,2,1,… — the century never takes part in the check.
//
// Detection is deliberately stricter than "ten digits in a row": the check digit must hold
// and the date must exist, which removes almost all look-alikes (phone numbers, dates,
// case numbers, organisation numbers whose "month" is 20 or more) without a word list.

/**
 * Candidates, matched in the normalised text (see `normaliseForMatching`): an optional
 * century (18, 19 or 20), six date digits, an optional separator, then four digits.
 *
 * Written as people paste them:
 * - the date and the last four may be written in groups of two digits, with spaces or tabs
 *   between (`81 12 18-98 76`, `19 81 12 18 9876`, `1981 12 18`);
 * - the separator between the date and the last four is one of `- + . / _ , : ~`, with any
 *   run of spaces, tabs or line breaks on either side, or such a run alone, or nothing.
 * Groups of three (amounts `125 000`, phone numbers `070-123 45 67`, `08-123 456 78`) never
 * fit, and neither does a date whose parts are joined by `-` or `:` (`2026-03-10 14:30`):
 * inside the date and inside the last four only blanks separate the pairs.
 *
 * The look-arounds keep a candidate from being a slice of a longer number: no digit
 * directly before or after, and no digit joined by '-', '+', '/' or '.' (as in
 * "070-121212-1212" or "121212-1212/3"). A digit followed by a space is NOT treated as
 * joining, because prose such as "rum 4 121212-1212" must still be caught.
 */
const BLANK = String.raw`[^\S\n\r\u2028\u2029]*`;
const SEPARATOR = String.raw`\s*(?:[-+./_,:~]\s*)?`;
const LEADING = '(?<![0-9])(?<![0-9][-+/.])';
const TRAILING = '(?![0-9])(?![-+/.][0-9])';
const DATE = `([0-9]{2})${BLANK}([0-9]{2})${BLANK}([0-9]{2})`;
const LAST_FOUR = `([0-9]{2})${BLANK}([0-9]{2})`;
const CANDIDATE_PATTERN = new RegExp(`${LEADING}(?:(18|19|20)${BLANK})?${DATE}${SEPARATOR}${LAST_FOUR}${TRAILING}`, 'g');
/** The same without a century, tried at the same place when the reading with a century fails. */
const TEN_DIGIT_PATTERN = new RegExp(`${DATE}${SEPARATOR}${LAST_FOUR}${TRAILING}`, 'y');

const COORDINATION_DAY_OFFSET = 60;

/**
 * Returns every Swedish personal identity number (personnummer or samordningsnummer,
 * 10 or 12 digits, with or without separator) found in `text`, exactly as written there,
 * in order of appearance. A number written twice is returned twice: callers only need
 * to know whether anything was found and what to point at, so no de-duplication is done.
 */
export function findPersonalIdentityNumbers(text: string): string[] {
  const normalised = normaliseForMatching(text);
  const found: string[] = [];
  // A fresh copy per call: a global regex keeps its position in lastIndex.
  const candidates = new RegExp(CANDIDATE_PATTERN);
  const tenDigits = new RegExp(TEN_DIGIT_PATTERN);
  for (let match = candidates.exec(normalised.text); match !== null; match = candidates.exec(normalised.text)) {
    const start = match.index;
    // The date and the last four are captured as five pairs of digits.
    let end = isPersonalIdentityNumber(match[1], match.slice(2, 7).join('')) ? start + match[0].length : undefined;
    if (end === undefined && match[1] !== undefined) {
      // The first two digits may be the year of a 10-digit number rather than a century.
      tenDigits.lastIndex = start;
      const withoutCentury = tenDigits.exec(normalised.text);
      if (withoutCentury !== null && isPersonalIdentityNumber(undefined, withoutCentury.slice(1, 6).join(''))) {
        end = start + withoutCentury[0].length;
      }
    }
    if (end !== undefined) {
      found.push(normalised.originalSlice(start, end));
      candidates.lastIndex = end;
    } else {
      // Not a number here; a later group of the same digits may start one (`nr 12 811218-9876`).
      candidates.lastIndex = start + 1;
    }
  }
  return found;
}

function isPersonalIdentityNumber(century: string | undefined, tenDigits: string): boolean {
  if (!hasValidCheckDigit(tenDigits)) return false;
  const date = tenDigits.slice(0, 6);
  return century === undefined
    ? isValidBirthDate(1900, date) || isValidBirthDate(2000, date)
    : isValidBirthDate(Number(century) * 100, date);
}

// Text pasted from word processors and PDFs writes the same number with characters that
// look alike but are not ASCII: full-width digits or those of another script, typographic
// hyphens and dashes, the minus sign, no-break and narrow spaces, invisible zero-width
// characters, and combining marks over the digits. A reader sees the
// same personnummer, so detection must too: the pattern runs on a normalised copy of the
// text, and each hit is mapped back to the text as written.

/** Format characters (\p{Cf}): zero-width spaces and joiners, word joiner, BOM, soft hyphen, direction marks. */
const INVISIBLE_CHARACTER = /^\p{Cf}$/u;
/** Combining marks (\p{M}): an accent, a strike-through or a keycap over a digit leaves the digit a reader sees. */
const COMBINING_MARK = /^\p{M}$/u;
/** A decimal digit of any script (\p{Nd}). */
const DECIMAL_DIGIT = /^\p{Nd}$/u;
/** Hyphens and dashes (U+2010–U+2015) and the minus sign (U+2212), as NFKC leaves them. */
const DASH_CHARACTERS = /[\u2010-\u2015\u2212]/g;
const NON_ASCII = /[^\u0000-\u007f]/;

interface NormalisedText {
  readonly text: string;
  /** The text as written that produced `text.slice(start, end)`. */
  originalSlice(start: number, end: number): string;
}

/**
 * NFKC per character (full-width signs become ASCII, every no-break, narrow and other
 * fixed-width space becomes ' '), decimal digits of every script become 0–9, dashes
 * become '-', and invisible characters and combining marks are dropped. For each UTF-16 unit of the result, `starts`/`ends` record where the character
 * it came from begins and ends in the original.
 */
function normaliseForMatching(original: string): NormalisedText {
  // Most text is plain ASCII, which needs no normalisation and no mapping back.
  if (!NON_ASCII.test(original)) return { text: original, originalSlice: (start, end) => original.slice(start, end) };
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let position = 0;
  // Pasted text repeats few distinct characters; some take a few regex tests each.
  const replacements = new Map<string, string>();
  for (const character of original) {
    const next = position + character.length;
    let replacement = replacements.get(character);
    if (replacement === undefined) {
      replacement = normaliseCharacter(character);
      replacements.set(character, replacement);
    }
    // A combining mark belongs to the character before it, so a number as written ends after its marks.
    if (replacement === '' && ends.length > 0 && COMBINING_MARK.test(character)) ends[ends.length - 1] = next;
    for (let i = 0; i < replacement.length; i++) {
      starts.push(position);
      ends.push(next);
    }
    text += replacement;
    position = next;
  }
  return {
    text,
    originalSlice: (start, end) => original.slice(starts[start], ends[end - 1]),
  };
}

function normaliseCharacter(character: string): string {
  if (character < '\u0080') return character; // ASCII is left as it is.
  if (INVISIBLE_CHARACTER.test(character) || COMBINING_MARK.test(character)) return '';
  if (DECIMAL_DIGIT.test(character)) return toAsciiDigit(character);
  return character.normalize('NFKC').replace(DASH_CHARACTERS, '-');
}

/**
 * The ASCII digit of a decimal digit of any script (Arabic-Indic, Devanagari, Thai,
 * full-width, mathematical …), most of which NFKC leaves as they are. Unicode assigns
 * decimal digits only in runs of ten, 0 to 9 in order, and runs that touch (the five
 * mathematical styles) each hold all ten, so the digit's value is its distance from the
 * start of its run of decimal digits, modulo 10.
 */
function toAsciiDigit(digit: string): string {
  const codePoint = digit.codePointAt(0) ?? 0;
  let runStart = codePoint;
  while (runStart > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(runStart - 1))) runStart--;
  return String((codePoint - runStart) % 10);
}

/** Luhn over the first nine of ten digits; the tenth is the check digit. */
function hasValidCheckDigit(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const digit = tenDigits.charCodeAt(i) - 48;
    const product = digit * (i % 2 === 0 ? 2 : 1);
    // A two-digit product counts as the sum of its digits (at most 18 → 1 + 8).
    sum += product > 9 ? product - 9 : product;
  }
  const expected = (10 - (sum % 10)) % 10;
  return tenDigits.charCodeAt(9) - 48 === expected;
}

/**
 * `yymmdd` is read in the century starting at `centuryStart`. A day of 61–91 is a
 * samordningsnummer day and is checked as day − 60.
 */
function isValidBirthDate(centuryStart: number, yymmdd: string): boolean {
  const year = centuryStart + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const rawDay = Number(yymmdd.slice(4, 6));
  const day = rawDay > COORDINATION_DAY_OFFSET ? rawDay - COORDINATION_DAY_OFFSET : rawDay;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= countDaysInMonth(year, month);
}

function countDaysInMonth(year: number, month: number): number {
  // Day 0 of the following month is the last day of this one; Date.UTC handles leap years
  // (including 1900 not being one and 2000 being one).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
