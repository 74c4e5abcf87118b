// Incidents: declare, change status/severity/details, correct key times, hold roles. Every
// change locks the incident's row, checks the caller's version when given (optimistic
// concurrency), bumps the version, and writes its timeline event in the same transaction.
import 'server-only';
import type { Actor } from '@/lib/platform/auth/policy';
import { db, type Tx } from '@/lib/platform/db';
import { ConflictError, InvalidTransitionError, NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import type { z } from 'zod';
import type { Incident, Prisma } from '@/lib/generated/prisma/client';
import { loadIncidentDto, loadMembers } from '@/lib/incidents/dto';
import { planStatusChange } from '@/lib/incidents/lifecycle';
import {
  declareIncidentSchema,
  incidentKey,
  incidentPatchSchema,
  keyTimeCorrectionSchema,
  keyTimeLabels,
  memberReasonLabels,
  mergeSchema,
  roleLabels,
  roleSchema,
  type DeclareIncidentInput,
  type IncidentDto,
  type IncidentPatch,
  type IncidentRole,
  type KeyTimeCorrection,
  type MemberDto,
  type MergeInput,
} from '@/lib/incidents/schema';
import { incidentNotFound, memberOf, viewerOf, visibleWhere } from '@/lib/incidents/visibility';
import { notifyIncident } from '@/lib/incidents/live';
import { notify, type NotificationDetail, type NotificationEvent } from '@/lib/notifications/service';
import { appendTimelineEvent } from '@/lib/timeline/append';
import { acknowledgeOnFirstAction } from '@/lib/incidents/acknowledge';
import { can, type AppRole, type ChangedBy } from '@/lib/platform/auth/policy';
import { emailSchema } from '@/lib/platform/auth/email';
import { moveUpdates, postStatusUpdateIn } from '@/lib/communications/service';
import { moveChecklists } from '@/lib/checklists/service';
import { moveDeliveries } from '@/lib/remediation/service';
import { moveActionItems } from '@/lib/postmortems/service';
import { moveAttachments } from '@/lib/attachments/service';
import { moveAlerts } from '@/lib/alerts/merge';
import { moveTimeline } from '@/lib/timeline/service';
import { forgetPublicStatus } from '@/lib/communications/status-page';
import { formatAgo, formatDateTime } from '@/lib/platform/time';

export type WriteOptions = { ifVersion?: number };

async function severityOrFail(tx: Tx, key: string): Promise<{ key: string; name: string; level: number }> {
  const severity = await tx.severity.findUnique({ where: { key } });
  if (severity) return severity;
  const keys = (await tx.severity.findMany({ orderBy: { level: 'asc' }, select: { key: true } })).map((s) => s.key);
  const range = keys.length > 1 ? `${keys[0]}–${keys.at(-1)}` : (keys[0] ?? 'none defined');
  throw new ValidationError([{ path: 'severity', message: `${key} is not a severity; use ${range}` }]);
}

async function activeUserByEmail(tx: Tx, email: string, path: string): Promise<{ id: string; email: string; name: string; role: AppRole }> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new ValidationError([{ path, message: 'Enter a valid email address, like ana@example.com' }]);
  const user = await tx.user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
  if (!user) throw new ValidationError([{ path, message: `No user has the email ${parsed.data}` }]);
  if (user.disabledAt) throw new ValidationError([{ path, message: `${user.name} (${user.email}) is disabled` }]);
  return user;
}

/**
 * Someone who can hold an incident role: an active user whose app role lets them work incidents.
 * A viewer given a role could not do it (no note box, no controls), so they are refused by name.
 */
async function responderByEmail(tx: Tx, email: string, path: string, what: string): Promise<{ id: string; email: string; name: string }> {
  const user = await activeUserByEmail(tx, email, path);
  if (!can(user, 'incidents.work')) {
    throw new ValidationError([
      { path, message: `${user.name} (${user.email}) is a ${user.role} in Sitrep and cannot ${what}; only responders and admins work incidents (an admin can change their app role in Settings → Users)` },
    ]);
  }
  return user;
}

/**
 * Locks the incident's row for this transaction and checks the caller's version. An incident the
 * caller may not see (private, and they are no member) is refused exactly as a missing one; this
 * is decided under the lock, so a membership change committed just before counts.
 */
async function lockIncident(tx: Tx, number: number, by: ChangedBy, options: WriteOptions = {}): Promise<Incident> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM incidents WHERE number = ${number} FOR UPDATE`;
  if (!row) throw incidentNotFound(number);
  const incident = await tx.incident.findFirst({ where: visibleWhere(viewerOf(by), { id: row.id }), include: { updatedBy: { select: { name: true } } } });
  if (!incident) throw incidentNotFound(number);
  if (options.ifVersion !== undefined && options.ifVersion !== incident.version) {
    const who = incident.updatedBy?.name ?? 'someone';
    throw new PreconditionFailedError(
      `${incidentKey(number)} was changed by ${who} ${formatAgo(Date.now() - incident.updatedAt.getTime())} (you had version ${options.ifVersion}, it is now ${incident.version}). Review the current state and try again.`,
    );
  }
  return incident;
}

async function recordChange(tx: Tx, incident: Incident, by: ChangedBy, data: Prisma.IncidentUpdateInput = {}): Promise<void> {
  await tx.incident.update({
    where: { id: incident.id },
    data: { ...data, version: { increment: 1 }, updatedBy: by.actor ? { connect: { id: by.actor.id } } : { disconnect: true } },
  });
  await notifyIncident(tx, { incidentId: incident.id, number: incident.number });
}

export async function declareIncident(input: DeclareIncidentInput, by: ChangedBy & { actor: Actor }): Promise<IncidentDto> {
  const data = parseInput(declareIncidentSchema, input);
  return db.$transaction(async (tx) => loadIncidentDto(tx, (await declareIncidentIn(tx, data, by)).number));
}

/**
 * Declares inside the caller's transaction, so what caused the declaration (an alert group, say)
 * commits with it. Without an actor Sitrep itself declares (`declaredFrom` says from what, e.g.
 * "from alert “Disk full”") and the commander role starts unfilled unless `commanderEmail` names one.
 */
export async function declareIncidentIn(
  tx: Tx,
  data: z.output<typeof declareIncidentSchema>,
  by: ChangedBy,
  options: { declaredFrom?: string } = {},
): Promise<{ id: string; number: number }> {
  const severity = await severityOrFail(tx, data.severity);
  const commander = data.commanderEmail ? await responderByEmail(tx, data.commanderEmail, 'commanderEmail', 'take command') : by.actor;
  const startedAt = data.startedAt ? new Date(data.startedAt) : null;
  const detectedAt = data.detectedAt ? new Date(data.detectedAt) : null;
  const now = new Date();
  if (startedAt && startedAt > now) throw new ValidationError([{ path: 'startedAt', message: 'The start time is in the future' }]);
  if (detectedAt && startedAt && detectedAt < startedAt) {
    throw new ValidationError([{ path: 'detectedAt', message: 'The incident was detected before it started; check both times' }]);
  }
  const actorId = by.actor?.id ?? null;
  const incident = await tx.incident.create({
    data: {
      title: data.title,
      summary: data.summary ?? '',
      severityKey: severity.key,
      services: data.services ?? [],
      customerImpact: data.customerImpact ?? false,
      private: data.private ?? false,
      startedAt,
      detectedAt,
      declaredAt: now,
      declaredById: actorId,
      updatedById: actorId,
    },
  });
  const key = incidentKey(incident.number);
  const from = options.declaredFrom ? ` ${options.declaredFrom}` : '';
  await appendTimelineEvent(tx, incident.id, {
    kind: 'system',
    actorId,
    body: incident.private
      ? `${by.actor?.name ?? 'Sitrep'} declared ${key} as a private ${severity.key} incident${from} (only its members and admins can see it): ${incident.title}`
      : `${by.actor?.name ?? 'Sitrep'} declared ${key} as ${severity.key}${from}: ${incident.title}`,
    data: { declared: true, severity: severity.key, ...(incident.private ? { private: true } : {}) },
    pinned: true,
  });
  if (commander) {
    await tx.incidentRole.create({ data: { incidentId: incident.id, role: 'commander', userId: commander.id, assignedById: actorId } });
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId,
      body: commander.id === actorId ? `${commander.name} took command as ${roleLabels.commander}.` : `${by.actor?.name ?? 'Sitrep'} made ${commander.name} ${roleLabels.commander}.`,
      data: { role: 'commander', to: commander.email },
    });
  }
  await notifyIncident(tx, { incidentId: incident.id, number: incident.number });
  await notify(tx, incident.id, 'declared', {});
  return { id: incident.id, number: incident.number };
}

/** Severities with `reviewRequired` (SEV1 and SEV2 by default) close only with a published review. */
async function checkReviewBeforeClosing(tx: Prisma.TransactionClient, incidentId: string, severityKey: string, key: string): Promise<void> {
  const severity = await tx.severity.findUnique({ where: { key: severityKey.toUpperCase() }, select: { reviewRequired: true } });
  if (!severity?.reviewRequired) return;
  const review = await tx.postmortem.findUnique({ where: { incidentId }, select: { status: true } });
  if (review?.status !== 'published') {
    throw new InvalidTransitionError(`${key} is ${severityKey.toUpperCase()}: it closes once its post-incident review is published (${review ? `the review is ${review.status.replace('_', ' ')}` : 'there is no review yet'}). Open /incidents/${key.slice(4)}/review.`);
  }
}

export async function updateIncident(number: number, input: IncidentPatch, options: WriteOptions, by: ChangedBy): Promise<IncidentDto> {
  const patch = parseInput(incidentPatchSchema, input);
  const updated = await db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by, options);
    const key = incidentKey(number);
    const actorId = by.actor?.id ?? null;
    const actorName = by.actor?.name ?? 'Sitrep';
    const now = new Date();
    const data: Prisma.IncidentUpdateInput = {};
    const events: Parameters<typeof appendTimelineEvent>[2][] = [];
    const reason = patch.reason?.trim() || null;
    const because = reason ? `: ${reason}` : '.';
    // Announced through the notification channels after the change is written, in this transaction.
    const announcements: [NotificationEvent, NotificationDetail][] = [];

    if (patch.severity !== undefined) {
      const severity = await severityOrFail(tx, patch.severity);
      if (severity.key !== incident.severityKey) {
        data.severity = { connect: { key: severity.key } };
        events.push({ kind: 'severity', actorId, body: `${actorName} changed the severity from ${incident.severityKey} to ${severity.key}${because}`, data: { from: incident.severityKey, to: severity.key, reason } });
        // A lower level is more severe (SEV1 is level 1).
        const previous = await tx.severity.findUnique({ where: { key: incident.severityKey }, select: { level: true } });
        if (!previous || severity.level < previous.level) announcements.push(['severity_raised', { previousSeverity: incident.severityKey }]);
      }
    }
    if (patch.status !== undefined) {
      const change = planStatusChange({ key, status: incident.status, times: incident }, patch.status, { reason, now });
      if (change.kind !== 'none' && change.to === 'closed') await checkReviewBeforeClosing(tx, incident.id, patch.severity ?? incident.severityKey, key);
      if (change.kind !== 'none') {
        Object.assign(data, { status: change.to, ...change.times });
        const verb = change.kind === 'reopen' ? `reopened ${key} as ${change.to}` : `changed the status from ${change.from} to ${change.to}`;
        events.push({ kind: 'status', actorId, body: `${actorName} ${verb}${because}`, data: { from: change.from, to: change.to, reopen: change.kind === 'reopen', reason }, pinned: change.kind === 'reopen' || change.to === 'resolved' });
        announcements.push(['status_changed', { previousStatus: change.from }]);
        if (change.to === 'resolved') announcements.push(['resolved', { previousStatus: change.from }]);
      }
    }
    const details: string[] = [];
    if (patch.title !== undefined && patch.title !== incident.title) {
      data.title = patch.title;
      details.push(`title to “${patch.title}”`);
    }
    if (patch.summary !== undefined && patch.summary !== incident.summary) {
      data.summary = patch.summary;
      details.push('the summary');
    }
    if (patch.services !== undefined && JSON.stringify(patch.services) !== JSON.stringify(incident.services)) {
      data.services = patch.services;
      details.push(`affected services to ${patch.services.length ? patch.services.join(', ') : 'none'}`);
    }
    if (patch.customerImpact !== undefined && patch.customerImpact !== incident.customerImpact) {
      data.customerImpact = patch.customerImpact;
      details.push(patch.customerImpact ? 'customer impact to yes' : 'customer impact to no');
    }
    if (details.length) {
      events.push({ kind: 'system', actorId, body: `${actorName} changed ${details.join(', ')}.`, data: { changed: Object.keys(data).filter((k) => ['title', 'summary', 'services', 'customerImpact'].includes(k)) } });
    }
    if (patch.private !== undefined && patch.private !== incident.private) {
      data.private = patch.private;
      // Whoever makes an incident private keeps seeing it: a responder who is no member yet becomes one.
      const joins = patch.private && by.actor && by.actor.role !== 'admin' && (await tx.incident.count({ where: { AND: [{ id: incident.id }, memberOf(by.actor.id)] } })) === 0;
      if (joins) await tx.incidentMember.create({ data: { incidentId: incident.id, userId: by.actor!.id, addedById: by.actor!.id } });
      events.push({
        kind: 'system',
        actorId,
        body: patch.private
          ? `${actorName} made ${key} private: only its members and admins can see it${joins ? ` (${actorName} became a member)` : ''}${because}`
          : `${actorName} made ${key} public: everyone signed in can see it${because}`,
        data: { private: patch.private, reason },
        pinned: true,
      });
    }

    if (events.length === 0 && !patch.update) return loadIncidentDto(tx, number);
    if (incident.mergedIntoId) throw new ConflictError(`${key} was merged into another incident; work on that one (its key is on ${key}'s page).`);
    if (events.length) await recordChange(tx, incident, by, data);
    for (const event of events) await appendTimelineEvent(tx, incident.id, event);
    for (const [event, detail] of announcements) await notify(tx, incident.id, event, detail);
    // The update is written after the change, so it reads (and is shown) as of the new status.
    if (patch.update) await postStatusUpdateIn(tx, { id: incident.id, number, acknowledgedAt: incident.acknowledgedAt, private: data.private === undefined ? incident.private : Boolean(data.private) }, patch.update, by);
    const cause = data.status ? `moved it to ${String(data.status)}` : data.severity ? `changed the severity to ${patch.severity}` : 'edited the details';
    await acknowledgeOnFirstAction(tx, { id: incident.id, acknowledgedAt: incident.acknowledgedAt }, by.actor, cause);
    return loadIncidentDto(tx, number);
  });
  if (patch.update?.audience === 'public') forgetPublicStatus();
  return updated;
}

export async function acknowledgeIncident(number: number, by: ChangedBy): Promise<IncidentDto> {
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by);
    if (incident.acknowledgedAt) return loadIncidentDto(tx, number);
    await recordChange(tx, incident, by);
    await acknowledgeOnFirstAction(tx, incident, by.actor);
    return loadIncidentDto(tx, number);
  });
}

/** Corrects a key time after the fact; the correction and its reason stay on the timeline. */
export async function correctKeyTime(number: number, input: KeyTimeCorrection, options: WriteOptions, by: ChangedBy): Promise<IncidentDto> {
  const correction = parseInput(keyTimeCorrectionSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by, options);
    const value = correction.value ? new Date(correction.value) : null;
    if (value && value > new Date(Date.now() + 60_000)) throw new ValidationError([{ path: 'value', message: 'That time is in the future' }]);
    const previous = incident[correction.field];
    if ((previous?.getTime() ?? null) === (value?.getTime() ?? null)) return loadIncidentDto(tx, number);
    await recordChange(tx, incident, by, { [correction.field]: value });
    const label = keyTimeLabels[correction.field];
    const shown = (date: Date | null) => (date ? formatDateTime(date) : 'unset');
    await appendTimelineEvent(tx, incident.id, {
      kind: 'system',
      actorId: by.actor?.id ?? null,
      body: `${by.actor?.name ?? 'Sitrep'} corrected “${label}” from ${shown(previous)} to ${shown(value)}: ${correction.reason}`,
      data: { correction: correction.field, from: previous?.toISOString() ?? null, to: value?.toISOString() ?? null, reason: correction.reason },
    });
    return loadIncidentDto(tx, number);
  });
}

/** Assigns a primary role; when someone holds it, this is a handoff and their hold is kept in the role history. */
export async function assignRole(number: number, role: IncidentRole, email: string, options: WriteOptions, by: ChangedBy): Promise<IncidentDto> {
  const parsedRole = parseInput(roleSchema, role);
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by, options);
    const user = await responderByEmail(tx, email, 'email', `be ${roleLabels[parsedRole]}`);
    const current = await tx.incidentRole.findUnique({ where: { incidentId_role: { incidentId: incident.id, role: parsedRole } }, include: { user: { select: { name: true, email: true } } } });
    if (current?.userId === user.id) return loadIncidentDto(tx, number);
    const now = new Date();
    const label = roleLabels[parsedRole];
    const actorName = by.actor?.name ?? 'Sitrep';
    if (current) {
      await tx.incidentRoleHold.create({ data: { incidentId: incident.id, role: parsedRole, userId: current.userId, since: current.since, until: now } });
      await tx.incidentRole.update({
        where: { incidentId_role: { incidentId: incident.id, role: parsedRole } },
        data: { userId: user.id, since: now, assignedById: by.actor?.id ?? null },
      });
    } else {
      await tx.incidentRole.create({ data: { incidentId: incident.id, role: parsedRole, userId: user.id, since: now, assignedById: by.actor?.id ?? null } });
    }
    await recordChange(tx, incident, by);
    const body = current
      ? `${actorName} handed ${label} from ${current.user.name} to ${user.name}.`
      : by.actor?.id === user.id
        ? `${user.name} took the ${label} role.`
        : `${actorName} made ${user.name} ${label}.`;
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId: by.actor?.id ?? null,
      body,
      data: { role: parsedRole, from: current?.user.email ?? null, to: user.email, handoff: Boolean(current) },
      pinned: parsedRole === 'commander' && Boolean(current),
    });
    await acknowledgeOnFirstAction(tx, incident, by.actor, current ? `handed ${label} to ${user.name}` : by.actor?.id === user.id ? `took the ${label} role` : `made ${user.name} ${label}`);
    return loadIncidentDto(tx, number);
  });
}

export async function unassignRole(number: number, role: IncidentRole, options: WriteOptions, by: ChangedBy): Promise<IncidentDto> {
  const parsedRole = parseInput(roleSchema, role);
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by, options);
    const current = await tx.incidentRole.findUnique({ where: { incidentId_role: { incidentId: incident.id, role: parsedRole } }, include: { user: { select: { name: true, email: true } } } });
    if (!current) return loadIncidentDto(tx, number);
    await tx.incidentRoleHold.create({ data: { incidentId: incident.id, role: parsedRole, userId: current.userId, since: current.since, until: new Date() } });
    await tx.incidentRole.delete({ where: { incidentId_role: { incidentId: incident.id, role: parsedRole } } });
    await recordChange(tx, incident, by);
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId: by.actor?.id ?? null,
      body: `${by.actor?.name ?? 'Sitrep'} removed ${current.user.name} as ${roleLabels[parsedRole]}; the role is unfilled.`,
      data: { role: parsedRole, from: current.user.email, to: null },
    });
    return loadIncidentDto(tx, number);
  });
}

export async function addSme(number: number, email: string, by: ChangedBy): Promise<IncidentDto> {
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by);
    const user = await responderByEmail(tx, email, 'email', 'be a subject-matter expert');
    const existing = await tx.incidentSme.findUnique({ where: { incidentId_userId: { incidentId: incident.id, userId: user.id } } });
    if (existing) return loadIncidentDto(tx, number);
    await tx.incidentSme.create({ data: { incidentId: incident.id, userId: user.id } });
    await recordChange(tx, incident, by);
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId: by.actor?.id ?? null,
      body: by.actor?.id === user.id ? `${user.name} joined as a subject-matter expert.` : `${by.actor?.name ?? 'Sitrep'} added ${user.name} as a subject-matter expert.`,
      data: { role: 'sme', to: user.email },
    });
    await acknowledgeOnFirstAction(tx, incident, by.actor, by.actor?.id === user.id ? 'joined as a subject-matter expert' : `added ${user.name} as a subject-matter expert`);
    return loadIncidentDto(tx, number);
  });
}

export async function removeSme(number: number, email: string, by: ChangedBy): Promise<IncidentDto> {
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by);
    // Not activeUserByEmail: an expert whose account was disabled must still be removable.
    const normalised = emailSchema.safeParse(email);
    const user = normalised.success ? await tx.user.findUnique({ where: { email: normalised.data }, select: { id: true, email: true, name: true } }) : null;
    if (!user) throw new NotFoundError(`${email} is not a subject-matter expert on ${incidentKey(number)}.`);
    const removed = await tx.incidentSme.deleteMany({ where: { incidentId: incident.id, userId: user.id } });
    if (removed.count === 0) throw new NotFoundError(`${user.name} is not a subject-matter expert on ${incidentKey(number)}.`);
    await recordChange(tx, incident, by);
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId: by.actor?.id ?? null,
      body: `${by.actor?.name ?? 'Sitrep'} removed ${user.name} as a subject-matter expert.`,
      data: { role: 'sme', from: user.email, to: null },
    });
    return loadIncidentDto(tx, number);
  });
}


/**
 * Adds someone to the incident's members, so they may see it while it is private (role holders
 * and experts are members already). Adding someone already added changes nothing.
 */
export async function addMember(number: number, email: string, by: ChangedBy): Promise<MemberDto[]> {
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by);
    const user = await activeUserByEmail(tx, email, 'email');
    const existing = await tx.incidentMember.findUnique({ where: { incidentId_userId: { incidentId: incident.id, userId: user.id } } });
    if (existing) return loadMembers(tx, incident.id);
    await tx.incidentMember.create({ data: { incidentId: incident.id, userId: user.id, addedById: by.actor?.id ?? null } });
    await recordChange(tx, incident, by);
    const actorName = by.actor?.name ?? 'Sitrep';
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId: by.actor?.id ?? null,
      body: incident.private ? `${actorName} added ${user.name} as a member: they can see this private incident.` : `${actorName} added ${user.name} as a member.`,
      data: { member: user.email, change: 'added' },
    });
    return loadMembers(tx, incident.id);
  });
}

/**
 * Takes back an addition. Someone who is a member for another reason (they declared it, hold a
 * role, are an expert) stays one; when that is the only reason, the answer says what to change.
 */
export async function removeMember(number: number, email: string, by: ChangedBy): Promise<MemberDto[]> {
  return db.$transaction(async (tx) => {
    const incident = await lockIncident(tx, number, by);
    const key = incidentKey(number);
    // Not activeUserByEmail: a disabled account must still be removable.
    const normalised = emailSchema.safeParse(email);
    const user = normalised.success ? await tx.user.findUnique({ where: { email: normalised.data }, select: { id: true, email: true, name: true } }) : null;
    if (!user) throw new NotFoundError(`${email} is not a member of ${key}.`);
    const removed = await tx.incidentMember.deleteMany({ where: { incidentId: incident.id, userId: user.id } });
    const others = (await loadMembers(tx, incident.id)).find((member) => member.email === user.email)?.reasons ?? [];
    if (removed.count === 0) {
      if (others.length === 0) throw new NotFoundError(`${user.name} is not a member of ${key}.`);
      const why = others.map((reason) => memberReasonLabels[reason]).join(', ');
      const remedy = others.includes('declarer') ? 'the person who declared an incident always stays a member' : 'unassign the role or remove them as an expert to take their access away';
      throw new ConflictError(`${user.name} is a member of ${key} because of: ${why}; ${remedy}.`);
    }
    await recordChange(tx, incident, by);
    const actorName = by.actor?.name ?? 'Sitrep';
    const still = others.length ? ` (still a member: ${others.map((reason) => memberReasonLabels[reason]).join(', ')})` : '';
    await appendTimelineEvent(tx, incident.id, {
      kind: 'role',
      actorId: by.actor?.id ?? null,
      body: `${actorName} removed ${user.name} as a member${still}.`,
      data: { member: user.email, change: 'removed' },
    });
    return loadMembers(tx, incident.id);
  });
}

/**
 * Merges a duplicate into the incident that carries on (the survivor), in one transaction: the
 * duplicate's timeline (each event saying where it came from), status updates, checklists,
 * remediations, action items, attachments and alerts move; its role holders keep their role on the survivor when it
 * is free there, otherwise join as subject-matter experts, as do its experts; its services join
 * the survivor's. The duplicate is closed, points to the survivor, and takes no more changes.
 * Both timelines say who merged what, and why.
 */
export async function mergeIncident(number: number, input: MergeInput, by: ChangedBy): Promise<{ survivor: IncidentDto; duplicate: IncidentDto }> {
  const { into, reason } = parseInput(mergeSchema, input);
  if (into === number) throw new ValidationError([{ path: 'into', message: `${incidentKey(number)} can't be merged into itself; choose the incident that carries on` }]);
  const result = await db.$transaction(async (tx) => {
    // Both rows locked in number order, so two merges of the same pair can't deadlock.
    for (const n of [number, into].sort((a, b) => a - b)) {
      const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM incidents WHERE number = ${n} FOR UPDATE`;
      if (!row) throw n === into ? new ValidationError([{ path: 'into', message: `${incidentKey(into)} does not exist` }]) : new NotFoundError(`${incidentKey(n)} does not exist.`);
    }
    const duplicate = await lockIncident(tx, number, by);
    // A survivor the actor can't see is answered as one that doesn't exist (422 on `into`), never as a 404 that would tell them apart.
    const survivor = await lockIncident(tx, into, by).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new ValidationError([{ path: 'into', message: `${incidentKey(into)} does not exist` }]);
      throw error;
    });
    const dupKey = incidentKey(number);
    const survivorKey = incidentKey(into);
    if (duplicate.mergedIntoId) throw new ConflictError(`${dupKey} was already merged into another incident.`);
    if (survivor.mergedIntoId) throw new ConflictError(`${survivorKey} was itself merged into another incident; merge ${dupKey} into that one.`);
    if (survivor.status === 'closed') throw new ConflictError(`${survivorKey} is closed; reopen it first, or merge it into ${dupKey} instead.`);
    // A private duplicate's notes must not become readable by everyone through a public survivor.
    if (duplicate.private && !survivor.private) throw new ConflictError(`${dupKey} is private and ${survivorKey} is not; make ${survivorKey} private first, so ${dupKey}'s timeline stays with its members.`);
    const now = new Date();
    const actorName = by.actor?.name ?? 'Sitrep';

    const moved = await moveTimeline(tx, { id: duplicate.id, key: dupKey }, { id: survivor.id });
    const updates = await moveUpdates(tx, duplicate.id, survivor.id);
    await moveChecklists(tx, duplicate.id, survivor.id);
    await moveDeliveries(tx, duplicate.id, survivor.id);
    await moveActionItems(tx, duplicate.id, survivor.id);
    await moveAttachments(tx, duplicate.id, survivor.id);
    await moveAlerts(tx, duplicate.id, survivor.id);
    // Whoever was added to see the duplicate may see where its timeline went.
    const added = await tx.incidentMember.findMany({ where: { incidentId: duplicate.id }, select: { userId: true, addedById: true } });
    if (added.length) await tx.incidentMember.createMany({ data: added.map((m) => ({ incidentId: survivor.id, userId: m.userId, addedById: m.addedById })), skipDuplicates: true });

    // People: a role free on the survivor is taken over; otherwise they join as experts.
    const [dupRoles, survivorRoles, dupSmes, survivorSmes] = [
      await tx.incidentRole.findMany({ where: { incidentId: duplicate.id }, include: { user: { select: { name: true } } } }),
      await tx.incidentRole.findMany({ where: { incidentId: survivor.id } }),
      await tx.incidentSme.findMany({ where: { incidentId: duplicate.id } }),
      await tx.incidentSme.findMany({ where: { incidentId: survivor.id } }),
    ];
    const onSurvivor = new Set([...survivorRoles.map((r) => r.userId), ...survivorSmes.map((s) => s.userId)]);
    const joined: string[] = [];
    for (const held of dupRoles) {
      await tx.incidentRoleHold.create({ data: { incidentId: duplicate.id, role: held.role, userId: held.userId, since: held.since, until: now } });
      if (!survivorRoles.some((r) => r.role === held.role)) {
        await tx.incidentRole.create({ data: { incidentId: survivor.id, role: held.role, userId: held.userId, since: now, assignedById: by.actor?.id ?? null } });
        survivorRoles.push({ ...held, incidentId: survivor.id });
        joined.push(`${held.user.name} as ${roleLabels[held.role]}`);
        onSurvivor.add(held.userId);
      }
    }
    await tx.incidentRole.deleteMany({ where: { incidentId: duplicate.id } });
    const experts = [...new Set([...dupRoles.map((r) => r.userId), ...dupSmes.map((s) => s.userId)])].filter((id) => !onSurvivor.has(id));
    if (experts.length) {
      await tx.incidentSme.createMany({ data: experts.map((userId) => ({ incidentId: survivor.id, userId })), skipDuplicates: true });
      const names = await tx.user.findMany({ where: { id: { in: experts } }, select: { name: true }, orderBy: { name: 'asc' } });
      joined.push(...names.map((u) => `${u.name} as a subject-matter expert`));
    }

    const services = [...new Set([...survivor.services, ...duplicate.services])];
    await recordChange(tx, survivor, by, { services, customerImpact: survivor.customerImpact || duplicate.customerImpact });
    await recordChange(tx, duplicate, by, {
      status: 'closed',
      mitigatedAt: duplicate.mitigatedAt ?? now,
      resolvedAt: duplicate.resolvedAt ?? now,
      closedAt: now,
      mergedInto: { connect: { id: survivor.id } },
      mergedAt: now,
    });
    const because = reason ? `: ${reason}` : '.';
    const carried = [`${moved} timeline event${moved === 1 ? '' : 's'}`, `${updates} status update${updates === 1 ? '' : 's'}`, ...(joined.length ? [`and ${joined.join(', ')}`] : [])];
    await appendTimelineEvent(tx, survivor.id, {
      kind: 'system',
      actorId: by.actor?.id ?? null,
      body: `${actorName} merged ${dupKey} (“${duplicate.title}”) into ${survivorKey}${because} It brought ${carried.join(', ')}.`,
      data: { merged: dupKey, from: number, events: moved, updates, reason },
      pinned: true,
    });
    await appendTimelineEvent(tx, duplicate.id, {
      kind: 'system',
      actorId: by.actor?.id ?? null,
      body: `${actorName} merged ${dupKey} into ${survivorKey}${because} Its timeline, people and updates are on ${survivorKey} now.`,
      data: { mergedInto: survivorKey, into, reason },
      pinned: true,
    });
    return { survivor: await loadIncidentDto(tx, into), duplicate: await loadIncidentDto(tx, number) };
  });
  // The duplicate's public updates are the survivor's now; the status page shows one card.
  forgetPublicStatus();
  return result;
}
