import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeFileAgreement, readAgreementUnits, toAgreementJson } from '../../src/research/agreement-file.js';
import { SHROUT_FLEISS_TABLE_2 } from '../fixtures/shrout-fleiss.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const directory = mkdtempSync(join(tmpdir(), 'hf-agreement-'));

/** Runs `npm run agreement -- <args>` the way a researcher would, without npm's own output. */
function runAgreement(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, ['src/research/agreement-cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeCsv(name: string, text: string): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

/** Shrout & Fleiss (1979) Table 2 in long format: six targets (indicators of one review), four judges. */
const SHROUT_FLEISS_CSV = [
  'review_id,indicator_id,rater,score,is_consensus',
  ...SHROUT_FLEISS_TABLE_2.flatMap((row, target) => row.map((score, judge) => `r1,t${target + 1},J${judge + 1},${score},0`)),
  // Consensus rows are ignored, whatever they hold.
  'r1,t1,,999,1',
].join('\n');

/**
 * Krippendorff (2011), the four observers × twelve units example, with its missing values as empty scores and
 * the extra long-format columns a real export has. Published α: nominal 0.743, ordinal 0.815, interval 0.849.
 */
const OBSERVERS: Record<string, readonly (number | null)[]> = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
};
const KRIPPENDORFF_CSV = [
  'municipality_code,program,review_id,review_date,rubric_id,rubric_version,section_id,indicator_id,rater,rater_role,score,not_applicable,is_consensus',
  ...Object.entries(OBSERVERS).flatMap(([observer, values]) =>
    values.map((value, unit) => `0180,"Program, demo",7,2025-01-01,x,1,s,u${unit + 1},${observer},reviewer,${value ?? ''},0,0`),
  ),
].join('\r\n');

describe('npm run agreement', { timeout: 60_000 }, () => {
  it('with --json, prints exactly the specified object; on Shrout & Fleiss (1979) Table 2 the ICCs match the paper', () => {
    const { status, stdout, stderr } = runAgreement('--json', writeCsv('sf.csv', SHROUT_FLEISS_CSV));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const output = JSON.parse(stdout) as Record<string, unknown> & {
      icc: Record<string, number>;
      krippendorff_alpha: Record<string, number>;
    };
    // Each ICC's interpretation, the reviews' own figures and the median of their ICCs were added.
    expect(Object.keys(output)).toEqual([
      'units',
      'raters',
      'ratings',
      'icc',
      'icc_interpretation',
      'krippendorff_alpha',
      'percent_exact',
      'percent_within_1',
      'mean_abs_diff',
      'reviews',
      'median_icc',
    ]);
    expect(Object.keys(output.icc)).toEqual(['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k', 'units_used']);
    expect(Object.keys(output.krippendorff_alpha)).toEqual(['nominal', 'ordinal', 'interval']);
    expect(output).toMatchObject({ units: 6, raters: 4, ratings: 24 });
    expect(output.icc.units_used).toBe(6);
    expect(output.icc.ICC1).toBeCloseTo(0.166, 3);
    expect(output.icc.ICC2).toBeCloseTo(0.29, 3);
    expect(output.icc.ICC3).toBeCloseTo(0.715, 3);
    expect(output.icc.ICC1k).toBeCloseTo(0.443, 3);
    expect(output.icc.ICC2k).toBeCloseTo(0.62, 3);
    expect(output.icc.ICC3k).toBeCloseTo(0.909, 3);
    expect(typeof output.percent_exact).toBe('number');
  });

  it('on Krippendorff (2011)’s example with missing ratings, alpha matches the paper and the ICC uses the complete units', () => {
    const { status, stdout } = runAgreement('--json', writeCsv('k2011.csv', KRIPPENDORFF_CSV));
    expect(status).toBe(0);
    const output = JSON.parse(stdout) as {
      units: number;
      raters: number;
      ratings: number;
      icc: { units_used: number };
      krippendorff_alpha: Record<string, number>;
    };
    expect(output.krippendorff_alpha.nominal).toBeCloseTo(0.743, 3);
    expect(output.krippendorff_alpha.ordinal).toBeCloseTo(0.815, 3);
    expect(output.krippendorff_alpha.interval).toBeCloseTo(0.849, 3);
    expect(output).toMatchObject({ units: 12, raters: 4, ratings: 41 });
    expect(output.icc.units_used).toBe(8);
  });

  it('without --json, prints a readable report with the bands and the indicators raters disagree on most', () => {
    const { status, stdout } = runAgreement(writeCsv('sf-text.csv', SHROUT_FLEISS_CSV));
    expect(status).toBe(0);
    expect(stdout).toContain('Units: 6   Raters: 4   Ratings: 24');
    expect(stdout).toMatch(/ICC\(2,1\)\s+0\.290\s+poor/);
    expect(stdout).toMatch(/ICC\(3,k\)\s+0\.909\s+excellent/);
    expect(stdout).toContain('Indicators raters disagree on most');
    expect(stdout).toMatch(/t1\s+4\.00/);
  });

  it('when a row is malformed, exits 1 and names the line at fault', () => {
    const bad = writeCsv('bad-score.csv', 'review_id,indicator_id,rater,score,is_consensus\nr1,a,R1,3,0\nr1,a,R2,three,0\n');
    const result = runAgreement('--json', bad);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${bad}:3: score "three" is not a number\n`);

    const quote = runAgreement(writeCsv('bad-quote.csv', 'review_id,indicator_id,rater,score,is_consensus\nr1,a,"R1,3,0\n'));
    expect(quote.status).toBe(1);
    expect(quote.stderr).toContain('bad-quote.csv:2: a quoted field is never closed');

    const columns = runAgreement(writeCsv('bad-header.csv', 'review,indicator,rater,score\n1,a,R1,3\n'));
    expect(columns.status).toBe(1);
    expect(columns.stderr).toContain('bad-header.csv:1: missing column(s): review_id, indicator_id, is_consensus');
  });

  it('when the file is missing or no file is given, says so', () => {
    const missing = runAgreement(join(directory, 'nope.csv'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const usage = runAgreement();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: npx tsx src/research/agreement-cli.ts [--json] <file.csv>');
  });
});

describe('readAgreementUnits', () => {
  it('treats each (review_id, indicator_id) as a unit, skips consensus rows and empty scores, and accepts any numeric scale', () => {
    const units = readAgreementUnits(
      'is_consensus,score,rater,indicator_id,review_id\n0,-1.5,a,x,1\n0,2e0,b,x,1\n0,,c,x,1\n1,9,,x,1\n0,0.5,a,x,2\n',
    );
    expect(units).toEqual([
      {
        item: 'x',
        ratings: [
          { rater: 'a', value: -1.5 },
          { rater: 'b', value: 2 },
        ],
      },
      { item: 'x', ratings: [{ rater: 'a', value: 0.5 }] },
    ]);
  });

  it('refuses a rater who scores a unit twice, a wrong field count and a bad is_consensus, naming the line', () => {
    expect(() => readAgreementUnits('review_id,indicator_id,rater,score,is_consensus\n1,x,a,1,0\n1,x,a,2,0\n')).toThrow(
      'line 3: rater "a" already scored indicator "x" of review "1" on line 2',
    );
    expect(() => readAgreementUnits('review_id,indicator_id,rater,score,is_consensus\n1,x,a,1\n')).toThrow('line 2: 4 fields');
    expect(() => readAgreementUnits('review_id,indicator_id,rater,score,is_consensus\n1,x,a,1,yes\n')).toThrow('line 2: is_consensus');
  });

  it('reads a decimal comma in a semicolon-separated file (Swedish Excel), and only there', () => {
    const semicolons =
      '\uFEFFreview_id;indicator_id;rater;score;is_consensus\r\n1;a;R1;2,5;0\r\n1;a;R2;3;0\r\n1;b;R1;-0,25;0\r\n1;b;R2;,5;0\r\n1;a;;9,5;1\r\n';
    expect(readAgreementUnits(semicolons)).toEqual([
      {
        item: 'a',
        ratings: [
          { rater: 'R1', value: 2.5 },
          { rater: 'R2', value: 3 },
        ],
      },
      {
        item: 'b',
        ratings: [
          { rater: 'R1', value: -0.25 },
          { rater: 'R2', value: 0.5 },
        ],
      },
    ]);
    // A decimal point still reads; a score that is no number is named as typed.
    expect(readAgreementUnits('review_id;indicator_id;rater;score;is_consensus\n1;a;R1;2.5;0\n')).toEqual([
      { item: 'a', ratings: [{ rater: 'R1', value: 2.5 }] },
    ]);
    expect(() => readAgreementUnits('review_id;indicator_id;rater;score;is_consensus\n1;a;R1;2,5,1;0\n')).toThrow(
      'line 2: score "2,5,1" is not a number',
    );
    // In a comma-separated file a quoted "2,5" is no number.
    expect(() => readAgreementUnits('review_id,indicator_id,rater,score,is_consensus\n1,a,R1,"2,5",0\n')).toThrow(
      'line 2: score "2,5" is not a number',
    );
  });

  it('reads cells pasted from a spreadsheet (tabs between the fields), a decimal comma too', () => {
    expect(readAgreementUnits('review_id\tindicator_id\trater\tscore\tis_consensus\n1\ta\tR1\t2,5\t0\n1\ta\tR2\t3\t0\n')).toEqual([
      {
        item: 'a',
        ratings: [
          { rater: 'R1', value: 2.5 },
          { rater: 'R2', value: 3 },
        ],
      },
    ]);
  });

  it('gives the JSON object with nulls, never NaN, when nothing can be computed', () => {
    const json = toAgreementJson(computeFileAgreement('review_id,indicator_id,rater,score,is_consensus\n'));
    expect(json).toEqual({
      units: 0,
      raters: 0,
      ratings: 0,
      icc: { ICC1: null, ICC2: null, ICC3: null, ICC1k: null, ICC2k: null, ICC3k: null, units_used: 0 },
      icc_interpretation: { ICC1: null, ICC2: null, ICC3: null, ICC1k: null, ICC2k: null, ICC3k: null },
      krippendorff_alpha: { nominal: null, ordinal: null, interval: null },
      percent_exact: null,
      percent_within_1: null,
      mean_abs_diff: null,
      reviews: [],
      median_icc: { reviews: 0, ICC2: null, ICC2k: null },
    });
  });
});
