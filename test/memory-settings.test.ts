// What the server says of its memory at start (src/memory-settings.ts): the settings of the unit and the image it runs
// without, and whether V8's heap was sized from a memory limit.
import { describe, expect, it } from 'vitest';
import { checkMemorySettings, MEMORY_ENV, type ProcessMemoryFacts } from '../src/memory-settings.js';

const MB = 1_048_576;
const PRODUCTION: ProcessMemoryFacts = {
  env: { ...MEMORY_ENV },
  execArgv: ['--max-semi-space-size=16', '--enable-source-maps'],
  heapLimitBytes: 4288 * MB,
  constrainedBytes: 0,
  totalBytes: 24_105 * MB,
};

describe('checkMemorySettings', () => {
  it('when the process runs as the unit and the image start it, then nothing is missing and there is no limit', () => {
    expect(checkMemorySettings(PRODUCTION)).toEqual({ heapLimitMb: 4288, memoryLimitMb: undefined, missing: [] });
  });

  it('when a setting is left out or has another value, then it is named as it should be written', () => {
    const memory = checkMemorySettings({ ...PRODUCTION, env: { MALLOC_ARENA_MAX: '8' }, execArgv: [] });
    expect(memory.missing).toEqual(['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072', '--max-semi-space-size=16']);
  });

  it('when the node option comes through NODE_OPTIONS, then it counts', () => {
    const memory = checkMemorySettings({
      ...PRODUCTION,
      env: { ...MEMORY_ENV, NODE_OPTIONS: '--enable-source-maps  --max-semi-space-size=16' },
      execArgv: [],
    });
    expect(memory.missing).toEqual([]);
  });

  it('when a control group limits memory, then the limit is given; no limit, or one above the machine, is none', () => {
    expect(checkMemorySettings({ ...PRODUCTION, heapLimitBytes: 259 * MB, constrainedBytes: 512 * MB })).toMatchObject({
      heapLimitMb: 259,
      memoryLimitMb: 512,
    });
    // cgroup v1 without a limit reports 2^63 − 4096; older Node reports undefined.
    expect(checkMemorySettings({ ...PRODUCTION, constrainedBytes: Number(2n ** 63n - 4096n) }).memoryLimitMb).toBeUndefined();
    expect(checkMemorySettings({ ...PRODUCTION, constrainedBytes: undefined }).memoryLimitMb).toBeUndefined();
  });
});
