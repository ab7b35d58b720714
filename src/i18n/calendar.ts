// The calendar day as the people using the tool live it. Dates in hf-fidelity (checked on, due on, noted on, the day
// of a self-assessment) are days in Sweden, so "today" must be the Swedish day: the UTC day is still yesterday for
// the first one or two hours after midnight, when a date typed as today would be refused as a future date.
const SWEDISH_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Sweden as an ISO day ("2026-03-15"), daylight saving time included. */
export function todayInSweden(now: Date = new Date()): string {
  const parts = Object.fromEntries(SWEDISH_DAY.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
