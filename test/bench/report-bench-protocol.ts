// What the report benchmark and its server process share (report-bench-server.ts starts a server on import).
export const REPORT_BENCH_READY = 'REPORT-BENCH-READY ';

export type ReportBenchServerReady = {
  readonly url: string;
  readonly email: string;
  readonly password: string;
  readonly reportPath: string;
  readonly ratingPath: string;
  readonly databaseFile: string;
  readonly municipalityCode: string;
};

export type ReportBenchMemory = { readonly peakRss: number; readonly rss: number };

/**
 * The server process's CPU time so far (all its threads), in microseconds, as process.cpuUsage gives it, and its page
 * faults so far: major ones read a page back from disk (such as the node binary's code after the kernel reclaimed it),
 * minor ones map memory the process had handed back (V8 and malloc return memory while idle and fetch it again).
 */
export type ReportBenchCpu = {
  readonly user: number;
  readonly system: number;
  readonly majorPageFaults: number;
  readonly minorPageFaults: number;
};
