// On-call and paging: contact methods, schedules and their overrides, escalation policies,
// calendar feeds, and pages from trigger to resolution. The only writer of those tables (delivery.ts
// records the attempts of page notifications, as every kind of outgoing message does).
//
// THE PAGING RULES this file keeps:
// - Every change to a page locks its row first (lockPage). The escalation step, acknowledging,
//   resolving, "escalate now" and reassigning all go through that lock, so they happen one after
//   the other: an acknowledgement that races an escalation step either commits first (the step
//   then finds the page acknowledged and does nothing) or after it (and is recorded then). Nothing
//   is lost and nothing is doubled.
// - A level is notified in one transaction: the page's level, one page_notifications row per
//   person × contact method (UNIQUE per page, assignment, level, run, person and method: no
//   second notification of a level can exist, whichever instance runs the step), each row's
//   delivery job (startAfter = its method's delay), and the job of the next escalation step
//   (startAfter = when this level's wait runs out). Nothing waits in memory.
// - Acknowledging or resolving stops the escalation; notifications whose delay had not passed are
//   cancelled, those already due still go out.
import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit } from '@/lib/audit/service';
import { acknowledgeFromPage, recordFirstPage } from '@/lib/incidents/acknowledge';
import { incidentKey } from '@/lib/incidents/schema';
import { findVisibleIncident, requireVisibleIncident, viewerOf } from '@/lib/incidents/visibility';
import { contactPlan, directPolicy, nextEscalationStep, previousEscalationStep, resolveTargets } from '@/lib/oncall/escalation';
import { enqueueEscalation, type EscalationJob } from '@/lib/oncall/escalation-queue';
import { enqueuePageNotification } from '@/lib/oncall/delivery';
import { pageInclude, toOverrideDto, toPageDto, toPageNotificationDto, toPolicyDto, toScheduleDto, type OverrideDto, type PolicyDto } from '@/lib/oncall/dto';
import { notifyPageChanged } from '@/lib/oncall/live';
import { contactSubject, kindPhrase } from '@/lib/oncall/wording';
import { loadRoster, onCallUsersAt } from '@/lib/oncall/roster';
import {
  calendarFeedInputSchema,
  contactKindNames,
  contactMethodInputSchema,
  incidentPageInputSchema,
  overrideInputSchema,
  pageInputSchema,
  policyInputSchema,
  reassignInputSchema,
  scheduleInputSchema,
  type CalendarFeedInput,
  type ContactMethodDto,
  type ContactMethodInput,
  type EscalationPolicy,
  type IncidentPageInput,
  type OverrideInput,
  type PageDto,
  type PageGap,
  type PageInput,
  type PageNotificationDto,
  type PageTarget,
  type PolicyInput,
  type ReassignInput,
  type ScheduleDto,
  type ScheduleInput,
} from '@/lib/oncall/schema';
import { ackToken, feedKey, hashSecret, looksLikeSecret } from '@/lib/oncall/secrets';
import type { Actor, ChangedBy } from '@/lib/platform/auth/policy';
import { can } from '@/lib/platform/auth/policy';
import { encryptSecret } from '@/lib/platform/crypto';
import { db, type Tx } from '@/lib/platform/db';
import { allowHosts, encryptionKey } from '@/lib/platform/delivery/config';
import { checkDestination } from '@/lib/platform/delivery/destination';
import { SMTP_NOT_CONFIGURED } from '@/lib/platform/delivery/email';
import { env } from '@/lib/platform/env';
import { ConflictError, DomainError, ForbiddenError, isUniqueViolation, NotFoundError, parseInput, PreconditionFailedError, ValidationError, type FieldError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { formatDateTime, formatDuration } from '@/lib/platform/time';
import { publicUrl } from '@/lib/platform/urls';
import { appendTimelineEvent } from '@/lib/timeline/append';

/** An ack link or a feed URL that no longer works (API: 410). */
export class GoneError extends DomainError {
  constructor(message: string) {
    super(410, 'Gone', message);
  }
}

/** How long an acknowledge link works after the person's latest notification of the page. */
export const ACK_LINK_HOURS = 24;

type Person = { id: string; email: string; name: string };

function name(by: ChangedBy): string {
  return by.actor?.name ?? 'Sitrep';
}

/** The active users among `wanted`, or a ValidationError naming every one that is unknown or disabled. */
async function requirePeople(tx: Tx, wanted: { email: string; path: string }[]): Promise<Map<string, Person>> {
  const emails = [...new Set(wanted.map((entry) => entry.email))];
  const users = await tx.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true, name: true, disabledAt: true } });
  const byEmail = new Map(users.map((user) => [user.email, user]));
  const errors: FieldError[] = [];
  for (const entry of wanted) {
    const user = byEmail.get(entry.email);
    if (!user) errors.push({ path: entry.path, message: `No user has the e-mail ${entry.email}; add them in Settings → Users first` });
    else if (user.disabledAt) errors.push({ path: entry.path, message: `${user.name} (${user.email}) is disabled; pick someone active` });
  }
  if (errors.length) throw new ValidationError(errors);
  return new Map(users.map((user) => [user.email, { id: user.id, email: user.email, name: user.name }]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a route names a person: `me`, an e-mail, or a user id. */
function personWhere(ref: string, actor: Pick<Actor, 'id'>): Prisma.UserWhereUniqueInput {
  if (ref === 'me') return { id: actor.id };
  return UUID.test(ref) ? { id: ref.toLowerCase() } : { email: ref.trim().toLowerCase() };
}

/** The user a contact-method or calendar route names (`me`, an e-mail or an id); 404 when there is none. */
export async function findPerson(ref: string, actor: Pick<Actor, 'id'>): Promise<Person & { role: string; disabledAt: Date | null }> {
  const user = await db.user.findUnique({ where: personWhere(ref, actor), select: { id: true, email: true, name: true, role: true, disabledAt: true } });
  if (!user) throw new NotFoundError(ref === 'me' ? 'Your account no longer exists.' : `No user is ${ref.slice(0, 320)}.`);
  return user;
}

/** People manage their own contact methods; admins (users.manage) anyone's. */
function requireSelfOrAdmin(actor: Actor | null, user: { id: string; name: string }, what: string): void {
  if (actor && (actor.id === user.id || can(actor, 'users.manage'))) return;
  throw new ForbiddenError(`Only ${user.name} and admins can ${what}.`);
}

// ---------------------------------------------------------------------------------------------
// Contact methods

/** "hooks.slack.com/…/x7Qa", "ntfy.sh/…3f9k": enough to recognise a target, not enough to use it. */
function urlHint(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  return last ? `${url.host}/…${last.slice(-4)}` : url.host;
}

function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function addContactMethod(email: string, input: ContactMethodInput, by: ChangedBy & { actor: Actor }): Promise<ContactMethodDto> {
  const user = await findPerson(email, by.actor);
  requireSelfOrAdmin(by.actor, user, 'add contact methods for them');
  if (user.disabledAt) throw new ConflictError(`${user.name} is disabled; enable the account before adding contact methods.`);
  const data = parseInput(contactMethodInputSchema, input);
  let hint = data.target;
  if (data.kind !== 'email') {
    // The same guard as remediation webhooks: no internal addresses unless allowed by name.
    const check = await checkDestination(data.target, { allowHosts: allowHosts() });
    if (!check.ok) throw new ValidationError([{ path: 'target', message: check.reason }]);
    hint = urlHint(check.url);
  }
  const key = encryptionKey('contact method targets');
  const signingSecret = data.kind === 'webhook' ? newSigningSecret() : null;
  const method = await db.$transaction(async (tx) => {
    const created = await tx.contactMethod.create({
      data: {
        userId: user.id,
        kind: data.kind,
        targetEncrypted: encryptSecret(data.target, key),
        targetHint: hint,
        label: data.label || null,
        delaySeconds: data.delaySeconds,
        signingSecret: signingSecret ? encryptSecret(signingSecret, key) : null,
      },
    });
    await recordAudit(tx, {
      actorId: by.actor.id,
      action: 'contact_method.created',
      targetType: 'user',
      targetId: user.id,
      detail: { contactMethodId: created.id, kind: created.kind, hint: created.targetHint, delaySeconds: created.delaySeconds },
      requestId: by.requestId,
    });
    return created;
  });
  return {
    id: method.id,
    kind: method.kind,
    hint: method.targetHint,
    delaySeconds: method.delaySeconds,
    label: method.label,
    ...(signingSecret ? { signingSecret } : {}),
    disabled: null,
    lastResult: null,
  };
}

export async function deleteContactMethod(email: string, id: string, by: ChangedBy & { actor: Actor }): Promise<void> {
  const user = await findPerson(email, by.actor);
  requireSelfOrAdmin(by.actor, user, 'remove their contact methods');
  await db.$transaction(async (tx) => {
    const method = await tx.contactMethod.findFirst({ where: { id, userId: user.id } });
    if (!method) throw new NotFoundError(`${user.name} has no such contact method.`);
    // Notifications keep their history (the method becomes null on them); queued ones are cancelled.
    await tx.pageNotification.updateMany({ where: { contactMethodId: id, status: 'pending', attemptCount: 0 }, data: { status: 'cancelled', completedAt: new Date(), lastError: 'The contact method was removed before it was used' } });
    await tx.contactMethod.delete({ where: { id } });
    await recordAudit(tx, { actorId: by.actor.id, action: 'contact_method.deleted', targetType: 'user', targetId: user.id, detail: { contactMethodId: id, kind: method.kind, hint: method.targetHint }, requestId: by.requestId });
  });
}

/** "Send test": a real message through the method, queued like a page notification; answered 202. */
export async function sendContactTest(email: string, id: string, by: ChangedBy & { actor: Actor }): Promise<PageNotificationDto> {
  const user = await findPerson(email, by.actor);
  requireSelfOrAdmin(by.actor, user, 'send tests to their contact methods');
  const notificationId = await db.$transaction(async (tx) => {
    const method = await tx.contactMethod.findFirst({ where: { id, userId: user.id } });
    if (!method) throw new NotFoundError(`${user.name} has no such contact method.`);
    if (method.disabledAt) throw new ConflictError(`This ${contactKindNames[method.kind]} method is disabled (${method.disabledReason ?? 'by an admin'}); add it again to use it.`);
    if (method.kind === 'email' && !env.SITREP_SMTP_URL) throw new ConflictError(`${SMTP_NOT_CONFIGURED}.`);
    const now = new Date();
    const created = await tx.pageNotification.create({
      data: { pageId: null, assignment: 0, level: 0, cycle: 0, userId: user.id, contactMethodId: method.id, kind: method.kind, dueAt: now, subject: contactSubject() },
    });
    await enqueuePageNotification(tx, { notificationId: created.id, attempt: 1 });
    await recordAudit(tx, { actorId: by.actor.id, action: 'contact_method.tested', targetType: 'user', targetId: user.id, detail: { contactMethodId: method.id, notificationId: created.id }, requestId: by.requestId });
    return created.id;
  });
  const row = await db.pageNotification.findUniqueOrThrow({ where: { id: notificationId }, include: pageInclude.notifications.include });
  return toPageNotificationDto(row);
}

// ---------------------------------------------------------------------------------------------
// Schedules and overrides

async function checkParticipants(tx: Tx, layers: { participants: string[] }[]): Promise<void> {
  await requirePeople(
    tx,
    layers.flatMap((layer, index) => layer.participants.map((email, position) => ({ email, path: `layers.${index}.participants.${position}` }))),
  );
}

function nameTaken(kind: 'schedule' | 'escalation policy', value: string): ConflictError {
  return new ConflictError(`A ${kind} named “${value}” already exists; pick another name.`);
}

export async function createSchedule(input: ScheduleInput, by: ChangedBy): Promise<ScheduleDto> {
  const data = parseInput(scheduleInputSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      await checkParticipants(tx, data.layers);
      if (await tx.schedule.findUnique({ where: { name: data.name }, select: { id: true } })) throw nameTaken('schedule', data.name);
      const schedule = await tx.schedule.create({ data: { name: data.name, timeZone: data.timeZone, layers: data.layers as Prisma.InputJsonValue } });
      await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'schedule.created', targetType: 'schedule', targetId: schedule.id, detail: { name: schedule.name, timeZone: schedule.timeZone, layers: data.layers.length }, requestId: by.requestId });
      return toScheduleDto(schedule);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken('schedule', data.name);
    throw error;
  }
}

async function lockSchedule(tx: Tx, id: string, ifVersion?: number) {
  const [row] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM schedules WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw new NotFoundError('That schedule does not exist.');
  if (ifVersion !== undefined && ifVersion !== row.version) {
    throw new PreconditionFailedError(`Someone saved this schedule (now version ${row.version}) while you were editing version ${ifVersion}. Reload it and apply your changes again.`);
  }
  return tx.schedule.findUniqueOrThrow({ where: { id } });
}

export async function updateSchedule(id: string, input: ScheduleInput, options: { ifVersion?: number }, by: ChangedBy): Promise<ScheduleDto> {
  const data = parseInput(scheduleInputSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      const before = await lockSchedule(tx, id, options.ifVersion);
      await checkParticipants(tx, data.layers);
      if (await tx.schedule.findFirst({ where: { name: data.name, id: { not: id } }, select: { id: true } })) throw nameTaken('schedule', data.name);
      const schedule = await tx.schedule.update({ where: { id }, data: { name: data.name, timeZone: data.timeZone, layers: data.layers as Prisma.InputJsonValue, version: { increment: 1 } } });
      const changed = [...(before.name !== schedule.name ? ['name'] : []), ...(before.timeZone !== schedule.timeZone ? ['timeZone'] : []), ...(JSON.stringify(before.layers) !== JSON.stringify(schedule.layers) ? ['layers'] : [])];
      await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'schedule.updated', targetType: 'schedule', targetId: id, detail: { name: schedule.name, changed }, requestId: by.requestId });
      return toScheduleDto(schedule);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken('schedule', data.name);
    throw error;
  }
}

/** The policies whose levels name a schedule: a schedule they page cannot silently disappear. */
async function policiesUsingSchedule(tx: Tx, scheduleId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ name: string }[]>`
    SELECT name FROM escalation_policies
     WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(levels) AS level, jsonb_array_elements(level->'targets') AS target WHERE target->>'schedule' = ${scheduleId})
     ORDER BY name`;
  return rows.map((row) => row.name);
}

export async function deleteSchedule(id: string, by: ChangedBy): Promise<void> {
  await db.$transaction(async (tx) => {
    const schedule = await lockSchedule(tx, id);
    const users = await policiesUsingSchedule(tx, id);
    if (users.length) throw new ConflictError(`“${schedule.name}” is paged by ${users.map((policy) => `“${policy}”`).join(', ')}; remove it from ${users.length === 1 ? 'that policy' : 'those policies'} first.`);
    await tx.schedule.delete({ where: { id } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'schedule.deleted', targetType: 'schedule', targetId: id, detail: { name: schedule.name }, requestId: by.requestId });
  });
}

/** Responders take shifts for themselves ("take this shift"); admins set overrides for anyone. */
export async function addOverride(scheduleId: string, input: OverrideInput, by: ChangedBy & { actor: Actor }): Promise<OverrideDto> {
  const data = parseInput(overrideInputSchema, input);
  if (data.email !== by.actor.email && !can(by.actor, 'settings.manage')) {
    throw new ForbiddenError('You can take shifts for yourself; an admin can set an override for someone else.');
  }
  return db.$transaction(async (tx) => {
    const schedule = await tx.schedule.findUnique({ where: { id: scheduleId }, select: { id: true, name: true } });
    if (!schedule) throw new NotFoundError('That schedule does not exist.');
    const people = await requirePeople(tx, [{ email: data.email, path: 'email' }]);
    const user = people.get(data.email)!;
    const override = await tx.scheduleOverride.create({
      data: { scheduleId, userId: user.id, startsAt: new Date(data.start), endsAt: new Date(data.end), createdById: by.actor.id },
      include: { user: { select: { email: true, name: true } }, createdBy: { select: { email: true } } },
    });
    await recordAudit(tx, {
      actorId: by.actor.id,
      action: 'schedule.override_added',
      targetType: 'schedule',
      targetId: scheduleId,
      detail: { schedule: schedule.name, overrideId: override.id, email: user.email, start: override.startsAt.toISOString(), end: override.endsAt.toISOString() },
      requestId: by.requestId,
    });
    return toOverrideDto(override);
  });
}

/** The person covering, the person who made it, or an admin may remove an override. */
export async function removeOverride(scheduleId: string, overrideId: string, by: ChangedBy & { actor: Actor }): Promise<void> {
  await db.$transaction(async (tx) => {
    const override = await tx.scheduleOverride.findFirst({ where: { id: overrideId, scheduleId }, include: { user: { select: { email: true, name: true } }, schedule: { select: { name: true } } } });
    if (!override) throw new NotFoundError('That override does not exist.');
    if (override.userId !== by.actor.id && override.createdById !== by.actor.id && !can(by.actor, 'settings.manage')) {
      throw new ForbiddenError(`Only ${override.user.name}, whoever made the override, and admins can remove it.`);
    }
    await tx.scheduleOverride.delete({ where: { id: overrideId } });
    await recordAudit(tx, { actorId: by.actor.id, action: 'schedule.override_removed', targetType: 'schedule', targetId: scheduleId, detail: { schedule: override.schedule.name, overrideId, email: override.user.email }, requestId: by.requestId });
  });
}

// ---------------------------------------------------------------------------------------------
// Escalation policies

async function checkPolicyTargets(tx: Tx, levels: EscalationPolicy['levels']): Promise<void> {
  const people: { email: string; path: string }[] = [];
  const schedules: { id: string; path: string }[] = [];
  levels.forEach((level, index) =>
    level.targets.forEach((target, position) => {
      if ('user' in target) people.push({ email: target.user, path: `levels.${index}.targets.${position}.user` });
      else schedules.push({ id: target.schedule, path: `levels.${index}.targets.${position}.schedule` });
    }),
  );
  const errors: FieldError[] = [];
  try {
    await requirePeople(tx, people);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    errors.push(...error.errors);
  }
  const known = new Set((await tx.schedule.findMany({ where: { id: { in: schedules.map((s) => s.id) } }, select: { id: true } })).map((s) => s.id));
  for (const schedule of schedules) if (!known.has(schedule.id)) errors.push({ path: schedule.path, message: `No schedule has the id ${schedule.id}; pick one from GET /api/v1/schedules` });
  if (errors.length) throw new ValidationError(errors);
}

export async function createPolicy(input: PolicyInput, by: ChangedBy): Promise<PolicyDto> {
  const data = parseInput(policyInputSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      await checkPolicyTargets(tx, data.levels);
      if (await tx.escalationPolicy.findUnique({ where: { name: data.name }, select: { id: true } })) throw nameTaken('escalation policy', data.name);
      const policy = await tx.escalationPolicy.create({ data: { name: data.name, repeat: data.repeat, levels: data.levels as Prisma.InputJsonValue } });
      await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'escalation_policy.created', targetType: 'escalation_policy', targetId: policy.id, detail: { name: policy.name, levels: data.levels.length, repeat: data.repeat }, requestId: by.requestId });
      return toPolicyDto(policy);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken('escalation policy', data.name);
    throw error;
  }
}

export async function updatePolicy(id: string, input: PolicyInput, options: { ifVersion?: number }, by: ChangedBy): Promise<PolicyDto> {
  const data = parseInput(policyInputSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM escalation_policies WHERE id = ${id}::uuid FOR UPDATE`;
      if (!row) throw new NotFoundError('That escalation policy does not exist.');
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) {
        throw new PreconditionFailedError(`Someone saved this policy (now version ${row.version}) while you were editing version ${options.ifVersion}. Reload it and apply your changes again.`);
      }
      await checkPolicyTargets(tx, data.levels);
      if (await tx.escalationPolicy.findFirst({ where: { name: data.name, id: { not: id } }, select: { id: true } })) throw nameTaken('escalation policy', data.name);
      // Pages already triggered keep the levels they started with.
      const policy = await tx.escalationPolicy.update({ where: { id }, data: { name: data.name, repeat: data.repeat, levels: data.levels as Prisma.InputJsonValue, version: { increment: 1 } } });
      await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'escalation_policy.updated', targetType: 'escalation_policy', targetId: id, detail: { name: policy.name, levels: data.levels.length, repeat: data.repeat }, requestId: by.requestId });
      return toPolicyDto(policy);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken('escalation policy', data.name);
    throw error;
  }
}

/** Open pages keep their copy of the levels and finish as they started. */
export async function deletePolicy(id: string, by: ChangedBy): Promise<void> {
  await db.$transaction(async (tx) => {
    const policy = await tx.escalationPolicy.findUnique({ where: { id } });
    if (!policy) throw new NotFoundError('That escalation policy does not exist.');
    await tx.escalationPolicy.delete({ where: { id } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'escalation_policy.deleted', targetType: 'escalation_policy', targetId: id, detail: { name: policy.name }, requestId: by.requestId });
  });
}

// ---------------------------------------------------------------------------------------------
// Calendar feeds

function feedUrl(feed: { id: string; scheduleId: string | null; userId: string }): string {
  const { key } = feedKey(feed.id);
  return publicUrl(feed.scheduleId ? `/api/v1/schedules/${feed.scheduleId}/calendar.ics?key=${key}` : `/api/v1/users/${feed.userId}/calendar.ics?key=${key}`);
}

/**
 * The caller's secret feed URL for a schedule, or for their own shifts: the existing one, or a
 * new one (`rotate`: a new URL, and the old one stops working). Returns whether it was made now.
 */
export async function calendarFeed(input: CalendarFeedInput, by: ChangedBy & { actor: Actor }): Promise<{ feed: { url: string; scheduleId: string | null; createdAt: string }; created: boolean }> {
  const data = parseInput(calendarFeedInputSchema, input);
  const scheduleId = data.scheduleId ?? null;
  return db.$transaction(async (tx) => {
    // One feed per person and scope: serialise the person's feed changes on their user row.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${by.actor.id}::uuid FOR UPDATE`;
    if (scheduleId && !(await tx.schedule.findUnique({ where: { id: scheduleId }, select: { id: true } }))) throw new ValidationError([{ path: 'scheduleId', message: 'No schedule has that id; pick one from GET /api/v1/schedules' }]);
    const existing = await tx.calendarFeed.findFirst({ where: { userId: by.actor.id, scheduleId } });
    if (existing && !data.rotate) return { feed: { url: feedUrl(existing), scheduleId, createdAt: existing.createdAt.toISOString() }, created: false };
    if (existing) await tx.calendarFeed.delete({ where: { id: existing.id } });
    const id = randomUUID();
    const feed = await tx.calendarFeed.create({ data: { id, userId: by.actor.id, scheduleId, keyHash: feedKey(id).hash } });
    await recordAudit(tx, { actorId: by.actor.id, action: existing ? 'calendar_feed.rotated' : 'calendar_feed.created', targetType: scheduleId ? 'schedule' : 'user', targetId: scheduleId ?? by.actor.id, requestId: by.requestId });
    return { feed: { url: feedUrl(feed), scheduleId, createdAt: feed.createdAt.toISOString() }, created: true };
  });
}

// Writing last_used_at on every fetch would turn calendar polling into writes; hourly is plenty.
const FEED_USE_RESOLUTION_MS = 3_600_000;

/**
 * Who a calendar feed's secret `?key=` acts for, when it is the key of the feed the path names
 * (that schedule's, or that person's own): its owner, while active; null otherwise.
 */
export async function authenticateFeedKey(key: string, scope: { scheduleId: string } | { user: string }): Promise<Actor | null> {
  if (!looksLikeSecret(key)) return null;
  const feed = await db.calendarFeed.findUnique({ where: { keyHash: hashSecret(key) }, include: { user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } } });
  if (!feed || feed.user.disabledAt) return null;
  const matches =
    'scheduleId' in scope ? feed.scheduleId === scope.scheduleId : feed.scheduleId === null && [feed.user.id, feed.user.email].includes(scope.user.trim().toLowerCase());
  if (!matches) return null;
  if (!feed.lastUsedAt || Date.now() - feed.lastUsedAt.getTime() > FEED_USE_RESOLUTION_MS) {
    await db.calendarFeed.update({ where: { id: feed.id }, data: { lastUsedAt: new Date() } });
  }
  const { id, email, name: userName, role } = feed.user;
  return { id, email, name: userName, role };
}

// ---------------------------------------------------------------------------------------------
// Pages

type StoredTarget = ({ policy: string } | { schedule: string } | { user: string }) & { name: string | null };

type PageState = {
  id: string;
  title: string;
  details: string | null;
  status: 'triggered' | 'acknowledged' | 'resolved';
  assignment: number;
  level: number;
  cycle: number;
  levelAt: Date;
  policy: EscalationPolicy;
  target: StoredTarget;
  incident: { id: string; number: number } | null;
  exhaustedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: { name: string } | null;
  resolvedAt: Date | null;
  resolvedBy: { name: string } | null;
  createdAt: Date;
};

/** Locks the page's row for this transaction: every change to a page starts here. */
async function lockPage(tx: Tx, id: string): Promise<PageState | null> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM pages WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked) return null;
  const page = await tx.page.findUniqueOrThrow({
    where: { id },
    include: { incident: { select: { id: true, number: true } }, acknowledgedBy: { select: { name: true } }, resolvedBy: { select: { name: true } } },
  });
  return { ...page, policy: page.policy as EscalationPolicy, target: page.target as StoredTarget };
}

async function requirePage(tx: Tx, id: string): Promise<PageState> {
  const page = await lockPage(tx, id);
  if (!page) throw new NotFoundError('That page does not exist.');
  return page;
}

async function loadPageDto(client: Tx | typeof db, id: string): Promise<PageDto> {
  return toPageDto(await client.page.findUniqueOrThrow({ where: { id }, include: pageInclude }));
}

/** What a page target pages: a copy of the policy's levels, or one level straight to a schedule or a person. */
async function resolvePageTarget(tx: Tx, target: PageTarget, path = 'target'): Promise<{ policy: EscalationPolicy; policyId: string | null; stored: StoredTarget; label: string }> {
  if ('policy' in target) {
    const policy = await tx.escalationPolicy.findUnique({ where: { id: target.policy } });
    if (!policy) throw new ValidationError([{ path: `${path}.policy`, message: 'No escalation policy has that id; pick one from GET /api/v1/escalation-policies' }]);
    return { policy: { repeat: policy.repeat, levels: policy.levels as EscalationPolicy['levels'] }, policyId: policy.id, stored: { policy: policy.id, name: policy.name }, label: `the escalation policy “${policy.name}”` };
  }
  if ('schedule' in target) {
    const schedule = await tx.schedule.findUnique({ where: { id: target.schedule }, select: { id: true, name: true } });
    if (!schedule) throw new ValidationError([{ path: `${path}.schedule`, message: 'No schedule has that id; pick one from GET /api/v1/schedules' }]);
    return { policy: directPolicy({ schedule: schedule.id }), policyId: null, stored: { schedule: schedule.id, name: schedule.name }, label: `whoever is on call in “${schedule.name}”` };
  }
  const people = await requirePeople(tx, [{ email: target.user, path: `${path}.user` }]);
  const person = people.get(target.user)!;
  return { policy: directPolicy({ user: person.email }), policyId: null, stored: { user: person.email, name: person.name }, label: person.name };
}

type Reached = { email: string; name: string; methods: { kind: string; delaySeconds: number }[] };

/**
 * Notifies one level, inside the page's transaction: whoever its targets reach at `at` (a
 * schedule's on-call person then), through each of their contact methods at its delay. Rows are
 * inserted with ON CONFLICT DO NOTHING on the level's unique key, and only rows actually inserted
 * get a delivery job. Records targets that reached nobody on the page.
 */
async function notifyLevel(tx: Tx, page: PageState, step: { level: number; cycle: number }, at: Date): Promise<{ reached: Reached[]; gaps: PageGap[] }> {
  const targets = page.policy.levels[step.level - 1]?.targets ?? [];
  const scheduleIds = targets.flatMap((target) => ('schedule' in target ? [target.schedule] : []));
  const roster = scheduleIds.length ? await loadRoster(tx, { from: at, to: new Date(at.getTime() + 1) }, scheduleIds) : [];
  const schedules = new Map(roster.map((schedule) => [schedule.id, schedule]));
  const resolved = resolveTargets(targets, at, (id, when) => {
    const schedule = schedules.get(id);
    return schedule ? onCallUsersAt(schedule, when) : [];
  });
  const gaps: PageGap[] = resolved.schedulesWithNobody.map((scheduleId) => ({
    level: step.level,
    cycle: step.cycle,
    scheduleId,
    reason: schedules.has(scheduleId) ? `Nobody is on call in “${schedules.get(scheduleId)!.name}”` : 'The schedule no longer exists',
  }));
  const users = await tx.user.findMany({
    where: { email: { in: resolved.users.map((user) => user.email) } },
    select: { id: true, email: true, name: true, disabledAt: true, contactMethods: { where: { disabledAt: null }, orderBy: { createdAt: 'asc' } } },
  });
  const byEmail = new Map(users.map((user) => [user.email, user]));
  const reached: Reached[] = [];
  const expiresAt = new Date(at.getTime() + ACK_LINK_HOURS * 3_600_000);
  for (const { email } of resolved.users) {
    const user = byEmail.get(email);
    if (!user || user.disabledAt) {
      gaps.push({ level: step.level, cycle: step.cycle, email, reason: user ? `${user.name} is disabled` : `${email} is not a user` });
      continue;
    }
    if (user.contactMethods.length === 0) {
      gaps.push({ level: step.level, cycle: step.cycle, email, reason: `${user.name} has no contact method` });
      continue;
    }
    // One link per person and page; each new notification keeps it working 24 h longer.
    const link = await tx.pageAckLink.findUnique({ where: { pageId_userId: { pageId: page.id, userId: user.id } } });
    if (link) {
      if (link.expiresAt < expiresAt) await tx.pageAckLink.update({ where: { id: link.id }, data: { expiresAt } });
    } else {
      const id = randomUUID();
      await tx.pageAckLink.create({ data: { id, pageId: page.id, userId: user.id, tokenHash: ackToken(id).hash, expiresAt } });
    }
    const plan = contactPlan(
      user.contactMethods.map((method) => ({ id: method.id, kind: method.kind, delaySeconds: method.delaySeconds })),
      at,
    );
    const subject = contactSubject({ title: page.title, level: step.level, incident: page.incident });
    const inserted = await tx.pageNotification.createManyAndReturn({
      data: plan.map(({ method, at: dueAt }) => ({
        pageId: page.id,
        assignment: page.assignment,
        level: step.level,
        cycle: step.cycle,
        userId: user.id,
        contactMethodId: method.id,
        kind: method.kind,
        dueAt,
        subject,
      })),
      skipDuplicates: true,
      select: { id: true, dueAt: true },
    });
    for (const row of inserted) await enqueuePageNotification(tx, { notificationId: row.id, attempt: 1 }, row.dueAt > at ? row.dueAt : undefined);
    // Said in the order the person set their methods up, soonest first (the plan's order among equal delays is by id).
    const methods = [...user.contactMethods].sort((a, b) => a.delaySeconds - b.delaySeconds);
    reached.push({ email: user.email, name: user.name, methods: methods.map((method) => ({ kind: method.kind, delaySeconds: method.delaySeconds })) });
  }
  if (gaps.length) await tx.$executeRaw`UPDATE pages SET gaps = gaps || ${JSON.stringify(gaps)}::jsonb WHERE id = ${page.id}::uuid`;
  return { reached, gaps };
}

/** Queues the page's next escalation step for when this level's wait runs out (or the end of the last wait). */
async function scheduleNextStep(tx: Tx, page: Pick<PageState, 'id' | 'assignment' | 'policy'>, step: { level: number; cycle: number }, at: Date): Promise<void> {
  const waitMs = (page.policy.levels[step.level - 1]?.delaySeconds ?? 0) * 1000;
  const next = nextEscalationStep(page.policy, { level: step.level, round: step.cycle });
  const due = new Date(at.getTime() + waitMs);
  if (next) await enqueueEscalation(tx, { pageId: page.id, assignment: page.assignment, level: next.level, cycle: next.round }, due);
  // The end of the last wait is worth saying on a page of a policy; a page to one person or schedule has no wait.
  else if (waitMs > 0) await enqueueEscalation(tx, { pageId: page.id, assignment: page.assignment, level: step.level, cycle: step.cycle, exhausted: true }, due);
}

/** "Priya Shah (ntfy at once, e-mail after 2 min)"… and who could not be reached. */
function describeLevel(reached: Reached[], gaps: PageGap[]): string {
  const people = reached.map((person) => `${person.name} (${person.methods.map((method) => kindPhrase(method.kind, method.delaySeconds)).join(', ')})`);
  const missing = gaps.map((gap) => gap.reason);
  const parts = [people.length ? `notifying ${people.join('; ')}` : 'nobody could be notified'];
  if (missing.length) parts.push(missing.join('; '));
  return parts.join('. ');
}

function levelName(page: Pick<PageState, 'policy'>, step: { level: number; cycle: number }): string {
  const levels = page.policy.levels.length;
  if (levels === 1 && page.policy.repeat === 0) return 'Page';
  return `Level ${step.level}${page.policy.repeat > 0 ? ` (run ${step.cycle} of ${page.policy.repeat + 1})` : ''}`;
}

async function pageEvent(tx: Tx, page: Pick<PageState, 'id' | 'incident'>, actorId: string | null, body: string, data: Record<string, unknown>): Promise<void> {
  if (page.incident) await appendTimelineEvent(tx, page.incident.id, { kind: 'page', actorId, body, data: { pageId: page.id, ...data } as Prisma.InputJsonValue });
}

/** Moves the page to `step` at `at`: the level's notifications, the next timer, the timeline. */
async function advance(tx: Tx, page: PageState, step: { level: number; cycle: number }, at: Date, cause: { by: ChangedBy | null }): Promise<void> {
  await tx.page.update({ where: { id: page.id }, data: { level: step.level, cycle: step.cycle, levelAt: at } });
  const moved = { ...page, level: step.level, cycle: step.cycle, levelAt: at };
  const { reached, gaps } = await notifyLevel(tx, moved, step, at);
  await scheduleNextStep(tx, moved, step, at);
  const who = cause.by ? `${name(cause.by)} escalated` : 'Nobody acknowledged in time; escalated';
  await pageEvent(tx, page, cause.by?.actor?.id ?? null, `${who} “${page.title}” to ${levelName(page, step).toLowerCase()}: ${describeLevel(reached, gaps)}.`, {
    event: 'escalated',
    level: step.level,
    cycle: step.cycle,
    cause: cause.by ? 'escalated' : 'timeout',
    notified: reached.map((person) => person.email),
  });
  await notifyPageChanged(tx, page.id);
}

export type PagedBy = ChangedBy & {
  /** Who or what paged when it is no person, e.g. an alert source ("Alertmanager: prod"). */
  source?: string | null;
};

async function startPage(tx: Tx, data: ReturnType<typeof pageInputSchema.parse>, by: PagedBy): Promise<string> {
  const now = new Date();
  const target = await resolvePageTarget(tx, data.target);
  let incident: { id: string; number: number } | null = null;
  if (data.incidentNumber !== undefined) {
    // A private incident the pager may not see is one that does not exist.
    incident = await findVisibleIncident(tx, data.incidentNumber, viewerOf(by), { id: true, number: true });
    if (!incident) throw new ValidationError([{ path: 'incidentNumber', message: `${incidentKey(data.incidentNumber)} does not exist` }]);
  }
  const id = randomUUID();
  const page = await tx.page.create({
    data: {
      id,
      title: data.title,
      details: data.details || null,
      target: target.stored as Prisma.InputJsonValue,
      policyId: target.policyId,
      policy: target.policy as Prisma.InputJsonValue,
      level: 1,
      cycle: 1,
      levelAt: now,
      incidentId: incident?.id ?? null,
      triggeredById: by.actor?.id ?? null,
      source: by.source ?? null,
      createdAt: now,
    },
  });
  const state: PageState = { ...page, policy: target.policy, target: target.stored, incident, acknowledgedBy: null, resolvedBy: null };
  const { reached, gaps } = await notifyLevel(tx, state, { level: 1, cycle: 1 }, now);
  await scheduleNextStep(tx, state, { level: 1, cycle: 1 }, now);
  if (incident) {
    await recordFirstPage(tx, incident.id, now);
    const pager = by.actor?.name ?? by.source ?? 'Sitrep';
    const first = target.policy.levels.length > 1 || target.policy.repeat > 0 ? ` Level 1: ${describeLevel(reached, gaps)}.` : ` ${describeLevel(reached, gaps).replace(/^./, (c) => c.toUpperCase())}.`;
    await pageEvent(tx, state, by.actor?.id ?? null, `${pager} paged ${target.label}: “${data.title}”.${first}${data.details ? `\n\n${data.details}` : ''}`, {
      event: 'triggered',
      level: 1,
      cycle: 1,
      target: target.stored,
      notified: reached.map((person) => person.email),
    });
  }
  await notifyPageChanged(tx, id);
  return id;
}

/**
 * Pages someone: a policy (its levels, escalating until someone acknowledges), whoever is on call
 * in a schedule, or a person. Runs in the caller's transaction when given one (the alert
 * dispatcher pages in the transaction that routes the alert group), else in its own. Its
 * notifications due now are sent once that transaction commits (the queue wakes its workers
 * then). Answers the page as the API shows it.
 */
export async function triggerPage(input: PageInput, by: PagedBy, tx?: Tx): Promise<PageDto> {
  const data = parseInput(pageInputSchema, input);
  if (tx) return loadPageDto(tx, await startPage(tx, data, by));
  const id = await db.$transaction((t) => startPage(t, data, by));
  return loadPageDto(db, id);
}

/** "Page…" from an incident: the page carries its title (messages put the key before it) and appears on its timeline. */
export async function pageFromIncident(number: number, input: IncidentPageInput, by: ChangedBy & { actor: Actor }): Promise<PageDto> {
  const data = parseInput(incidentPageInputSchema, input);
  const incident = await requireVisibleIncident(db, number, viewerOf(by), { title: true });
  return triggerPage({ title: incident.title.slice(0, 200), details: data.message, target: data.target, incidentNumber: number }, by);
}

/** Notifications whose delay has not passed are not sent once the page is acknowledged or resolved. */
async function cancelWaitingNotifications(tx: Tx, pageId: string, at: Date, reason: string): Promise<number> {
  const cancelled = await tx.pageNotification.updateMany({
    where: { pageId, status: 'pending', attemptCount: 0, dueAt: { gt: at } },
    data: { status: 'cancelled', completedAt: at, lastError: reason },
  });
  return cancelled.count;
}

function ended(page: PageState): string {
  return `This page was resolved${page.resolvedBy ? ` by ${page.resolvedBy.name}` : ''} at ${formatDateTime(page.resolvedAt!)}`;
}

const ACKNOWLEDGED_VIA = { app: '', link: ' from the link in the notification', alert: ' by acknowledging its alert' } as const;

async function acknowledgeLocked(tx: Tx, page: PageState, person: Person, how: keyof typeof ACKNOWLEDGED_VIA): Promise<boolean> {
  if (page.status === 'resolved') throw new ConflictError(`${ended(page)}; there is nothing to acknowledge.`);
  if (page.status === 'acknowledged') return false;
  const now = new Date();
  await tx.page.update({ where: { id: page.id }, data: { status: 'acknowledged', acknowledgedById: person.id, acknowledgedAt: now } });
  await cancelWaitingNotifications(tx, page.id, now, `Not sent: ${person.name} acknowledged the page first`);
  if (page.incident) {
    await pageEvent(tx, page, person.id, `${person.name} acknowledged “${page.title}”${ACKNOWLEDGED_VIA[how]}, ${formatDuration(now.getTime() - page.createdAt.getTime())} after it was triggered (${levelName(page, page).toLowerCase()}).`, {
      event: 'acknowledged',
      level: page.level,
      cycle: page.cycle,
      by: person.email,
      via: how,
    });
    await acknowledgeFromPage(tx, page.incident, person);
  }
  await notifyPageChanged(tx, page.id);
  return true;
}

/** Stops the escalation. Acknowledging an acknowledged page changes nothing; a resolved one is a 409. */
export async function acknowledgePage(id: string, by: ChangedBy & { actor: Actor }): Promise<PageDto> {
  return db.$transaction(async (tx) => {
    const page = await requirePage(tx, id);
    await acknowledgeLocked(tx, page, by.actor, 'app');
    return loadPageDto(tx, id);
  });
}

/**
 * Alert intake: a person acknowledged an alert of the group that caused this page, so the page is
 * theirs too and its escalation stops. Only a triggered page changes; returns whether it did.
 */
export async function acknowledgePageOfAlert(tx: Tx, pageId: string, person: Person): Promise<boolean> {
  const page = await lockPage(tx, pageId);
  if (!page || page.status !== 'triggered') return false;
  return acknowledgeLocked(tx, page, person, 'alert');
}

/**
 * Alert intake: the sender reported an alert of the group that caused this page acknowledged (a
 * PagerDuty-speaking tool's `acknowledge` event: someone took it there), so nobody need be woken
 * for it any more. The page is acknowledged by nobody in Sitrep, its waiting notifications
 * cancelled and the timeline says by whom. Only a triggered page changes; returns whether it did.
 */
export async function acknowledgePageForSender(tx: Tx, pageId: string, sourceName: string): Promise<boolean> {
  const page = await lockPage(tx, pageId);
  if (!page || page.status !== 'triggered') return false;
  const now = new Date();
  await tx.page.update({ where: { id: pageId }, data: { status: 'acknowledged', acknowledgedAt: now } });
  await cancelWaitingNotifications(tx, pageId, now, `Not sent: ${sourceName} reported the alert acknowledged first`);
  await pageEvent(tx, page, null, `${sourceName} reported an alert behind the page “${page.title}” acknowledged; Sitrep acknowledged the page and stopped its escalation.`, {
    event: 'acknowledged',
    level: page.level,
    cycle: page.cycle,
    via: 'sender',
  });
  await notifyPageChanged(tx, pageId);
  return true;
}

/**
 * Alert intake: every alert of the group that caused this page has resolved, so nobody need be
 * woken for it any more. The page is resolved (by Sitrep: no person) and its waiting notifications
 * cancelled; the timeline says why. A page already resolved stays as it is; returns whether it changed.
 */
export async function resolvePageOfClearedAlerts(tx: Tx, pageId: string, sourceName: string): Promise<boolean> {
  const page = await lockPage(tx, pageId);
  if (!page || page.status === 'resolved') return false;
  const now = new Date();
  await tx.page.update({ where: { id: pageId }, data: { status: 'resolved', resolvedAt: now } });
  await cancelWaitingNotifications(tx, pageId, now, 'Not sent: every alert behind the page resolved first');
  const stopped = page.status === 'triggered' ? ' and stopped its escalation' : '';
  await pageEvent(tx, page, null, `Every alert behind the page “${page.title}” resolved (${sourceName}); Sitrep resolved the page${stopped}.`, { event: 'resolved', via: 'alerts' });
  await notifyPageChanged(tx, pageId);
  return true;
}

export type AckOutcome = { page: PageDto; person: { email: string; name: string }; acknowledgedNow: boolean };

/**
 * POST /ack/<token>: acknowledges as the person the link was sent to, without a session. The link
 * works for its page only, until the page is resolved or 24 h after the person's latest
 * notification (410 after that). Pressing it on an acknowledged page changes nothing.
 */
export async function acknowledgeWithLink(token: string): Promise<AckOutcome> {
  if (!looksLikeSecret(token)) throw new NotFoundError('This acknowledge link does not exist. Open the link from the notification again, or acknowledge in Sitrep.');
  return db.$transaction(async (tx) => {
    const link = await tx.pageAckLink.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: { select: { id: true, email: true, name: true, disabledAt: true } } } });
    if (!link) throw new NotFoundError('This acknowledge link does not exist. Open the link from the notification again, or acknowledge in Sitrep.');
    const page = await requirePage(tx, link.pageId);
    if (page.status === 'resolved') throw new GoneError(`${ended(page)}; this link no longer works.`);
    if (link.expiresAt <= new Date()) throw new GoneError(`This link expired at ${formatDateTime(link.expiresAt)} (links work for ${ACK_LINK_HOURS} h). Acknowledge in Sitrep instead.`);
    if (link.user.disabledAt) throw new GoneError(`${link.user.name}'s account is disabled; this link no longer works.`);
    const person = { id: link.user.id, email: link.user.email, name: link.user.name };
    const acknowledgedNow = await acknowledgeLocked(tx, page, person, 'link');
    if (acknowledgedNow) await tx.pageAckLink.update({ where: { id: link.id }, data: { usedAt: new Date() } });
    return { page: await loadPageDto(tx, page.id), person: { email: person.email, name: person.name }, acknowledgedNow };
  });
}

export async function resolvePage(id: string, by: ChangedBy & { actor: Actor }): Promise<PageDto> {
  return db.$transaction(async (tx) => {
    const page = await requirePage(tx, id);
    if (page.status === 'resolved') throw new ConflictError(`${ended(page)} already.`);
    const now = new Date();
    await tx.page.update({ where: { id }, data: { status: 'resolved', resolvedById: by.actor.id, resolvedAt: now } });
    await cancelWaitingNotifications(tx, id, now, `Not sent: ${by.actor.name} resolved the page first`);
    await pageEvent(tx, page, by.actor.id, `${by.actor.name} resolved the page “${page.title}”.`, { event: 'resolved' });
    await notifyPageChanged(tx, id);
    return loadPageDto(tx, id);
  });
}

/** "Escalate now": the next level at once; its wait counts from now. 409 once the escalation stopped or has no level left. */
export async function escalatePage(id: string, by: ChangedBy & { actor: Actor }): Promise<PageDto> {
  const dto = await db.$transaction(async (tx) => {
    const page = await requirePage(tx, id);
    if (page.status === 'resolved') throw new ConflictError(`${ended(page)}; there is nothing to escalate.`);
    if (page.status === 'acknowledged') throw new ConflictError(`${page.acknowledgedBy?.name ?? 'Someone'} acknowledged this page at ${formatDateTime(page.acknowledgedAt!)}, so its escalation has stopped. Reassign it to page someone else.`);
    const next = nextEscalationStep(page.policy, { level: page.level, round: page.cycle });
    if (!next) {
      throw new ConflictError(
        page.policy.levels.length === 1 && page.policy.repeat === 0
          ? 'This page has a single level, so there is nothing to escalate to. Reassign it to page someone else.'
          : `This page is at its last level (level ${page.level} of ${page.policy.levels.length}${page.policy.repeat ? `, run ${page.cycle} of ${page.policy.repeat + 1}` : ''}); there is nothing left to escalate to. Reassign it to page someone else.`,
      );
    }
    await advance(tx, page, { level: next.level, cycle: next.round }, new Date(), { by });
    return loadPageDto(tx, id);
  });
  return dto;
}

/** Hands the page to another target: it starts over at its level 1, unacknowledged. 409 when resolved. */
export async function reassignPage(id: string, input: ReassignInput, by: ChangedBy & { actor: Actor }): Promise<PageDto> {
  const data = parseInput(reassignInputSchema, input);
  const dto = await db.$transaction(async (tx) => {
    const page = await requirePage(tx, id);
    if (page.status === 'resolved') throw new ConflictError(`${ended(page)}; page again instead.`);
    const target = await resolvePageTarget(tx, data.target);
    const now = new Date();
    await cancelWaitingNotifications(tx, id, now, `Not sent: ${by.actor.name} reassigned the page`);
    const assignment = page.assignment + 1;
    await tx.page.update({
      where: { id },
      data: {
        target: target.stored as Prisma.InputJsonValue,
        policyId: target.policyId,
        policy: target.policy as Prisma.InputJsonValue,
        assignment,
        level: 1,
        cycle: 1,
        levelAt: now,
        status: 'triggered',
        acknowledgedById: null,
        acknowledgedAt: null,
        exhaustedAt: null,
      },
    });
    const moved: PageState = { ...page, policy: target.policy, target: target.stored, assignment, level: 1, cycle: 1, levelAt: now, status: 'triggered' };
    const { reached, gaps } = await notifyLevel(tx, moved, { level: 1, cycle: 1 }, now);
    await scheduleNextStep(tx, moved, { level: 1, cycle: 1 }, now);
    await pageEvent(tx, page, by.actor.id, `${by.actor.name} reassigned “${page.title}” to ${target.label}: ${describeLevel(reached, gaps)}.`, {
      event: 'reassigned',
      target: target.stored,
      notified: reached.map((person) => person.email),
    });
    await notifyPageChanged(tx, id);
    return loadPageDto(tx, id);
  });
  return dto;
}

/**
 * One escalation step, run by the `page-escalation` worker when its timer falls due. Under the
 * page's row lock it re-checks that the page is still triggered, still in the same assignment and
 * still at the step before this one; anything else (acknowledged, resolved, reassigned, escalated
 * by hand, or this job ran already) makes it a no-op. See escalation-queue.ts.
 */
export async function runEscalationStep(job: EscalationJob): Promise<'notified' | 'exhausted' | 'void'> {
  const outcome = await db.$transaction(async (tx) => {
    const page = await lockPage(tx, job.pageId);
    if (!page || page.status !== 'triggered' || page.assignment !== job.assignment) return 'void' as const;
    if (job.exhausted) {
      if (page.level !== job.level || page.cycle !== job.cycle || page.exhaustedAt) return 'void' as const;
      const now = new Date();
      await tx.page.update({ where: { id: page.id }, data: { exhaustedAt: now } });
      await pageEvent(tx, page, null, `Nobody acknowledged “${page.title}”: every level of the policy was notified${page.policy.repeat ? ` ${page.policy.repeat + 1} times` : ''} and the last wait ran out. Escalate it again, reassign it, or page someone.`, { event: 'exhausted', level: page.level, cycle: page.cycle });
      await notifyPageChanged(tx, page.id);
      return 'exhausted' as const;
    }
    const previous = previousEscalationStep(page.policy, { level: job.level, round: job.cycle });
    if (!previous || previous.level !== page.level || previous.round !== page.cycle) return 'void' as const;
    await advance(tx, page, { level: job.level, cycle: job.cycle }, new Date(), { by: null });
    return 'notified' as const;
  });
  return outcome;
}
