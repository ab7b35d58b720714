// The calendar day as the people using the tool live it. Dates in hf-fidelity (checked on, due on, noted on, the day
// of a self-assessment) are days in Sweden, so "today" must be the Swedish day: the UTC day is still yesterday for
// the first one or two hours after midnight, when a date typed as today would be refused as a future date.

const SWEDISH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Sweden as an ISO day ("2026-03-15"), daylight saving time included. */
export function todayInSweden(now: Date = new Date()): string {
  const parts = Object.fromEntries(SWEDISH_DAY.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
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
