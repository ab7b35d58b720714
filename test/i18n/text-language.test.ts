import { describe, expect, it } from 'vitest';
import { guessTextLanguage } from '../../src/i18n/text-language.js';

describe('the language of a free text', () => {
  it('tells Swedish and English sentences apart by their common short words', () => {
    expect(
      guessTextLanguage('Två vakanta tjänster som case manager har gett för många deltagare per case manager, och rutinerna saknas.'),
    ).toBe('sv');
    expect(guessTextLanguage('The team has too many participants per case manager, and the routines are not written down.')).toBe('en');
    expect(guessTextLanguage('Skriv ner rutinen för rättelseanmaning och följ upp den i akterna.')).toBe('sv');
  });

  it('counts lower-case words with å, ä or ö as Swedish, so a short line is told too; a capitalised name is not', () => {
    expect(guessTextLanguage('Få lediga hyresrätter med förstahandskontrakt i kommunen.')).toBe('sv');
    expect(guessTextLanguage('Visits to Göteborg and Malmö were planned with the team.')).toBe('en');
    expect(guessTextLanguage('Bostad först Stockholm (since start, cumulative)')).toBeUndefined();
  });

  it('leaves a text undecided when it has too few such words, or as many of each', () => {
    expect(guessTextLanguage('Teammöte')).toBeUndefined();
    expect(guessTextLanguage('ICM, MI, IPS')).toBeUndefined();
    expect(guessTextLanguage('och the')).toBeUndefined();
  });
});
