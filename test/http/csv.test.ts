import { describe, expect, it } from 'vitest';
import {
  CsvSyntaxError,
  detectCsvDelimiter,
  formatCsvRow,
  formatNumberField,
  formatTextField,
  parseCsvText,
  unguardText,
} from '../../src/http/csv.js';
import {
  assignReviewPseudonyms,
  createPseudonymizer,
  formatLongHeader,
  formatLongRow,
  LONG_COLUMNS,
  listLongColumns,
} from '../../src/research/long-format.js';

describe('formatTextField and formatCsvRow (RFC 4180)', () => {
  it('quotes fields with a comma, a quote, CR or LF, doubles quotes, and ends rows with CRLF', () => {
    expect(formatTextField('plain')).toBe('plain');
    expect(formatTextField('a,b')).toBe('"a,b"');
    expect(formatTextField('say "hej"')).toBe('"say ""hej"""');
    expect(formatTextField('two\nlines')).toBe('"two\nlines"');
    expect(formatTextField('cr\rhere')).toBe('"cr\rhere"');
    expect(formatCsvRow([{ text: 'Bostad först, Malmö' }, { number: 3 }, { number: null }])).toBe('"Bostad först, Malmö",3,\r\n');
  });

  it('when a text cell starts with = + - @ tab or CR, then it gets a leading quote against formula injection', () => {
    expect(formatTextField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(formatTextField('+46 8 123')).toBe("'+46 8 123");
    expect(formatTextField('-1')).toBe("'-1");
    expect(formatTextField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(formatTextField('\tx')).toBe("'\tx");
  });

  it('never guards numeric cells: a score of -1 stays a number', () => {
    expect(formatNumberField(-1)).toBe('-1');
    expect(formatNumberField(2.5)).toBe('2.5');
    expect(formatNumberField(null)).toBe('');
    expect(() => formatNumberField(Number.NaN)).toThrow();
  });

  it('unguardText undoes the guard and nothing else', () => {
    expect(unguardText("'=1+2")).toBe('=1+2');
    expect(unguardText("'-1")).toBe('-1');
    expect(unguardText("'quoted'")).toBe("'quoted'");
    expect(unguardText("'")).toBe("'");
    // Exactly one quote, the one the guard added.
    expect(unguardText("''+Bostad")).toBe("'+Bostad");
    expect(unguardText("'''=x")).toBe("''=x");
  });

  it('when a value already starts with quotes before a formula character, then it gets one more, and reads back as it was', () => {
    expect(formatTextField("'+Bostad")).toBe("''+Bostad");
    expect(formatTextField("''=x")).toBe("'''=x");
    for (const value of ["'+Bostad", '=SUM(1)', '-5 personer', '@x', "''=x", "'quoted'", "'", 'x;=1+1;y', "a\n'-b", '\r=x']) {
      const [record] = [...parseCsvText(formatCsvRow([{ text: value }, { number: 1 }]))];
      expect(unguardText(record?.fields[0] ?? ''), JSON.stringify(value)).toBe(value);
    }
  });

  it('quotes a value with a semicolon, and guards each part a semicolon-splitting spreadsheet would start a cell with', () => {
    expect(formatTextField('a;b')).toBe('"a;b"');
    expect(formatTextField('x;=1+1;y')).toBe(`"x;'=1+1;y"`);
    expect(formatTextField('=a;-b')).toBe(`"'=a;'-b"`);
    // Swedish Excel splits a comma-separated line at its semicolons, honouring quotes only at a cell's start:
    // no cell of the line may start like a formula.
    const line = formatCsvRow([{ text: '0180' }, { text: 'x;=1+1;y' }, { text: 'a\n@b' }, { number: -1 }]);
    for (const cell of line.split(/[;\r\n]/)) expect(cell, line).not.toMatch(/^[=+\-@\t]/);
    // Read back, every value is as it was.
    expect([...parseCsvText(line)].map((record) => record.fields.map(unguardText))).toEqual([['0180', 'x;=1+1;y', 'a\n@b', '-1']]);
  });
});

describe('parseCsvText', () => {
  it('reads quoted fields with commas, quotes and line breaks, and gives each record the line it starts on', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines",z\n3,,\n';
    expect([...parseCsvText(text)]).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\r\nlines', 'z'] },
      { line: 5, fields: ['3', '', ''] },
    ]);
  });

  it('skips a byte-order mark and blank lines, and reads a last line without a line end', () => {
    expect([...parseCsvText('\ufeffa,b\n\n1,2')]).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ]);
    expect([...parseCsvText('a\rb\r')]).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
    ]);
  });

  it('when a quote is never closed, stray or followed by text, then it throws naming the line', () => {
    const lineOf = (text: string) => {
      try {
        [...parseCsvText(text)];
      } catch (error) {
        if (error instanceof CsvSyntaxError) return [error.line, error.reason];
      }
      return undefined;
    };
    expect(lineOf('a,b\n1,"open\n2,3\n')).toEqual([2, 'unterminatedQuote']);
    expect(lineOf('a,b\n1,2\n3,x"y\n')).toEqual([3, 'quoteInField']);
    expect(lineOf('a,b\n"x"y,2\n')).toEqual([2, 'textAfterQuote']);
  });

  it('reads back what formatCsvRow writes, whatever the text', () => {
    const texts = ['', 'a', 'x,y', '"', '""', 'line\nbreak', 'crlf\r\ninside', 'åäö ÅÄÖ', ' spaced '];
    const text = texts.map((value) => formatCsvRow([{ text: value }, { number: 1 }])).join('');
    const parsed = [...parseCsvText(text)].map((record) => record.fields);
    // A record whose only text is empty is a blank line only when it has one field; these all have two.
    expect(parsed.map((fields) => fields[0])).toEqual(texts);
  });

  it('reads semicolon-separated text (Swedish Excel) when told, quotes and all', () => {
    const text = 'a;b\r\n"x;y";2\r\n"sa ""hej""";3\r\n';
    expect(detectCsvDelimiter(text)).toBe(';');
    expect([...parseCsvText(text, ';')].map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['x;y', '2'],
      ['sa "hej"', '3'],
    ]);
  });

  it('takes the delimiter from the first line: commas, else semicolons, else tabs (cells pasted from a spreadsheet)', () => {
    expect(detectCsvDelimiter('a,b\n1;2')).toBe(',');
    expect(detectCsvDelimiter('a;b,c\n')).toBe(',');
    expect(detectCsvDelimiter('\uFEFFa;b\n1;2')).toBe(';');
    expect(detectCsvDelimiter('a\tb;c\n')).toBe(';');
    expect(detectCsvDelimiter('a\tb\r\n1,5\t2')).toBe('\t');
    expect(detectCsvDelimiter('single')).toBe(',');
  });

  it('reads tab-separated text as Excel copies cells: quotes around a cell with a tab or a line break', () => {
    const text = 'a\tb\r\n"x\ty"\t2\r\n"two\nlines"\t3,5\r\n';
    expect([...parseCsvText(text, detectCsvDelimiter(text))].map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['x\ty', '2'],
      ['two\nlines', '3,5'],
    ]);
  });
});

describe('the long format', () => {
  it('has the columns of the issue, the source id and the kind of the review, in order; rater_role only with roles (administrators)', () => {
    expect(formatLongHeader({ raterRoles: true })).toBe(
      'municipality_code,program,review_id,source_review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus\r\n',
    );
    expect(LONG_COLUMNS).toHaveLength(15);
    expect(formatLongHeader({ raterRoles: false })).toBe(
      'municipality_code,program,review_id,source_review_id,review_date,kind,rubric_id,rubric_version,section_id,indicator_id,rater,score,not_applicable,is_consensus\r\n',
    );
    expect(listLongColumns({ raterRoles: false })).not.toContain('rater_role');
  });

  it('writes an empty score for N/A, 0/1 flags, and guards text but not numbers', () => {
    const base = {
      municipalityCode: '0180',
      program: '=Bostad först',
      reviewId: 7,
      sourceReviewId: 'H1',
      reviewDate: '2025-03-01',
      kind: 'peer_review',
      rubricId: 'bostad-forst',
      rubricVersion: '1.0',
      sectionId: 'a1-housing-right',
      indicatorId: 'a1-lease-type',
      rater: 'R01',
      raterRole: 'lead',
      isConsensus: false,
    };
    const roles = { raterRoles: true };
    expect(formatLongRow({ ...base, score: 3, notApplicable: false }, roles)).toBe(
      "0180,'=Bostad först,7,H1,2025-03-01,peer_review,bostad-forst,1.0,a1-housing-right,a1-lease-type,R01,lead,3,0,0\r\n",
    );
    expect(formatLongRow({ ...base, score: null, notApplicable: true }, roles)).toContain(',R01,lead,,1,0\r\n');
    expect(formatLongRow({ ...base, rater: '', raterRole: '', score: -1, notApplicable: false, isConsensus: true }, roles)).toContain(
      ',,,-1,0,1\r\n',
    );
    expect(formatLongRow({ ...base, rater: 'R2', score: 3, notApplicable: false }, { raterRoles: false })).toBe(
      "0180,'=Bostad först,7,H1,2025-03-01,peer_review,bostad-forst,1.0,a1-housing-right,a1-lease-type,R2,3,0,0\r\n",
    );
  });
});

describe('createPseudonymizer', () => {
  it('gives R01, R02 … by first appearance, the same pseudonym to the same key, and a fresh mapping per export', () => {
    const pseudonymOf = createPseudonymizer();
    expect([42, 7, 42, 99, 7].map(pseudonymOf)).toEqual(['R01', 'R02', 'R01', 'R03', 'R02']);
    expect(createPseudonymizer()(99)).toBe('R01');
  });

  it('keeps counting past 99', () => {
    const pseudonymOf = createPseudonymizer();
    for (let i = 1; i <= 99; i++) pseudonymOf(i);
    expect(pseudonymOf(100)).toBe('R100');
  });
});

describe('assignReviewPseudonyms', () => {
  it('gives a review’s raters R1, R2 … in an order set by the key, the same every time, not by user id', () => {
    const ids = [3, 5, 8, 13];
    const once = assignReviewPseudonyms('key-a', 7, ids);
    expect(once.map((entry) => entry.pseudonym)).toEqual(['R1', 'R2', 'R3', 'R4']);
    expect(new Set(once.map((entry) => entry.userId))).toEqual(new Set(ids));
    expect(assignReviewPseudonyms('key-a', 7, [...ids].reverse())).toEqual(once);
    // Over many reviews the order is not the user id order, and another key gives other orders.
    const orders = Array.from({ length: 20 }, (_, review) =>
      assignReviewPseudonyms('key-a', review, ids)
        .map((entry) => entry.userId)
        .join(),
    );
    expect(new Set(orders).size).toBeGreaterThan(5);
    const otherKey = Array.from({ length: 20 }, (_, review) =>
      assignReviewPseudonyms('key-b', review, ids)
        .map((entry) => entry.userId)
        .join(),
    );
    expect(otherKey).not.toEqual(orders);
  });
});
