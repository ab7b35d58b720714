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
 * The separator is '-' or '+' with at most one space on either side ("811218 - 9876"),
 * or a single space.
 *
 * The look-arounds keep a candidate from being a slice of a longer number: no digit
 * directly before or after, and no digit joined by '-', '+', '/' or '.' (as in
 * "070-121212-1212" or "121212-1212/3"). A digit followed by a space is NOT treated as
 * joining, because prose such as "rum 4 121212-1212" must still be caught.
 */
const CANDIDATE_PATTERN =
  /(?<![0-9])(?<![0-9][-+/.])(?:(18|19|20)([0-9]{6})|([0-9]{6}))(?: ?[-+] ?| )?([0-9]{4})(?![0-9])(?![-+/.][0-9])/g;

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
  for (const match of normalised.text.matchAll(CANDIDATE_PATTERN)) {
    const [matched, century, longDate, shortDate, lastFour] = match;
    const date = longDate ?? shortDate;
    if (date === undefined || lastFour === undefined) continue;
    if (!hasValidCheckDigit(date + lastFour)) continue;
    const isDateValid =
      century === undefined
        ? isValidBirthDate(1900, date) || isValidBirthDate(2000, date)
        : isValidBirthDate(Number(century) * 100, date);
    if (isDateValid) found.push(normalised.originalSlice(match.index, match.index + matched.length));
  }
  return found;
}

// Text pasted from word processors and PDFs writes the same number with characters that
// look alike but are not ASCII: full-width digits, typographic hyphens and dashes, the minus
// sign, no-break and narrow spaces, and invisible zero-width characters. A reader sees the
// same personnummer, so detection must too: the pattern runs on a normalised copy of the
// text, and each hit is mapped back to the text as written.

/** Format characters (\p{Cf}): zero-width spaces and joiners, word joiner, BOM, soft hyphen, direction marks. */
const INVISIBLE_CHARACTER = /^\p{Cf}$/u;
/** Hyphens and dashes (U+2010–U+2015) and the minus sign (U+2212), as NFKC leaves them. */
const DASH_CHARACTERS = /[\u2010-\u2015\u2212]/g;
const NON_ASCII = /[^\u0000-\u007f]/;

interface NormalisedText {
  readonly text: string;
  /** The text as written that produced `text.slice(start, end)`. */
  originalSlice(start: number, end: number): string;
}

/**
 * NFKC per character (full-width digits and signs become ASCII, every no-break, narrow and
 * other fixed-width space becomes ' '), dashes become '-', and invisible characters are
 * dropped. For each UTF-16 unit of the result, `starts`/`ends` record where the character
 * it came from begins and ends in the original.
 */
function normaliseForMatching(original: string): NormalisedText {
  // Most text is plain ASCII, which needs no normalisation and no mapping back.
  if (!NON_ASCII.test(original)) return { text: original, originalSlice: (start, end) => original.slice(start, end) };
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let position = 0;
  for (const character of original) {
    const next = position + character.length;
    const replacement = normaliseCharacter(character);
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
  if (INVISIBLE_CHARACTER.test(character)) return '';
  return character.normalize('NFKC').replace(DASH_CHARACTERS, '-');
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
