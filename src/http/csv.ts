// CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field quoted when it holds a comma, a quote,
// CR or LF (and a semicolon, see below), and quotes inside doubled. UTF-8; a byte-order mark only when asked
// (see CSV_BOM).
//
// Formula injection: a spreadsheet runs a cell that starts with = + - @ (or tab or CR, which some strip first)
// as a formula. A text value that starts with one of these, after any number of single quotes, gets one more
// leading single quote, which spreadsheets show as text; unguardText takes exactly that one quote off again, so
// every text reads back as it was written ("'+Bostad" is written "''+Bostad" and read back "'+Bostad").
// Excel where the list separator is a semicolon (as in Sweden) opens a comma-separated file by splitting its
// lines at semicolons, and it honours quotes only at the start of a cell, so a value's text after a semicolon
// (or after a line break) starts a cell of its own: each such part of a value is guarded the same way, and a
// value with a semicolon is quoted as well. Numeric columns are never changed: a score of -1 must stay a number.

/** Excel (also in Sweden) detects UTF-8 only with a byte-order mark; R's read.csv and Python's csv do not want one. */
export const CSV_BOM = '\ufeff';

/**
 * The field separator: a comma (RFC 4180, for R, Python and the like), or a semicolon for Excel where the list
 * separator is one (Swedish Excel opens a double-clicked file by its list separator, so a comma-separated file lands
 * in one column). Quoting is the same either way: a value with a comma or a semicolon is quoted.
 */
export type CsvSeparator = ',' | ';';
export const CSV_LINE_END = '\r\n';

export type CsvCell = { readonly text: string } | { readonly number: number | null };

const NEEDS_QUOTES = /[",;\r\n]/;
/** What gets a guard quote: a formula character after any quotes already there (so the guard can be told apart). */
const NEEDS_GUARD = /^'*[=+\-@\t\r]/;
/** Where a spreadsheet may start a cell inside a value besides its start: after a semicolon or a line break. */
const CELL_STARTS = /([;\r\n])/;
const CELL_START_INSIDE = /[;\r\n]/;

function guardPart(part: string): string {
  return NEEDS_GUARD.test(part) ? `'${part}` : part;
}

function unguardPart(part: string): string {
  return part.startsWith("'") && NEEDS_GUARD.test(part.slice(1)) ? part.slice(1) : part;
}

/**
 * The value with a guard quote before it when it starts like a formula, and before each part after a ; CR or LF
 * that does. Splitting keeps the separators and a guard never adds one, and a quote put before a value or a part
 * keeps it needing the guard, so unguardText finds the same places and undoes exactly this.
 */
export function guardText(value: string): string {
  const head = NEEDS_GUARD.test(value) ? "'" : '';
  if (!CELL_START_INSIDE.test(value)) return head + value;
  // split() with a capture group: parts at even indices, separators at odd ones; the first part is the head's.
  return (
    head +
    value
      .split(CELL_STARTS)
      .map((part, index) => (index === 0 || index % 2 === 1 ? part : guardPart(part)))
      .join('')
  );
}

/** A text cell, guarded against formula injection. */
export function formatTextField(value: string): string {
  const guarded = guardText(value);
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** A numeric cell: the number as JavaScript writes it ("3", "-1", "2.5"), empty for null. */
export function formatNumberField(value: number | null): string {
  if (value === null) return '';
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to a CSV number column`);
  return String(value);
}

export function formatCsvRow(cells: readonly CsvCell[], separator: CsvSeparator = ','): string {
  return cells.map((cell) => ('text' in cell ? formatTextField(cell.text) : formatNumberField(cell.number))).join(separator) + CSV_LINE_END;
}

/** A header row: plain column names. */
export function formatCsvHeader(columns: readonly string[], separator: CsvSeparator = ','): string {
  return formatCsvRow(
    columns.map((text) => ({ text })),
    separator,
  );
}

/**
 * Undoes formatTextField's guard: takes off the one quote it added before each guarded part ("'=x" is "=x",
 * "''+x" is "'+x", "a;'=b" is "a;=b"). Any other quote is kept ("'quoted'" stays as it is).
 */
export function unguardText(value: string): string {
  const rest = unguardPart(value);
  if (!CELL_START_INSIDE.test(rest)) return rest;
  return rest
    .split(CELL_STARTS)
    .map((part, index) => (index === 0 || index % 2 === 1 ? part : unguardPart(part)))
    .join('');
}

export type CsvRecord = {
  /** The line (1-based) the record starts on; a quoted field can span lines. */
  readonly line: number;
  readonly fields: readonly string[];
};

export class CsvSyntaxError extends Error {
  readonly line: number;
  readonly reason: 'unterminatedQuote' | 'quoteInField' | 'textAfterQuote';
  constructor(line: number, reason: CsvSyntaxError['reason']) {
    super(`line ${line}: ${describeSyntaxError(reason)}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
    this.reason = reason;
  }
}

function describeSyntaxError(reason: CsvSyntaxError['reason']): string {
  switch (reason) {
    case 'unterminatedQuote':
      return 'a quoted field is never closed';
    case 'quoteInField':
      return 'a quote inside a field that does not start with a quote';
    case 'textAfterQuote':
      return 'text after the closing quote of a field';
  }
}

/** The delimiters read: the comma, the semicolon, and the tab of cells copied from a spreadsheet and pasted as text. */
export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The field delimiter of a CSV text, from its first line: a semicolon where that line has semicolons and no commas
 * (what Excel saves where the decimal mark is a comma, as in Swedish), a tab where it has tabs and neither (cells
 * copied from Excel or LibreOffice and pasted), a comma otherwise.
 */
export function detectCsvDelimiter(text: string): CsvDelimiter {
  const end = text.search(/[\r\n]/);
  const firstLine = end === -1 ? text : text.slice(0, end);
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  return firstLine.includes('\t') ? '\t' : ',';
}

/**
 * Reads CSV text record by record. Accepts CRLF, LF or CR line ends and a leading byte-order mark; skips
 * blank lines. Throws CsvSyntaxError naming the line of a malformed record.
 */
export function* parseCsvText(text: string, delimiter: CsvDelimiter = ','): Generator<CsvRecord> {
  let position = text.startsWith(CSV_BOM) ? 1 : 0;
  let line = 1;
  const length = text.length;
  while (position < length) {
    const recordLine = line;
    const fields: string[] = [];
    let atRecordEnd = false;
    while (!atRecordEnd) {
      let field = '';
      if (text[position] === '"') {
        position++;
        for (;;) {
          if (position >= length) throw new CsvSyntaxError(recordLine, 'unterminatedQuote');
          const char = text[position];
          if (char === '"') {
            if (text[position + 1] === '"') {
              field += '"';
              position += 2;
              continue;
            }
            position++;
            break;
          }
          if (char === '\n' || (char === '\r' && text[position + 1] !== '\n')) line++;
          field += char;
          position++;
        }
        const next = text[position];
        if (position < length && next !== delimiter && next !== '\r' && next !== '\n') throw new CsvSyntaxError(line, 'textAfterQuote');
      } else {
        const start = position;
        while (position < length) {
          const char = text[position];
          if (char === delimiter || char === '\r' || char === '\n') break;
          if (char === '"') throw new CsvSyntaxError(line, 'quoteInField');
          position++;
        }
        field = text.slice(start, position);
      }
      fields.push(field);
      const separator = text[position];
      if (separator === delimiter) {
        position++;
      } else {
        if (separator === '\r') position += text[position + 1] === '\n' ? 2 : 1;
        else if (separator === '\n') position++;
        atRecordEnd = true;
        line++;
      }
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: recordLine, fields };
  }
}
