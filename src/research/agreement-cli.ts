// npm run agreement -- [--json] <file.csv>: agreement statistics of a long-format CSV from anywhere.
// Exit 0 with the figures; 1 when the file cannot be read or is malformed (the message names the line);
// 2 when the command is used wrongly.
import { readFileSync } from 'node:fs';
import { describeAppVersion } from '../app-version.js';
import { formatCommand } from '../cli/shell-command.js';
import { AgreementFileError, computeFileAgreement, formatAgreementText, toAgreementJson } from './agreement-file.js';

function usage(): string {
  return `Usage: ${formatCommand('agreement', '[--json] <file.csv>')}`;
}

function runAgreementCli(args: readonly string[]): number {
  const json = args.includes('--json');
  const files = args.filter((arg) => arg !== '--json');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return 0;
  }
  if (args.includes('--version')) {
    console.log(describeAppVersion());
    return 0;
  }
  const [file] = files;
  if (file === undefined || files.length !== 1 || file.startsWith('-')) {
    console.error(usage());
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`${file}: cannot read: ${(error as Error).message}`);
    return 1;
  }
  try {
    const statistics = computeFileAgreement(text);
    process.stdout.write(json ? `${JSON.stringify(toAgreementJson(statistics))}\n` : formatAgreementText(statistics));
    return 0;
  } catch (error) {
    if (error instanceof AgreementFileError) {
      console.error(`${file}:${error.line}: ${error.message.replace(/^line \d+: /, '')}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = runAgreementCli(process.argv.slice(2));
