// mulberry32: a tiny seeded pseudo-random generator, identical on every platform, so generated data (the demo, the
// benchmarks' data sets, the form fuzzer's cases) is the same on every run and a failing case can be reproduced.
export type Random = () => number;

/** Numbers in [0, 1), the same sequence for the same seed. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
