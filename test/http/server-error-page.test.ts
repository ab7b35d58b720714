// The page of an unexpected error (500): it reveals nothing of the error, gives the request id for the operator to
// search the log with, and says that nothing was saved only when something was sent to be saved.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp } from '../helpers/test-app.js';

/** The request id of each of the app's log lines that carries one. */
function loggedRequestIds(logs: readonly string[]): string[] {
  return logs.map((line) => (JSON.parse(line) as { reqId?: string }).reqId).filter((id): id is string => id !== undefined);
}

/** An app whose next query of programs fails in a way no route expects, and an administrator logged in to it. */
async function appAboutToFail() {
  const testApp = makeTestApp();
  const admin = await createTestUser(testApp.db, ['admin']);
  const agent = await loginAgent(testApp.app, admin.email);
  return { ...testApp, agent };
}

describe('the 500 page', () => {
  it('when a page that was only asked for fails, then it gives the request id and does not say that nothing was saved', async () => {
    const { agent, db, logs } = await appAboutToFail();
    db.exec('DROP TABLE programs');
    const response = await agent.get('/municipalities');
    expect(response.status).toBe(500);
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.text).toContain(`Felkod för supporten: ${id}`);
    expect(response.text).toContain('Ett oväntat fel inträffade. Försök igen om en stund.');
    expect(response.text).not.toContain('sparats');
    // The id finds the request's lines, the error's with its stack among them.
    const lines = logs.filter((line) => line.includes(String(id)));
    expect(lines.some((line) => line.includes('GET /municipalities failed'))).toBe(true);
    expect(loggedRequestIds(logs)).toContain(id);
  });

  it('when a form that was sent fails, then it says that nothing was saved, and gives the request id, in English too', async () => {
    const { agent, db } = await appAboutToFail();
    const token = extractCsrfToken((await agent.get('/municipalities/new')).text);
    db.exec('DROP TABLE programs; DROP TABLE municipalities');
    const send = () => agent.post('/municipalities/new').type('form').send({ _csrf: token, code: '2584', name: 'Kiruna' });
    const sv = await send();
    expect(sv.status).toBe(500);
    expect(sv.text).toContain('Ett oväntat fel inträffade. Ingenting av det du skickade har sparats. Försök igen om en stund.');
    expect(sv.text).toContain(`Felkod för supporten: ${sv.headers['x-request-id']}`);

    await agent.get('/language/en');
    const en = await send();
    expect(en.status).toBe(500);
    expect(en.text).toContain('An unexpected error occurred. Nothing you sent has been saved. Please try again in a moment.');
    expect(en.text).toContain(`Error code for support: ${en.headers['x-request-id']}`);
  });

  it('when a proxy sent its own request id, then the page shows that one', async () => {
    const { agent, db } = await appAboutToFail();
    db.exec('DROP TABLE programs');
    const response = await agent.get('/municipalities').set('X-Request-Id', 'proxy-7f3a');
    expect(response.status).toBe(500);
    expect(response.text).toContain('Felkod för supporten: proxy-7f3a');
  });

  it('when the answer is a 404, then no error code is shown', async () => {
    const { app } = makeTestApp();
    const response = await request(app).get('/no-such-page');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('Felkod');
  });
});
