import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** Runs `npm run rubric:check -- <files>` the way an author would, without npm's own output. */
function runRubricCheck(...files: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, ['src/rubrics/rubric-check-cli.ts', ...files], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each run starts a tsx process, which takes a second or so on a small machine.
describe('npm run rubric:check', { timeout: 60_000 }, () => {
  it('exits 0 and summarises the shipped rubric', () => {
    const { status, stdout, stderr } = runRubricCheck('rubrics/bostad-forst.yaml');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('rubrics/bostad-forst.yaml: valid (bostad-forst 2.0, 14 sections');
    expect(stdout).toMatch(/sha256 [0-9a-f]{12}/);
  });

  it('exits 0 for the mini-five fixture with its mixed scales', () => {
    const { status, stdout } = runRubricCheck('test/fixtures/rubrics/mini-five.yaml');
    expect(status).toBe(0);
    expect(stdout).toContain('valid (mini-five 0.1-test, 3 sections, 7 indicators');
  });

  it('exits 1 and lists every problem by path when a file has two problems', () => {
    const { status, stdout, stderr } = runRubricCheck('test/fixtures/rubrics/broken/two-problems.yaml');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('two-problems.yaml: 2 problem(s)');
    expect(stderr).toContain('sections[0].indicators[0].scale.anchors.3: missing anchor for level 3');
    expect(stderr).toContain('sections[0].indicators[1].text.en:');
  });

  it('exits 0 for the capped-mix fixture with caps, critical items and a part beside the level', () => {
    const { status, stdout } = runRubricCheck('test/fixtures/rubrics/capped-mix.yaml');
    expect(status).toBe(0);
    expect(stdout).toContain('valid (capped-mix 2.0-test, 3 sections, 5 indicators');
  });

  it('exits 1 and names each broken verdict rule by its path', () => {
    const { status, stderr } = runRubricCheck('test/fixtures/rubrics/broken/verdict-rules.yaml');
    expect(status).toBe(1);
    for (const path of [
      'parts[0].reported_as:',
      'parts[1].reported_as:',
      'sections[0].indicators[0].required: a critical indicator must be required',
      'sections[0].indicators[1].scale.allow_na: a required indicator cannot allow N/A',
      'caps[0].max_level: unknown fidelity level "middling"',
      'caps[1].max_level: "good" is the highest level',
      'caps[1].when.critical_at_or_below:',
      'crosswalk.continues.k1-required:',
      'crosswalk.continues.x1-gone: unknown indicator',
      'crosswalk.continues.x1-plain: indicator "x1-plain" is missing',
      'crosswalk.from_version:',
    ]) {
      expect(stderr).toContain(path);
    }
  });

  it('exits 1 and points at the YAML error when the file is not YAML', () => {
    const { status, stderr } = runRubricCheck('test/fixtures/rubrics/broken/not-yaml.yaml');
    expect(status).toBe(1);
    expect(stderr).toContain('not-yaml.yaml: 1 problem(s)');
    expect(stderr).toMatch(/\(yaml\): .*line \d+/);
  });

  it('exits 1 when one of several files is invalid, still reporting the valid one', () => {
    const { status, stdout, stderr } = runRubricCheck('test/fixtures/rubrics/mini-five.yaml', 'test/fixtures/rubrics/broken/wrong-id.yaml');
    expect(status).toBe(1);
    expect(stdout).toContain('mini-five.yaml: valid');
    expect(stderr).toContain('id: the id "another-id" must equal the file name "wrong-id"');
  });

  it('exits 1 when a file cannot be read', () => {
    const { status, stderr } = runRubricCheck('rubrics/no-such-rubric.yaml');
    expect(status).toBe(1);
    expect(stderr).toContain('rubrics/no-such-rubric.yaml: cannot read');
  });

  it('exits 1 with usage when no file is given', () => {
    const { status, stdout, stderr } = runRubricCheck();
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: npx tsx src/rubrics/rubric-check-cli.ts <rubric.yaml>');
  });
});
