const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const units: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** `iso` relative to `now`, in the browser's language: "in 59 minutes", "3 hours ago", "now". */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  for (const [unit, size] of units) {
    // Rounded toward zero, so "in 59 minutes" is never shown as "in 1 hour" early.
    if (Math.abs(diff) >= size) return relative.format(Math.trunc(diff / size), unit);
  }
  return Math.abs(diff) < 10_000 ? relative.format(0, 'second') : relative.format(Math.trunc(diff / 1000), 'second');
}

/** `iso` as a date and time in the browser's language and time zone. */
export function absoluteTime(iso: string): string {
  return absolute.format(new Date(iso));
}
