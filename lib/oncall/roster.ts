// Schedules as the shift function wants them: rules and overrides read from the database, for
// the service (inside its transaction, to page whoever is on call) and for the screens. Overrides
// are read for a window around the question, wide enough for every shift that could reach into
// it: a rotation is at most 744 hours, so 32 days on either side.
import 'server-only';
import type { Db, Tx } from '@/lib/platform/db';
import type { Layer, Override, ScheduleRules } from '@/lib/oncall/schema';
import { DAY } from '@/lib/oncall/wall-clock';
import { computeShifts, onCallAt, type OnCall } from '@/lib/oncall/shifts';

const OVERRIDE_MARGIN_MS = 32 * DAY;

export type RosterOverride = Override & { id: string; userId: string; createdBy: { email: string; name: string } | null; createdAt: Date };

export type RosterSchedule = {
  id: string;
  name: string;
  timeZone: string;
  version: number;
  rules: ScheduleRules;
  overrides: RosterOverride[];
};

/** Schedules (all, or those in `ids`) with the overrides that can matter for [from, to]. */
export async function loadRoster(client: Db | Tx, window: { from: Date; to: Date }, ids?: readonly string[]): Promise<RosterSchedule[]> {
  const schedules = await client.schedule.findMany({
    where: ids ? { id: { in: [...ids] } } : {},
    orderBy: { name: 'asc' },
    include: {
      overrides: {
        where: { endsAt: { gt: new Date(window.from.getTime() - OVERRIDE_MARGIN_MS) }, startsAt: { lt: new Date(window.to.getTime() + OVERRIDE_MARGIN_MS) } },
        // Later overrides win over earlier ones: the order they were made in.
        orderBy: { createdAt: 'asc' },
        include: { user: { select: { email: true } }, createdBy: { select: { email: true, name: true } } },
      },
    },
  });
  return schedules.map((schedule) => ({
    id: schedule.id,
    name: schedule.name,
    timeZone: schedule.timeZone,
    version: schedule.version,
    rules: { timeZone: schedule.timeZone, layers: schedule.layers as Layer[] },
    overrides: schedule.overrides.map((override) => ({
      id: override.id,
      userId: override.userId,
      email: override.user.email,
      start: override.startsAt,
      end: override.endsAt,
      createdBy: override.createdBy,
      createdAt: override.createdAt,
    })),
  }));
}

/** How far ahead onCallAt may look (its longest look-ahead) plus a margin. */
const LOOK_AHEAD_MS = 91 * DAY;

/** The window loadRoster needs for "who is on call at `at`, until when, and who is next". */
export function onCallWindow(at: Date): { from: Date; to: Date } {
  return { from: at, to: new Date(at.getTime() + LOOK_AHEAD_MS) };
}

export function onCallIn(schedule: RosterSchedule, at: Date): OnCall {
  return onCallAt(schedule.rules, schedule.overrides, at);
}

/** Everyone named in a schedule: participants of every layer and people covering overrides. */
export function rosterPeople(schedule: RosterSchedule): string[] {
  return [...new Set([...schedule.rules.layers.flatMap((layer) => layer.participants), ...schedule.overrides.map((override) => override.email)])];
}

/** Who is on call in the schedule at the instant `at` (one person, or nobody). */
export function onCallUsersAt(schedule: RosterSchedule, at: Date): string[] {
  const instant = at.getTime();
  return computeShifts(schedule.rules, schedule.overrides, { from: at, to: new Date(instant + 1) })
    .filter((shift) => shift.start.getTime() <= instant && shift.end.getTime() > instant)
    .map((shift) => shift.email);
}
