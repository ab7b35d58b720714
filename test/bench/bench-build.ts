// The page benchmark measures what production runs: the plain JavaScript that `npm run build` writes and
// `node dist/server.js` starts, not the TypeScript sources under tsx. tsx's transform wraps functions made at run time
// in a naming helper (each form view's four functions, for one), a cost production does not pay and the floor pays
// less of than a page does. The build goes to its own folder, so a dist/ of the operator's own is left alone.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FOLDER = 'dist-test-bench';
const BUILD_SCRIPT = fileURLToPath(new URL('../../deploy/build.mjs', import.meta.url));

/** Builds the app into dist-test-bench/ (about 7 s) and returns the folder. */
export function buildForBench(): string {
  const built = spawnSync(process.execPath, [BUILD_SCRIPT, '--out-dir', FOLDER], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the build for the benchmark failed:\n${built.stdout}${built.stderr}`);
  return fileURLToPath(new URL(`../../${FOLDER}`, import.meta.url));
}
