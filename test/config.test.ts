import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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
});
