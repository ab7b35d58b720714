// The date of a form field: the ISO day a date picker sends, or a year-first date as Swedes type it into the text box
// a browser may show instead ("2027-3-31", "2027/03/31", "2027.3.31", "20270331"), kept as the ISO day.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { normaliseTypedDate, optionalDate, requiredDate } from '../../src/http/form-fields.js';
import { parseForm } from '../../src/http/form-parsing.js';
import { createTranslator } from '../../src/i18n/messages.js';

describe('normaliseTypedDate', () => {
  it('when a date is typed year first, with or without zeros and separators, then it becomes the ISO day', () => {
    for (const typed of ['2027-03-31', '2027-3-31', '2027/03/31', '2027/3/31', '2027.3.31', '20270331']) {
      expect(normaliseTypedDate(typed), typed).toBe('2027-03-31');
    }
    expect(normaliseTypedDate('2027-1-5')).toBe('2027-01-05');
  });

  it('when a date is anything else, then it comes back as typed, for the date check to refuse', () => {
    for (const typed of ['', '31/3/2027', '3/31/2027', '31 mars 2027', '2027-03/31', '2027-003-31', '270331', '202703311']) {
      expect(normaliseTypedDate(typed), typed).toBe(typed);
    }
  });
});

describe('optionalDate', () => {
  it('when a typed date exists, then it is the ISO day; when left empty, undefined', () => {
    expect(optionalDate.parse(' 2027-3-31 ')).toBe('2027-03-31');
    expect(optionalDate.parse('20240229')).toBe('2024-02-29');
    expect(optionalDate.parse('')).toBeUndefined();
    expect(optionalDate.parse(undefined)).toBeUndefined();
  });

  it('when a typed date does not exist or is not year first, then it is refused with the date message', () => {
    for (const typed of ['2027-2-30', '20230229', '2027-13-01', '31/3/2027', '31 mars 2027']) {
      const result = optionalDate.safeParse(typed);
      expect(result.success, typed).toBe(false);
      expect(
        result.error?.issues.map((issue) => issue.message),
        typed,
      ).toEqual(['validation.invalidDate']);
    }
  });
});

describe('requiredDate', () => {
  it('when a typed date exists, then it is the ISO day, as with optionalDate', () => {
    expect(requiredDate.parse(' 2027-3-31 ')).toBe('2027-03-31');
    expect(requiredDate.parse('20240229')).toBe('2024-02-29');
  });

  it('when it is left empty, then it is required; when it does not exist, then it is refused with the date message', () => {
    for (const typed of ['', '  ']) {
      expect(requiredDate.safeParse(typed).error?.issues.map((issue) => issue.message)).toEqual(['validation.required']);
    }
    expect(requiredDate.safeParse(undefined).error?.issues.map((issue) => issue.message)).toEqual(['validation.required']);
    for (const typed of ['2027-2-30', '31/3/2027']) {
      expect(requiredDate.safeParse(typed).error?.issues.map((issue) => issue.message)).toEqual(['validation.invalidDate']);
    }
  });
});

describe('the message of a date field without a label', () => {
  it('when such a date does not exist, then the message asks for a real date and states no format, as the named one does', () => {
    const schema = z.object({ day: optionalDate });
    const sv = parseForm(schema, { day: '2027-2-30' }, createTranslator('sv'));
    const en = parseForm(schema, { day: '2027-2-30' }, createTranslator('en'));
    expect(sv.ok ? [] : sv.errors.day).toEqual(['Ange ett datum som finns, till exempel 2026-03-10.']);
    expect(en.ok ? [] : en.errors.day).toEqual(['Enter a real date, for example 2026-03-10.']);
  });
});
