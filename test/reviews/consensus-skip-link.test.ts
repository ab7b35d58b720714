import { describe, expect, it } from 'vitest';
import { findConsensusSkipLink } from '../../src/reviews/consensus-skip-link.js';
import { createTranslator } from '../../src/i18n/messages.js';

const sv = createTranslator('sv');
const decided = { score: 3 };

describe('findConsensusSkipLink', () => {
  it('when some indicators are undecided, then it leads to the first of them in the page’s order', () => {
    const items = [
      { indicator: { id: 'a1-lease' }, consensus: decided },
      { indicator: { id: 'a1-entry' }, consensus: undefined },
      { indicator: { id: 'a1-time' }, consensus: undefined },
    ];
    expect(findConsensusSkipLink(items, sv)).toEqual({ href: '#h-a1-entry', label: 'Hoppa till första indikatorn utan konsensus' });
    expect(findConsensusSkipLink(items, createTranslator('en'))?.label).toBe('Skip to the first indicator without a consensus');
  });

  it('when every indicator is decided, then it leads to the first; when none is shown, then there is none', () => {
    const items = [
      { indicator: { id: 'a1-lease' }, consensus: decided },
      { indicator: { id: 'a1-entry' }, consensus: decided },
    ];
    expect(findConsensusSkipLink(items, sv)).toEqual({ href: '#h-a1-lease', label: 'Hoppa till första indikatorn' });
    expect(findConsensusSkipLink([], sv)).toBeUndefined();
  });
});
