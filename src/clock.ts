// The time as the app sees it. createApp takes one (the real clock by default) and passes it down, so tests move
// time forward instead of sleeping.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * A clock that reads `base` unless it is set for the length of a call: for the demo seed, which writes an earlier
 * round at that round's own time (finalised in 2024, not the day the demo was loaded).
 */
export type SettableClock = {
  readonly clock: Clock;
  at<T>(instant: string, run: () => T): T;
};

export function createSettableClock(base: Clock = systemClock): SettableClock {
  let fixed: Date | undefined;
  return {
    clock: () => (fixed === undefined ? base() : new Date(fixed.getTime())),
    at: (instant, run) => {
      const before = fixed;
      fixed = new Date(instant);
      try {
        return run();
      } finally {
        fixed = before;
      }
    },
  };
}
