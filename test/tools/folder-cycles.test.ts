import { describe, expect, it } from 'vitest';
import { collectFolderEdges, findFolderCycles, folderOf } from './folder-cycles.js';

const edge = (from: string, to: string) => ({ from, to, example: `${from} → ${to}` });

describe('the folder-level cycle check', () => {
  it('when folders import each other, directly or round a longer loop, then each loop is one group', () => {
    const cycles = findFolderCycles([edge('a', 'b'), edge('b', 'a'), edge('c', 'd'), edge('d', 'e'), edge('e', 'c'), edge('e', 'f')]);
    expect(cycles.map((group) => [...group].sort())).toEqual(
      expect.arrayContaining([
        ['a', 'b'],
        ['c', 'd', 'e'],
      ]),
    );
    expect(cycles).toHaveLength(2);
  });

  it('when the imports only go one way, then there is no cycle', () => {
    expect(findFolderCycles([edge('routes', 'store'), edge('store', 'db'), edge('routes', 'db')])).toEqual([]);
  });

  it('when a file is a command-line tool or sits at the top of src/, then it is a node of its own', () => {
    expect(folderOf('/x/src/reviews/review-store.ts', '/x/src')).toBe('reviews');
    expect(folderOf('/x/src/reports/report-cli.ts', '/x/src')).toBe('reports/report-cli.ts');
    expect(folderOf('/x/src/services.ts', '/x/src')).toBe('services.ts');
  });

  it('when src/ is checked, then no folders import each other in a cycle', () => {
    const edges = collectFolderEdges();
    expect(edges.length).toBeGreaterThan(50);
    expect(findFolderCycles(edges)).toEqual([]);
  });
});
