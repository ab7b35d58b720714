// What sign-in keeps in the session besides userId (declared beside src/http/types.ts, for the accounts and sign-on
// capabilities): a login waiting for its second factor, a TOTP secret being set up, and the single sign-on state.
import type { OidcTransaction } from '../sign-on/oidc-client.js';

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
