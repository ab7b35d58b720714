import { describe, expect, it } from 'vitest';
import { describeAdminCreateCommand } from '../../src/cli/admin-create-hint.js';

const SYSTEMD = {
  dataDir: '/var/lib/hf-fidelity',
  databaseFile: '/var/lib/hf-fidelity/hf-fidelity.sqlite',
  cwd: '/opt/hf-fidelity',
  production: true,
  mfaKeyFromEnv: false,
  user: 'hf-fidelity',
  builtScript: '/opt/hf-fidelity/dist/accounts/create-admin-cli.js',
  projectDir: '/opt/hf-fidelity/',
};

describe('describeAdminCreateCommand', () => {
  it('when the build runs in production, then it gives the build’s script with DATA_DIR and NODE_ENV, run as the server’s user', () => {
    expect(describeAdminCreateCommand(SYSTEMD)).toBe(
      `Or on the command line, as the server's user hf-fidelity: sudo -u hf-fidelity DATA_DIR=/var/lib/hf-fidelity NODE_ENV=production node /opt/hf-fidelity/dist/accounts/create-admin-cli.js --email you@example.org --name "Your Name"`,
    );
  });

  it('when DATA_DIR is relative, DATABASE_FILE set elsewhere, or the key comes from MFA_KEY, then the command says so', () => {
    const hint = describeAdminCreateCommand({
      ...SYSTEMD,
      dataDir: 'data',
      databaseFile: '/srv/db files/hf.sqlite',
      mfaKeyFromEnv: true,
    });
    expect(hint).toBe(
      `Or on the command line, as the server's user hf-fidelity (with MFA_KEY set as the server has it): sudo -u hf-fidelity DATA_DIR=/opt/hf-fidelity/data DATABASE_FILE='/srv/db files/hf.sqlite' NODE_ENV=production node /opt/hf-fidelity/dist/accounts/create-admin-cli.js --email you@example.org --name "Your Name"`,
    );
  });

  it('when the sources run (npm start), then it gives the npm script from the project folder', () => {
    const hint = describeAdminCreateCommand({
      ...SYSTEMD,
      dataDir: './data',
      databaseFile: 'data/hf-fidelity.sqlite',
      cwd: '/home/ada/hf-fidelity',
      production: false,
      user: 'ada',
      builtScript: undefined,
      projectDir: '/home/ada/hf-fidelity/',
    });
    expect(hint).toBe(
      `Or on the command line, as the server's user ada: cd /home/ada/hf-fidelity && DATA_DIR=/home/ada/hf-fidelity/data npm run admin:create -- --email you@example.org --name "Your Name"`,
    );
  });
});
