// Which hf-fidelity this is, as --version prints it, and the docs that quote those lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeAppVersion, readAppVersion } from '../src/app-version.js';
import { SCHEMA_VERSION } from '../src/db/migrate.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the version lines', () => {
  it('when --version is printed, then it names the package version and the schema version the program migrates to', () => {
    expect(describeAppVersion()).toBe(`hf-fidelity ${readAppVersion()}, database schema version ${SCHEMA_VERSION}`);
  });

  it('when docs/operations.md and the unreleased changelog quote the lines, then they quote the schema version of this program', () => {
    const changelog = read('CHANGELOG.md');
    const unreleased = changelog.slice(
      changelog.indexOf('## [Unreleased]'),
      changelog.indexOf('\n## [', changelog.indexOf('## [Unreleased]') + 1),
    );
    const quoted = [...`${read('docs/operations.md')}\n${unreleased}`.matchAll(/database schema version (\d+)/g)].map((match) =>
      Number(match[1]),
    );
    expect(quoted.length).toBeGreaterThan(0);
    expect(quoted.filter((version) => version !== SCHEMA_VERSION)).toEqual([]);
  });
});
