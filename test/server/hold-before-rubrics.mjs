// Loaded into a test server with --import before src/server.ts: the server stops at its first read of RUBRICS_DIR,
// which comes after the start's database checks (the folder, the lock, the probe) and before it opens the database,
// says so on stderr, and waits there until the test makes the file HOLD_DIR/go. A test can so hold two servers in
// that window at once (where a probe alone let both through), or run a tool while a server is in it. A way into the
// window with nothing in src/ that production could reach.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve } from 'node:path';

const holdDir = process.env.HOLD_DIR;
const rubricsDir = resolve(process.env.RUBRICS_DIR ?? 'rubrics');
// Never for ever: a test that forgets to let go gets a failed start, not a process left behind.
const HOLD_LIMIT_MS = 60_000;
const readdirSync = fs.readdirSync;
let held = false;

fs.readdirSync = function readdirHeld(path, ...rest) {
  if (!held && holdDir !== undefined && resolve(String(path)) === rubricsDir) {
    held = true;
    // Written at once: stderr is synchronous on a pipe (Linux), so the test reads it before the wait starts.
    process.stderr.write('held before the rubrics\n');
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const until = Date.now() + HOLD_LIMIT_MS;
    while (!fs.existsSync(join(holdDir, 'go'))) {
      if (Date.now() > until) throw new Error(`hold-before-rubrics: ${join(holdDir, 'go')} never came`);
      Atomics.wait(sleeper, 0, 0, 20);
    }
  }
  return readdirSync.call(this, path, ...rest);
};
// The server's modules import readdirSync by name: this updates those bindings too.
syncBuiltinESMExports();
