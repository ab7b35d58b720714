// npm run rubric:check -- <file> [<file> ...]: validates rubric files for their authors.
import { describeAppVersion } from '../app-version.js';
import { formatCommand } from '../cli/shell-command.js';
import { checkRubricFile } from './load-rubrics.js';

function checkRubricFiles(files: readonly string[]): number {
  if (files.length === 1 && files[0] === '--version') {
    console.log(describeAppVersion());
    return 0;
  }
  if (files.length === 0) {
    console.error(`Usage: ${formatCommand('rubric:check', '<rubric.yaml> [more files]')}`);
    return 1;
  }
  let failed = 0;
  for (const file of files) {
    // The server's loader: the same size limit and the same refusal of alias and merge-key bombs.
    const result = checkRubricFile(file);
    if (result.ok) {
      const { rubric, contentHash } = result.loaded;
      const indicators = rubric.sections.reduce((n, s) => n + s.indicators.length, 0);
      console.log(
        `${file}: valid (${rubric.id} ${rubric.version}, ${rubric.sections.length} sections, ${indicators} indicators, sha256 ${contentHash.slice(0, 12)})`,
      );
      continue;
    }
    failed++;
    const [only, ...others] = result.problems;
    if (only !== undefined && others.length === 0 && only.path === '(file)') {
      // Unreadable, too large or hostile: one line naming the file.
      console.error(`${file}: ${only.message}`);
      continue;
    }
    console.error(`${file}: ${result.problems.length} problem(s)`);
    for (const problem of result.problems) console.error(`  ${problem.path}: ${problem.message}`);
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = checkRubricFiles(process.argv.slice(2));
