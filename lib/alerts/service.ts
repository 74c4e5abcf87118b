// Alerts as people and admins change them: alert sources (admin), silences, and what responders
// do with an alert (acknowledge, resolve, declare an incident from it, link it to an incident).
// Storing what senders post is ingest.ts; routing and the timeline events that follow it are
// dispatch.ts. Each change and its timeline event (when the alert is linked to an incident) or
// audit record commit together, and the change is announced on the alerts channel.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { recordAudit } from '@/lib/audit/service';
import { Prisma } from '@/lib/generated/prisma/client';
import { hashSourceToken, SOURCE_TOKEN_PREFIX, withRetry } from '@/lib/alerts/ingest';
import { loadAlertDtos, silenceInclude, toSilenceDto, toSourceDto } from '@/lib/alerts/dto';
import { enqueueDispatch } from '@/lib/alerts/dispatch';
import { notifyAlerts } from '@/lib/alerts/live';
import { compileMatchers, matchesAll } from '@/lib/alerts/matchers';
import { silenceInputSchema, type SilenceInput } from '@/lib/alerts/silences';
import {
  declareFromAlertSchema,
  sourceInputSchema,
  sourceUpdateSchema,
  type AlertDto,
  type AlertSourceDto,
  type CreatedSourceDto,
  type DeclareFromAlertInput,
  type SilenceDto,
  type SourceInput,
  type SourceUpdate,
} from '@/lib/alerts/schema';
import type { Route } from '@/lib/alerts/routing';
import { cut } from '@/lib/alerts/payloads/common';
import { attachRunbookIn } from '@/lib/checklists/service';
import { loadIncidentDto } from '@/lib/incidents/dto';
import { isOpen, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { declareIncidentSchema, incidentKey, type IncidentDto } from '@/lib/incidents/schema';
import { declareIncidentIn } from '@/lib/incidents/service';
import { requireVisibleIncident, viewerOf, visibleWhere } from '@/lib/incidents/visibility';
import type { Actor, ChangedBy } from '@/lib/platform/auth/policy';
import { db, type Tx } from '@/lib/platform/db';
import { ConflictError, isUniqueViolation, NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import { appendTimelineEvent } from '@/lib/timeline/append';
import { acknowledgePageOfAlert, resolvePageOfClearedAlerts } from '@/lib/oncall/service';

// ---- Sources ----------------------------------------------------------------------------------

function newToken(): { token: string; hash: string; hint: string } {
  const token = `${SOURCE_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  return { token, hash: hashSourceToken(token), hint: token.slice(-4) };
}

/** Every severity a route or the mapping names must exist, or alerts would route to nothing… */
async function checkSeverities(tx: Tx, routes: Route[], mapping: { values: Record<string, string>; fallback: string } | null | undefined): Promise<void> {
  const known = new Set((await tx.severity.findMany({ select: { key: true } })).map((s) => s.key));
  const list = [...known].sort().join(', ');
  const errors = routes.flatMap((route, index) => (route.severity && !known.has(route.severity) ? [{ path: `routes.${index}.severity`, message: `${route.severity} is not a severity; use ${list}` }] : []));
  if (mapping) {
    for (const [value, severity] of Object.entries(mapping.values)) {
      if (!known.has(severity)) errors.push({ path: `severityMapping.values.${value}`, message: `${severity} is not a severity; use ${list}` });
    }
    if (!known.has(mapping.fallback)) errors.push({ path: 'severityMapping.fallback', message: `${mapping.fallback} is not a severity; use ${list}` });
  }
  // …and every escalation policy a route pages, or its alerts would page no one.
  const policyIds = [...new Set(routes.flatMap((route) => (route.policyId ? [route.policyId] : [])))];
  const policies = new Set(policyIds.length ? (await tx.escalationPolicy.findMany({ where: { id: { in: policyIds } }, select: { id: true } })).map((p) => p.id) : []);
  routes.forEach((route, index) => {
    if (route.policyId && !policies.has(route.policyId)) errors.push({ path: `routes.${index}.policyId`, message: 'No escalation policy has that id; pick one from GET /api/v1/escalation-policies' });
  });
  if (errors.length) throw new ValidationError(errors);
}

const nameTaken = (name: string) => new ConflictError(`An alert source named “${name}” already exists; pick another name.`);

export async function createSource(input: SourceInput, by: ChangedBy): Promise<CreatedSourceDto> {
  const data = parseInput(sourceInputSchema, input);
  const { token, hash, hint } = newToken();
  try {
    return await db.$transaction(async (tx) => {
      await checkSeverities(tx, data.routes ?? [], data.severityMapping);
      const source = await tx.alertSource.create({
        data: {
          name: data.name,
          kind: data.kind,
          tokenHash: hash,
          tokenHint: hint,
          routes: data.routes ?? [],
          severityMapping: data.severityMapping ?? undefined,
          createdById: by.actor?.id ?? null,
        },
      });
      await recordAudit(tx, {
        actorId: by.actor?.id ?? null,
        action: 'alert_source.created',
        targetType: 'alert_source',
        targetId: source.id,
        detail: { name: source.name, kind: source.kind, routes: (data.routes ?? []).length },
        requestId: by.requestId,
      });
      return { ...toSourceDto(source), token };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(data.name);
    throw error;
  }
}

async function lockSource(tx: Tx, id: string, ifVersion?: number) {
  const [locked] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM alert_sources WHERE id = ${id}::uuid FOR UPDATE`;
  if (!locked) throw new NotFoundError('That alert source does not exist.');
  if (ifVersion !== undefined && ifVersion !== locked.version) {
    throw new PreconditionFailedError(`Someone saved this alert source (now version ${locked.version}) while you were editing version ${ifVersion}. Reload it and apply your changes again.`);
  }
  return tx.alertSource.findUniqueOrThrow({ where: { id } });
}

/** Saves an edited source (name, kind, routes, severity mapping); the token stays. */
export async function updateSource(id: string, input: SourceUpdate, options: { ifVersion?: number }, by: ChangedBy): Promise<AlertSourceDto> {
  const data = parseInput(sourceUpdateSchema, input);
  const ifVersion = options.ifVersion ?? data.version;
  try {
    return await db.$transaction(async (tx) => {
      const before = await lockSource(tx, id, ifVersion);
      await checkSeverities(tx, data.routes, data.severityMapping);
      const source = await tx.alertSource.update({
        where: { id },
        data: {
          name: data.name,
          kind: data.kind,
          routes: data.routes,
          // null: back to the defaults; left out: unchanged.
          ...(data.severityMapping !== undefined ? { severityMapping: data.severityMapping ?? Prisma.DbNull } : {}),
          version: { increment: 1 },
        },
      });
      const changed = [
        ...(before.name !== source.name ? ['name'] : []),
        ...(before.kind !== source.kind ? ['kind'] : []),
        ...(JSON.stringify(before.routes) !== JSON.stringify(source.routes) ? ['routes'] : []),
        ...(JSON.stringify(before.severityMapping) !== JSON.stringify(source.severityMapping) ? ['severityMapping'] : []),
      ];
      await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'alert_source.updated', targetType: 'alert_source', targetId: id, detail: { name: source.name, changed }, requestId: by.requestId });
      return toSourceDto(source);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(data.name);
    throw error;
  }
}

/** A new token; the old one stops working at once. Shown this once. */
export async function rotateSourceToken(id: string, by: ChangedBy): Promise<CreatedSourceDto> {
  const { token, hash, hint } = newToken();
  return db.$transaction(async (tx) => {
    await lockSource(tx, id);
    const source = await tx.alertSource.update({ where: { id }, data: { tokenHash: hash, tokenHint: hint, tokenRotatedAt: new Date(), version: { increment: 1 } } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'alert_source.token_rotated', targetType: 'alert_source', targetId: id, detail: { name: source.name }, requestId: by.requestId });
    return { ...toSourceDto(source), token };
  });
}

/** Deletes a source with its alerts (the incidents they were linked to keep their timelines). */
export async function deleteSource(id: string, by: ChangedBy): Promise<void> {
  await db.$transaction(async (tx) => {
    const source = await lockSource(tx, id);
    const [{ n } = { n: 0 }] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM alerts WHERE source_id = ${id}::uuid`;
    const incidents = await tx.$queryRaw<{ incident_id: string }[]>`SELECT DISTINCT incident_id FROM alerts WHERE source_id = ${id}::uuid AND incident_id IS NOT NULL`;
    await tx.alertSource.delete({ where: { id } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'alert_source.deleted', targetType: 'alert_source', targetId: id, detail: { name: source.name, kind: source.kind, alerts: n }, requestId: by.requestId });
    await notifyAlerts(tx, [null, ...incidents.map((row) => row.incident_id)]);
  });
}

// ---- Responders' actions on alerts ------------------------------------------------------------

type LockedAlert = {
  id: string;
  group_id: string;
  status: 'firing' | 'acknowledged' | 'silenced' | 'resolved';
  title: string;
  incident_id: string | null;
  source_name: string;
  /** The page the alert's group caused, if it paged. */
  page_id: string | null;
};

/** Locks the alert's group, then the alert: the order ingestion and the dispatcher take them in. */
async function lockAlert(tx: Tx, id: string): Promise<LockedAlert> {
  const [found] = await tx.$queryRaw<{ group_id: string }[]>`SELECT group_id FROM alerts WHERE id = ${id}::uuid`;
  if (!found) throw new NotFoundError('That alert does not exist.');
  await tx.$queryRaw`SELECT id FROM alert_groups WHERE id = ${found.group_id}::uuid FOR UPDATE`;
  const [alert] = await tx.$queryRaw<LockedAlert[]>`
    SELECT a.id, a.group_id, a.status::text AS status, a.title, a.incident_id, s.name AS source_name, g.page_id
      FROM alerts a JOIN alert_sources s ON s.id = a.source_id JOIN alert_groups g ON g.id = a.group_id WHERE a.id = ${id}::uuid FOR UPDATE OF a`;
  if (!alert) throw new NotFoundError('That alert does not exist.');
  return alert;
}

async function oneAlert(tx: Tx, id: string, by: ChangedBy): Promise<AlertDto> {
  const [dto] = await loadAlertDtos(tx, [id], viewerOf(by));
  if (!dto) throw new NotFoundError('That alert does not exist.');
  return dto;
}

const actorName = (by: ChangedBy) => by.actor?.name ?? 'Sitrep';

export async function acknowledgeAlert(id: string, by: ChangedBy): Promise<AlertDto> {
  return db.$transaction(async (tx) => {
    const alert = await lockAlert(tx, id);
    if (alert.status === 'resolved') throw new ConflictError(`“${cut(alert.title, 120)}” has resolved already; there is nothing to acknowledge.`);
    if (alert.status === 'acknowledged') return oneAlert(tx, id, by);
    await tx.alert.update({ where: { id }, data: { status: 'acknowledged', acknowledgedAt: new Date(), acknowledgedById: by.actor?.id ?? null } });
    if (alert.incident_id) {
      await appendTimelineEvent(tx, alert.incident_id, {
        kind: 'alert',
        actorId: by.actor?.id ?? null,
        body: `${actorName(by)} acknowledged alert “${cut(alert.title, 200)}” (${alert.source_name}).`,
        data: { alertIds: [id], event: 'acknowledged' },
      });
    }
    // The page the alert caused stops escalating: whoever took the alert took the page.
    if (alert.page_id && by.actor) await acknowledgePageOfAlert(tx, alert.page_id, by.actor);
    await notifyAlerts(tx, [alert.incident_id]);
    return oneAlert(tx, id, by);
  });
}

/**
 * Resolves an alert by hand (its sender may still say it fires: its next notification is then a
 * new alert). On a linked incident the timeline says who resolved it, and when it was the last
 * one, that every alert has resolved.
 */
export async function resolveAlert(id: string, by: ChangedBy): Promise<AlertDto> {
  const result = await db.$transaction(async (tx) => {
    const alert = await lockAlert(tx, id);
    if (alert.status === 'resolved') return oneAlert(tx, id, by);
    const now = new Date();
    // dispatched_status too: the dispatcher has nothing left to say about this resolve.
    await tx.$executeRaw`UPDATE alerts SET status = 'resolved', resolved_at = ${now}, resolved_by_id = ${by.actor?.id ?? null}::uuid, ends_at = ${now},
                           dispatched_status = CASE WHEN dispatched_status IS NULL THEN NULL ELSE 'resolved'::"AlertStatus" END, updated_at = ${now}
                          WHERE id = ${id}::uuid`;
    const closed = await tx.$queryRaw<{ page_id: string | null }[]>`UPDATE alert_groups g SET closed_at = ${now} WHERE g.id = ${alert.group_id}::uuid AND g.closed_at IS NULL
                           AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.group_id = g.id AND a.resolved_at IS NULL) RETURNING g.page_id`;
    // The last alert of its group: the page it caused has nothing left to wake anyone for.
    const pageId = closed[0]?.page_id;
    if (pageId) await resolvePageOfClearedAlerts(tx, pageId, alert.source_name);
    if (alert.incident_id) {
      await appendTimelineEvent(tx, alert.incident_id, {
        kind: 'alert',
        actorId: by.actor?.id ?? null,
        body: `${actorName(by)} resolved alert “${cut(alert.title, 200)}” (${alert.source_name}).`,
        data: { alertIds: [id], event: 'resolved' },
      });
      await sayWhenAllResolved(tx, alert.incident_id);
    }
    await notifyAlerts(tx, [alert.incident_id]);
    return oneAlert(tx, id, by);
  });
  return result;
}

/** The line the command view's suggestion hangs on: every alert linked to the incident has resolved. */
export async function sayWhenAllResolved(tx: Tx, incidentId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ open: number; number: number; status: IncidentStatus }[]>`
    SELECT (SELECT count(*)::int FROM alerts WHERE incident_id = i.id AND resolved_at IS NULL) AS open, i.number, i.status::text AS status
      FROM incidents i WHERE i.id = ${incidentId}::uuid`;
  if (!row || row.open > 0 || (row.status !== 'investigating' && row.status !== 'identified')) return false;
  const key = incidentKey(row.number);
  await appendTimelineEvent(tx, incidentId, {
    kind: 'alert',
    actorId: null,
    body: `Every alert linked to ${key} has resolved. Consider moving ${key} to monitoring; Sitrep never resolves an incident by itself.`,
    data: { event: 'all_resolved', allAlertsResolved: true },
    pinned: true,
  });
  return true;
}

/** Links the alert's group (and its unresolved alerts not linked elsewhere) to an incident, on its timeline. */
async function linkGroup(tx: Tx, alert: LockedAlert, incident: { id: string; number: number; status: string }, by: ChangedBy, verb: string): Promise<void> {
  const afterResolution = !isOpen(incident.status as IncidentStatus);
  await tx.alertGroup.updateMany({ where: { id: alert.group_id, incidentId: null }, data: { incidentId: incident.id } });
  const linked = await tx.$queryRaw<{ id: string; title: string }[]>`
    UPDATE alerts SET incident_id = ${incident.id}::uuid, after_resolution = ${afterResolution}, updated_at = now()
     WHERE (id = ${alert.id}::uuid OR (group_id = ${alert.group_id}::uuid AND resolved_at IS NULL AND incident_id IS NULL))
       AND incident_id IS DISTINCT FROM ${incident.id}::uuid
    RETURNING id, title`;
  if (linked.length === 0) return;
  const others = linked.length - 1;
  await appendTimelineEvent(tx, incident.id, {
    kind: 'alert',
    actorId: by.actor?.id ?? null,
    body: `${actorName(by)} ${verb} alert “${cut(alert.title, 200)}” (${alert.source_name})${others > 0 ? ` and ${others} more of its group` : ''}.${afterResolution ? ` ${incidentKey(incident.number)} is ${incident.status}; it stays so.` : ''}`,
    data: { alertIds: linked.map((row) => row.id), event: 'linked' },
  });
}

/** POST /alerts/{id}/declare: an incident from the alert, prefilled from it, with its group linked and its runbook attached. */
export async function declareFromAlert(id: string, input: DeclareFromAlertInput, by: ChangedBy & { actor: Actor }): Promise<IncidentDto> {
  const choice = parseInput(declareFromAlertSchema, input);
  return db.$transaction(async (tx) => {
    const alert = await lockAlert(tx, id);
    if (alert.incident_id) {
      const linked = await tx.incident.findUniqueOrThrow({ where: { id: alert.incident_id }, select: { number: true } });
      throw new ConflictError(`This alert is already linked to ${incidentKey(linked.number)}; open it instead of declaring another.`);
    }
    const row = await tx.alert.findUniqueOrThrow({ where: { id }, select: { title: true, severityKey: true, service: true, startsAt: true, createdAt: true, annotations: true, runbookId: true } });
    const title = choice.title ?? (row.title.trim().length >= 3 ? cut(row.title.trim(), 200) : `Alert: ${row.title}`.slice(0, 200));
    const annotations = row.annotations as Record<string, string>;
    const startedAt = row.startsAt.getTime() <= Date.now() ? row.startsAt : null;
    const data = parseInput(declareIncidentSchema, {
      title,
      severity: choice.severity ?? row.severityKey,
      summary: cut(annotations.description ?? annotations.message ?? '', 10_000),
      services: row.service ? [row.service] : [],
      startedAt: startedAt?.toISOString(),
      detectedAt: (startedAt && row.createdAt < startedAt ? startedAt : row.createdAt).toISOString(),
    });
    const declared = await declareIncidentIn(tx, data, by, { declaredFrom: `from alert “${cut(row.title, 200)}” (${alert.source_name})` });
    await linkGroup(tx, alert, { ...declared, status: 'investigating' }, by, 'declared it from');
    if (row.runbookId) {
      const runbook = await tx.runbook.findUnique({ where: { id: row.runbookId }, select: { archivedAt: true } });
      if (runbook && !runbook.archivedAt) await attachRunbookIn(tx, { id: declared.id, acknowledgedAt: null }, row.runbookId, by, `for alert “${cut(row.title, 200)}”`);
    }
    await notifyAlerts(tx, [declared.id, null]);
    return loadIncidentDto(tx, declared.number);
  });
}

/** POST /incidents/{n}/alerts: links an alert (and its group's future alerts) to an incident. */
export async function linkAlertToIncident(number: number, alertId: string, by: ChangedBy): Promise<AlertDto> {
  return db.$transaction(async (tx) => {
    // The incident first: a private incident the caller may not see answers as one that does not
    // exist, whatever the alert (so its answer can't tell a hidden incident from a missing one).
    const incident = await requireVisibleIncident(tx, number, viewerOf(by), { id: true, number: true, status: true });
    const alert = await lockAlert(tx, alertId);
    if (alert.incident_id && alert.incident_id !== incident.id) {
      const other = await tx.incident.findFirst({ where: visibleWhere(viewerOf(by), { id: alert.incident_id }), select: { number: true } });
      throw new ConflictError(`This alert is linked to ${other ? incidentKey(other.number) : 'another incident'} already; an alert belongs to one incident.`);
    }
    if (alert.incident_id === incident.id) return oneAlert(tx, alertId, by);
    await linkGroup(tx, alert, incident, by, 'linked');
    await notifyAlerts(tx, [incident.id, null]);
    return oneAlert(tx, alertId, by);
  });
}

// ---- Silences ---------------------------------------------------------------------------------

/**
 * Locks the groups of these alerts in (source, group key) order, the order ingestion locks them
 * in, before their alerts are changed in bulk: concurrent payloads then wait instead of deadlocking.
 */
async function lockGroupsOf(tx: Tx, alertIds: string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT g.id FROM alert_groups g WHERE g.id IN (SELECT group_id FROM alerts WHERE id = ANY(${alertIds}::uuid[]))
     ORDER BY g.source_id, g.group_key, g.id FOR UPDATE OF g`;
}

/**
 * Creates a silence. Unresolved firing alerts it matches right now are marked silenced at once
 * (they have paged already if their route pages; nothing more follows from them).
 */
export async function createSilence(input: SilenceInput | z.output<typeof silenceInputSchema>, by: ChangedBy): Promise<SilenceDto> {
  // Already parsed by the route or action (times as Dates), or raw from a script.
  const data = input.endsAt instanceof Date ? (input as z.output<typeof silenceInputSchema>) : parseInput(silenceInputSchema, input);
  const now = new Date();
  const startsAt = data.startsAt ?? now;
  if (data.endsAt.getTime() <= now.getTime()) throw new ValidationError([{ path: 'endsAt', message: 'endsAt is in the past; a silence must end in the future' }]);
  if (!data.startsAt && data.endsAt.getTime() <= startsAt.getTime()) throw new ValidationError([{ path: 'endsAt', message: 'endsAt must be after startsAt' }]);
  const id = await withRetry(() => db.$transaction(async (tx) => {
    const silence = await tx.alertSilence.create({ data: { matchers: data.matchers, startsAt, endsAt: data.endsAt, comment: data.comment, createdById: by.actor?.id ?? null } });
    if (startsAt.getTime() <= now.getTime()) {
      const matchers = compileMatchers(data.matchers);
      const firing = await tx.alert.findMany({ where: { status: 'firing' }, select: { id: true, labels: true, incidentId: true } });
      const muted = firing.filter((alert) => matchesAll(matchers, alert.labels as Record<string, string>));
      if (muted.length) {
        await lockGroupsOf(tx, muted.map((alert) => alert.id));
        await tx.alert.updateMany({ where: { id: { in: muted.map((alert) => alert.id) }, status: 'firing' }, data: { status: 'silenced', silenceId: silence.id } });
        await notifyAlerts(tx, muted.map((alert) => alert.incidentId));
      }
    }
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'alert_silence.created', targetType: 'alert_silence', targetId: silence.id, detail: { matchers: data.matchers, startsAt: startsAt.toISOString(), endsAt: data.endsAt.toISOString(), comment: data.comment }, requestId: by.requestId });
    return silence.id;
  }));
  return toSilenceDto(await db.alertSilence.findUniqueOrThrow({ where: { id }, include: silenceInclude }));
}

/**
 * Alerts silenced by silences that ended (by time, or ended early) fire again: each goes back to
 * firing and its group is dispatched, so its route pages and declares as it would have.
 */
export async function releaseSilencedAlerts(tx: Tx, now = new Date()): Promise<number> {
  const candidates = await tx.$queryRaw<{ id: string }[]>`
    SELECT a.id FROM alerts a JOIN alert_silences s ON s.id = a.silence_id WHERE a.status = 'silenced' AND s.ends_at <= ${now}`;
  if (candidates.length === 0) return 0;
  await lockGroupsOf(tx, candidates.map((alert) => alert.id));
  const released = await tx.$queryRaw<{ id: string; group_id: string; incident_id: string | null }[]>`
    UPDATE alerts a SET status = 'firing', silence_id = NULL, updated_at = ${now}
      FROM alert_silences s
     WHERE a.id = ANY(${candidates.map((alert) => alert.id)}::uuid[]) AND a.silence_id = s.id AND a.status = 'silenced' AND s.ends_at <= ${now}
    RETURNING a.id, a.group_id, a.incident_id`;
  if (released.length === 0) return 0;
  const groups = [...new Set(released.map((alert) => alert.group_id))].sort();
  const created = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO alert_dispatches (group_id) SELECT unnest(${groups}::uuid[])
    ON CONFLICT (group_id) WHERE status = 'pending' AND attempt_count = 0 DO NOTHING RETURNING id`;
  for (const { id } of created) await enqueueDispatch(tx, { dispatchId: id, attempt: 1 });
  await notifyAlerts(tx, released.map((alert) => alert.incident_id));
  return released.length;
}

/** DELETE /silences/{id}: ends it now (kept for the record); its alerts fire again. */
export async function endSilence(id: string, by: ChangedBy): Promise<SilenceDto> {
  await withRetry(() => db.$transaction(async (tx) => {
    const [silence] = await tx.$queryRaw<{ starts_at: Date; ends_at: Date; ended_at: Date | null }[]>`SELECT starts_at, ends_at, ended_at FROM alert_silences WHERE id = ${id}::uuid FOR UPDATE`;
    if (!silence) throw new NotFoundError('That silence does not exist.');
    const now = new Date();
    if (silence.ends_at.getTime() <= now.getTime()) return; // over already
    // A silence that never started ends where it would have begun.
    const endsAt = silence.starts_at.getTime() > now.getTime() ? silence.starts_at : now;
    await tx.alertSilence.update({ where: { id }, data: { endsAt, endedAt: now, endedById: by.actor?.id ?? null } });
    await releaseSilencedAlerts(tx, now);
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'alert_silence.ended', targetType: 'alert_silence', targetId: id, detail: {}, requestId: by.requestId });
  }));
  return toSilenceDto(await db.alertSilence.findUniqueOrThrow({ where: { id }, include: silenceInclude }));
}

// Silences end by time with no request to notice it: each worker checks every half minute.
const RELEASE_EVERY_MS = 30_000;
let releaser: NodeJS.Timeout | null = null;

export function startSilenceExpiry(): void {
  if (releaser) return;
  releaser = setInterval(() => {
    withRetry(() => db.$transaction((tx) => releaseSilencedAlerts(tx)))
      .catch(() => undefined); // the next run tries again
  }, RELEASE_EVERY_MS);
  releaser.unref();
}

export function stopSilenceExpiry(): void {
  if (releaser) clearInterval(releaser);
  releaser = null;
}
