import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSetupStore } from '../../src/accounts/setup-store.js';
import { createUserStore } from '../../src/accounts/user-store.js';
import { ConfigError, defaultHttpConfig, loadConfig } from '../../src/config.js';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp } from '../helpers/test-app.js';

/** The algorithm and cost a PHC string was made with ($argon2id$v=19$m=19456,p=1,t=2$…; argon2 0.45 writes p before t). */
function costOf(hash: string | undefined): { algorithm: string; m: string | undefined; t: string | undefined; p: string | undefined } {
  const [, algorithm = '', , params = ''] = (hash ?? '').split('$');
  const fields: Record<string, string | undefined> = Object.fromEntries(params.split(',').map((pair) => pair.split('=')));
  return { algorithm, m: fields.m, t: fields.t, p: fields.p };
}

function storedHash(db: ReturnType<typeof makeTestApp>['db'], email: string): string | undefined {
  return createUserStore(db).findCredentials(email)?.passwordHash;
}

describe('the argon2 cost of password hashes', () => {
  it('when the configuration says nothing, then the app hashes at the OWASP cost (19 MiB, 2 passes)', async () => {
    expect(loadConfig({}).http.passwordHashing).toBe('owasp');
    expect(defaultHttpConfig().passwordHashing).toBe('owasp');
    // Through the real path: the first administrator created on the setup page, with the default setting.
    const { app, db } = makeTestApp({ config: { passwordHashing: defaultHttpConfig().passwordHashing } });
    const token = createSetupStore(db).issueSetupToken();
    const agent = request.agent(app);
    const page = await agent.get(`/setup?token=${token}`);
    const created = await agent
      .post('/setup')
      .type('form')
      .send({
        _csrf: extractCsrfToken(page.text),
        token,
        display_name: 'Ada Admin',
        email: 'ada@example.org',
        password: 'a long and unusual passphrase',
        password_confirm: 'a long and unusual passphrase',
      });
    expect(created.status).toBe(303);
    expect(costOf(storedHash(db, 'ada@example.org'))).toEqual({ algorithm: 'argon2id', m: '19456', t: '2', p: '1' });
  });

  it('when NODE_ENV=production, then PASSWORD_HASH_COST=test is refused at startup, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PASSWORD_HASH_COST: 'test' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', PASSWORD_HASH_COST: 'test' })).toThrow(
      /PASSWORD_HASH_COST=test.*NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'production' }).http.passwordHashing).toBe('owasp');
    expect(loadConfig({ PASSWORD_HASH_COST: 'test' }).http.passwordHashing).toBe('test');
    expect(() => loadConfig({ PASSWORD_HASH_COST: 'none' })).toThrow(/PASSWORD_HASH_COST/);
  });

  it('when a test app creates users, then they are hashed at the cheap test cost and still log in', async () => {
    const { app, db } = makeTestApp();
    const user = await createTestUser(db, ['reviewer']);
    expect(costOf(storedHash(db, user.email))).toEqual({ algorithm: 'argon2id', m: '1024', t: '1', p: '1' });
    const agent = await loginAgent(app, user.email);
    expect((await agent.get('/municipalities')).status).toBe(200);
  });
});
