import { describe, it, expect } from 'vitest';
import { findPersonalIdentityNumbers } from '../../src/privacy/personnummer.js';

// An independent Luhn implementation, so the tests do not trust the code under test to
// build their fixtures. Weights 2,1,2,1,… over the nine digits YYMMDDNNN.
function computeCheckDigit(nineDigits: string): string {
  let sum = 0;
  [...nineDigits].forEach((char, index) => {
    const product = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  });
  return String((10 - (sum % 10)) % 10);
}

/** Builds a 10-digit number with a valid check digit: `withCheckDigit('900101', '123', '-')`. */
function withCheckDigit(yymmdd: string, birthNumber: string, separator = ''): string {
  return `${yymmdd}${separator}${birthNumber}${computeCheckDigit(yymmdd + birthNumber)}`;
}

/** Same as `withCheckDigit` with the check digit off by one, so the Luhn check fails. */
function withWrongCheckDigit(yymmdd: string, birthNumber: string, separator = ''): string {
  const wrong = (Number(computeCheckDigit(yymmdd + birthNumber)) + 1) % 10;
  return `${yymmdd}${separator}${birthNumber}${wrong}`;
}

/** The same text with full-width digits (U+FF10–U+FF19), as East Asian input methods and some PDFs write them. */
function toFullWidthDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));
}

describe('the test helper', () => {
  it('agrees with check digits worked out by hand', () => {
    // 1 2 1 2 1 2 1 2 1 × 2 1 2 1 2 1 2 1 2 = 2+2+2+2+2+2+2+2+2 = 18 → (10 − 8) mod 10 = 2.
    expect(computeCheckDigit('121212121')).toBe('2');
    // 8 1 1 2 1 8 9 8 7 → 16,1,2,2,2,8,18,8,14 → 7+1+2+2+2+8+9+8+5 = 44 → 6.
    expect(computeCheckDigit('811218987')).toBe('6');
    // 8 5 0 7 0 9 2 3 8 → 16,5,0,7,0,9,4,3,16 → 7+5+0+7+0+9+4+3+7 = 42 → 8.
    expect(computeCheckDigit('850709238')).toBe('8');
  });

  it('writes full-width digits', () => {
    expect(toFullWidthDigits('a-09')).toBe('a-\uff10\uff19');
  });
});

describe('findPersonalIdentityNumbers', () => {
  describe('finds well-known test numbers', () => {
    it.each(['121212-1212', '19121212-1212', '201212121212', '1212121212', '811218-9876', '19811218-9876'])('finds %s', (number) => {
      expect(findPersonalIdentityNumbers(`Personnummer: ${number}`)).toEqual([number]);
    });
  });

  describe('accepts every written form', () => {
    const tenDigits = withCheckDigit('850709', '238');
    const date = tenDigits.slice(0, 6);
    const lastFour = tenDigits.slice(6);

    it.each([
      ['10 digits with a hyphen', `${date}-${lastFour}`],
      ['10 digits with a plus (person aged 100 or more)', `${date}+${lastFour}`],
      ['10 digits with a space', `${date} ${lastFour}`],
      ['10 digits without separator', `${date}${lastFour}`],
      ['12 digits with a hyphen', `19${date}-${lastFour}`],
      ['12 digits with a plus', `19${date}+${lastFour}`],
      ['12 digits with a space', `19${date} ${lastFour}`],
      ['12 digits without separator', `19${date}${lastFour}`],
      ['10 digits with an en dash (as word processors write it)', `${date}\u2013${lastFour}`],
      ['10 digits with a no-break space', `${date}\u00a0${lastFour}`],
    ])('finds %s', (_form, number) => {
      expect(findPersonalIdentityNumbers(`Klienten har nummer ${number} enligt journalen.`)).toEqual([number]);
    });

    it('finds 12-digit numbers in the 1800s, 1900s and 2000s', () => {
      const numbers = ['18', '19', '20'].map((century) => century + withCheckDigit('991231', '001', '-'));
      expect(findPersonalIdentityNumbers(numbers.join(' och '))).toEqual(numbers);
    });
  });

  describe('samordningsnummer (day of month + 60)', () => {
    it('finds the textbook example 701063-2391', () => {
      expect(findPersonalIdentityNumbers('Samordningsnummer 701063-2391.')).toEqual(['701063-2391']);
    });

    it.each([
      ['day 61 (the 1st)', withCheckDigit('900161', '123', '-')],
      ['day 91 in a 31-day month', withCheckDigit('900191', '123', '-')],
      ['day 88 in a leap-year February', `20${withCheckDigit('240289', '456', '-')}`],
      ['12 digits without separator', `19${withCheckDigit('750575', '345')}`],
    ])('finds %s', (_case, number) => {
      expect(findPersonalIdentityNumbers(`Samordningsnummer ${number}`)).toEqual([number]);
    });

    it.each([
      ['day 60 (would be day 0)', withCheckDigit('900160', '123', '-')],
      ['day 92 (would be day 32)', withCheckDigit('900192', '123', '-')],
      ['day 91 in a 30-day month', withCheckDigit('900491', '123', '-')],
      ['day 89 in a non-leap February', `20${withCheckDigit('230289', '456', '-')}`],
      ['days 32–59, which are neither kind', withCheckDigit('900145', '123', '-')],
    ])('rejects %s', (_case, number) => {
      expect(findPersonalIdentityNumbers(`Samordningsnummer ${number}`)).toEqual([]);
    });
  });

  describe('position and number of hits', () => {
    it('finds a number at the very start and the very end of the text', () => {
      expect(findPersonalIdentityNumbers('121212-1212')).toEqual(['121212-1212']);
      expect(findPersonalIdentityNumbers('121212-1212 bor här')).toEqual(['121212-1212']);
      expect(findPersonalIdentityNumbers('Hyresgästen är 121212-1212')).toEqual(['121212-1212']);
    });

    it('returns several numbers in order of appearance, as written', () => {
      const text = 'Åsa (19811218-9876) och Örjan (121212 1212) flyttade till Älvsjö; ' + 'hennes bror har samordningsnummer 7010632391.';
      expect(findPersonalIdentityNumbers(text)).toEqual(['19811218-9876', '121212 1212', '7010632391']);
    });

    it('returns a number written twice twice, without de-duplication', () => {
      expect(findPersonalIdentityNumbers('121212-1212, igen 121212-1212')).toEqual(['121212-1212', '121212-1212']);
    });

    it('finds numbers next to punctuation and letters with å, ä, ö', () => {
      expect(findPersonalIdentityNumbers('(121212-1212)')).toEqual(['121212-1212']);
      expect(findPersonalIdentityNumbers('pnr:121212-1212.')).toEqual(['121212-1212']);
      expect(findPersonalIdentityNumbers('Görans nr är 811218-9876, gäller även för Åke.')).toEqual(['811218-9876']);
    });

    it('still finds a number after a digit and a space, as in ordinary prose', () => {
      expect(findPersonalIdentityNumbers('Rum 4 121212-1212')).toEqual(['121212-1212']);
    });

    it('returns nothing for text without numbers', () => {
      expect(findPersonalIdentityNumbers('')).toEqual([]);
      expect(findPersonalIdentityNumbers('Teamet träffas på måndagar i Göteborg.')).toEqual([]);
    });
  });

  describe('text pasted from word processors and PDFs', () => {
    // 850709-2388: 9 July 1985, check digit 8 (worked out by hand in the helper's test).
    const tenDigits = withCheckDigit('850709', '238');
    const date = tenDigits.slice(0, 6);
    const lastFour = tenDigits.slice(6);

    it.each([
      ['a hyphen (U+2010)', `${date}\u2010${lastFour}`],
      ['a non-breaking hyphen (U+2011)', `${date}\u2011${lastFour}`],
      ['a figure dash (U+2012)', `${date}\u2012${lastFour}`],
      ['an em dash (U+2014)', `${date}\u2014${lastFour}`],
      ['a horizontal bar (U+2015)', `${date}\u2015${lastFour}`],
      ['a minus sign (U+2212)', `${date}\u2212${lastFour}`],
      ['a full-width hyphen-minus (U+FF0D)', `${date}\uff0d${lastFour}`],
      ['a non-breaking hyphen in the 12-digit form', `19${date}\u2011${lastFour}`],
    ])('finds a number with %s as separator', (_form, number) => {
      expect(findPersonalIdentityNumbers(`Klienten har nummer ${number} enligt journalen.`)).toEqual([number]);
    });

    it.each([
      ['spaces around a hyphen', `${date} - ${lastFour}`],
      ['a space before a hyphen only', `${date} -${lastFour}`],
      ['a space after a hyphen only', `${date}- ${lastFour}`],
      ['spaces around an en dash', `${date} \u2013 ${lastFour}`],
      ['spaces around a plus', `${date} + ${lastFour}`],
      ['no-break spaces (U+00A0) around a hyphen', `${date}\u00a0-\u00a0${lastFour}`],
      ['narrow no-break spaces (U+202F) around a non-breaking hyphen', `${date}\u202f\u2011\u202f${lastFour}`],
      ['a narrow no-break space (U+202F) as separator', `${date}\u202f${lastFour}`],
      ['a single space as separator', `${date} ${lastFour}`],
      ['spaces around a hyphen in the 12-digit form', `19${date} - ${lastFour}`],
      ['the hand-checked 811218 - 9876', '811218 - 9876'],
    ])('finds a number with %s', (_form, number) => {
      expect(findPersonalIdentityNumbers(`Klienten har nummer ${number} enligt journalen.`)).toEqual([number]);
    });

    it.each([
      ['with a hyphen', toFullWidthDigits(`${date}-${lastFour}`)],
      ['with a full-width hyphen-minus', toFullWidthDigits(`${date}\uff0d${lastFour}`)],
      ['in the 12-digit form without separator', toFullWidthDigits(`19${date}${lastFour}`)],
      ['mixed with ASCII digits', `${date}-${toFullWidthDigits(lastFour)}`],
    ])('finds a number in full-width digits %s', (_form, number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number} enligt journalen.`)).toEqual([number]);
    });

    it.each([
      ['a zero-width space (U+200B)', '\u200b'],
      ['a zero-width non-joiner (U+200C)', '\u200c'],
      ['a zero-width joiner (U+200D)', '\u200d'],
      ['a word joiner (U+2060)', '\u2060'],
      ['a zero-width no-break space / BOM (U+FEFF)', '\ufeff'],
    ])('finds a number with %s inside it', (_name, invisible) => {
      const inDate = `${date.slice(0, 3)}${invisible}${date.slice(3)}-${lastFour}`;
      const atSeparator = `${date}${invisible}-${lastFour}`;
      const asSeparator = `${date}${invisible}${lastFour}`;
      const twelveDigits = `19${invisible}${date}${lastFour.slice(0, 2)}${invisible}${lastFour.slice(2)}`;
      for (const number of [inDate, atSeparator, asSeparator, twelveDigits]) {
        expect(findPersonalIdentityNumbers(`Nummer ${number} enligt journalen.`)).toEqual([number]);
      }
    });

    it('returns the number as written: invisible characters inside it included, those around it left out', () => {
      const number = `${date}\u200b\u2011${toFullWidthDigits(lastFour)}`;
      expect(findPersonalIdentityNumbers(`(\u200b${number}\u200b) och ${date} - ${lastFour}.`)).toEqual([number, `${date} - ${lastFour}`]);
    });

    it.each([
      ['a wrong check digit with a non-breaking hyphen', withWrongCheckDigit('850709', '238', '\u2011')],
      ['a wrong check digit with spaces around a hyphen', withWrongCheckDigit('850709', '238', ' - ')],
      ['a wrong check digit in full-width digits', toFullWidthDigits(withWrongCheckDigit('850709', '238', '-'))],
      ['a wrong check digit with a zero-width space', withWrongCheckDigit('850709', '238', '\u200b')],
      ['31 April with a minus sign', withCheckDigit('900431', '123', '\u2212')],
      ['month 13 in full-width digits', toFullWidthDigits(withCheckDigit('901315', '123', '-'))],
    ])('still rejects %s', (_case, number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number}`)).toEqual([]);
    });

    it.each([
      ['two separators', `${date}--${lastFour}`],
      ['a separator and a slash', `${date}-/${lastFour}`],
    ])('does not stretch the separator to %s', (_case, text) => {
      expect(findPersonalIdentityNumbers(`Nummer ${text}`)).toEqual([]);
    });

    it.each([
      ['a number joined to digits by non-breaking hyphens', '070\u2011121212\u2011' + '1212'],
      ['a number joined to digits by a minus sign', '121212-1212\u22123'],
      ['a full-width digit before the number', `\uff15${'121212-1212'}`],
      ['a digit hidden behind a zero-width space', '5\u200b121212-1212'],
    ])('does not flag %s, which is part of a longer number', (_case, text) => {
      expect(findPersonalIdentityNumbers(`Värde ${text} här`)).toEqual([]);
    });
  });

  describe('what people actually paste', () => {
    // 811218-9876: 18 December 1981, check digit 6 (worked out by hand in the helper's test).
    const date = '811218';
    const lastFour = '9876';

    it.each([
      ['two spaces before the separator', `${date}  - ${lastFour}`],
      ['a run of spaces as separator', `${date}    ${lastFour}`],
      ['a tab as separator', `${date}\t${lastFour}`],
      ['tabs around a hyphen', `${date}\t-\t\t${lastFour}`],
      ['a line break as separator', `${date}\n${lastFour}`],
      ['a Windows line break as separator', `${date}\r\n${lastFour}`],
      ['an empty line between the parts', `${date}\n\n${lastFour}`],
      ['spaces, a tab and a line break around a hyphen', `${date} \t\n- \n${lastFour}`],
      ['a line break in the 12-digit form', `19${date}\n${lastFour}`],
    ])('finds a number with %s', (_form, number) => {
      expect(findPersonalIdentityNumbers(`Klienten har nummer ${number} enligt journalen.`)).toEqual([number]);
    });

    describe.each(['.', '/', '_', ',', ':', '~'])('the separator %s', (separator) => {
      it.each([
        ['alone', `${date}${separator}${lastFour}`],
        ['with spaces around it', `${date} ${separator} ${lastFour}`],
        ['with a line break after it', `${date}${separator}\n${lastFour}`],
        ['in the 12-digit form', `19${date}${separator}${lastFour}`],
      ])('is found %s', (_form, number) => {
        expect(findPersonalIdentityNumbers(`Nummer ${number} enligt journalen.`)).toEqual([number]);
      });
    });

    it.each([
      ['81 12 18-98 76'],
      ['81 12 18 - 98 76'],
      ['81 12 18 98 76'],
      ['81 12 18 9876'],
      ['811218 98 76'],
      ['81  12  18-9876'],
      ['81\t12\t18\t98\t76'],
      ['19 81 12 18-98 76'],
      ['1981 12 18-9876'],
      ['1981 12 18 98 76'],
      ['81 12 18.98 76'],
      ['81 12 18\n98 76'],
    ])('finds the digit groups %s', (number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number} enligt journalen.`)).toEqual([number]);
    });

    it('finds a number written in groups after another number and a space', () => {
      expect(findPersonalIdentityNumbers('Rum 12 81 12 18-98 76')).toEqual(['81 12 18-98 76']);
      expect(findPersonalIdentityNumbers('Rum 20 811218-9876')).toEqual(['20 811218-9876']);
      expect(findPersonalIdentityNumbers('Sida 12 811218 9876')).toEqual(['811218 9876']);
    });

    it.each([
      ['a wrong check digit in groups', '81 12 18-98 77'],
      ['a wrong check digit with a slash', '811218/9877'],
      ['a wrong check digit after a line break', '811218\n9877'],
      ['31 April in groups', withCheckDigit('900431', '123').replace(/(\d\d)(?=\d)/g, '$1 ')],
    ])('still rejects %s', (_case, number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number}`)).toEqual([]);
    });

    /** The same text with each ASCII digit replaced by the digit of the run of ten starting at `zero`. */
    function toScript(text: string, zero: number): string {
      return text.replace(/[0-9]/g, (digit) => String.fromCodePoint(zero + Number(digit)));
    }

    it.each([
      ['Arabic-Indic', 0x0660],
      ['Extended Arabic-Indic (Persian, Urdu)', 0x06f0],
      ['Devanagari', 0x0966],
      ['Bengali', 0x09e6],
      ['Thai', 0x0e50],
      ['Tibetan', 0x0f20],
      ['Myanmar', 0x1040],
      ['full-width', 0xff10],
      ['mathematical bold', 0x1d7ce],
      ['mathematical double-struck', 0x1d7d8],
      ['mathematical monospace', 0x1d7f6],
    ])('finds a number in %s digits', (_script, zero) => {
      for (const number of [`${date}-${lastFour}`, `19${date}${lastFour}`, `81 12 18-98 76`]) {
        const written = toScript(number, zero);
        expect(findPersonalIdentityNumbers(`Nummer ${written} enligt journalen.`), number).toEqual([written]);
      }
      expect(findPersonalIdentityNumbers(`Nummer ${toScript('811218-9877', zero)}`)).toEqual([]);
    });

    it('finds a number in the decimal digits of every numbering system the runtime knows', () => {
      // Independent of the code under test: Intl writes the digits of each system itself.
      const tested: string[] = [];
      for (const system of Intl.supportedValuesOf('numberingSystem')) {
        const written = new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(8112189876);
        const digits = [...written];
        if (written === '8112189876' || digits.length !== 10 || !digits.every((digit) => /\p{Nd}/u.test(digit))) continue;
        tested.push(system);
        expect(findPersonalIdentityNumbers(`Nummer ${written}.`), system).toEqual([written]);
        const separated = `${digits.slice(0, 6).join('')}-${digits.slice(6).join('')}`;
        expect(findPersonalIdentityNumbers(`Nummer ${separated}.`), system).toEqual([separated]);
      }
      expect(tested.length).toBeGreaterThan(20);
    });

    it('does not take a digit of another script before a number for a separate character', () => {
      expect(findPersonalIdentityNumbers(`Värde ${toScript('5', 0x0660)}811218-9876 här`)).toEqual([]);
    });

    it.each([
      ['an acute accent (U+0301) after every digit', '\u0301'],
      ['a combining long stroke (U+0336) after every digit', '\u0336'],
      ['a combining low line (U+0332) after every digit', '\u0332'],
      ['a keycap (U+FE0F U+20E3) after every digit', '\ufe0f\u20e3'],
      ['a combining enclosing circle (U+20DD) after every digit', '\u20dd'],
    ])('finds a number with %s, marks included', (_case, marks) => {
      const written = `${date}-${lastFour}`.replace(/[0-9]/g, (digit) => digit + marks);
      expect(findPersonalIdentityNumbers(`Nummer ${written} enligt journalen.`)).toEqual([written]);
    });

    it('finds a number with a combining mark after one digit only', () => {
      const written = '81121\u03048-9876';
      expect(findPersonalIdentityNumbers(`Nummer ${written}.`)).toEqual([written]);
    });
  });

  describe('check digit', () => {
    it.each([
      '121212-1213',
      '19121212-1211',
      '1212121210',
      withWrongCheckDigit('850709', '238', '-'),
      `19${withWrongCheckDigit('850709', '238', '')}`,
      withWrongCheckDigit('900161', '123', '-'),
    ])('rejects %s, whose check digit is wrong', (number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number}`)).toEqual([]);
    });
  });

  describe('calendar date', () => {
    it.each([
      ['30 February', `19${withCheckDigit('900230', '123', '-')}`],
      ['30 February without century', withCheckDigit('900230', '123', '-')],
      ['month 00', withCheckDigit('900015', '123', '-')],
      ['month 13', withCheckDigit('901315', '123', '-')],
      ['day 00', withCheckDigit('900100', '123', '-')],
      ['31 April', withCheckDigit('900431', '123', '-')],
      ['29 February 1900 (not a leap year)', `19${withCheckDigit('000229', '123', '-')}`],
      ['29 February in 1901 and 2001', withCheckDigit('010229', '123', '-')],
    ])('rejects %s even with a valid check digit', (_case, number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number}`)).toEqual([]);
    });

    it.each([
      ['29 February 2000 (a leap year)', `20${withCheckDigit('000229', '123', '-')}`],
      ['29 February without century, valid in 2000', withCheckDigit('000229', '123', '-')],
      ['29 February 1996', withCheckDigit('960229', '123', '-')],
      ['31 December', withCheckDigit('991231', '123', '-')],
    ])('accepts %s', (_case, number) => {
      expect(findPersonalIdentityNumbers(`Nummer ${number}`)).toEqual([number]);
    });

    it('rejects a 12-digit number with a century other than 18, 19 or 20', () => {
      // The last ten digits alone are a valid number, but they are part of a longer run.
      expect(findPersonalIdentityNumbers('17121212-1212')).toEqual([]);
      expect(findPersonalIdentityNumbers('21121212-1212')).toEqual([]);
    });
  });

  describe('longer digit runs', () => {
    it.each([
      ['a digit before (11 digits)', '51212121212'],
      ['a digit after (11 digits)', '12121212120'],
      ['a digit before a separated number', '5121212-1212'],
      ['a digit after a separated number', '121212-12125'],
      ['13 digits', '1912121212120'],
      ['a 12-digit form inside 14 digits', '19121212121200'],
      ['a number joined to digits by a hyphen before', '070-121212-1212'],
      ['a number joined to digits by a hyphen after', '121212-1212-3'],
      ['a number joined to digits by a slash', '2021/121212-1212'],
      ['a number joined to digits by a dot', '121212-1212.5'],
    ])('does not flag %s', (_case, text) => {
      expect(findPersonalIdentityNumbers(`Värde ${text} här`)).toEqual([]);
    });
  });

  describe('look-alikes that are not personal identity numbers', () => {
    it.each([
      ['an ISO date', 'Uppföljning 2024-03-15.'],
      ['a compact date', 'Uppföljning 20240315.'],
      ['a written date', 'Möte 15/3 2024 kl. 10.'],
      ['a mobile number', 'Ring 070-123 45 67.'],
      ['a Stockholm number', 'Växel 08-123 456 78.'],
      ['an international mobile number', 'Ring +46 70 123 45 67.'],
      ['a mobile number without spaces whose Luhn check fails', 'Ring 0701234567.'],
      ['a diary number', 'Dnr 2023-0412'],
      ['a case number', 'Ärende SN 2021/123-45'],
      ['Volvo’s organisation number (valid Luhn, "month" 60)', 'Volvo AB 556036-0793'],
      ['an organisation number without separator', 'Org.nr 5560360793'],
      ['an organisation number in the 16-prefixed 12-digit form', 'Org.nr 165560360793'],
    ])('does not flag %s', (_case, text) => {
      expect(findPersonalIdentityNumbers(text)).toEqual([]);
    });

    it.each([
      ['an ISO date', 'Uppföljning 2026-03-02.'],
      ['an ISO date with non-breaking hyphens', 'Uppföljning 2026\u201103\u201102.'],
      ['an ISO date in full-width digits', `Uppföljning ${toFullWidthDigits('2026-03-02')}.`],
      ['a date range with spaced dashes', 'Period 2026-03-02 \u2013 2026-06-30.'],
      ['a year range', 'Åren 2019 \u2013 2026.'],
      ['a compact date range', 'Period 20260302 - 20260630.'],
      ['amounts with spaces', 'Budget 1 250 000 kr, varav 125 000 kr \u2212 12 500 kr i avdrag.'],
      ['amounts in a subtraction', 'Summa 150000 - 2500 = 147500.'],
      ['an amount with no-break spaces', 'Kostnad 1\u00a0250\u00a0000 kr.'],
      ['an organisation number with spaces around the hyphen', 'Volvo AB 556036 - 0793'],
      ['an organisation number with a non-breaking hyphen', 'Volvo AB 556036\u20110793'],
      ['an organisation number in full-width digits', `Volvo AB ${toFullWidthDigits('556036-0793')}`],
      ['an organisation number with a zero-width space', 'Volvo AB 5560\u200b36-0793'],
      ['a made-up organisation number with a valid check digit', `Org.nr ${withCheckDigit('556677', '123', ' \u2013 ')}`],
      ['a mobile number', 'Ring 070-123 45 67.'],
      ['a mobile number with a non-breaking hyphen and no-break spaces', 'Ring 070\u2011123\u00a045\u00a067.'],
      ['a mobile number with spaces around a dash', 'Ring 070 \u2013 123 45 67.'],
      ['a mobile number in full-width digits', `Ring ${toFullWidthDigits('070-123 45 67')}.`],
      ['a Stockholm number', 'Växel 08-123 456 78.'],
      ['a Stockholm number with an en dash and narrow no-break spaces', 'Växel 08\u2013123\u202f456\u202f78.'],
      ['a mobile number with area code in brackets', 'Ring +46 (0)70-123 45 67.'],
    ])('does not flag %s, also when pasted from a word processor', (_case, text) => {
      expect(findPersonalIdentityNumbers(text)).toEqual([]);
    });

    it('does flag a 10-digit phone number that happens to be a valid date with a valid check digit', () => {
      // Known limitation: 070123-4569 is 23 January 2007 with a correct check digit, so it
      // is a well-formed personnummer and is refused. Detection errs on the side of privacy.
      expect(computeCheckDigit('070123456')).toBe('9');
      expect(findPersonalIdentityNumbers('Ring 0701234569')).toEqual(['0701234569']);
    });
  });
});
