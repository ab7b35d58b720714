// Whether the browser suite can run on this machine. Developers without Chromium get the rest of the suite
// and one line saying how to install it; CI (CI=true) must have it, so there a missing browser is a failure.
import { accessSync, constants } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const INSTALL_HINT = `Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install chromium\` (Debian) to run them.`;

/** The Chromium executable, or undefined when it is not installed. */
export function findChromium(path: string = CHROMIUM_PATH): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

export function isCiRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}
