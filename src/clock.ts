// The time as the app sees it. createApp takes one (the real clock by default) and passes it down, so tests move
// time forward instead of sleeping.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
