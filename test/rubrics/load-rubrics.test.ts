import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  RubricLoadError,
  loadRubricFile,
  loadRubrics,
  parseRubricSnapshot,
  parseRubricText,
  toLoadedRubric,
} from '../../src/rubrics/load-rubrics.js';
import { findFidelityLevel, indicatorNumbers, listIndicators } from '../../src/rubrics/rubric-schema.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rubricsDir = join(root, 'rubrics');
const shippedFile = join(rubricsDir, 'bostad-forst.yaml');
const fixturesDir = join(root, 'test', 'fixtures', 'rubrics');
const miniFile = join(fixturesDir, 'mini-five.yaml');
const frozenFile = join(fixturesDir, 'bostad-forst-1.1', 'bostad-forst.yaml');
const brokenDir = join(fixturesDir, 'broken');

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding copies of the given files. */
function dirWith(...files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-rubrics-'));
  tempDirs.push(dir);
  for (const file of files) copyFileSync(file, join(dir, file.split(/[\\/]/).pop() ?? 'rubric.yaml'));
  return dir;
}

function catchLoadError(load: () => unknown): RubricLoadError {
  try {
    load();
  } catch (error) {
    if (error instanceof RubricLoadError) return error;
    throw error;
  }
  throw new Error('expected a RubricLoadError, but loading succeeded');
}

/** The same data with every object's keys in reverse order (arrays keep their order). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([key, inner]) => [key, reverseKeys(inner)]),
    );
  }
  return value;
}

function parseOk(text: string, expectedId?: string) {
  const result = parseRubricText(text, expectedId);
  if (!result.ok) throw new Error(`expected a valid rubric: ${JSON.stringify(result.problems)}`);
  return result.loaded;
}

describe('the shipped bostad-forst rubric', () => {
  const { rubric } = loadRubricFile(shippedFile);
  const indicators = listIndicators(rubric);

  it('loads from the rubrics directory under its id', () => {
    const loaded = loadRubrics(rubricsDir).get('bostad-forst');
    expect(loaded?.rubric.version).toBe('2.0');
    expect(loaded?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has the two parts: the principles and the areas of the support agreement', () => {
    expect(rubric.parts.map((part) => part.id)).toEqual(['principle', 'agreement-area']);
    expect(rubric.parts.map((part) => part.title.sv)).toEqual(['Bostad först-principerna', 'Överenskommelsens sex områden']);
    // The principles decide the level; the agreement areas are reported beside it.
    expect(rubric.parts.map((part) => [part.decides_level, part.reported_as?.sv])).toEqual([
      [true, undefined],
      [false, 'Stödets kvalitet enligt överenskommelsen'],
    ]);
  });

  it('has 14 sections: A1–A8 as principles, then B1–B6 as agreement areas', () => {
    expect(rubric.sections).toHaveLength(14);
    expect(rubric.sections.map((s) => s.code)).toEqual([
      'A1',
      'A2',
      'A3',
      'A4',
      'A5',
      'A6',
      'A7',
      'A8',
      'B1',
      'B2',
      'B3',
      'B4',
      'B5',
      'B6',
    ]);
    expect(rubric.sections.filter((s) => s.kind === 'principle').map((s) => s.code)).toEqual([
      'A1',
      'A2',
      'A3',
      'A4',
      'A5',
      'A6',
      'A7',
      'A8',
    ]);
    expect(rubric.sections.filter((s) => s.kind === 'agreement-area').map((s) => s.code)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6']);
  });

  it('uses the Swedish names of the eight principles and six areas', () => {
    expect(rubric.sections.map((s) => s.title.sv)).toEqual([
      'En egen bostad är en mänsklig rättighet',
      'Rätten till val och självbestämmande',
      'Bostad och behandling ska separeras',
      'Stöd riktat mot återhämtning',
      'Stöd baserat på skademinskning',
      'Aktivt engagemang utan tvång och fostran',
      'Deltagarstyrt stöd utifrån individens styrkor och mål',
      'Flexibelt stöd så länge personen vill och behöver',
      'Kompetens och erfarenhet',
      'Tillgänglighet',
      'Arbetssätt och metoder',
      'Arbetslivsorienterad rehabilitering',
      'Brukardelaktighet',
      'Service till bostadsföretagen',
    ]);
  });

  it('gives every section 3–8 indicators', () => {
    for (const section of rubric.sections) {
      expect(section.indicators.length, section.code).toBeGreaterThanOrEqual(3);
      expect(section.indicators.length, section.code).toBeLessThanOrEqual(8);
    }
  });

  it('rates every indicator 1–4, N/A allowed except on required ones, with an anchor for each level in both languages', () => {
    for (const { indicator } of indicators) {
      expect(indicator.scale, indicator.id).toMatchObject({ min: 1, max: 4, allow_na: indicator.required !== true });
      expect(Object.keys(indicator.scale.anchors).sort(), indicator.id).toEqual(['1', '2', '3', '4']);
      for (const level of ['1', '2', '3', '4']) {
        const anchor = indicator.scale.anchors[level];
        expect(anchor?.sv.trim(), `${indicator.id} ${level} sv`).toBeTruthy();
        expect(anchor?.en.trim(), `${indicator.id} ${level} en`).toBeTruthy();
      }
    }
  });

  it('gives every indicator guidance in both languages and anchors that differ between levels', () => {
    for (const { indicator } of indicators) {
      expect(indicator.guidance?.sv, indicator.id).toBeTruthy();
      expect(indicator.guidance?.en, indicator.id).toBeTruthy();
      const svAnchors = Object.values(indicator.scale.anchors).map((anchor) => anchor.sv);
      expect(new Set(svAnchors).size, indicator.id).toBe(svAnchors.length);
    }
  });

  it('gives indicators unique ids that start with their section code', () => {
    const ids = indicators.map(({ indicator }) => indicator.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { section, indicator } of indicators) {
      expect(indicator.id).toMatch(new RegExp(`^${section.code.toLowerCase()}-[a-z0-9-]+$`));
    }
  });

  it('uses only the six evidence sources S, P, C, D, O and L', () => {
    expect(rubric.evidence_sources.map((source) => source.code)).toEqual(['S', 'P', 'C', 'D', 'O', 'L']);
    const codes = new Set(rubric.evidence_sources.map((source) => source.code));
    for (const { indicator } of indicators) {
      expect(indicator.evidence.length, indicator.id).toBeGreaterThan(0);
      for (const code of indicator.evidence) expect(codes.has(code), `${indicator.id} ${code}`).toBe(true);
    }
  });

  it('requires two thirds of a section rated and bands fidelity at 87.5, 75 and 50 percent', () => {
    expect(rubric.min_rated_share).toBe(2 / 3);
    expect(rubric.fidelity_levels.map((level) => [level.id, level.min_percent])).toEqual([
      ['high', 87.5],
      ['adequate', 75],
      ['partial', 50],
      ['low', 0],
    ]);
    // Reviews repeat every 6–12 months until fidelity is high, then yearly.
    expect(rubric.fidelity_levels.map((level) => [level.id, level.follow_up_months])).toEqual([
      ['high', { min: 12, max: 12 }],
      ['adequate', { min: 6, max: 12 }],
      ['partial', { min: 6, max: 12 }],
      ['low', { min: 6, max: 12 }],
    ]);
    // A mean item score of 3.5 of 4 is 87.5 % of the maximum.
    expect(findFidelityLevel(rubric, (3.5 / 4) * 100)?.id).toBe('high');
    expect(findFidelityLevel(rubric, (3.49 / 4) * 100)?.id).toBe('adequate');
    expect(findFidelityLevel(rubric, (3.0 / 4) * 100)?.id).toBe('adequate');
    expect(findFidelityLevel(rubric, (2.0 / 4) * 100)?.id).toBe('partial');
    expect(findFidelityLevel(rubric, (1.99 / 4) * 100)?.id).toBe('low');
  });
});

describe('the shipped rubric, version 2.0: a verdict averages cannot buy', () => {
  const { rubric } = loadRubricFile(shippedFile);
  const indicators = listIndicators(rubric);
  const numbers = indicatorNumbers(rubric);
  const byNumber = new Map(indicators.map(({ indicator }) => [numbers.get(indicator.id), indicator]));
  const frozen = loadRubricFile(frozenFile).rubric;

  it('makes the core items required and critical, and caps the level when one is at the minimum', () => {
    for (const number of ['A1.1', 'A1.2', 'A1.3', 'A3.1', 'A3.2', 'A8.1', 'B2.1']) {
      const indicator = byNumber.get(number);
      expect(indicator?.required, number).toBe(true);
      expect(indicator?.critical, number).toBe(true);
      expect(indicator?.scale.allow_na, number).toBe(false);
    }
    // Never right to mark N/A for a running program (the demo did): required, not critical.
    for (const number of ['A1.4', 'B1.4']) expect(byNumber.get(number)?.required, number).toBe(true);
    expect(rubric.caps?.map((cap) => [cap.id, cap.max_level])).toEqual([
      ['core-element-absent', 'partial'],
      ['core-elements-absent', 'low'],
    ]);
  });

  it('keeps the id and number of every continuing item, and covers the content 1.1 missed', () => {
    const oldNumbers = indicatorNumbers(frozen);
    for (const [id, from] of Object.entries(rubric.crosswalk?.continues ?? {})) {
      // B5 lost its first item (a repeat of A2/A7), so its items move up one; everywhere else the number stays.
      if (from === id && !id.startsWith('b5-')) expect(numbers.get(id), id).toBe(oldNumbers.get(id));
    }
    const ids = new Set(indicators.map(({ indicator }) => indicator.id));
    for (const id of [
      'a1-target-group',
      'a3-warning-routine',
      'a3-notice-routine',
      'a3-recovery-routine',
      'a3-no-hidden-conditions',
      'a7-children',
      'b3-case-officer',
      'b3-somatic-care',
      'b3-psychiatric-care',
      'b6-consent-landlord',
      'b6-steering-group',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
    // Dropped as repeats of A2/A7 and A4.4; B6.4 asks one question and re-housing stays with A8.3.
    for (const id of ['b5-individual-level', 'b5-peer-roles', 'b6-re-housing-and-respite', 'a6-coercion-log'])
      expect(ids.has(id), id).toBe(false);
    expect(rubric.crosswalk).toMatchObject({ from_version: '1.1' });
    expect(rubric.crosswalk?.continues['b6-respite']).toBe('b6-re-housing-and-respite');
    expect(rubric.crosswalk?.continues['a1-target-group']).toBeNull();
  });

  it('asks for two sources at level 4 only where the indicator lists two or more', () => {
    for (const { indicator } of indicators) expect(indicator.evidence.length, indicator.id).toBeGreaterThanOrEqual(2);
  });

  it('fixes the anchors the review found: 0 % leases fit one level only, a measured time, no unconditional path', () => {
    const lease = byNumber.get('A1.1');
    expect(lease?.scale.anchors['1']?.sv).toContain('Ingen har förstahandskontrakt');
    expect(lease?.scale.anchors['2']?.sv).toContain('1–49 %');
    expect(JSON.stringify(rubric)).not.toMatch(/villkorslös/);
    expect(byNumber.get('A1.4')?.scale.anchors['4']?.sv).toContain('30 dagar');
  });

  it('uses the Swedish terms of the terminology table', () => {
    const swedish = JSON.stringify(rubric, (key, value) => (key === 'en' ? undefined : value));
    for (const avoided of [
      /trogen/,
      /besittningsrätt/,
      /[Ii]ntag/,
      /boenderedo/,
      /N\/A/,
      /journalgranskning/,
      /koordinator/i,
      /stödgivare/,
      /projektets/,
      /Housing First-princip/,
    ]) {
      expect(swedish).not.toMatch(avoided);
    }
    expect(rubric.fidelity_levels.map((level) => level.label.sv)).toEqual([
      'Hög modelltrohet',
      'Godtagbar modelltrohet',
      'Delvis modelltrohet',
      'Låg modelltrohet',
    ]);
    expect(swedish).toContain('besittningsskydd');
  });
});

describe('the frozen copy of rubric 1.1', () => {
  it('still loads as 1.1, with its 60 indicators, every part deciding and no caps', () => {
    const { rubric } = loadRubricFile(frozenFile);
    expect(rubric.version).toBe('1.1');
    expect(listIndicators(rubric)).toHaveLength(60);
    expect(rubric.caps).toBeUndefined();
    expect(rubric.parts.every((part) => part.decides_level === undefined)).toBe(true);
  });
});

describe('the mini-five fixture rubric', () => {
  const { rubric } = loadRubricFile(miniFile);
  const byId = new Map(listIndicators(rubric).map(({ indicator }) => [indicator.id, indicator]));

  it('loads three sections in two parts', () => {
    expect(rubric.id).toBe('mini-five');
    expect(rubric.parts.map((part) => part.id)).toEqual(['core', 'extra']);
    expect(rubric.sections.map((s) => [s.code, s.kind])).toEqual([
      ['C1', 'core'],
      ['C2', 'core'],
      ['X1', 'extra'],
    ]);
    expect(rubric.min_rated_share).toBe(0.5);
    expect(rubric.fidelity_levels.map((level) => level.id)).toEqual(['good', 'fair', 'poor']);
  });

  it('keeps a 1–5 scale, a 0–2 scale and an indicator without N/A side by side', () => {
    expect(byId.get('c1-alpha')?.scale).toMatchObject({ min: 1, max: 5, allow_na: true });
    expect(byId.get('c1-beta')?.scale).toMatchObject({ min: 1, max: 5, allow_na: false });
    expect(byId.get('c2-gamma')?.scale).toMatchObject({ min: 0, max: 2, allow_na: true });
    expect(Object.keys(byId.get('c2-gamma')?.scale.anchors ?? {}).sort()).toEqual(['0', '1', '2']);
    expect(byId.get('c2-gamma')?.scale.anchors['0']?.en).toBe('No.');
  });

  it('reads quoted and unquoted anchor keys the same way', () => {
    const quoted = byId.get('c2-delta')?.scale.anchors;
    const plain = byId.get('x1-zeta')?.scale.anchors;
    expect(quoted).toEqual(plain);
    expect(Object.keys(quoted ?? {})).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('loadRubricFile', () => {
  const cases = [
    { problem: 'an anchor is missing', name: 'missing-anchor', path: 'sections[0].indicators[1].scale.anchors.2' },
    { problem: 'a section kind is not among the parts', name: 'bad-kind', path: 'sections[1].kind' },
    { problem: 'the file is not valid YAML', name: 'not-yaml', path: '(yaml)' },
    { problem: 'the id differs from the file name', name: 'wrong-id', path: 'id' },
    { problem: 'an indicator id is used twice', name: 'duplicate-indicator', path: 'sections[1].indicators[0].id' },
    { problem: 'an English text is missing', name: 'missing-english', path: 'sections[0].indicators[1].text.en' },
  ];

  it.each(cases)('stops with the file and field named when $problem', ({ name, path }) => {
    const file = join(brokenDir, `${name}.yaml`);
    const error = catchLoadError(() => loadRubricFile(file));
    expect(error.file).toBe(file);
    expect(error.problems.map((p) => p.path)).toEqual([path]);
    expect(error.message).toContain(file);
    expect(error.message).toContain(path);
  });

  it('lists every problem of a file with two problems', () => {
    const error = catchLoadError(() => loadRubricFile(join(brokenDir, 'two-problems.yaml')));
    expect(error.problems.map((p) => p.path)).toEqual(['sections[0].indicators[0].scale.anchors.3', 'sections[0].indicators[1].text.en']);
  });

  it('explains what is wrong, not only where', () => {
    const anchor = catchLoadError(() => loadRubricFile(join(brokenDir, 'missing-anchor.yaml')));
    expect(anchor.problems[0]?.message).toBe('missing anchor for level 2');
    const kind = catchLoadError(() => loadRubricFile(join(brokenDir, 'bad-kind.yaml')));
    expect(kind.problems[0]?.message).toContain('"bonus"');
    const id = catchLoadError(() => loadRubricFile(join(brokenDir, 'wrong-id.yaml')));
    expect(id.problems[0]?.message).toContain('"wrong-id"');
  });

  it('names the file when it cannot be read', () => {
    const file = join(fixturesDir, 'no-such-rubric.yaml');
    const error = catchLoadError(() => loadRubricFile(file));
    expect(error.file).toBe(file);
    expect(error.problems.map((p) => p.path)).toEqual(['(file)']);
  });
});

describe('loadRubrics', () => {
  it('loads every rubric in a directory, keyed by id', () => {
    const rubrics = loadRubrics(dirWith(shippedFile, miniFile));
    expect([...rubrics.keys()].sort()).toEqual(['bostad-forst', 'mini-five']);
    expect(rubrics.get('mini-five')?.rubric.sections).toHaveLength(3);
  });

  it('ignores files that are not YAML', () => {
    const dir = dirWith(miniFile);
    writeFileSync(join(dir, 'README.md'), '# notes, not a rubric\n');
    expect([...loadRubrics(dir).keys()]).toEqual(['mini-five']);
  });

  it('stops with the bad file named when one file in the directory is invalid', () => {
    const dir = dirWith(miniFile, join(brokenDir, 'missing-anchor.yaml'));
    const error = catchLoadError(() => loadRubrics(dir));
    expect(error.file).toBe(join(dir, 'missing-anchor.yaml'));
    expect(error.problems.map((p) => p.path)).toEqual(['sections[0].indicators[1].scale.anchors.2']);
  });

  it('stops when the directory holds no rubric files', () => {
    const dir = dirWith();
    const error = catchLoadError(() => loadRubrics(dir));
    expect(error.file).toBe(dir);
    expect(error.problems.map((p) => p.path)).toEqual(['(directory)']);
  });
});

describe('the rubric content hash', () => {
  const miniText = readFileSync(miniFile, 'utf8');
  const original = parseOk(miniText, 'mini-five');

  it('is the sha256 of the canonical JSON', () => {
    expect(original.contentHash).toBe(createHash('sha256').update(original.canonicalJson).digest('hex'));
  });

  it('stays the same when the file is re-serialised with other key order, layout and comments', () => {
    const reordered = reverseKeys(parse(miniText));
    const rewritten = `# Rewritten by a test: keys reversed, no flow style.\n${stringify(reordered, { indent: 4 })}`;
    expect(rewritten).not.toBe(miniText);
    expect(rewritten.indexOf('sections:')).toBeLessThan(rewritten.indexOf('version:'));

    const again = parseOk(rewritten, 'mini-five');
    expect(again.contentHash).toBe(original.contentHash);
    expect(again.canonicalJson).toBe(original.canonicalJson);

    // JSON is YAML too.
    expect(parseOk(JSON.stringify(parse(miniText), null, 2)).contentHash).toBe(original.contentHash);
  });

  it('is the same for the shipped rubric on every load', () => {
    expect(loadRubricFile(shippedFile).contentHash).toBe(loadRubricFile(shippedFile).contentHash);
  });

  it('changes when an anchor text changes', () => {
    const changed = miniText.replace('5: { sv: Helt., en: Fully. }', '5: { sv: Helt och hållet., en: Fully. }');
    expect(changed).not.toBe(miniText);
    expect(parseOk(changed, 'mini-five').contentHash).not.toBe(original.contentHash);
  });

  it('changes when a scale changes', () => {
    const changed = miniText.replace('allow_na: false', 'allow_na: true');
    expect(changed).not.toBe(miniText);
    expect(parseOk(changed, 'mini-five').contentHash).not.toBe(original.contentHash);
  });

  it('changes when sections are reordered', () => {
    const data = parse(miniText) as { sections: unknown[] };
    const reordered = stringify({ ...data, sections: [...data.sections].reverse() });
    expect(parseOk(reordered, 'mini-five').contentHash).not.toBe(original.contentHash);
  });
});

describe('parseRubricSnapshot', () => {
  it.each([
    ['mini-five', miniFile],
    ['bostad-forst', shippedFile],
  ])('round-trips the canonical JSON of %s', (_name, file) => {
    const loaded = loadRubricFile(file);
    const snapshot = parseRubricSnapshot(loaded.canonicalJson);
    expect(snapshot).toEqual(loaded.rubric);
    expect(toLoadedRubric(snapshot).contentHash).toBe(loaded.contentHash);
  });

  it('rejects a snapshot that is not a valid rubric', () => {
    const { canonicalJson } = loadRubricFile(miniFile);
    const broken = JSON.parse(canonicalJson) as { sections: { kind: string }[] };
    const first = broken.sections[0];
    if (first) first.kind = 'bonus';
    expect(() => parseRubricSnapshot(JSON.stringify(broken))).toThrow(/bonus/);
  });
});

describe('parseRubricText lists every problem at once', () => {
  it('reports a shape error and a cross-reference error of the same file together', async () => {
    const { parseRubricText } = await import('../../src/rubrics/load-rubrics.js');
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const text = readFileSync(fileURLToPath(new URL('../fixtures/rubrics/mini-five.yaml', import.meta.url)), 'utf8');
    const { parse, stringify } = await import('yaml');
    const data = parse(text) as { title: { en?: string }; sections: { kind: string }[] };
    delete data.title.en;
    if (data.sections[0]) data.sections[0].kind = 'no-such-part';
    const result = parseRubricText(stringify(data), 'mini-five');
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toContain('title.en');
    expect(paths).toContain('sections[0].kind');
  });
});

describe('the shipped rubric’s typography', () => {
  /** Every text of both languages in the rubric file: any object with a string `sv` and a string `en`. */
  function localizedTexts(value: unknown, found: { sv: string; en: string }[] = []): { sv: string; en: string }[] {
    if (Array.isArray(value)) for (const item of value) localizedTexts(item, found);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.sv === 'string' && typeof record.en === 'string') found.push({ sv: record.sv, en: record.en });
      else for (const item of Object.values(record)) localizedTexts(item, found);
    }
    return found;
  }

  it('writes a percent as each language does: "50–79 %" in Swedish, "50–79%" in English', () => {
    const texts = localizedTexts(parse(readFileSync(join(root, 'rubrics/bostad-forst.yaml'), 'utf8')));
    expect(texts.filter((text) => /\d%/.test(text.sv)).map((text) => text.sv)).toEqual([]);
    expect(texts.filter((text) => /\d %/.test(text.en)).map((text) => text.en)).toEqual([]);
    expect(texts.some((text) => /\d%/.test(text.en))).toBe(true);
  });
});
