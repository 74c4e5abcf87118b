// Local clock times in a schedule's time zone, and the instants they name. Schedules are written
// in local time ("09:00 every day in Europe/Berlin"), so shifts are laid out on the local clock
// and turned into instants here. Luxon (IANA rules through Intl) decides every offset; this file
// only chooses among its answers where the clock is ambiguous or jumps, and caches them: on a day
// without a clock change every local time is local midnight's instant plus the time of day.
//
// A "wall" time is the local date and clock time counted in milliseconds as if it were UTC:
// 2026-03-29 02:30 local is Date.UTC(2026, 2, 29, 2, 30). Adding days or hours to a wall time is
// plain calendar arithmetic with no zone involved; only `instantOf` and `wallOf` know the zone.
//
// THE RULE for clock times that do not name exactly one instant: a wall time means the first
// instant at which the local clock reads that time or later.
// - Fall back (the hour after 02:00 happens twice in Berlin in October): the first occurrence.
// - Spring forward (02:00–03:00 does not exist in Berlin in March): the moment the clock jumps,
//   03:00 CEST. So a 02:30 hand-off happens at the jump, and hand-offs never run backwards even
//   where a zone skipped a whole day (Pacific/Apia, 30 December 2011).
import { DateTime, IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Bound on cached facts over all zones; a long-running server must not grow without end. */
const MAX_CACHED_ENTRIES = 200_000;

export type WallClock = {
  zone: string;
  /** The first instant at which the local clock reads `wall` or later (see THE RULE above). */
  instantOf(wall: number): number;
  /** What the local clock reads at `instant`. */
  wallOf(instant: number): number;
};

/**
 * How often the offset is sampled to find the days on which clocks change. Two changes within 12
 * hours that cancel out would go unseen; the time-zone database has none.
 */
const SAMPLE_EVERY = 12 * HOUR;

type DayFacts = {
  /** Local midnight's instant, when the whole day has one offset (the common case); null on a day the clocks change. */
  regularStart: number | null;
};

const clocks = new Map<string, WallClock>();
let cachedEntries = 0;
const caches: Map<number, unknown>[] = [];

function remember<T>(cache: Map<number, T>, key: number, value: T): void {
  if (cachedEntries >= MAX_CACHED_ENTRIES) {
    for (const known of caches) known.clear();
    cachedEntries = 0;
  }
  cache.set(key, value);
  cachedEntries++;
}

/** A wall clock for an IANA zone; the same object for the same zone, so its day cache is shared. */
export function wallClock(zoneName: string): WallClock {
  const known = clocks.get(zoneName);
  if (known) return known;
  const zone = IANAZone.create(zoneName);
  if (!zone.isValid) throw new RangeError(`${zoneName} is not an IANA time zone`);
  const days = new Map<number, DayFacts>();
  caches.push(days);

  const exactWallOf = (instant: number) => instant + zone.offset(instant) * MINUTE;

  /** Luxon's answer, then THE RULE where the wall time is ambiguous or skipped. */
  const exactInstantOf = (wall: number): number => {
    const local = DateTime.fromMillis(wall, { zone: 'utc' }).setZone(zone, { keepLocalTime: true });
    const earliest = Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
    if (exactWallOf(earliest) === wall) return earliest;
    // Luxon moved a skipped time past the jump by the jump's size. The jump itself is the first
    // instant whose clock reads `wall` or later: bisect between a moment before it and Luxon's answer.
    let before = earliest - (exactWallOf(earliest) - wall) - MINUTE;
    while (exactWallOf(before) >= wall) before -= HOUR;
    let after = earliest;
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (exactWallOf(middle) >= wall) after = middle;
      else before = middle;
    }
    return after;
  };

  // Clock times on days the clocks change, each worked out once.
  const exact = new Map<number, number>();
  // The zone's offset sampled every 12 hours (UTC), each asked of Luxon once.
  const samples = new Map<number, number>();
  caches.push(samples, exact);
  const sampledOffset = (index: number): number => {
    let offset = samples.get(index);
    if (offset === undefined) {
      offset = zone.offset(index * SAMPLE_EVERY);
      remember(samples, index, offset);
    }
    return offset;
  };

  const dayFacts = (day: number): DayFacts => {
    let facts = days.get(day);
    if (facts) return facts;
    // The instants of a local day lie within [day − 14 h, day + 36 h] (offsets run from −12 h to
    // +14 h). Where every sample over that stretch has the same offset, the clocks did not change
    // that day, and its clock times are midnight + time of day. Days with a change (two a year in
    // most zones) go to Luxon time by time.
    const first = Math.floor((day - 14 * HOUR) / SAMPLE_EVERY);
    const last = Math.ceil((day + DAY + 12 * HOUR) / SAMPLE_EVERY);
    const offset = sampledOffset(first);
    let regular = true;
    for (let index = first + 1; index <= last && regular; index++) regular = sampledOffset(index) === offset;
    facts = { regularStart: regular ? day - offset * MINUTE : null };
    remember(days, day, facts);
    return facts;
  };

  const clock: WallClock = {
    zone: zoneName,
    wallOf(instant) {
      // Between two samples with the same offset the offset is that one.
      const index = Math.floor(instant / SAMPLE_EVERY);
      const offset = sampledOffset(index);
      return offset === sampledOffset(index + 1) ? instant + offset * MINUTE : exactWallOf(instant);
    },
    instantOf(wall) {
      const day = Math.floor(wall / DAY) * DAY;
      const { regularStart } = dayFacts(day);
      if (regularStart !== null) return regularStart + (wall - day);
      let instant = exact.get(wall);
      if (instant === undefined) {
        instant = exactInstantOf(wall);
        remember(exact, wall, instant);
      }
      return instant;
    },
  };
  clocks.set(zoneName, clock);
  return clock;
}

/** The wall time of a calendar date ("2026-12-07") at a clock time given in minutes after midnight. */
export function wallAt(date: string, minutes: number): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) + minutes * MINUTE;
}

/** Monday = 0 … Sunday = 6, of the local day a wall time falls on. */
export function weekdayOfWall(wall: number): number {
  return (new Date(wall).getUTCDay() + 6) % 7;
}

/** The wall time of local midnight starting the day `wall` falls on. */
export function dayOfWall(wall: number): number {
  return Math.floor(wall / DAY) * DAY;
}
