// OpenID Connect with openid-client 6: authorization code + PKCE, state and nonce. The provider's metadata is read
// on first use (never at startup, so a provider that is down does not stop the server) and kept per app.
import * as client from 'openid-client';
import type { OidcTransaction } from '../accounts/session-data.js';
import { type Clock, systemClock } from '../clock.js';
import type { OidcSettings } from '../config.js';

export type { OidcTransaction } from '../accounts/session-data.js';

/** Who the provider says signed in: only the claims this app uses. */
export type OidcIdentity = {
  readonly subject: string;
  readonly email: string | undefined;
  /** The provider vouches for `email`: email_verified for the email claim, the operator's setting for any other. */
  readonly emailVerified: boolean;
  readonly name: string | undefined;
  readonly idToken: string | undefined;
};

export type OidcClient = {
  start(next: string): Promise<{ readonly authorizationUrl: string; readonly transaction: OidcTransaction }>;
  /** Exchanges the code; throws when the answer is not for this transaction (state, nonce, PKCE) or the code is refused. */
  finish(callbackSearch: string, transaction: OidcTransaction): Promise<OidcIdentity>;
  /** The provider's logout address for this sign-in, or undefined when it has no end_session_endpoint. */
  logoutUrl(idToken: string): Promise<string | undefined>;
};

/** A sign-in must come back within this long. */
export const OIDC_TRANSACTION_MS = 10 * 60_000;
const SCOPE = 'openid email profile';

function readString(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function createOidcClient(settings: OidcSettings, clock: Clock = systemClock): OidcClient {
  let configuration: Promise<client.Configuration> | undefined;

  const discover = (): Promise<client.Configuration> => {
    configuration ??= client
      .discovery(
        new URL(settings.issuerUrl),
        settings.clientId,
        settings.clientSecret === undefined ? { token_endpoint_auth_method: 'none' } : undefined,
        settings.clientSecret === undefined ? client.None() : client.ClientSecretPost(settings.clientSecret),
        settings.allowInsecureRequests ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // Try again on the next sign-in rather than keeping a failure for the life of the server.
        configuration = undefined;
        throw error;
      });
    return configuration;
  };

  return {
    start: async (next) => {
      const config = await discover();
      const codeVerifier = client.randomPKCECodeVerifier();
      const transaction: OidcTransaction = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        next,
        startedAt: clock().getTime(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: transaction.state,
        nonce: transaction.nonce,
      });
      return { authorizationUrl: url.href, transaction };
    },

    finish: async (callbackSearch, transaction) => {
      const config = await discover();
      // The URL the provider sent the browser to, rebuilt from our own redirect URL: never from the Host header.
      const currentUrl = new URL(settings.redirectUrl);
      currentUrl.search = callbackSearch;
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('the provider sent no ID token');
      let claims: Record<string, unknown> = { ...idClaims };
      // Many providers put e-mail and name in the userinfo answer only. The subject is checked against the ID token's.
      if (config.serverMetadata().userinfo_endpoint !== undefined) {
        const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...claims, ...userinfo };
      }
      const email = readString(claims, settings.emailClaim);
      return {
        subject: idClaims.sub,
        email: email?.toLowerCase(),
        // email_verified is about the email claim only: another claim (preferred_username, upn) may be any name the
        // person or tenant chose, and counts only when the operator trusts it (OIDC_TRUST_EMAIL_CLAIM=true).
        emailVerified: settings.emailClaim === 'email' ? claims.email_verified === true : settings.trustEmailClaim,
        name: readString(claims, settings.nameClaim),
        idToken: tokens.id_token,
      };
    },

    logoutUrl: async (idToken) => {
      const config = await discover();
      if (config.serverMetadata().end_session_endpoint === undefined) return undefined;
      return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: settings.postLogoutRedirectUrl }).href;
    },
  };
}
