// The report's colours against what they are drawn on (WCAG 2.1 contrast, as the PDF/UA reader meets it): text 4.5:1
// (1.4.3), the charts' bars, thresholds and axes 3:1 (1.4.11).
import { describe, expect, it } from 'vitest';
import { COLOR } from '../../src/reports/pdf/pdf-style.js';

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

describe('the report’s colours', () => {
  it('when text is drawn on the page, a table’s zebra or header row, or the score box, then it has 4.5:1', () => {
    for (const text of [COLOR.text, COLOR.muted, COLOR.brand]) {
      for (const ground of [COLOR.white, COLOR.zebra, COLOR.headerFill, COLOR.brandPale]) {
        expect(contrast(text, ground), `${text} on ${ground}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    // The cover's subtitle, in the pale accent on the brand band.
    expect(contrast(COLOR.coverAccent, COLOR.brand)).toBeGreaterThanOrEqual(4.5);
  });

  it('when a chart draws this round’s and the previous round’s bars, thresholds and axis on white, then each has 3:1', () => {
    for (const graphic of [COLOR.brand, COLOR.previous, COLOR.muted]) {
      expect(contrast(graphic, COLOR.white), graphic).toBeGreaterThanOrEqual(3);
    }
  });

  it('computes contrast as WCAG does: black on white is 21:1, a colour on itself 1:1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast(COLOR.brand, COLOR.brand)).toBe(1);
  });
});
