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
});
