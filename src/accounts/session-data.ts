// What sign-in keeps in the session besides userId (declared beside src/http/types.ts, for the accounts and sign-on
// capabilities): a login waiting for its second factor, a TOTP secret being set up, and the single sign-on state.
import type { CurrentUser } from './user-store.js';

/** What a single sign-on keeps in the session between leaving for the provider and coming back (src/sign-on/). */
export type OidcTransaction = {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly next: string;
  readonly startedAt: number;
};

/** The provider's logout, as the logout route needs it (src/sign-on/oidc-client.ts implements it). */
export type ProviderLogout = {
  /** The provider's logout address for this sign-in, or undefined when it has no end_session_endpoint. */
  logoutUrl(idToken: string): Promise<string | undefined>;
};

declare global {
  // Express's request type can only be extended through its namespace; the user middleware in src/app.ts sets it.
  namespace Express {
    interface Request {
      user: CurrentUser | undefined;
    }
  }
}

/** A password that was right, waiting for the second factor (verify) or for the administrator to set one up (enrol). */
export type PendingLogin = {
  readonly userId: number;
  readonly purpose: 'verify' | 'enrol';
  readonly next: string;
  readonly at: number;
};

declare module 'express-session' {
  interface SessionData {
    pendingLogin: PendingLogin;
    /** A TOTP secret shown for setup, kept until its first code confirms it. */
    totpSetupSecret: string;
    /** A single sign-on on its way to the provider and back. */
    oidc: OidcTransaction;
    /** The provider's ID token of this sign-in: the hint its logout needs. */
    idToken: string;
    signedInWith: 'password' | 'oidc';
  }
}
