// Password rules after NIST SP 800-63B: a minimum length (in the form schemas) and a block-list of common and
// context-specific passwords, never composition rules ("a digit and a capital"), which make passwords harder to
// remember and no harder to guess.
import { readFileSync } from 'node:fs';
import { PASSWORD_MAX_LENGTH } from './passwords.js';

export type PasswordProblem = 'tooCommon' | 'contextual';

/** What the password is checked against besides the lists: the account's own email and name. */
export type PasswordContext = { readonly email?: string | undefined; readonly displayName?: string | undefined };

function readList(name: string): string[] {
  return readFileSync(new URL(name, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  [...readList('./common-passwords.txt'), ...readList('./common-passwords-sv.txt')].map((word) => word.normalize('NFC')),
);

/** The service's own name in its spellings: NIST names it as the first context-specific word to refuse. */
const SERVICE_WORDS = ['hf-fidelity', 'bostad först', 'housing first'];

const LEET: Readonly<Record<string, string>> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

/** Without the digits, spaces and punctuation people put before and after a word ("Sommar2024!"). */
function stripEnds(value: string): string {
  return value.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

function undoLeet(value: string): string {
  return [...value].map((char) => LEET[char] ?? char).join('');
}

/** Letters and digits only, without accents, in lower case: how names are compared. */
function compact(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The shortest unit a value repeats ("abcabcabc" → "abc"), or undefined. No backtracking regex: it must stay linear. */
function repeatedUnit(value: string): string | undefined {
  const chars = [...value];
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size !== 0) continue;
    const unit = chars.slice(0, size).join('');
    if (unit.repeat(chars.length / size) === value) return unit;
  }
  return undefined;
}

/** Each character one step up or down from the one before ("123456789012", "lkjihgfedcba"); digits wrap 9 → 0. */
function isSequence(value: string): boolean {
  const codes = [...value].map((char) => char.codePointAt(0) ?? 0);
  if (codes.length < 4) return false;
  const stepOf = (a: number, b: number): number => {
    const isDigit = (c: number) => c >= 48 && c <= 57;
    if (isDigit(a) && isDigit(b)) return ((b - a + 15) % 10) - 5;
    return b - a;
  };
  const step = stepOf(codes[0] ?? 0, codes[1] ?? 0);
  if (step !== 1 && step !== -1) return false;
  return codes.every((code, index) => index === 0 || stepOf(codes[index - 1] ?? 0, code) === step);
}

/**
 * A listed word (four characters or more, so that "ab" around random digits does not count), or a run of eight or
 * more characters that repeats a short unit or a listed word, or steps through a sequence.
 */
function isCommonWord(value: string): boolean {
  const length = [...value].length;
  if (length >= 4 && COMMON_PASSWORDS.has(value)) return true;
  if (length < 8) return false;
  if (isSequence(value)) return true;
  const unit = repeatedUnit(value);
  return unit !== undefined && ([...unit].length <= 3 || COMMON_PASSWORDS.has(unit) || isSequence(unit));
}

/**
 * Common: on the list itself, or a listed password with digits or symbols around it, in leetspeak, with spaces in
 * it or repeated ("Password2024!", "p@ssw0rd", "pass word", "passwordpassword"), or a run like "aaaa…" or "1234…".
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize('NFC').toLowerCase();
  const core = stripEnds(lower);
  const candidates = [
    lower,
    core,
    undoLeet(core),
    undoLeet(lower),
    core.replace(/[\s._-]+/gu, ''),
    undoLeet(core).replace(/[\s._-]+/gu, ''),
  ];
  return candidates.some(isCommonWord);
}

/** The account's name, its email's local part and the service's name, or a part of one, of four letters or more. */
function listContextWords(context: PasswordContext): string[] {
  const words = [...SERVICE_WORDS];
  const local = context.email?.split('@')[0];
  if (local) words.push(local, ...local.split(/[._+-]+/));
  if (context.displayName) words.push(context.displayName, ...context.displayName.split(/[\s-]+/));
  return words.map(compact).filter((word) => word.length >= 4);
}

export function containsContextWord(password: string, context: PasswordContext): boolean {
  const compacted = compact(undoLeet(password.toLowerCase()));
  const plain = compact(password);
  return listContextWords(context).some((word) => plain.includes(word) || compacted.includes(word));
}

/**
 * The first thing wrong with a password that is long enough, or undefined when it may be used. Passwords over the
 * maximum length are not examined (the length check refuses them): the checks must stay cheap whatever is posted.
 */
export function findPasswordProblem(password: string, context: PasswordContext = {}): PasswordProblem | undefined {
  if (password.length > PASSWORD_MAX_LENGTH) return undefined;
  if (isCommonPassword(password)) return 'tooCommon';
  if (containsContextWord(password, context)) return 'contextual';
  return undefined;
}
