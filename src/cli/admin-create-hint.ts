// The command line the server's first start prints for making the first administrator without the setup link: the
// exact command for this installation (its data folder as an absolute path, the build's own script or the npm script,
// NODE_ENV), to run as the server's user. A shorter hint, run from another folder or as another user, made admin:create
// look for ./data there: it refuses that now, but the hint is what an operator copies.
import { resolve } from 'node:path';
import { quoteShellWord } from './shell-command.js';

export type AdminCreateCommandFacts = {
  /** DATA_DIR and the database file as configured; relative ones are resolved against `cwd`, the server's folder. */
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly cwd: string;
  readonly production: boolean;
  /** The key for TOTP secrets comes from MFA_KEY, which the tool must then be given too (it is never printed). */
  readonly mfaKeyFromEnv: boolean;
  /** The OS user the server runs as. */
  readonly user: string;
  /** The compiled tool beside the compiled server (dist/accounts/create-admin-cli.js); undefined when running the sources. */
  readonly builtScript: string | undefined;
  /** The project folder, where `npm run admin:create` works. */
  readonly projectDir: string;
};

const ARGS = '--email you@example.org --name "Your Name"';

/** "Or on the command line, as the server's user hf-fidelity: sudo -u hf-fidelity DATA_DIR=/var/lib/hf-fidelity …" */
export function describeAdminCreateCommand(facts: AdminCreateCommandFacts): string {
  const dataDir = resolve(facts.cwd, facts.dataDir);
  const env = [`DATA_DIR=${quoteShellWord(dataDir)}`];
  if (facts.databaseFile !== ':memory:') {
    const databaseFile = resolve(facts.cwd, facts.databaseFile);
    // DATABASE_FILE only when it is not DATA_DIR's own (config.ts), so the usual command stays short.
    if (databaseFile !== resolve(dataDir, 'hf-fidelity.sqlite')) env.push(`DATABASE_FILE=${quoteShellWord(databaseFile)}`);
  }
  if (facts.production) env.push('NODE_ENV=production');
  const user = quoteShellWord(facts.user);
  const command =
    facts.builtScript === undefined
      ? `cd ${quoteShellWord(resolve(facts.projectDir))} && ${env.join(' ')} npm run admin:create -- ${ARGS}`
      : `sudo -u ${user} ${env.join(' ')} node ${quoteShellWord(facts.builtScript)} ${ARGS}`;
  const mfaKey = facts.mfaKeyFromEnv ? ' (with MFA_KEY set as the server has it)' : '';
  return `Or on the command line, as the server's user ${user}${mfaKey}: ${command}`;
}
