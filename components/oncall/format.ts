// Times on the on-call screens, in the schedule's own zone (hand-offs are written in it), with
// the same output on the server and in the browser so hydration never disagrees.
const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let formatter = formats.get(key);
  if (!formatter) formats.set(key, (formatter = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', ...options })));
  return formatter;
}

/** "Fri 09:00" */
export function dayClock(iso: string, zone: string): string {
  return format(zone, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)).replace(',', '');
}

/** "Fri 11 Dec, 09:00" */
export function dateClock(iso: string, zone: string): string {
  return format(zone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)).replace(/,(?= \d{2}:)/, ',');
}

/** "09:00" */
export function clock(iso: string, zone: string): string {
  return format(zone, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "Europe/Berlin" → "Berlin"; UTC stays. */
export function zoneName(zone: string): string {
  return zone.split('/').pop()!.replace(/_/g, ' ');
}

/** "40 s", "2 min", "1 h 5 min" */
export function span(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
