// npm run admin:create -- --email <email> --name <name> [--affiliation <org>]
// Creates an administrator; the password is read from ADMIN_PASSWORD or prompted for (never a command-line argument).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open-database.js';
import { createTranslator } from '../i18n/messages.js';
import { findPasswordProblem } from './password-policy.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { createUserStore } from './user-store.js';

const ArgsSchema = z.object({
  email: z.email('--email must be an email address').transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, '--name is required').max(120),
  affiliation: z.string().trim().max(200).default(''),
  password: z.string().min(PASSWORD_MIN_LENGTH, `the password needs at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH),
}).superRefine((value, ctx) => {
  // The same block-list and context rules as the web forms (NIST SP 800-63B), in the same words.
  if (value.password.length < PASSWORD_MIN_LENGTH) return;
  const problem = findPasswordProblem(value.password, { email: value.email, displayName: value.name });
  if (problem === undefined) return;
  const t = createTranslator('en');
  ctx.addIssue({ code: 'custom', path: ['password'], message: t(problem === 'tooCommon' ? 'auth.passwordTooCommon' : 'auth.passwordContextual') });
});

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(`Password for the new administrator (at least ${PASSWORD_MIN_LENGTH} characters): `);
  } finally {
    rl.close();
  }
}

async function createAdmin(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, affiliation: { type: 'string' } },
    strict: true,
  });
  const parsed = ArgsSchema.safeParse({ ...values, password: await readPassword() });
  if (!parsed.success) {
    console.error(z.prettifyError(parsed.error));
    console.error('Usage: npm run admin:create -- --email you@example.org --name "Your Name" [--affiliation "Org"]');
    return 1;
  }
  const config = loadConfig();
  mkdirSync(dirname(config.databaseFile), { recursive: true });
  const db = openDatabase(config.databaseFile);
  try {
    migrate(db);
    const users = createUserStore(db);
    if (users.findUserByEmail(parsed.data.email)) {
      console.error(`There is already an account for ${parsed.data.email}.`);
      return 1;
    }
    users.insertUser({
      email: parsed.data.email,
      displayName: parsed.data.name,
      affiliation: parsed.data.affiliation,
      passwordHash: await hashPassword(parsed.data.password),
      roles: ['admin'],
    });
    console.log(`Administrator ${parsed.data.email} created. Log in at /login.`);
    return 0;
  } finally {
    db.close();
  }
}

createAdmin().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
