// The raters' spread in words, as the consensus and result section pages show it after its label.
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/messages.js';
import { describeSpread } from '../../src/reviews/spread-text.js';

const sv = createTranslator('sv');
const en = createTranslator('en');

describe('describeSpread', () => {
  it('when the raters gave different scores, then it gives the lowest and highest and how many scored', () => {
    expect(describeSpread({ count: 3, min: 2, max: 4 }, sv)).toBe('2–4 (3 bedömare)');
    expect(describeSpread({ count: 3, min: '2', max: '4' }, en)).toBe('2–4 (3 raters)');
  });

  it('when every rater gave the same score, then it gives the score once and says that all gave it', () => {
    expect(describeSpread({ count: 2, min: 3, max: 3 }, sv)).toBe('3 (2 bedömare, alla gav samma poäng)');
    expect(describeSpread({ count: 2, min: 3, max: 3 }, en)).toBe('3 (2 raters, all gave the same score)');
  });

  it('when one rater gave a score, then it claims no agreement', () => {
    expect(describeSpread({ count: 1, min: 3, max: 3 }, sv)).toBe('3 (1 bedömare)');
    expect(describeSpread({ count: 1, min: '3', max: '3' }, en)).toBe('3 (1 rater)');
  });

  it('when no rater gave a score, then it says so', () => {
    expect(describeSpread({ count: 0, min: null, max: null }, sv)).toBe('Ingen bedömare gav poäng');
    expect(describeSpread({ count: 0, min: undefined, max: undefined }, en)).toBe('No rater gave a score');
  });
});
