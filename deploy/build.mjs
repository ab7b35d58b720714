// npm run build: compiles src/ to plain JavaScript in dist/ (tsconfig.build.json) and copies the data files the code
// reads beside itself (the password lists), so production runs `node dist/server.js` with no TypeScript tool.
// dist/ sits one level below the project root, like src/, so '../views' and the rubrics resolve the same way.
// The .mjs worker bootstraps are left out on purpose: they register tsx, and from dist/ the workers start from their
// compiled files (src/workers/worker-entry.ts). Usage: node deploy/build.mjs [--out-dir <folder under the root>]
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const flag = process.argv.indexOf('--out-dir');
const outDir = resolve(root, flag >= 0 ? (process.argv[flag + 1] ?? '') : 'dist');
if (dirname(outDir) !== resolve(root)) {
  console.error(`build: the output folder must sit directly in the project folder (views/ is found as ../views): ${outDir}`);
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed');
  process.exit(compiled.status ?? 1);
}

const srcDir = join(root, 'src');
const isCopied = (file) => !/\.(ts|mjs)$/.test(file);
let copied = 0;
const copyAssets = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) copyAssets(file);
    else if (isCopied(name)) {
      cpSync(file, join(outDir, relative(srcDir, file)));
      copied++;
    }
  }
};
copyAssets(srcDir);
console.log(
  `build: ${relative(root, outDir)}/ written (${copied} data files copied); start it with: node ${relative(root, outDir)}/server.js`,
);
