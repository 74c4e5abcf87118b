// THE way Sitrep writes times and durations, on every screen and in every message (updates,
// reviews, the status page, notifications, the timeline): UTC, to the minute, with one wording
// for spans, so "how long" and "when" read the same in the command view, the review and an
// e-mail, in every time zone. Pure functions: server and browser code both use them.

type At = Date | string;

const iso = (at: At) => (typeof at === 'string' ? new Date(at) : at).toISOString();

/** "2026-11-23 02:13 UTC" */
export function formatDateTime(at: At): string {
  const value = iso(at);
  return `${value.slice(0, 10)} ${value.slice(11, 16)} UTC`;
}

/** "02:13 UTC"; with `seconds`, "02:13:09 UTC"; `zone: false` leaves " UTC" to a column heading. */
export function formatClock(at: At, options: { seconds?: boolean; zone?: boolean } = {}): string {
  return `${iso(at).slice(11, options.seconds ? 19 : 16)}${options.zone === false ? '' : ' UTC'}`;
}

/** "2026-11-23 02:13:09 UTC": the exact moment, for hovers and screen readers. */
export function formatExact(at: At): string {
  const value = iso(at);
  return `${value.slice(0, 10)} ${value.slice(11, 19)} UTC`;
}

/** "02:13 UTC" when `at` falls on the same UTC day as `reference`, else "2026-11-23 02:13 UTC". */
export function formatMoment(at: At, reference: At): string {
  return iso(at).slice(0, 10) === iso(reference).slice(0, 10) ? formatClock(at) : formatDateTime(at);
}

/**
 * "<1 min", "45 min", "1 h 25 min", "2 h", "3 d 4 h": how long something lasted or is left.
 * Whole minutes that have passed (a span of 1 min 50 s is "1 min"), never rounded up, so a
 * countdown never says a minute more than is left and a measured span never grows.
 */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return '<1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** "just now" (under 10 s), "<1 min ago", "12 min ago", "3 d 4 h ago". */
export function formatAgo(ms: number): string {
  return ms < 10_000 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** A key time nobody entered: it did not fail to happen, it was not written down. */
export const NOT_RECORDED = 'not recorded';
