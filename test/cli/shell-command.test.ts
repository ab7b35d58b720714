import { describe, expect, it } from 'vitest';
import { formatCommand, quoteShellWord } from '../../src/cli/shell-command.js';

describe('quoteShellWord', () => {
  it('leaves a plain path as it is, and quotes one with spaces or quotes so that a shell reads it as one word', () => {
    expect(quoteShellWord('/var/lib/hf-fidelity')).toBe('/var/lib/hf-fidelity');
    expect(quoteShellWord('/srv/hf data')).toBe("'/srv/hf data'");
    expect(quoteShellWord("/srv/o'brien")).toBe(`'/srv/o'\\''brien'`);
    expect(quoteShellWord('$HOME')).toBe("'$HOME'");
  });
});

describe('formatCommand', () => {
  const cwd = '/opt/hf-fidelity';

  it('when run through npm, then it names the npm script with its -- separator', () => {
    const invocation = { script: `${cwd}/node_modules/.bin/../../src/db/backup-cli.ts`, npmScript: 'backup', cwd };
    expect(formatCommand('backup', '<backup-file>', invocation)).toBe('npm run backup -- <backup-file>');
    expect(formatCommand('seed:demo', '', { ...invocation, npmScript: 'seed:demo' })).toBe('npm run seed:demo');
  });

  it('when run from the build, then it names node and the script, relative to the folder it was run in when inside it', () => {
    const script = `${cwd}/dist/accounts/create-admin-cli.js`;
    expect(formatCommand('admin:create', '--email x', { script, npmScript: undefined, cwd })).toBe(
      'node dist/accounts/create-admin-cli.js --email x',
    );
    // npm running another script (the tests under npm test) is not this one's npm script.
    expect(formatCommand('admin:create', '--email x', { script, npmScript: 'test', cwd: '/root' })).toBe(
      'node /opt/hf-fidelity/dist/accounts/create-admin-cli.js --email x',
    );
  });

  it('when run from the sources, then it names tsx', () => {
    expect(formatCommand('report', '--out x', { script: `${cwd}/src/reports/report-cli.ts`, npmScript: undefined, cwd })).toBe(
      'npx tsx src/reports/report-cli.ts --out x',
    );
  });
});
