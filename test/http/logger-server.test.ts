// The real server's log output (npm start): JSON lines only, from the first startup message on. Apart from
// logger.test.ts because it starts a server process (a *-server.test.ts file: left out of npm run test:fast).
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractCsrfToken } from '../helpers/test-app.js';
import { spawnServer } from '../server/spawn-server.js';

type LogLine = Record<string, unknown>;

describe('the real server (npm start)', () => {
  it('prints JSON lines only: the startup messages, request lines with X-Request-Id, and a failed login as an event', async () => {
    const server = await spawnServer({ env: { LOG_REQUESTS: 'true' } });
    try {
      const page = await fetch(`${server.baseUrl}/login`);
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const csrf = extractCsrfToken(await page.text());
      const password = 'Fel-losenord-server-0815';
      const response = await fetch(`${server.baseUrl}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-request-id': 'probe-123' },
        body: new URLSearchParams({ _csrf: csrf, email: 'nobody@example.org', password }).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-request-id')).toBe('probe-123');
      await server.waitForOutput(/"msg":"POST \/login 401"[^\n]*\n/);
      const lines = server
        .stdout()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine);
      expect(lines.find((line) => String(line.msg).includes('is running at'))).toMatchObject({ level: 'info' });
      // The heap V8 allows, said at start; a missing memory setting is warned of in production only.
      expect(lines.find((line) => String(line.msg).startsWith('Memory: V8 allows each thread'))).toMatchObject({
        level: 'info',
        heapLimitMb: expect.any(Number),
      });
      expect(server.stdout()).not.toContain('Memory settings missing');
      // The setup link is for the operator's terminal (stderr), never in the log, which is shipped and kept.
      expect(server.stderr()).toContain(`${server.baseUrl}/setup?token=`);
      expect(server.stdout()).not.toContain('token=');
      expect(lines.find((line) => String(line.msg).includes('No accounts yet'))).toMatchObject({ level: 'info' });
      expect(lines.filter((line) => line.event === 'login_failed')).toEqual([
        expect.objectContaining({ level: 'warn', reqId: 'probe-123', reason: 'unknown_account', time: expect.any(String) }),
      ]);
      expect(lines.find((line) => line.route === '/login' && line.method === 'POST')).toMatchObject({ reqId: 'probe-123', status: 401 });
      expect(server.output()).not.toContain(password);
      expect(server.output()).not.toContain(csrf);
    } finally {
      await server.stop('SIGKILL');
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});
