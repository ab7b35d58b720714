// A clock that stands still until a test moves it: time-dependent behaviour is tested without sleeping.
import type { Clock } from '../../src/clock.js';

export type TestClock = {
  /** Pass this as createApp's (or makeTestApp's) clock. */
  readonly now: Clock;
  /** Moves the time forward by ms milliseconds. */
  advance(ms: number): void;
};

export function createTestClock(start: Date = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
  };
}
