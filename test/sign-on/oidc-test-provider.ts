// A real OpenID provider (oidc-provider 9, certified) on loopback, started by a test: one static client, accounts
// with the claims a test sets, and an interaction that logs in the account the test names next (instead of a login
// form). Plus a tiny browser for the provider's side: cookies kept, redirects followed until they reach the app.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'hf-fidelity-test';
export const CLIENT_SECRET = 'a-client-secret-for-the-loopback-provider-only';
/** Where the app says it lives (PUBLIC_URL): the provider only ever sends the browser here, never connects. */
export const APP_URL = 'http://localhost:3999';

export type TestAccount = { email?: string; email_verified?: boolean; name?: string; preferred_username?: string };

export type TestProvider = {
  readonly issuer: string;
  /** Claims per subject; set before a sign-in. */
  readonly accounts: Map<string, TestAccount>;
  /** The subject the next interaction logs in. */
  signInAs(subject: string): void;
  /** The next interaction logs nobody in: the provider sends the browser back with this OAuth error code instead. */
  refuseNextWith(error: string): void;
  close(): Promise<void>;
};

export async function startTestProvider(): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  let nextSubject = '';
  let nextError: string | undefined;
  let handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${APP_URL}/login/oidc/callback`],
        post_logout_redirect_uris: [`${APP_URL}/login`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Every sign-in is granted the scopes asked for: no consent page to click through.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string }; provider: Provider } }) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: ['loopback-test-cookie-key'] },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      provider
        .interactionDetails(req, res)
        .then(() => {
          const result = nextError === undefined ? { login: { accountId: nextSubject } } : { error: nextError };
          nextError = undefined;
          return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        })
        .catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
      return;
    }
    callback(req, res);
  };

  return {
    issuer,
    accounts,
    signInAs: (subject) => {
      nextSubject = subject;
    },
    refuseNextWith: (error) => {
      nextError = error;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The provider's side of a browser: follows its redirects with its cookies until one points back at the app. */
export function createProviderBrowser(issuer: string) {
  const cookies = new Map<string, string>();
  return {
    /** From an authorization URL to the app's callback URL (path and query), as a browser would get there. */
    async follow(start: string): Promise<string> {
      let url = start;
      for (let hop = 0; hop < 10; hop += 1) {
        if (!url.startsWith(issuer)) {
          const target = new URL(url);
          if (target.origin !== new URL(APP_URL).origin) throw new Error(`redirected elsewhere: ${url}`);
          return `${target.pathname}${target.search}`;
        }
        const response = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair = ''] = line.split(';');
          const at = pair.indexOf('=');
          if (at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
        const location = response.headers.get('location');
        if (!location) throw new Error(`the provider answered ${response.status} at ${url}: ${(await response.text()).slice(0, 300)}`);
        url = new URL(location, url).href;
      }
      throw new Error('too many redirects');
    },
  };
}
