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
import { createPseudonymizer, formatLongHeader, formatLongRow, LONG_COLUMNS } from '../../src/research/long-format.js';

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
    expect([...parseCsvText(text, ';')].map((record) => record.fields)).toEqual([['a', 'b'], ['x;y', '2'], ['sa "hej"', '3']]);
  });

  it('takes the delimiter from the first line: commas unless it has semicolons and no comma', () => {
    expect(detectCsvDelimiter('a,b\n1;2')).toBe(',');
    expect(detectCsvDelimiter('a;b,c\n')).toBe(',');
    expect(detectCsvDelimiter('\uFEFFa;b\n1;2')).toBe(';');
    expect(detectCsvDelimiter('single')).toBe(',');
  });
});

describe('the long format', () => {
  it('has exactly the columns of the issue, in order', () => {
    expect(formatLongHeader()).toBe(
      'municipality_code,program,review_id,review_date,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus\r\n',
    );
    expect(LONG_COLUMNS).toHaveLength(13);
  });

  it('writes an empty score for N/A, 0/1 flags, and guards text but not numbers', () => {
    const base = {
      municipalityCode: '0180',
      program: '=Bostad först',
      reviewId: 7,
      reviewDate: '2025-03-01',
      rubricId: 'bostad-forst',
      rubricVersion: '1.0',
      sectionId: 'a1-housing-right',
      indicatorId: 'a1-lease-type',
      rater: 'R01',
      raterRole: 'lead',
      isConsensus: false,
    };
    expect(formatLongRow({ ...base, score: 3, notApplicable: false })).toBe(
      "0180,'=Bostad först,7,2025-03-01,bostad-forst,1.0,a1-housing-right,a1-lease-type,R01,lead,3,0,0\r\n",
    );
    expect(formatLongRow({ ...base, score: null, notApplicable: true })).toContain(',R01,lead,,1,0\r\n');
    expect(formatLongRow({ ...base, rater: '', raterRole: '', score: -1, notApplicable: false, isConsensus: true })).toContain(',,,-1,0,1\r\n');
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
