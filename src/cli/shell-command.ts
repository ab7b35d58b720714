// Commands written out for an operator to copy: a tool's usage text names the command as it was run (through npm, from
// the build, or from the sources), and a word with spaces or shell characters in it is quoted.
import { isAbsolute, relative } from 'node:path';

/** How this process was started. */
export type Invocation = {
  /** The script node runs (process.argv[1]: absolute, symbolic links resolved). */
  readonly script: string | undefined;
  /** The npm script that runs it (npm sets npm_lifecycle_event), if any. */
  readonly npmScript: string | undefined;
  readonly cwd: string;
};

export function currentInvocation(): Invocation {
  return { script: process.argv[1], npmScript: process.env.npm_lifecycle_event, cwd: process.cwd() };
}

/** `value` as one word for a POSIX shell: as it is when that is safe, else in single quotes. */
export function quoteShellWord(value: string): string {
  if (/^[\w./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command with `args`, as it was run: `npm run admin:create -- <args>` through npm (the README's form),
 * `node dist/accounts/create-admin-cli.js <args>` from the build (the production form), `npx tsx src/….ts <args>` from
 * the sources. The script's path is relative to the working folder when it lies inside it, else absolute.
 */
export function formatCommand(npmScript: string, args: string, invocation: Invocation = currentInvocation()): string {
  const { script } = invocation;
  const withArgs = (command: string, separator: string) => (args === '' ? command : `${command}${separator}${args}`);
  if (invocation.npmScript === npmScript || script === undefined) return withArgs(`npm run ${npmScript}`, ' -- ');
  const inside = relative(invocation.cwd, script);
  const shown = inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : script;
  return withArgs(`${/\.[cm]?ts$/.test(shown) ? 'npx tsx' : 'node'} ${quoteShellWord(shown)}`, ' ');
}
