// A crash while the server runs (src/http/crash-logging.ts): an uncaught exception or an unhandled rejection leaves one
// fatal JSON line with the event, the message and the stack, and the process still exits 1 with the stack on stderr,
// so systemd or the container restarts it. The crash is caused by a module the test loads into the real server.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnServer } from './spawn-server.js';

const CRASH_ON_SIGNAL = fileURLToPath(new URL('./crash-on-signal.mjs', import.meta.url));

describe('a crash while the server runs', () => {
  for (const [crashWith, event] of [
    ['exception', 'uncaughtException'],
    ['rejection', 'unhandledRejection'],
  ] as const) {
    it(`when an ${event} ends the process, then a fatal JSON line names it with the error's message and stack, and it exits 1`, async () => {
      const server = await spawnServer({
        env: { CRASH_WITH: crashWith },
        nodeArgs: ['--import', 'tsx', '--import', CRASH_ON_SIGNAL, 'src/server.ts'],
      });
      try {
        const ended = await server.stop('SIGUSR2');
        expect(ended).toEqual({ code: 1, signal: null });
        const lines = server
          .stdout()
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        const fatal = lines.filter((line) => line.level === 'fatal');
        expect(fatal).toEqual([
          expect.objectContaining({
            event,
            msg: expect.stringMatching(/^The server crashed on an .*: crash asked for by the test\. It exits with code 1/),
            err: expect.objectContaining({
              type: 'Error',
              message: 'crash asked for by the test',
              stack: expect.stringMatching(/\n\s+at /),
            }),
          }),
        ]);
        // Node's own report stays on stderr.
        expect(server.stderr()).toMatch(/Error: crash asked for by the test\n\s+at /);
      } finally {
        await server.stop('SIGKILL');
        rmSync(server.dataDir, { recursive: true, force: true });
      }
    });
  }
});
