// Which action belongs to which recommendation once a reopened review has changed its recommendations.
import { describe, expect, it } from 'vitest';
import { matchActions, recommendationKey } from '../../src/actions/action-matching.js';

const rec = (sectionId: string, position: number, text: string) => ({ sectionId, position, text });
const act = (id: string, sectionId: string, position: number, recommendation: string) => ({ id, sectionId, position, recommendation });

function matched(recommendations: ReturnType<typeof rec>[], actions: ReturnType<typeof act>[]) {
  const match = matchActions(recommendations, actions);
  return {
    pairs: Object.fromEntries(recommendations.map((r) => [recommendationKey(r), match.byRecommendation.get(recommendationKey(r))?.id])),
    withdrawn: match.withdrawn.map((a) => a.id),
  };
}

describe('matchActions', () => {
  it('pairs unchanged recommendations with their actions', () => {
    expect(
      matched(
        [rec('s1', 1, 'A'), rec('s1', 2, 'B'), rec('s2', 1, 'C')],
        [act('a', 's1', 1, 'A'), act('b', 's1', 2, 'B'), act('c', 's2', 1, 'C')],
      ),
    ).toEqual({
      pairs: { 's1/1': 'a', 's1/2': 'b', 's2/1': 'c' },
      withdrawn: [],
    });
  });

  it('when the first recommendation is removed and the rest move up, then each action follows its own text and the removed one is withdrawn', () => {
    expect(
      matched([rec('s1', 1, 'B'), rec('s1', 2, 'C')], [act('a', 's1', 1, 'A'), act('b', 's1', 2, 'B'), act('c', 's1', 3, 'C')]),
    ).toEqual({
      pairs: { 's1/1': 'b', 's1/2': 'c' },
      withdrawn: ['a'],
    });
  });

  it('when a recommendation is reworded in place, then its action stays with it', () => {
    expect(matched([rec('s1', 1, 'A, sharper'), rec('s1', 2, 'B')], [act('a', 's1', 1, 'A'), act('b', 's1', 2, 'B')])).toEqual({
      pairs: { 's1/1': 'a', 's1/2': 'b' },
      withdrawn: [],
    });
  });

  it('when recommendations are reordered or a new one is put first, then the actions follow the texts and the new one has none', () => {
    expect(matched([rec('s1', 1, 'New'), rec('s1', 2, 'B'), rec('s1', 3, 'A')], [act('a', 's1', 1, 'A'), act('b', 's1', 2, 'B')])).toEqual({
      pairs: { 's1/1': undefined, 's1/2': 'b', 's1/3': 'a' },
      withdrawn: [],
    });
  });

  it('never pairs across sections, and pairs two equal texts one to one', () => {
    expect(
      matched(
        [rec('s2', 1, 'A'), rec('s1', 1, 'Same'), rec('s1', 2, 'Same')],
        [act('a', 's1', 1, 'A'), act('x', 's1', 2, 'Same'), act('y', 's1', 3, 'Same')],
      ),
    ).toEqual({
      pairs: { 's2/1': undefined, 's1/1': 'y', 's1/2': 'x' },
      withdrawn: ['a'],
    });
  });
});
