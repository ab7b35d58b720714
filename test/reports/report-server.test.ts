import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import { extractCsrfToken, makeTestApp } from '../helpers/test-app.js';
import { makeDataDir, type SpawnedServer, spawnServer } from '../server/spawn-server.js';
import { binaryParser, extractPdfText, normalizeSpace } from './pdf-text.js';
import { createReportScenario } from './report-fixtures.js';

// The real server, started as `npm start` starts it (node with tsx): the report's worker thread must load
// its TypeScript there too. The renderer has no silent fallback to the request thread, so a worker that
// cannot start would fail this download.
describe('the report in the running server', { timeout: 90_000 }, () => {
  let server: SpawnedServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('when a logged-in user downloads the report, then the server renders it in its worker and sends the PDF', async () => {
    const dataDir = makeDataDir('hf-report-server-');
    const db = openDatabase(join(dataDir, 'hf-fidelity.sqlite'));
    const s = await createReportScenario({ app: makeTestApp({ db }) });
    db.close();
    server = await spawnServer({ dataDir, expectSetupLink: false });

    const agent = request.agent(server.baseUrl);
    const loginPage = await agent.get('/login');
    const login = await agent
      .post('/login')
      .type('form')
      .set('Origin', server.baseUrl)
      .send({ _csrf: extractCsrfToken(loginPage.text), email: s.reader.email, password: s.reader.password });
    expect(login.status).toBe(303);
    const response = await agent.get('/municipalities/0180/report.pdf?lang=sv').buffer(true).parse(binaryParser);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    expect(normalizeSpace(extractPdfText(response.body as Buffer))).toContain(s.programs[0]?.name ?? '?');
  });
});
