import { describe, expect, it } from 'vitest';
import { defaultRubricId } from '../../src/rubrics/rubric-registry.js';
import { loadTestRubrics, MINI_RUBRIC_FILE, SHIPPED_RUBRIC_FILE } from '../helpers/test-app.js';

describe('defaultRubricId', () => {
  it('when bostad-forst is loaded, then it is the default, whatever the order', () => {
    expect(defaultRubricId(loadTestRubrics([MINI_RUBRIC_FILE, SHIPPED_RUBRIC_FILE]))).toBe('bostad-forst');
  });

  it('when bostad-forst is not loaded, then the first rubric is the default', () => {
    const rubrics = loadTestRubrics([MINI_RUBRIC_FILE]);
    expect(defaultRubricId(rubrics)).toBe([...rubrics.keys()][0]);
  });

  it('when no rubric is loaded, then there is no default', () => {
    expect(defaultRubricId(new Map())).toBeUndefined();
  });
});
