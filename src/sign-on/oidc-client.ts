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

/** The error codes of OAuth 2.0 (RFC 6749, 6750, 8707, 9449) and OpenID Connect Core that a provider may answer with. */
const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_token',
  'insufficient_scope',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
]);

/** A code Node or openid-client gives an error: ECONNREFUSED, ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN, OAUTH_… */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,47}$/;

/**
 * Why a call to the provider failed, as fixed words for the security log: the OAuth error code the provider answered
 * with (invalid_client, unauthorized_client, …; another word as other_error, since the provider or a crafted callback
 * address chose it), else the code of the failure underneath (ECONNREFUSED, ENOTFOUND, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * SELF_SIGNED_CERT_IN_CHAIN, or openid-client's own, such as OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED) with the HTTP
 * status when there was an answer, else the error's class name. Never a message, a token or anything the person sent.
 */
export function describeOidcError(error: unknown): string | undefined {
  const chain: { readonly error?: unknown; readonly code?: unknown; readonly status?: unknown; readonly name?: unknown }[] = [];
  for (let cause: unknown = error; typeof cause === 'object' && cause !== null && chain.length < 5; ) {
    const link = cause as { error?: unknown; code?: unknown; status?: unknown; name?: unknown; cause?: unknown };
    chain.push(link);
    cause = link.cause;
  }
  const oauth = chain.find((link) => typeof link.error === 'string')?.error;
  if (typeof oauth === 'string') return OAUTH_ERROR_CODES.has(oauth) ? oauth : 'other_error';
  // The deepest code is the root cause: fetch's TypeError carries none, its cause (the socket's or TLS's) does.
  const code = chain
    .map((link) => link.code)
    .filter((value): value is string => typeof value === 'string' && ERROR_CODE.test(value))
    .at(-1);
  const status = chain.map((link) => link.status).find((value): value is number => Number.isInteger(value));
  if (code !== undefined) return status === undefined ? code : `${code}:http_${status}`;
  const name = chain[0]?.name;
  return typeof name === 'string' ? name : undefined;
}
