// How Sitrep writes times and durations in text people read (updates, reviews, the status page,
// notifications): UTC, to the minute, so a message means the same in every time zone.

/** "2026-11-23 02:13 UTC" */
export function utcMinute(at: Date | string): string {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "02:13 UTC" */
export function utcClock(at: Date | string): string {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return `${iso.slice(11, 16)} UTC`;
}

/** "45 min", "1 h 25 min", "3 d 4 h": how long something lasted. */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
