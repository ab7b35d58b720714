// Outcome figures of a program period, computed from its counts. Pure.
//
// Both retention definitions in use are kept, over the same denominator, everyone who moved in:
// - housing retention: still in the first flat they got ÷ moved in;
// - program retention: still in the program, re-housed people included ÷ moved in.
// The first-hand lease share has the same denominator. Clients per case manager is clients ÷ case managers.
// Every figure is null when its denominator is 0: a rate of nothing is not 0 %.
export type OutcomeCounts = {
  readonly movedIn: number;
  readonly stillFirstFlat: number;
  readonly stillInProgram: number;
  readonly firstHandLeases: number;
  readonly clients: number;
  readonly caseManagers: number;
};

export type OutcomeFigures = {
  /** Percent. */
  readonly housingRetention: number | null;
  /** Percent. */
  readonly programRetention: number | null;
  /** Percent. */
  readonly firstHandLeaseShare: number | null;
  readonly clientsPerCaseManager: number | null;
};

function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? (part * 100) / whole : null;
}

export function computeOutcomeFigures(counts: OutcomeCounts): OutcomeFigures {
  return {
    housingRetention: percentOf(counts.stillFirstFlat, counts.movedIn),
    programRetention: percentOf(counts.stillInProgram, counts.movedIn),
    firstHandLeaseShare: percentOf(counts.firstHandLeases, counts.movedIn),
    clientsPerCaseManager: counts.caseManagers > 0 ? counts.clients / counts.caseManagers : null,
  };
}

/** Whether two periods (inclusive ISO days) share at least one day. */
export function periodsOverlap(
  a: { readonly start: string; readonly end: string },
  b: { readonly start: string; readonly end: string },
): boolean {
  return a.start <= b.end && b.start <= a.end;
}
