// npm run rubric:check -- <file> [<file> ...]: validates rubric files for their authors.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseRubricText } from './load-rubrics.js';

function checkRubricFiles(files: readonly string[]): number {
  if (files.length === 0) {
    console.error('Usage: npm run rubric:check -- <rubric.yaml> [more files]');
    return 1;
  }
  let failed = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      console.error(`${file}: cannot read: ${(error as Error).message}`);
      failed++;
      continue;
    }
    const result = parseRubricText(text, basename(file).replace(/\.ya?ml$/, ''));
    if (result.ok) {
      const { rubric, contentHash } = result.loaded;
      const indicators = rubric.sections.reduce((n, s) => n + s.indicators.length, 0);
      console.log(
        `${file}: valid (${rubric.id} ${rubric.version}, ${rubric.sections.length} sections, ${indicators} indicators, sha256 ${contentHash.slice(0, 12)})`,
      );
    } else {
      failed++;
      console.error(`${file}: ${result.problems.length} problem(s)`);
      for (const problem of result.problems) console.error(`  ${problem.path}: ${problem.message}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = checkRubricFiles(process.argv.slice(2));
