// Reads shaped for the on-call screens and the API: schedules and their shifts, who is on call,
// policies, contact methods (with whether they work), pages, acknowledge links and calendar feeds.
import 'server-only';
import { DateTime } from 'luxon';
import { db } from '@/lib/platform/db';
import { env } from '@/lib/platform/env';
import { NotFoundError } from '@/lib/platform/errors';
import { publicUrl } from '@/lib/platform/urls';
import type { Actor } from '@/lib/platform/auth/policy';
import { renderCalendar, type CalendarShift } from '@/lib/oncall/calendar';
import { pageInclude, toOverrideDto, toPageDto, toPolicyDto, toScheduleDto, type OverrideDto, type PolicyDto } from '@/lib/oncall/dto';
import { loadRoster, onCallIn, onCallWindow, rosterPeople, type RosterSchedule } from '@/lib/oncall/roster';
import type { ContactMethodDto, Override, PageDto, PageStatus, ScheduleDto, ScheduleRules } from '@/lib/oncall/schema';
import { hashSecret, looksLikeSecret } from '@/lib/oncall/secrets';
import { computeShifts, type Shift } from '@/lib/oncall/shifts';
import { DAY } from '@/lib/oncall/wall-clock';
import { visibleTo, type Viewer } from '@/lib/incidents/visibility';
import type { Prisma } from '@/lib/generated/prisma/client';

/** Pages without an incident, and those about an incident the viewer may see (private incidents stay hidden). */
function pagesVisibleTo(viewer: Viewer): Prisma.PageWhereInput {
  return viewer === 'installation' || viewer.role === 'admin' ? {} : { OR: [{ incidentId: null }, { incident: visibleTo(viewer) }] };
}

type Person = { email: string; name: string };

async function namesOf(emails: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(emails)];
  if (list.length === 0) return new Map();
  const users = await db.user.findMany({ where: { email: { in: list } }, select: { email: true, name: true } });
  return new Map(users.map((user) => [user.email, user.name]));
}

function person(email: string, names: Map<string, string>): Person {
  return { email, name: names.get(email) ?? email };
}

// ---- Schedules ----

export async function listSchedules(): Promise<ScheduleDto[]> {
  return (await db.schedule.findMany({ orderBy: { name: 'asc' } })).map(toScheduleDto);
}

export async function getSchedule(id: string): Promise<ScheduleDto | null> {
  const schedule = await db.schedule.findUnique({ where: { id } });
  return schedule ? toScheduleDto(schedule) : null;
}

async function requireRoster(id: string, window: { from: Date; to: Date }): Promise<RosterSchedule> {
  const [schedule] = await loadRoster(db, window, [id]);
  if (!schedule) throw new NotFoundError('That schedule does not exist.');
  return schedule;
}

/** Overrides that have not ended (or all since `since`), soonest first. */
export async function listOverrides(scheduleId: string, since = new Date()): Promise<OverrideDto[]> {
  if (!(await db.schedule.findUnique({ where: { id: scheduleId }, select: { id: true } }))) throw new NotFoundError('That schedule does not exist.');
  const rows = await db.scheduleOverride.findMany({
    where: { scheduleId, endsAt: { gt: since } },
    orderBy: [{ startsAt: 'asc' }, { createdAt: 'asc' }],
    include: { user: { select: { email: true, name: true } }, createdBy: { select: { email: true } } },
  });
  return rows.map(toOverrideDto);
}

export type ShiftDto = { email: string; start: string; end: string; source: 'layer' | 'override'; layer: number | null };

function toShiftDto(shift: Shift): ShiftDto {
  return { email: shift.email, start: shift.start.toISOString(), end: shift.end.toISOString(), source: shift.source, layer: shift.layer };
}

/** GET /api/v1/schedules/{id}/shifts: the final schedule over [from, to) (the schema caps it at 90 days). */
export async function getShifts(id: string, range: { from: Date; to: Date }): Promise<{ items: ShiftDto[] }> {
  const schedule = await requireRoster(id, range);
  return { items: computeShifts(schedule.rules, schedule.overrides, range).map(toShiftDto) };
}

/** GET /api/v1/schedules/{id}/oncall: who is on call at `at` and until when. */
export async function getOnCall(id: string, at: Date): Promise<{ at: string; users: Person[]; until: string | null }> {
  const schedule = await requireRoster(id, onCallWindow(at));
  const answer = onCallIn(schedule, at);
  const names = await namesOf(answer.users);
  return { at: at.toISOString(), users: answer.users.map((email) => person(email, names)), until: answer.until?.toISOString() ?? null };
}

export type ScheduleOnCall = {
  schedule: { id: string; name: string; timeZone: string };
  now: Person[];
  until: string | null;
  next: (Person & { start: string; end: string }) | null;
};

/** Who is on call now and next in every schedule (GET /api/v1/oncall, the top of /oncall). */
export async function listOnCall(at = new Date()): Promise<ScheduleOnCall[]> {
  const roster = await loadRoster(db, onCallWindow(at));
  const answers = roster.map((schedule) => ({ schedule, answer: onCallIn(schedule, at) }));
  const names = await namesOf(answers.flatMap(({ answer }) => [...answer.users, ...(answer.next ? [answer.next.email] : [])]));
  return answers.map(({ schedule, answer }) => ({
    schedule: { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone },
    now: answer.users.map((email) => person(email, names)),
    until: answer.until?.toISOString() ?? null,
    next: answer.next ? { ...person(answer.next.email, names), start: answer.next.start.toISOString(), end: answer.next.end.toISOString() } : null,
  }));
}

// ---- Contact methods and whether they work ----

type MethodRow = { id: string; userId: string; kind: ContactMethodDto['kind']; targetHint: string; label: string | null; delaySeconds: number; disabledAt: Date | null; disabledReason: string | null };
type LastResult = { status: 'sent' | 'failed'; at: Date; error: string | null };

async function lastResults(methodIds: string[]): Promise<Map<string, LastResult>> {
  if (methodIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ contact_method_id: string; status: 'succeeded' | 'failed'; completed_at: Date; last_error: string | null }[]>`
    SELECT DISTINCT ON (contact_method_id) contact_method_id, status::text AS status, completed_at, last_error
      FROM page_notifications
     WHERE contact_method_id = ANY(${methodIds}::uuid[]) AND status IN ('succeeded', 'failed') AND completed_at IS NOT NULL
     ORDER BY contact_method_id, completed_at DESC`;
  return new Map(rows.map((row) => [row.contact_method_id, { status: row.status === 'succeeded' ? 'sent' : 'failed', at: row.completed_at, error: row.last_error }]));
}

/** Why a page cannot reach someone through this method now, or null when it can. */
function methodProblem(method: MethodRow, last: LastResult | undefined): string | null {
  if (method.disabledAt) return `Disabled: ${method.disabledReason ?? 'by an admin'}`;
  if (method.kind === 'email' && !env.SITREP_SMTP_URL) return 'E-mail cannot be sent: SITREP_SMTP_URL is not set';
  if (last?.status === 'failed') return `The last message failed: ${last.error ?? 'no answer'}`;
  return null;
}

function toMethodDto(method: MethodRow, last: LastResult | undefined): ContactMethodDto {
  const problem = methodProblem(method, last);
  return {
    id: method.id,
    kind: method.kind,
    hint: method.targetHint,
    delaySeconds: method.delaySeconds,
    label: method.label,
    disabled: method.disabledAt ? { at: method.disabledAt.toISOString(), reason: method.disabledReason ?? '' } : null,
    lastResult: last ? { at: last.at.toISOString(), status: last.status, error: last.error } : null,
    working: problem === null,
    problem,
  };
}

const methodSelect = { id: true, userId: true, kind: true, targetHint: true, label: true, delaySeconds: true, disabledAt: true, disabledReason: true } as const;

export async function listContactMethods(userId: string): Promise<ContactMethodDto[]> {
  const methods = await db.contactMethod.findMany({ where: { userId }, orderBy: [{ delaySeconds: 'asc' }, { createdAt: 'asc' }], select: methodSelect });
  const results = await lastResults(methods.map((method) => method.id));
  return methods.map((method) => toMethodDto(method, results.get(method.id)));
}

export type ContactHealth = { working: boolean; problem: string | null };

/** Per e-mail: can a page reach this person? (At least one method that works, see methodProblem.) */
export async function contactHealth(emails: Iterable<string>): Promise<Map<string, ContactHealth>> {
  return (await peopleOf(emails)).health;
}

/** Per e-mail (or for every user): the person's name and whether a page can reach them, from one read of the users. */
async function peopleOf(emails: Iterable<string> | 'everyone'): Promise<{ names: Map<string, string>; health: Map<string, ContactHealth> }> {
  const everyone = emails === 'everyone';
  const asked = everyone ? [] : [...new Set(emails)];
  if (!everyone && asked.length === 0) return { names: new Map(), health: new Map() };
  const users = await db.user.findMany({ where: everyone ? {} : { email: { in: asked } }, select: { email: true, name: true, contactMethods: { select: methodSelect } } });
  const list = everyone ? users.map((user) => user.email) : asked;
  const results = await lastResults(users.flatMap((user) => user.contactMethods.map((method) => method.id)));
  const byEmail = new Map(users.map((user) => [user.email, user]));
  const health = new Map<string, ContactHealth>();
  for (const email of list) {
    const user = byEmail.get(email);
    if (!user || user.contactMethods.length === 0) {
      health.set(email, { working: false, problem: user ? 'No contact method: a page cannot reach them' : 'Not a user' });
      continue;
    }
    const problems = user.contactMethods.map((method) => methodProblem(method, results.get(method.id)));
    health.set(email, problems.some((problem) => problem === null) ? { working: true, problem: null } : { working: false, problem: `No working contact method: ${problems.join('; ')}` });
  }
  return { names: new Map(users.map((user) => [user.email, user.name])), health };
}

// ---- Escalation policies ----

export async function listPolicies(): Promise<PolicyDto[]> {
  return (await db.escalationPolicy.findMany({ orderBy: { name: 'asc' } })).map(toPolicyDto);
}

export async function getPolicy(id: string): Promise<PolicyDto | null> {
  const policy = await db.escalationPolicy.findUnique({ where: { id } });
  return policy ? toPolicyDto(policy) : null;
}

// ---- Pages ----

export async function getPage(id: string, viewer: Viewer = 'installation'): Promise<PageDto | null> {
  const page = await db.page.findFirst({ where: { AND: [{ id }, pagesVisibleTo(viewer)] }, include: pageInclude });
  return page ? toPageDto(page) : null;
}

/** Newest first. Without a status: open pages (triggered, acknowledged) and the most recent resolved ones. */
export async function listPages(viewer: Viewer, filter: { status?: PageStatus; limit?: number } = {}): Promise<PageDto[]> {
  const take = Math.min(filter.limit ?? 50, 200);
  const rows = await db.page.findMany({ where: { AND: [filter.status ? { status: filter.status } : {}, pagesVisibleTo(viewer)] }, include: pageInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  return rows.map(toPageDto);
}

/** The open pages and the latest resolved ones, for /pages. */
export async function listPagesForScreen(viewer: Viewer): Promise<{ open: PageDto[]; recent: PageDto[] }> {
  const visible = pagesVisibleTo(viewer);
  const [open, recent] = await Promise.all([
    db.page.findMany({ where: { AND: [{ status: { in: ['triggered', 'acknowledged'] } }, visible] }, include: pageInclude, orderBy: { createdAt: 'desc' }, take: 100 }),
    db.page.findMany({ where: { AND: [{ status: 'resolved' }, visible] }, include: pageInclude, orderBy: { resolvedAt: 'desc' }, take: 20 }),
  ]);
  return { open: open.map(toPageDto), recent: recent.map(toPageDto) };
}

export type AckLinkView = {
  page: PageDto;
  person: Person;
  /** open: the Acknowledge button works; acknowledged: nothing left to do; gone: 410. */
  state: 'open' | 'acknowledged' | 'gone';
  message: string | null;
};

/** What GET /ack/<token> shows; null for a link that does not exist. Never changes anything. */
export async function findAckLink(token: string, now = new Date()): Promise<AckLinkView | null> {
  if (!looksLikeSecret(token)) return null;
  const link = await db.pageAckLink.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: { select: { email: true, name: true, disabledAt: true } } } });
  if (!link) return null;
  const page = (await getPage(link.pageId))!;
  const who = { email: link.user.email, name: link.user.name };
  if (page.status === 'resolved') return { page, person: who, state: 'gone', message: `This page was resolved${page.resolvedBy ? ` by ${page.resolvedBy.name}` : ''}; the link no longer works.` };
  if (link.expiresAt <= now) return { page, person: who, state: 'gone', message: 'This link has expired (links work for 24 hours). Acknowledge in Sitrep instead.' };
  if (link.user.disabledAt) return { page, person: who, state: 'gone', message: 'This account is disabled; the link no longer works.' };
  if (page.status === 'acknowledged') return { page, person: who, state: 'acknowledged', message: null };
  return { page, person: who, state: 'open', message: null };
}

// ---- The /oncall screen and the app shell ----

export type TimelineShift = Person & { start: string; end: string; source: 'layer' | 'override'; layer: number | null };

export type ScheduleTimeline = {
  id: string;
  name: string;
  timeZone: string;
  now: (Person & { until: string | null }) | null;
  next: (Person & { start: string; end: string }) | null;
  layers: { name: string; shifts: TimelineShift[] }[];
  overrides: (OverrideDto & { canRemove: boolean })[];
  final: TimelineShift[];
};

export type OnCallOverview = {
  from: string;
  to: string;
  days: { start: string; label: string }[];
  schedules: ScheduleTimeline[];
  mine: (TimelineShift & { schedule: { id: string; name: string; timeZone: string } })[];
  /** People on call now or in the two weeks whom a page cannot reach, and why. */
  unreachable: Record<string, string>;
  /** A colour number per person (in order of first appearance), the same in every row and schedule. */
  colours: Record<string, number>;
};

export const OVERVIEW_DAYS = 14;

// The overview's two weeks start at midnight UTC, so every view of /oncall within a day asks for
// the same shifts of the same rules: computed once per rules, overrides and day (most of the
// page's time with 50 schedules), and recomputed the moment anything in the key changes. The
// memo keeps them as the page shows them too (ISO times), so a view only adds people's names.
type ShownShift = Omit<TimelineShift, 'name'>;
type Memoised = { shifts: readonly Shift[]; shown: readonly ShownShift[] };
const shiftMemo = new Map<string, Memoised>();
const SHIFT_MEMO_ENTRIES = 2_000;

/** `layer`: the index shown for every shift (one layer's own rota), else each shift's own. */
function shiftsOnce(rules: ScheduleRules, overrides: readonly Override[], range: { from: Date; to: Date }, layer?: number): Memoised {
  const key = JSON.stringify([rules, overrides.map((o) => [o.email, o.start.getTime(), o.end.getTime()]), range.from.getTime(), range.to.getTime(), layer ?? null]);
  let memoised = shiftMemo.get(key);
  if (!memoised) {
    const shifts = Object.freeze(computeShifts(rules, overrides, range).map((shift) => Object.freeze({ ...shift, layer: layer ?? shift.layer })));
    const shown = Object.freeze(
      shifts.map((shift): ShownShift => Object.freeze({ email: shift.email, start: shift.start.toISOString(), end: shift.end.toISOString(), source: shift.source, layer: shift.layer })),
    );
    memoised = { shifts, shown };
    if (shiftMemo.size >= SHIFT_MEMO_ENTRIES) shiftMemo.clear();
    shiftMemo.set(key, memoised);
  }
  return memoised;
}

/**
 * /oncall: for every schedule who is on call now and next, and two weeks from the start of today
 * (UTC days, so every schedule shares one axis) of each layer, the overrides and the final result;
 * the caller's own shifts; and who a page could not reach.
 */
export async function getOnCallOverview(actor: Actor, now = new Date()): Promise<OnCallOverview> {
  const from = new Date(Math.floor(now.getTime() / DAY) * DAY);
  const to = new Date(from.getTime() + OVERVIEW_DAYS * DAY);
  // The team's names and reachability are read beside the roster, not after it (a team is at
  // most a few hundred people; the view keeps those it shows).
  const [roster, people] = await Promise.all([loadRoster(db, { from, to: new Date(Math.max(to.getTime(), onCallWindow(now).to.getTime())) }), peopleOf('everyone')]);
  const computed = roster.map((schedule) => ({
    schedule,
    answer: onCallIn(schedule, now),
    layers: schedule.rules.layers.map((layer, index) => ({
      name: layer.name || `Layer ${index + 1}`,
      shifts: shiftsOnce({ timeZone: schedule.timeZone, layers: [layer] }, [], { from, to }, index).shown,
    })),
    final: shiftsOnce(schedule.rules, schedule.overrides, { from, to }),
  }));
  const emails = new Set<string>();
  for (const entry of computed) {
    entry.answer.users.forEach((email) => emails.add(email));
    if (entry.answer.next) emails.add(entry.answer.next.email);
    entry.final.shown.forEach((shift) => emails.add(shift.email));
    entry.layers.forEach((layer) => layer.shifts.forEach((shift) => emails.add(shift.email)));
    entry.schedule.overrides.forEach((override) => emails.add(override.email));
  }
  const { names, health: everyone } = people;
  // Only the people this view shows are flagged.
  const health = new Map([...emails].map((email): [string, ContactHealth] => [email, everyone.get(email) ?? { working: false, problem: 'Not a user' }]));
  const shiftOf = (shift: ShownShift): TimelineShift => ({ email: shift.email, name: names.get(shift.email) ?? shift.email, start: shift.start, end: shift.end, source: shift.source, layer: shift.layer });
  const isAdmin = actor.role === 'admin';
  const schedules: ScheduleTimeline[] = computed.map(({ schedule, answer, layers, final }) => ({
    id: schedule.id,
    name: schedule.name,
    timeZone: schedule.timeZone,
    now: answer.users[0] ? { ...person(answer.users[0], names), until: answer.until?.toISOString() ?? null } : null,
    next: answer.next ? { ...person(answer.next.email, names), start: answer.next.start.toISOString(), end: answer.next.end.toISOString() } : null,
    layers: layers.map((layer) => ({ name: layer.name, shifts: layer.shifts.map(shiftOf) })),
    overrides: schedule.overrides
      .filter((override) => override.end > from && override.start < to)
      .map((override) => ({
        id: override.id,
        email: override.email,
        name: names.get(override.email) ?? override.email,
        start: override.start.toISOString(),
        end: override.end.toISOString(),
        createdBy: override.createdBy ? { email: override.createdBy.email } : null,
        createdAt: override.createdAt.toISOString(),
        canRemove: isAdmin || override.email === actor.email || override.createdBy?.email === actor.email,
      })),
    final: final.shown.map(shiftOf),
  }));
  const mine = computed.flatMap(({ schedule, final }) =>
    final.shown
      .filter((shift, index) => shift.email === actor.email && final.shifts[index]!.end > now)
      .map((shift) => ({ ...shiftOf(shift), schedule: { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone } })),
  );
  mine.sort((a, b) => a.start.localeCompare(b.start));
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, index) => {
    const start = new Date(from.getTime() + index * DAY);
    return { start: start.toISOString(), label: DateTime.fromJSDate(start, { zone: 'utc' }).toFormat('ccc d') };
  });
  const unreachable: Record<string, string> = {};
  for (const [email, state] of health) if (!state.working) unreachable[email] = state.problem ?? 'No working contact method';
  const colours: Record<string, number> = {};
  for (const schedule of schedules) for (const shift of [...schedule.final, ...schedule.layers.flatMap((layer) => layer.shifts)]) colours[shift.email] ??= Object.keys(colours).length;
  return { from: from.toISOString(), to: to.toISOString(), days, schedules, mine, unreachable, colours };
}

export type MyOnCall = { schedule: { id: string; name: string; timeZone: string }; until: string | null };

/** "You are on call until Fri 09:00": the schedules the person is on call in right now, soonest end first. */
export async function myOnCallNow(actor: Pick<Actor, 'email'>, now = new Date()): Promise<MyOnCall[]> {
  const roster = await loadRoster(db, onCallWindow(now));
  const mine = roster
    .filter((schedule) => rosterPeople(schedule).includes(actor.email))
    .map((schedule) => ({ schedule, answer: onCallIn(schedule, now) }))
    .filter(({ answer }) => answer.users.includes(actor.email))
    .map(({ schedule, answer }) => ({ schedule: { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone }, until: answer.until?.toISOString() ?? null }));
  return mine.sort((a, b) => (a.until ?? '9999').localeCompare(b.until ?? '9999'));
}

/** The people, schedules and policies a page can go to, for the "Page…" dialog and reassigning. */
export async function listPageTargets(): Promise<{ people: (Person & { unreachable: string | null })[]; schedules: { id: string; name: string; onCall: string | null }[]; policies: { id: string; name: string; levels: number }[] }> {
  const [users, onCall, policies] = await Promise.all([
    db.user.findMany({ where: { disabledAt: null }, orderBy: { name: 'asc' }, select: { email: true, name: true } }),
    listOnCall(),
    db.escalationPolicy.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, levels: true } }),
  ]);
  const health = await contactHealth(users.map((user) => user.email));
  return {
    people: users.map((user) => ({ ...user, unreachable: health.get(user.email)?.working === false ? (health.get(user.email)?.problem ?? 'No working contact method') : null })),
    schedules: onCall.map((entry) => ({ id: entry.schedule.id, name: entry.schedule.name, onCall: entry.now[0]?.name ?? null })),
    policies: policies.map((policy) => ({ id: policy.id, name: policy.name, levels: Array.isArray(policy.levels) ? policy.levels.length : 0 })),
  };
}

// ---- Calendar feeds ----

/** How far the feeds reach: the past week (for "who was on call") and about two months ahead. */
const FEED_PAST_DAYS = 7;
const FEED_AHEAD_DAYS = 60;

function feedHost(): string {
  try {
    return new URL(publicUrl('/')).host || 'sitrep.local';
  } catch {
    return 'sitrep.local';
  }
}

function feedShifts(roster: RosterSchedule[], now: Date, only?: string): CalendarShift[] {
  const range = { from: new Date(now.getTime() - FEED_PAST_DAYS * DAY), to: new Date(now.getTime() + FEED_AHEAD_DAYS * DAY) };
  return roster.flatMap((schedule) =>
    computeShifts(schedule.rules, schedule.overrides, range)
      .filter((shift) => !only || shift.email === only)
      .map((shift) => ({ ...shift, schedule: { id: schedule.id, name: schedule.name }, layerName: shift.layer === null ? undefined : schedule.rules.layers[shift.layer]?.name })),
  );
}

/** GET /api/v1/schedules/{id}/calendar.ics */
export async function scheduleCalendar(id: string, now = new Date()): Promise<string> {
  const roster = await loadRoster(db, { from: new Date(now.getTime() - FEED_PAST_DAYS * DAY), to: new Date(now.getTime() + FEED_AHEAD_DAYS * DAY) }, [id]);
  const schedule = roster[0];
  if (!schedule) throw new NotFoundError('That schedule does not exist.');
  const shifts = feedShifts(roster, now);
  const names = await namesOf(shifts.map((shift) => shift.email));
  return renderCalendar({ scope: { schedule: { id: schedule.id, name: schedule.name, timeZone: schedule.timeZone } }, shifts, names: Object.fromEntries(names), generatedAt: now, host: feedHost(), url: publicUrl('/oncall') });
}

/** GET /api/v1/users/{email}/calendar.ics: one person's shifts in every schedule. */
export async function userCalendar(email: string, now = new Date()): Promise<string> {
  const user = await db.user.findUnique({ where: { email }, select: { email: true, name: true } });
  if (!user) throw new NotFoundError(`No user has the e-mail ${email}.`);
  const roster = await loadRoster(db, { from: new Date(now.getTime() - FEED_PAST_DAYS * DAY), to: new Date(now.getTime() + FEED_AHEAD_DAYS * DAY) });
  const shifts = feedShifts(roster, now, user.email).sort((a, b) => a.start.getTime() - b.start.getTime());
  return renderCalendar({ scope: { user }, shifts, names: { [user.email]: user.name }, generatedAt: now, host: feedHost(), url: publicUrl('/oncall') });
}
