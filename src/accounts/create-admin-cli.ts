import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import {
  describeFailure,
  openCommandDatabase,
  parseCommandLine,
  type ParsedCommandLine,
  answerWithoutRunning,
} from '../cli/command-line.js';
import { formatCommand } from '../cli/shell-command.js';
import { refuseMissingDatabase } from '../db/missing-database.js';
import type { Db } from '../db/open-database.js';
import { createTranslator } from '../i18n/messages.js';
import { findPersonalIdentityNumbers } from '../privacy/personnummer.js';
import { findPasswordProblem } from './password-policy.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { createServices, type Services, servicesConfigOf } from '../services.js';
import { describeNewKeyFile } from './mfa-key.js';

function usage(): string {
  return [
    `Usage: ${formatCommand('admin:create', '--email you@example.org --name "Your Name" [--affiliation "Org"] [--new-installation]')}`,
    "The password is read from ADMIN_PASSWORD, or asked for when run in a terminal. Run it as the server's user, with the",
    "server's DATA_DIR (or DATABASE_FILE): the server's first start prints the whole command. --new-installation lets it",
    'create the database, for a first administrator made before the server has ever started; without it, a missing',
    'database is refused.',
  ].join('\n');
}

const ArgsSchema = z
  .object({
    email: z.email('--email must be an email address').transform((e) => e.toLowerCase()),
    name: z.string({ error: '--name is required' }).trim().min(1, '--name is required').max(120),
    affiliation: z.string().trim().max(200).default(''),
    'new-installation': z.boolean().default(false),
  })
  .transform(({ 'new-installation': newInstallation, ...rest }) => ({ ...rest, newInstallation }));

type AdminArgs = z.infer<typeof ArgsSchema>;

/** Thrown when the password cannot be had: not set, no terminal to ask on, or the two entries differ. */
class PasswordUnavailableError extends Error {}

function parseAdminArgs(argv: readonly string[]): ParsedCommandLine<AdminArgs> {
  return parseCommandLine(argv, ['email', 'name', 'affiliation'], ArgsSchema, ['new-installation']);
}

/** The block-list and context rules of the web forms (NIST SP 800-63B), in the same words; undefined when the password is fine. */
function findProblem(password: string, args: AdminArgs): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password needs at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password may have at most ${PASSWORD_MAX_LENGTH} characters.`;
  const problem = findPasswordProblem(password, { email: args.email, displayName: args.name });
  if (problem === undefined) return undefined;
  return createTranslator('en')(problem === 'tooCommon' ? 'auth.passwordTooCommon' : 'auth.passwordContextual');
}

/** The option whose value holds a personal identity number (it would reach users and the audit log), or undefined. */
function findIdentityNumberOption(args: AdminArgs): string | undefined {
  const options: [string, string][] = [
    ['--email', args.email],
    ['--name', args.name],
    ['--affiliation', args.affiliation],
  ];
  return options.find(([, value]) => findPersonalIdentityNumbers(value).length > 0)?.[0];
}

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) {
    throw new PasswordUnavailableError('No password given: set ADMIN_PASSWORD, or run admin:create in a terminal to be asked for it.');
  }
  const password = await askHidden(`Password for the new administrator (at least ${PASSWORD_MIN_LENGTH} characters): `);
  const repeated = await askHidden('The same password again: ');
  if (password !== repeated) throw new PasswordUnavailableError('The two passwords differ; nothing was created.');
  return password;
}

/** Asks on the terminal without echoing what is typed: readline edits the line as usual, but its output is swallowed after the prompt. */
async function askHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, encoding, callback) {
      if (!muted) process.stdout.write(chunk, encoding);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  // Ctrl+C, or Ctrl+D on an empty line, would otherwise leave the question unanswered for ever.
  const interrupted = new Promise<never>((_resolve, reject) => {
    rl.once('SIGINT', () => reject(new PasswordUnavailableError('Interrupted; nothing was created.')));
    rl.once('close', () => reject(new PasswordUnavailableError('No password entered; nothing was created.')));
  });
  try {
    const answer = rl.question(prompt);
    muted = true;
    return await Promise.race([answer, interrupted]);
  } finally {
    rl.close();
    // The Enter that ended the line was swallowed too.
    process.stdout.write('\n');
  }
}

async function createAdmin(argv: readonly string[]): Promise<number> {
  const parsed = parseAdminArgs(argv);
  if (parsed.kind !== 'args') return answerWithoutRunning(parsed, 'admin:create', usage());
  const args = parsed.args;
  const identityNumberOption = findIdentityNumberOption(args);
  if (identityNumberOption !== undefined) {
    console.error(
      `admin:create: ${identityNumberOption} holds what looks like a Swedish personal identity number; the tool keeps no data about individuals, so nothing was created (a phone number is written with its area code, as in 08-123 456 78).`,
    );
    return 1;
  }
  let db: Db | undefined;
  let services: Services | undefined;
  try {
    // Checked before asking for the password: typing it is wasted when the configuration is wrong.
    const config = loadConfig();
    const file = config.databaseFile === ':memory:' ? config.databaseFile : resolve(config.databaseFile);
    if (file !== ':memory:' && !existsSync(file)) {
      // The traces of an installation whose database is gone say more than a missing file does.
      refuseMissingDatabase(config);
      if (!args.newInstallation) {
        // Run from the wrong folder, without the server's DATA_DIR or as another user, this would make a second, empty
        // installation that the running server never sees: a new database only when asked for.
        console.error(
          `admin:create: there is no database at ${file}, so nothing was created. Run it as the server's user with the server's DATA_DIR (or DATABASE_FILE): the server's first start prints the whole command. For a new installation whose server has not started yet, add --new-installation.`,
        );
        return 1;
      }
    }
    const password = await readPassword();
    const problem = findProblem(password, args);
    if (problem !== undefined) {
      console.error(`admin:create: ${problem}`);
      return 1;
    }
    db = openCommandDatabase(config, 'admin:create');
    // Accounts only: no rubric is read, so a broken rubric file does not stop an administrator being made.
    services = createServices(db, servicesConfigOf(config), { rubrics: new Map() });
    // A first administrator is often made before the server ever starts: then this tool made the key file.
    if (services.mfaKeyStart?.created) console.log(describeNewKeyFile(resolve(services.mfaKeyStart.from)));
    const { users } = services;
    if (users.findUserByEmail(args.email)) {
      console.error(`There is already an account for ${args.email} in ${file}.`);
      return 1;
    }
    users.insertUser(
      {
        email: args.email,
        displayName: args.name,
        affiliation: args.affiliation,
        passwordHash: await hashPassword(password, config.http.passwordHashing),
        roles: ['admin'],
      },
      // No user of the app acts: the audit entry names this command and its OS user (openCommandDatabase).
      undefined,
    );
    console.log(`Administrator ${args.email} created in ${file}. Log in at /login.`);
    return 0;
  } catch (error) {
    if (error instanceof PasswordUnavailableError) {
      console.error(`admin:create: ${error.message}`);
      return 1;
    }
    // A stack trace only for a bug; what the operator can fix (configuration, paths, permissions) gets one line.
    const message = describeFailure(error);
    console.error(`admin:create failed: ${message}`);
    return 1;
  } finally {
    await services?.close();
    db?.close();
  }
}

process.exitCode = await createAdmin(process.argv.slice(2));
