// Sign-in settings from the environment: single sign-on, LOCAL_LOGIN and LOCAL_ADMIN_MFA.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const OIDC = { OIDC_ISSUER_URL: 'https://login.example.org/tenant/v2.0', OIDC_CLIENT_ID: 'hf-fidelity', OIDC_CLIENT_SECRET: 'sekret' };

describe('loadConfig: sign-in', () => {
  it('when nothing is set, then passwords work for everyone, administrators need a second factor, and there is no single sign-on', () => {
    const { http } = loadConfig({});
    expect(http.localLogin).toBe('all');
    expect(http.adminMfaRequired).toBe(true);
    expect(http.oidc).toBeUndefined();
  });

  it('when the provider is set, then the redirect and logout addresses come from PUBLIC_URL and the claims default to email and name', () => {
    const { http } = loadConfig({ ...OIDC, PUBLIC_URL: 'https://hf.kommun.se/', LOCAL_LOGIN: 'admins' });
    expect(http.localLogin).toBe('admins');
    expect(http.oidc).toEqual({
      issuerUrl: OIDC.OIDC_ISSUER_URL,
      clientId: 'hf-fidelity',
      clientSecret: 'sekret',
      emailClaim: 'email',
      nameClaim: 'name',
      trustEmailClaim: false,
      redirectUrl: 'https://hf.kommun.se/login/oidc/callback',
      postLogoutRedirectUrl: 'https://hf.kommun.se/login',
      allowInsecureRequests: false,
    });
  });

  it('when the issuer is plain http, then the start is refused unless OIDC_ALLOW_INSECURE_HTTP says it is development', () => {
    expect(() => loadConfig({ ...OIDC, OIDC_ISSUER_URL: 'http://127.0.0.1:8080' })).toThrow(/https/);
    expect(
      loadConfig({ ...OIDC, OIDC_ISSUER_URL: 'http://127.0.0.1:8080', OIDC_ALLOW_INSECURE_HTTP: 'true' }).http.oidc?.allowInsecureRequests,
    ).toBe(true);
  });

  it('when the e-mail is read from another claim than email, then the start is refused unless OIDC_TRUST_EMAIL_CLAIM says the provider guarantees it', () => {
    expect(() => loadConfig({ ...OIDC, OIDC_EMAIL_CLAIM: 'preferred_username' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...OIDC, OIDC_EMAIL_CLAIM: 'upn' })).toThrow(/OIDC_TRUST_EMAIL_CLAIM/);
    expect(() => loadConfig({ ...OIDC, OIDC_EMAIL_CLAIM: 'upn', OIDC_TRUST_EMAIL_CLAIM: 'maybe' })).toThrow(/OIDC_TRUST_EMAIL_CLAIM/);
    expect(loadConfig({ ...OIDC, OIDC_EMAIL_CLAIM: 'upn', OIDC_TRUST_EMAIL_CLAIM: 'true' }).http.oidc).toMatchObject({
      emailClaim: 'upn',
      trustEmailClaim: true,
    });
    // With the email claim itself, email_verified decides, whatever the setting says.
    expect(loadConfig({ ...OIDC, OIDC_TRUST_EMAIL_CLAIM: 'true' }).http.oidc).toMatchObject({
      emailClaim: 'email',
      trustEmailClaim: false,
    });
  });

  it('when the settings do not fit together, then the start is refused with a message naming them', () => {
    expect(() => loadConfig({ OIDC_ISSUER_URL: OIDC.OIDC_ISSUER_URL })).toThrow(ConfigError);
    expect(() => loadConfig({ OIDC_ISSUER_URL: OIDC.OIDC_ISSUER_URL })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConfig({ LOCAL_LOGIN: 'off' })).toThrow(/LOCAL_LOGIN=off/);
    expect(() => loadConfig({ LOCAL_LOGIN: 'nobody' })).toThrow(/LOCAL_LOGIN/);
    expect(() => loadConfig({ LOCAL_ADMIN_MFA: 'never' })).toThrow(/LOCAL_ADMIN_MFA/);
    expect(loadConfig({ ...OIDC, LOCAL_LOGIN: 'off', LOCAL_ADMIN_MFA: 'optional' }).http).toMatchObject({
      localLogin: 'off',
      adminMfaRequired: false,
    });
  });
});
