import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRubricFile, loadRubricFile, loadRubrics, MAX_RUBRIC_FILE_BYTES, RubricLoadError } from '../../src/rubrics/load-rubrics.js';
import { useTempFiles } from '../helpers/temp-files.js';
import { aliasFlood, billionLaughs, mergeKeyBomb } from './hostile-yaml-files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const miniText = readFileSync(join(root, 'test', 'fixtures', 'rubrics', 'mini-five.yaml'), 'utf8');

const { tempDir, writeTemp } = useTempFiles('hf-hostile-yaml-');

describe('the rubric loader the server uses', () => {
  function catchLoadError(load: () => unknown): RubricLoadError {
    try {
      load();
    } catch (error) {
      if (error instanceof RubricLoadError) return error;
      throw error;
    }
    throw new Error('expected a RubricLoadError, but loading succeeded');
  }

  it.each([
    ['the billion laughs', billionLaughs()],
    ['a merge-key bomb', mergeKeyBomb()],
    ['a flood of aliases', aliasFlood()],
  ])('stops with the file named when the rubrics folder holds %s', (_case, text) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hostile.yaml'), text);
    const error = catchLoadError(() => loadRubrics(dir));
    expect(error.file).toBe(join(dir, 'hostile.yaml'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.path).toBe('(file)');
    expect(error.problems[0]?.message).toMatch(/^refused: /);
  });

  it('stops with the file named when a rubric file is over 1 MB', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'huge.yaml'), 'id: huge\n');
    truncateSync(join(dir, 'huge.yaml'), MAX_RUBRIC_FILE_BYTES + 1);
    const error = catchLoadError(() => loadRubrics(dir));
    expect(error.message).toContain(join(dir, 'huge.yaml'));
    expect(error.problems.map((p) => p.message)).toEqual([
      `refused: the file has ${MAX_RUBRIC_FILE_BYTES + 1} bytes; a rubric file may have at most ${MAX_RUBRIC_FILE_BYTES} (1 MB)`,
    ]);
  });

  it('still loads a rubric that uses anchors, aliases and merge keys within reason', () => {
    const withAlias = miniText
      .replace('title: { sv: Liten testmall, en: Small test rubric }', 'title: &title { sv: Liten testmall, en: Small test rubric }')
      .replace(/description:\n {2}sv: Testmall med blandade skalor.\n {2}en: Test rubric with mixed scales.\n/, 'description: *title\n');
    expect(withAlias).toContain('description: *title');
    const aliasFile = writeTemp('mini-five.yaml', withAlias);
    expect(loadRubricFile(aliasFile).rubric.description).toEqual({ sv: 'Liten testmall', en: 'Small test rubric' });

    const withMerge = `%YAML 1.1\n---\n${withAlias.replace('description: *title', 'description: { <<: *title, en: Merged }')}`;
    const mergeFile = writeTemp('mini-five.yaml', withMerge);
    expect(loadRubricFile(mergeFile).rubric.description).toEqual({ sv: 'Liten testmall', en: 'Merged' });
  });

  it('still names a key written twice, with its line', () => {
    const file = writeTemp('mini-five.yaml', miniText.replace('min_rated_share: 0.5\n', 'min_rated_share: 0.5\nmin_rated_share: 0.6\n'));
    const result = checkRubricFile(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = miniText.split('\n').findIndex((text) => text.startsWith('min_rated_share')) + 2;
    expect(result.problems).toEqual([{ path: '(yaml)', message: `Map keys must be unique: "min_rated_share" at line ${line}, column 1` }]);
  });
});
