// The memory settings production runs with (docs/operations.md#memory), and what the server says of them at start:
// how much heap V8 allows each thread and whether that came from a memory limit, so an operator sizing a machine or a
// container reads it in the first lines of the log, and a warning when a setting the unit and the image give is
// missing (the server still runs; it holds more memory than it uses).

/**
 * glibc's malloc: two arenas shared by the threads, and a fixed threshold (its own default, 128 KiB) above which a
 * block is mapped alone and handed back when freed. Without them each libuv thread that checked a password keeps a
 * 19 MiB argon2 block it no longer uses.
 */
export const MEMORY_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** V8's young generation at Node 20's size: Node 24 lets it grow to twice that and keeps it. */
export const MEMORY_NODE_OPTIONS = ['--max-semi-space-size=16'] as const;

export type MemorySettings = {
  /** What V8 allows each thread's heap, in MB. */
  readonly heapLimitMb: number;
  /** The memory limit V8's heap was sized from (a control group's, as a container or systemd's MemoryMax sets), in MB. */
  readonly memoryLimitMb: number | undefined;
  /** The settings of MEMORY_ENV and MEMORY_NODE_OPTIONS the process runs without, as they would be written. */
  readonly missing: readonly string[];
};

export type ProcessMemoryFacts = {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The node options on the command line (process.execArgv); NODE_OPTIONS is read from env. */
  readonly execArgv: readonly string[];
  readonly heapLimitBytes: number;
  /** process.constrainedMemory(): 0 (or, on older Node, undefined) without a limit; some report no limit as a huge number. */
  readonly constrainedBytes: number | undefined;
  readonly totalBytes: number;
};

const MB = 1_048_576;

export function checkMemorySettings(facts: ProcessMemoryFacts): MemorySettings {
  const nodeOptions = [...facts.execArgv, ...(facts.env.NODE_OPTIONS ?? '').split(/\s+/).filter((option) => option !== '')];
  const missing = [
    ...Object.entries(MEMORY_ENV)
      .filter(([name, value]) => facts.env[name] !== value)
      .map(([name, value]) => `${name}=${value}`),
    ...MEMORY_NODE_OPTIONS.filter((option) => !nodeOptions.includes(option)),
  ];
  const limited = facts.constrainedBytes !== undefined && facts.constrainedBytes > 0 && facts.constrainedBytes < facts.totalBytes;
  return {
    heapLimitMb: Math.round(facts.heapLimitBytes / MB),
    memoryLimitMb: limited ? Math.round((facts.constrainedBytes ?? 0) / MB) : undefined,
    missing,
  };
}
