import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseRubricText } from '../../src/rubrics/load-rubrics.js';
import { allowsNotApplicable, capMinCount, capThreshold, indicatorNumbers, partDecidesLevel } from '../../src/rubrics/rubric-schema.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cappedFile = join(root, 'test', 'fixtures', 'rubrics', 'capped-mix.yaml');
const miniFile = join(root, 'test', 'fixtures', 'rubrics', 'mini-five.yaml');

// biome-ignore lint/suspicious/noExplicitAny: the tests edit parsed YAML of any shape
type Raw = Record<string, any>;

/** The capped-mix fixture as plain data, changed by `edit`, then checked. */
function problemsAfter(edit: (raw: Raw) => void): { path: string; message: string }[] {
  const raw = parse(readFileSync(cappedFile, 'utf8')) as Raw;
  edit(raw);
  const result = parseRubricText(stringify(raw), 'capped-mix');
  return result.ok ? [] : [...result.problems];
}

function parseOk(file: string) {
  const result = parseRubricText(readFileSync(file, 'utf8'));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.loaded.rubric;
}

describe('the verdict fields of a rubric', () => {
  it('when a rubric declares required and critical indicators, caps, a part beside the level and a crosswalk, then it loads', () => {
    const rubric = parseOk(cappedFile);
    expect(rubric.parts.map(partDecidesLevel)).toEqual([true, true, false]);
    expect(rubric.parts[2]?.reported_as?.sv).toBe('Stödets kvalitet vid sidan av nivån');
    const lease = rubric.sections[0]?.indicators[0];
    expect(lease?.critical).toBe(true);
    expect(lease && allowsNotApplicable(lease)).toBe(false);
    const caps = rubric.caps ?? [];
    expect(caps.map((cap) => cap.max_level)).toEqual(['fair', 'poor']);
    expect(caps[0] && lease && capThreshold(caps[0], lease.scale)).toBe(0);
    expect(caps[1] && lease && capThreshold(caps[1], lease.scale)).toBe(1);
    expect(caps.map(capMinCount)).toEqual([1, 2]);
    expect(rubric.crosswalk?.continues['k1-lease']).toBe('c1-alpha');
    expect(indicatorNumbers(rubric).get('m1-plan')).toBe('M1.2');
  });

  it('when a rubric has none of the new fields, then every part decides and N/A follows the scale, as before', () => {
    const rubric = parseOk(miniFile);
    expect(rubric.parts.every(partDecidesLevel)).toBe(true);
    expect(rubric.caps).toBeUndefined();
    const beta = rubric.sections[0]?.indicators[1];
    expect(beta && allowsNotApplicable(beta)).toBe(false);
    const alpha = rubric.sections[0]?.indicators[0];
    expect(alpha && allowsNotApplicable(alpha)).toBe(true);
  });

  it('when the defaults are not written, then the parsed rubric and its hash stay as the file has them', () => {
    // Old snapshots are stored as canonical JSON: a default added at parse time would change their hash.
    const result = parseRubricText(readFileSync(miniFile, 'utf8'));
    expect(result.ok && result.loaded.canonicalJson.includes('decides_level')).toBe(false);
    expect(result.ok && result.loaded.canonicalJson.includes('"required"')).toBe(false);
  });

  it('when a critical indicator is not required, then the path names it', () => {
    expect(
      problemsAfter((raw) => {
        delete raw.sections[0].indicators[0].required;
      }),
    ).toContainEqual({
      path: 'sections[0].indicators[0].required',
      message: expect.stringContaining('critical indicator must be required'),
    });
  });

  it('when a required indicator allows N/A, then it is refused', () => {
    expect(
      problemsAfter((raw) => {
        raw.sections[1].indicators[1].scale.allow_na = true;
      }),
    ).toContainEqual({
      path: 'sections[1].indicators[1].scale.allow_na',
      message: expect.stringContaining('cannot allow N/A'),
    });
  });

  it('when a cap names a level that does not exist, then it is refused', () => {
    expect(
      problemsAfter((raw) => {
        raw.caps[0].max_level = 'middling';
      }),
    ).toContainEqual({
      path: 'caps[0].max_level',
      message: expect.stringContaining('unknown fidelity level "middling"'),
    });
  });

  it('when a cap is at the highest level, then it is refused as one that never lowers anything', () => {
    expect(
      problemsAfter((raw) => {
        raw.caps[1].max_level = 'good';
      }),
    ).toContainEqual({
      path: 'caps[1].max_level',
      message: expect.stringContaining('highest level'),
    });
  });

  it('when a cap threshold is below every critical scale, or asks for more critical indicators than exist, then it is refused', () => {
    const problems = problemsAfter((raw) => {
      raw.caps[1].when = { critical_at_or_below: -1, min_count: 3 };
    });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['caps[1].when.critical_at_or_below', 'caps[1].when.min_count']));
  });

  it('when caps exist but no indicator is critical, then it is refused', () => {
    const problems = problemsAfter((raw) => {
      for (const section of raw.sections) for (const indicator of section.indicators) delete indicator.critical;
    });
    expect(problems).toContainEqual({ path: 'caps', message: expect.stringContaining('no indicator is critical') });
  });

  it('when a cap condition is of an unknown form, then the shape error names it', () => {
    expect(
      problemsAfter((raw) => {
        raw.caps[0].when = 'average_below';
      }).some((p) => p.path === 'caps[0].when'),
    ).toBe(true);
  });

  it('when no part decides the level, then it is refused', () => {
    const problems = problemsAfter((raw) => {
      for (const part of raw.parts) {
        part.decides_level = false;
        part.reported_as = { sv: 'Vid sidan', en: 'Beside' };
      }
    });
    expect(problems).toContainEqual({ path: 'parts', message: expect.stringContaining('at least one part must decide') });
  });

  it('when a part beside the level has no heading, or a deciding part has one, then both are refused', () => {
    const problems = problemsAfter((raw) => {
      delete raw.parts[2].reported_as;
      raw.parts[0].reported_as = { sv: 'X', en: 'X' };
    });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['parts[2].reported_as', 'parts[0].reported_as']));
  });

  it('when the crosswalk misses an indicator, names an unknown one or continues one item twice, then each is refused', () => {
    const problems = problemsAfter((raw) => {
      delete raw.crosswalk.continues['k1-choice'];
      raw.crosswalk.continues['no-such'] = null;
      raw.crosswalk.continues['m1-plan'] = 'c1-alpha';
    });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['crosswalk.continues.k1-choice', 'crosswalk.continues.no-such', 'crosswalk.continues.m1-plan']),
    );
  });
});
