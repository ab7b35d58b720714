// The translator: catalog texts by dotted key, {name} placeholders filled from params, in either language.
import { describe, expect, it } from 'vitest';
import { createTranslator, isMessageKey, type MessageKey } from '../../src/i18n/messages.js';

describe('the translator', () => {
  const sv = createTranslator('sv');
  const en = createTranslator('en');

  it('returns the text of a key in the chosen language', () => {
    expect(sv('reviews.overviewTitle', { program: 'Bostad först Malmö' })).toBe('Granskning av Bostad först Malmö');
    expect(en('reviews.overviewTitle', { program: 'Housing First Malmö' })).toBe('Review of Housing First Malmö');
  });

  it('fills every placeholder, numbers included, and the same text twice in a row alike', () => {
    expect(sv('reviews.progressOf', { done: 3, total: 60 })).toBe('3 av 60');
    expect(sv('reviews.progressOf', { done: 60, total: 60 })).toBe('60 av 60');
    expect(sv('reviews.rubricVersion', { title: 'Bostad först', version: '2.1' })).toBe('Bostad först, version 2.1');
  });

  it('keeps a placeholder whose value is missing, so the gap shows instead of "undefined"', () => {
    expect(sv('reviews.progressOf', { done: 3 })).toBe('3 av {total}');
  });

  it('leaves texts without placeholders as they are, with or without params', () => {
    const key: MessageKey = 'reviews.overviewTitle';
    expect(sv(key)).toBe('Granskning av {program}');
    expect(sv(key, {})).toBe('Granskning av {program}');
  });

  it('answers an unknown key with the key itself (visible in the page, never a crash)', () => {
    expect(sv('no.such.key' as MessageKey, { x: 1 })).toBe('no.such.key');
    expect(isMessageKey('no.such.key')).toBe(false);
    expect(isMessageKey('reviews.overviewTitle')).toBe(true);
    expect(isMessageKey('reviews')).toBe(false);
  });
});
