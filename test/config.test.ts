import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/cli/command-line.js';
import { ConfigError, loadConfig } from '../src/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OIDC = { OIDC_ISSUER_URL: 'https://login.example.org/tenant/v2.0', OIDC_CLIENT_ID: 'hf-fidelity', OIDC_CLIENT_SECRET: 'sekret' };

/** What the server's one fatal line says of a configuration it refuses. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return describeFailure(error);
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('when a variable is set to nothing (PORT= in a unit file), then it counts as not set and the default applies', () => {
    const config = loadConfig({ PORT: '', HOST: ' ', DATA_DIR: '/tmp/hf-data' });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
  });

  it('when a value is wrong, then every problem is named', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('when TRUST_PROXY is not something Express can trust, then the start is refused naming the variable', () => {
    for (const value of ['yes', '10.0.0.1/8/8', 'loopback,nowhere', '300.1.1.1']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY/);
    }
    for (const value of ['true', 'false', '1', 'loopback', 'loopback, 10.0.0.0/8', '::1', '192.168.0.0/255.255.0.0', 'uniquelocal']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).not.toThrow();
    }
  });

  it('when RUBRICS_DIR is not set, then the shipped rubrics are read from the installation folder, not from the working directory', () => {
    expect(loadConfig({}).rubricsDir).toBe(join(ROOT, 'rubrics'));
    // A folder given relative to where the server is started stays so, named in full.
    expect(loadConfig({ RUBRICS_DIR: 'my-rubrics' }).rubricsDir).toBe(resolve('my-rubrics'));
  });

  it('when DATA_DIR is relative, then the folder is named in full, as the start found it', () => {
    const config = loadConfig({ DATA_DIR: 'data' });
    expect(config.dataDir).toBe(resolve('data'));
    expect(config.databaseFile).toBe(resolve('data', 'hf-fidelity.sqlite'));
    expect(config.mfaKeyFile).toBe(resolve('data', 'mfa.key'));
  });

  it('when PUBLIC_URL has a trailing slash, then it is the same address without one, for the app and single sign-on alike', () => {
    const config = loadConfig({ ...OIDC, PUBLIC_URL: 'https://Fidelity.Example.se/' });
    expect(config.publicUrl).toBe('https://fidelity.example.se');
    expect(config.http.publicUrl).toBe('https://fidelity.example.se');
    expect(config.http.oidc?.redirectUrl).toBe('https://fidelity.example.se/login/oidc/callback');
  });

  it('when PUBLIC_URL has a path, then the start is refused: the app needs a host name of its own', () => {
    for (const value of ['https://intra.kommun.se/hf-fidelity', 'https://intra.kommun.se/hf-fidelity/', 'https://hf.kommun.se/?x=1']) {
      const line = refusal({ PUBLIC_URL: value });
      expect(line, value).toContain(`PUBLIC_URL must be a site's address with no path (such as https://fidelity.kommun.se), not ${value}`);
      expect(line, value).toContain('Give it a host name (or sub-domain) of its own');
      expect(line, value).not.toContain('\n');
    }
    expect(refusal({ PUBLIC_URL: 'ftp://hf.kommun.se' })).toContain('PUBLIC_URL must start with https://');
  });

  it('when single sign-on is set in production without PUBLIC_URL, then the start is refused in one line saying why', () => {
    const line = refusal({ ...OIDC, NODE_ENV: 'production' });
    expect(line).toMatch(/^Invalid configuration: single sign-on \(OIDC_ISSUER_URL\) needs PUBLIC_URL with NODE_ENV=production/);
    expect(line).toContain('Unset, the provider would be sent http://localhost:3000/login/oidc/callback');
    expect(line).not.toContain('\n');
    expect(loadConfig({ ...OIDC, NODE_ENV: 'production', PUBLIC_URL: 'https://hf.kommun.se' }).http.oidc?.redirectUrl).toBe(
      'https://hf.kommun.se/login/oidc/callback',
    );
    // On a developer's machine the localhost address is what the provider should send the browser back to.
    expect(loadConfig(OIDC).http.oidc?.redirectUrl).toBe('http://localhost:3000/login/oidc/callback');
  });
});
