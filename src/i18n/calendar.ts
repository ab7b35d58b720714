// The calendar day as the people using the tool live it. Dates in hf-fidelity (checked on, due on, noted on, the day
// of a self-assessment) are days in Sweden, so "today" must be the Swedish day: the UTC day is still yesterday for
// the first one or two hours after midnight, when a date typed as today would be refused as a future date.

const SWEDISH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

const HOUR_MS = 3_600_000;
/**
 * From here on Europe/Stockholm's offset is whole hours and every switch (summer time, the 1940s) falls on a whole UTC
 * hour, so the Swedish day is the same for every instant of a UTC hour. Before it (local mean time, +00:53:28 until
 * 1893-04-01 in the tz data) it is not, and the day is computed each time.
 */
const WHOLE_HOURS_SINCE = Date.UTC(1900, 0, 1);
/** The most recent UTC hours' Swedish days, at most this many (the oldest goes first). */
const MEMO_SIZE = 64;
// A memo of a pure function of the UTC hour (not of any data that can change), so it may live in the module.
const daysByUtcHour = new Map<number, string>();

function formatSwedishDay(now: Date): string {
  const parts = Object.fromEntries(SWEDISH_DAY.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Today in Sweden as an ISO day ("2026-03-15"), daylight saving time included. */
export function todayInSweden(now: Date): string {
  const time = now.getTime();
  if (!(time >= WHOLE_HOURS_SINCE)) return formatSwedishDay(now);
  const hour = Math.floor(time / HOUR_MS);
  const known = daysByUtcHour.get(hour);
  if (known !== undefined) return known;
  const day = formatSwedishDay(now);
  if (daysByUtcHour.size >= MEMO_SIZE) {
    const oldest = daysByUtcHour.keys().next();
    if (!oldest.done) daysByUtcHour.delete(oldest.value);
  }
  daysByUtcHour.set(hour, day);
  return day;
}

/**
 * The Swedish day of a stored instant ("2026-03-15T23:30:00.000Z" → "2026-03-16"): timestamps are stored in UTC, and
 * their first ten characters are the UTC day, a day early for the first one or two hours after Swedish midnight. A
 * plain ISO day ("2026-03-15") is already a day and comes back as it is.
 */
export function swedishDayOf(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso.slice(0, 10) : todayInSweden(instant);
}
