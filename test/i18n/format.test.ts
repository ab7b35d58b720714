import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatExactNumber,
  formatLevel,
  formatLongDate,
  formatLongDateRange,
  formatPercent,
  formatScore,
  formatShare,
  formatSignedNumber,
  formatStockholmTime,
  upperFirst,
  formatThresholdPercent,
  intlLocale,
} from '../../src/i18n/format.js';
import { findBandLevel } from '../../src/rubrics/rubric-schema.js';
import { loadRubricFile } from '../../src/rubrics/load-rubrics.js';

const NBSP = '\u00a0';

// Levels: poor from 0 %, fair (Godkänd) from 60 %, good (Bra) from 80 %.
const rubric = loadRubricFile(fileURLToPath(new URL('../fixtures/rubrics/mini-five.yaml', import.meta.url))).rubric;

describe('intlLocale', () => {
  it('when the UI language is Swedish or English, then Intl gets sv-SE or en-GB', () => {
    expect(intlLocale('sv')).toBe('sv-SE');
    expect(intlLocale('en')).toBe('en-GB');
  });
});

describe('formatScore', () => {
  it('when a score is formatted, then Swedish has a decimal comma and English a point, with fixed decimals', () => {
    expect(formatScore(2.75, 'sv')).toBe('2,75');
    expect(formatScore(2.75, 'en')).toBe('2.75');
    expect(formatScore(3, 'sv')).toBe('3,00');
    expect(formatScore(3.456, 'en', 1)).toBe('3.5');
    expect(formatScore(40, 'sv', 0)).toBe('40');
    expect(formatScore(1234.5, 'sv', 1)).toBe('1234,5');
  });

  it('when there is no score, then it is an en dash; when it is not finite, then it throws', () => {
    expect(formatScore(null, 'sv')).toBe('–');
    expect(() => formatScore(Number.POSITIVE_INFINITY, 'en')).toThrow();
  });

  it('when a precision beyond the built-in formatters is asked for, then it is still formatted', () => {
    expect(formatScore(1 / 3, 'sv', 6)).toBe('0,333333');
    expect(formatScore(1 / 3, 'en', 6)).toBe('0.333333');
  });
});

describe('formatPercent', () => {
  it('when a percent is formatted, then Swedish has a no-break space before % and English none', () => {
    expect(formatPercent(68.75, 'sv')).toBe(`69${NBSP}%`);
    expect(formatPercent(68.75, 'en')).toBe('69%');
    expect(formatPercent(68.75, 'sv', 2)).toBe(`68,75${NBSP}%`);
    expect(formatPercent(null, 'en')).toBe('–');
  });
});

describe('formatExactNumber', () => {
  it('when an exact quantity is formatted, then it has the decimals it has, at most two, without floating-point noise', () => {
    expect(formatExactNumber(2, 'sv')).toBe('2');
    expect(formatExactNumber(1.5, 'sv')).toBe('1,5');
    expect(formatExactNumber(0.25, 'en')).toBe('0.25');
    expect(formatExactNumber(0.1 + 0.2, 'sv')).toBe('0,3');
  });
});

describe('formatThresholdPercent', () => {
  it('when a limit is formatted, then it has the decimals it needs, at most two', () => {
    expect(formatThresholdPercent(75, 'sv')).toBe(`75${NBSP}%`);
    expect(formatThresholdPercent(87.5, 'sv')).toBe(`87,5${NBSP}%`);
    expect(formatThresholdPercent(100 / 3, 'en')).toBe('33.33%');
  });
});

describe('formatSignedNumber', () => {
  it('when a difference is formatted, then it has a plus or a true minus sign and the decimals it has', () => {
    expect(formatSignedNumber(5, 'sv')).toBe('+5');
    expect(formatSignedNumber(-3.5, 'sv')).toBe('\u22123,5');
    expect(formatSignedNumber(-3.5, 'en')).toBe('\u22123.5');
    expect(formatSignedNumber(0.07, 'en')).toBe('+0.07');
    expect(formatSignedNumber(0.1234, 'sv')).toBe('+0,123');
  });

  it('when the difference is zero, then it is "0", or "±0" when asked', () => {
    expect(formatSignedNumber(0, 'sv')).toBe('0');
    expect(formatSignedNumber(0, 'sv', { zeroSign: '±' })).toBe('±0');
  });

  it('when at most whole numbers are asked for, then the size is rounded to a whole number', () => {
    expect(formatSignedNumber(-2, 'en', { maxDigits: 0 })).toBe('\u22122');
  });
});

describe('formatShare', () => {
  it('when a share is a whole percent, then it is a percent in the language', () => {
    expect(formatShare(0.5, 'sv')).toBe(`50${NBSP}%`);
    expect(formatShare(0.5, 'en')).toBe('50%');
  });

  it('when a percent would be rounded, then a simple fraction is shown, else one decimal', () => {
    expect(formatShare(2 / 3, 'sv')).toBe('2/3');
    expect(formatShare(0.1234, 'sv')).toBe(`12,3${NBSP}%`);
    expect(formatShare(0.1234, 'en')).toBe('12.3%');
  });

  it('when there is no share, then it is an en dash', () => {
    expect(formatShare(null, 'sv')).toBe('–');
  });
});

describe('formatLongDate', () => {
  it('when an ISO day is formatted, then it is in words in the language', () => {
    expect(formatLongDate('2026-03-10', 'sv')).toBe('10 mars 2026');
    expect(formatLongDate('2026-03-10', 'en')).toBe('10 March 2026');
  });

  it('when a stored instant is just after Swedish midnight, then its Swedish day is shown', () => {
    expect(formatLongDate('2026-03-15T23:30:00.000Z', 'sv')).toBe('16 mars 2026');
  });

  it('when the text is not a date, then it comes back as it is', () => {
    expect(formatLongDate('soon', 'en')).toBe('soon');
  });
});

describe('formatLongDateRange', () => {
  it('when two days are given, then they are one range; one day or none is one date or an en dash', () => {
    expect(formatLongDateRange('2026-03-10', '2026-03-11', 'sv')).toBe('10–11 mars 2026');
    // One dash style in both languages: closed between day numbers, spaced where a side holds a space.
    expect(formatLongDateRange('2026-03-10', '2026-03-11', 'en')).toBe('10–11 March 2026');
    expect(formatLongDateRange('2026-02-28', '2026-03-02', 'sv')).toBe('28 februari – 2 mars 2026');
    expect(formatLongDateRange('2026-02-28', '2026-03-02', 'en')).toBe('28 February – 2 March 2026');
    expect(formatLongDateRange('2025-12-30', '2026-01-02', 'sv')).toBe('30 december 2025 – 2 januari 2026');
    expect(formatLongDateRange('2026-03-10', '2026-03-10', 'sv')).toBe('10 mars 2026');
    expect(formatLongDateRange(undefined, '2026-03-11', 'en')).toBe('11 March 2026');
    expect(formatLongDateRange(undefined, undefined, 'sv')).toBe('–');
  });
});

describe('formatStockholmTime', () => {
  it('when a stored UTC time is shown, then it is Stockholm time, summer time included', () => {
    expect(formatStockholmTime('2026-01-15T12:00:00.000Z')).toBe('2026-01-15 13:00:00');
    expect(formatStockholmTime('2026-07-01T22:30:05.123Z')).toBe('2026-07-02 00:30:05');
    expect(formatStockholmTime('2026-03-10 08:00:00')).toBe('2026-03-10 09:00:00');
    expect(formatStockholmTime('not a time')).toBe('not a time');
  });
});

describe('findBandLevel and formatLevel', () => {
  it('when a percent is at a threshold but for floating-point noise, then it reaches that level', () => {
    expect(findBandLevel(rubric, 59.99999999999999)?.id).toBe('fair');
    expect(findBandLevel(rubric, 59.9)?.id).toBe('poor');
    expect(findBandLevel(rubric, null)).toBeUndefined();
  });

  it("when a level is named, then it is the rubric's label in the language, or an en dash without a level", () => {
    expect(formatLevel(findBandLevel(rubric, 70), 'sv')).toBe('Godkänd');
    expect(formatLevel(findBandLevel(rubric, 70), 'en')).toBe('Fair');
    expect(formatLevel(undefined, 'sv')).toBe('–');
  });
});

describe('upperFirst', () => {
  it('when a phrase opens a sentence or a cell, then its first letter is a capital and the rest is as it was', () => {
    expect(upperFirst('skapad 15 mars 2026, utan angivet platsbesök', 'sv')).toBe('Skapad 15 mars 2026, utan angivet platsbesök');
    expect(upperFirst('åtgärden klar', 'sv')).toBe('Åtgärden klar');
    expect(upperFirst('the full texts of A7', 'en')).toBe('The full texts of A7');
    expect(upperFirst('', 'sv')).toBe('');
  });
});
