// WHO IS ON CALL, computed from a schedule's rules; shifts are never stored. A pure function of
// (schedule, overrides, time range): the timeline, "who is on call now", "my shifts", the
// calendar feeds and escalation all ask it, so its rules are the product's rules:
//
// - A layer's first shift starts at `handoffTime`, local time in the schedule's zone, on
//   `startDate` (weekly with a `handoffDay`: on the first such day on or after `startDate`) and
//   belongs to participants[0]; each following shift goes to the next participant, wrapping
//   around. Nobody is on call from a layer before its first shift.
// - Shifts follow the local clock: daily is 24 clock hours, weekly 168, {hours: n} n. A 09:00
//   hand-off stays 09:00 local all year, so the shift across the spring-forward night lasts 23 h
//   and the one across the fall-back night 25 h. Clock times that happen twice or not at all
//   follow wall-clock.ts (first occurrence; the moment of the jump).
// - Restrictions cut a layer's shifts to their windows (the rest of the shift has nobody from it).
// - Later layers win over earlier ones wherever they have someone; overrides win over all layers,
//   and a later override in the list over an earlier one.
// - The result is the final schedule: shifts that do not overlap, ordered by start, each a
//   stretch of one layer shift or one override. Two shifts of the same person are not merged
//   across a hand-off. Each shift keeps its whole extent, also where it reaches outside the
//   range asked for (a shift that started yesterday starts yesterday).
import { clockMinutes, weekdays, shortWeekdays, type Layer, type Override, type Restriction, type Rotation, type ScheduleRules } from '@/lib/oncall/schema';
import { DAY, HOUR, MINUTE, dayOfWall, wallAt, wallClock, weekdayOfWall, type WallClock } from '@/lib/oncall/wall-clock';

export type Shift = {
  email: string;
  start: Date;
  end: Date;
  source: 'layer' | 'override';
  /** 0-based index of the layer the shift came from; null for overrides. */
  layer: number | null;
};

export type TimeRange = { from: Date; to: Date };

/** A stretch of time held by one person from one source, before the layers are stacked. */
type Piece = { email: string; start: number; end: number; rank: number; layer: number | null };

export function rotationHours(rotation: Rotation): number {
  if (rotation === 'daily') return 24;
  if (rotation === 'weekly') return 7 * 24;
  return rotation.hours;
}

/** One layer's rotation laid out on the zone's clock; shifts are found by index, not by walking from startDate. */
class Rotor {
  private readonly first: number;
  private readonly step: number;
  constructor(
    private readonly layer: Layer,
    private readonly clock: WallClock,
  ) {
    let first = wallAt(layer.startDate, clockMinutes(layer.handoffTime));
    if (layer.rotation === 'weekly' && layer.handoffDay) {
      const wanted = weekdays.indexOf(layer.handoffDay);
      first += ((wanted - weekdayOfWall(first) + 7) % 7) * DAY;
    }
    this.first = first;
    this.step = rotationHours(layer.rotation) * HOUR;
  }

  /** Start of shift k (k ≥ 0), an instant. */
  startOf(k: number): number {
    return this.clock.instantOf(this.first + k * this.step);
  }

  /** Index of the shift holding `instant`; -1 before the first shift. */
  indexAt(instant: number): number {
    if (instant < this.startOf(0)) return -1;
    // The local clock gives the index up to a DST hour or so; the exact boundaries settle it.
    let k = Math.max(0, Math.floor((this.clock.wallOf(instant) - this.first) / this.step));
    while (k > 0 && this.startOf(k) > instant) k--;
    while (this.startOf(k + 1) <= instant) k++;
    return k;
  }

  /** The shifts overlapping [from, to), whole; empty ones (a clock jump swallowed them) left out. */
  shiftsOverlapping(from: number, to: number): Piece[] {
    const last = this.indexAt(to - 1);
    if (last < 0) return [];
    const pieces: Piece[] = [];
    const participants = this.layer.participants;
    const firstIndex = Math.max(0, this.indexAt(from));
    let start = this.startOf(firstIndex);
    for (let k = firstIndex; k <= last; k++) {
      const end = this.startOf(k + 1);
      if (end > start) pieces.push({ email: participants[k % participants.length]!, start, end, rank: 0, layer: null });
      start = end;
    }
    return pieces;
  }
}

/** The restriction windows of a layer between two instants, merged where they touch or overlap. */
function restrictionWindows(restrictions: readonly Restriction[], clock: WallClock, from: number, to: number): [number, number][] {
  const windows: [number, number][] = [];
  // From the day before (a window from the evening before may run into `from`) to the last day.
  const lastDay = dayOfWall(clock.wallOf(to));
  for (let day = dayOfWall(clock.wallOf(from)) - DAY; day <= lastDay; day += DAY) {
    const weekday = shortWeekdays[weekdayOfWall(day)]!;
    for (const restriction of restrictions) {
      if (!restriction.days.includes(weekday)) continue;
      const opens = clockMinutes(restriction.from);
      let closes = clockMinutes(restriction.to);
      if (closes <= opens) closes += 24 * 60;
      const start = clock.instantOf(day + opens * MINUTE);
      const end = clock.instantOf(day + closes * MINUTE);
      if (end > start && end > from && start < to) windows.push([start, end]);
    }
  }
  windows.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const window of windows) {
    const previous = merged[merged.length - 1];
    if (previous && window[0] <= previous[1]) previous[1] = Math.max(previous[1], window[1]);
    else merged.push([window[0], window[1]]);
  }
  return merged;
}

/** Cuts each shift to the windows; a shift outside every window disappears. */
function restrict(pieces: Piece[], windows: [number, number][]): Piece[] {
  const cut: Piece[] = [];
  let first = 0;
  for (const piece of pieces) {
    while (first < windows.length && windows[first]![1] <= piece.start) first++;
    for (let i = first; i < windows.length && windows[i]![0] < piece.end; i++) {
      const start = Math.max(piece.start, windows[i]![0]);
      const end = Math.min(piece.end, windows[i]![1]);
      if (end > start) cut.push({ ...piece, start, end });
    }
  }
  return cut;
}

/**
 * Stacks the pieces: at every instant the piece of the highest rank holds it. Returns stretches
 * of single pieces in time order; consecutive stretches of the same piece are one stretch.
 */
function stack(pieces: Piece[]): { piece: Piece; start: number; end: number }[] {
  const edges: { at: number; piece: Piece; opens: boolean }[] = [];
  for (const piece of pieces) edges.push({ at: piece.start, piece, opens: true }, { at: piece.end, piece, opens: false });
  edges.sort((a, b) => a.at - b.at);
  const active = new Set<Piece>();
  const stretches: { piece: Piece; start: number; end: number }[] = [];
  let since = 0;
  for (let i = 0; i < edges.length; ) {
    const at = edges[i]!.at;
    if (active.size > 0 && at > since) {
      let top: Piece | null = null;
      for (const piece of active) if (!top || piece.rank > top.rank) top = piece;
      const last = stretches[stretches.length - 1];
      if (last && last.piece === top && last.end === since) last.end = at;
      else stretches.push({ piece: top!, start: since, end: at });
    }
    for (; i < edges.length && edges[i]!.at === at; i++) {
      if (edges[i]!.opens) active.add(edges[i]!.piece);
      else active.delete(edges[i]!.piece);
    }
    since = at;
  }
  return stretches;
}

/**
 * The final shifts of a schedule that overlap [from, to), ordered by start, with their whole
 * extent. See the rules at the top of this file.
 */
export function computeShifts(schedule: ScheduleRules, overrides: readonly Override[], range: TimeRange): Shift[] {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!(to > from)) return [];
  const clock = wallClock(schedule.timeZone);
  const rotors = schedule.layers.map((layer) => new Rotor(layer, clock));
  const liveOverrides = overrides.filter((override) => override.end.getTime() > override.start.getTime());

  // Every shift that overlaps the range decides its own extent, and whatever overlaps that extent
  // decides how it is cut: so lay out every source over the union of those extents.
  let lo = from;
  let hi = to;
  for (const rotor of rotors) {
    for (const piece of rotor.shiftsOverlapping(from, to)) {
      lo = Math.min(lo, piece.start);
      hi = Math.max(hi, piece.end);
    }
  }
  for (const override of liveOverrides) {
    if (override.end.getTime() > from && override.start.getTime() < to) {
      lo = Math.min(lo, override.start.getTime());
      hi = Math.max(hi, override.end.getTime());
    }
  }

  const pieces: Piece[] = [];
  schedule.layers.forEach((layer, index) => {
    let layerPieces: Piece[] = rotors[index]!.shiftsOverlapping(lo, hi).map((piece) => ({ ...piece, rank: index, layer: index }));
    if (layer.restrictions.length > 0) layerPieces = restrict(layerPieces, restrictionWindows(layer.restrictions, clock, lo, hi));
    pieces.push(...layerPieces);
  });
  liveOverrides.forEach((override, index) => {
    const start = override.start.getTime();
    const end = override.end.getTime();
    if (end > lo && start < hi) pieces.push({ email: override.email, start, end, rank: schedule.layers.length + index, layer: null });
  });

  return stack(pieces)
    .filter((stretch) => stretch.end > from && stretch.start < to)
    .map(({ piece, start, end }) => ({
      email: piece.email,
      start: new Date(start),
      end: new Date(end),
      source: piece.layer === null ? 'override' : 'layer',
      layer: piece.layer,
    }));
}

export type OnCall = {
  /** Who is on call at the instant: one person, or nobody. */
  users: string[];
  /** When that changes (someone else, or nobody, takes over); null when it does not within 90 days. */
  until: Date | null;
  /** Who is on call next and from when to when (consecutive shifts of that person as one, cut at 90 days ahead), or null. */
  next: { email: string; start: Date; end: Date } | null;
};

/** How far ahead "until" and "next" look: a little first, further only while nothing changes. */
const LOOK_AHEAD_DAYS = [2, 14, 90] as const;

type Run = { email: string | null; start: number; end: number };

/** From `instant` to `horizon`: who holds each stretch, the same person's consecutive shifts as one, nobody's stretches too. */
function runsFrom(shifts: Shift[], instant: number, horizon: number): Run[] {
  const runs: Run[] = [];
  let cursor = instant;
  for (const shift of shifts) {
    const end = shift.end.getTime();
    if (end <= cursor) continue;
    const start = Math.max(shift.start.getTime(), instant);
    if (start > cursor) runs.push({ email: null, start: cursor, end: start });
    const last = runs[runs.length - 1];
    if (last && last.email === shift.email && last.end === start) last.end = end;
    else runs.push({ email: shift.email, start, end });
    cursor = end;
  }
  if (cursor < horizon) runs.push({ email: null, start: cursor, end: horizon });
  return runs;
}

/** Who is on call at an instant, until when, and who is next. */
export function onCallAt(schedule: ScheduleRules, overrides: readonly Override[], at: Date): OnCall {
  const instant = at.getTime();
  let answer: OnCall = { users: [], until: null, next: null };
  for (const days of LOOK_AHEAD_DAYS) {
    const horizon = instant + days * DAY;
    const runs = runsFrom(computeShifts(schedule, overrides, { from: at, to: new Date(horizon) }), instant, horizon);
    const current = runs[0]!;
    const next = runs.find((run, index) => index > 0 && run.email !== null);
    answer = {
      users: current.email === null ? [] : [current.email],
      until: current.end < horizon ? new Date(current.end) : null,
      next: next ? { email: next.email!, start: new Date(next.start), end: new Date(Math.min(next.end, instant + LOOK_AHEAD_DAYS[2] * DAY)) } : null,
    };
    if (answer.until && answer.next) break;
  }
  return answer;
}
