// THE DISPATCHER: what follows stored alerts, run from the queue (delivery.ts), one alert group
// at a time under its row lock, in one transaction that also records the attempt. So a group is
// routed once, declares at most one incident, and a job run twice after a crash does nothing twice.
//
// For the alerts of the group that changed since the last dispatch (status ≠ dispatched_status):
// - the group's first alert that is neither silenced nor resolved (the most severe, when several
//   arrive together) routes it (the source's routes, first match wins): Sitrep severity, service,
//   escalation policy, and whether to declare;
// - the route's escalation policy is paged once per group (on-call's triggerPage, in this
//   transaction), after the incident is declared so the page belongs to it;
// - the group's incident: one a previous firing of its alerts was linked to (a recurrence joins
//   the incident it belonged to), else a new one when the route declares (the alert's summary as
//   title, the mapped severity, its runbook attached as a checklist);
// - alerts that fired are linked to that incident. If the incident is already resolved it is
//   never reopened: the alert is linked and flagged (after_resolution) and the timeline says so;
// - the linked incidents' timelines get `alert` events for alerts that fired, fired again after
//   resolving, or resolved, and, when every alert linked to an incident has resolved, a line
//   suggesting to move it to monitoring (Sitrep never resolves an incident by itself);
// - once every alert of the group has resolved, the page it caused is resolved (by Sitrep) and its
//   waiting notifications cancelled: nobody is woken for what has cleared. An alert the sender
//   reports acknowledged (PagerDuty's `acknowledge` event) acknowledges the page; a person who
//   acknowledges an alert in Sitrep acknowledges it at once (alerts/service.ts).
// Silenced alerts are stored and shown but route nowhere and declare nothing.
import 'server-only';
import { explainRouting, compileRoutes, defaultSeverityMapping, type Route, type SeverityMapping } from '@/lib/alerts/routing';
import { linkRunbook } from '@/lib/alerts/runbook-link';
import { alertsChannel, type AlertsNotification } from '@/lib/alerts/live';
import { Prisma } from '@/lib/generated/prisma/client';
import { namePolicies } from '@/lib/alerts/policy-names';
import type { AlertStatus } from '@/lib/alerts/schema';
import { attachRunbookIn } from '@/lib/checklists/service';
import { isOpen } from '@/lib/incidents/lifecycle';
import { declareIncidentSchema, incidentKey } from '@/lib/incidents/schema';
import { declareIncidentIn } from '@/lib/incidents/service';
import { db, type Tx } from '@/lib/platform/db';
import { DomainError } from '@/lib/platform/errors';
import { acknowledgePageForSender, resolvePageOfClearedAlerts, triggerPage } from '@/lib/oncall/service';
import { canRecordAttempt, type Ledger } from '@/lib/platform/delivery/ledger';
import { enqueue } from '@/lib/platform/delivery/queue';
import { cut } from '@/lib/alerts/payloads/common';
import { appendTimelineEvent } from '@/lib/timeline/append';

export const DISPATCH_QUEUE = 'alert-dispatch';

export type DispatchJob = { dispatchId: string; attempt: number };

export const dispatchLedger: Ledger = { table: 'alert_dispatches', queue: DISPATCH_QUEUE, jobKey: 'dispatchId' };

/** Inserts the job for attempt `job.attempt` with the caller's transaction. */
export function enqueueDispatch(tx: Tx, job: DispatchJob, startAfter?: Date): Promise<void> {
  return enqueue(tx, DISPATCH_QUEUE, job, { singletonKey: `${job.dispatchId}:${job.attempt}`, startAfter });
}

type PendingAlert = {
  id: string;
  fingerprint: string;
  status: AlertStatus;
  dispatched_status: AlertStatus | null;
  title: string;
  severity_key: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  sender_severity: string | null;
  service: string | null;
  starts_at: Date;
  created_at: Date;
  resolved_at: Date | null;
  incident_id: string | null;
  runbook_id: string | null;
  previous_id: string | null;
  previous_incident_id: string | null;
  fired_this_week: number;
};

type IncidentRef = { id: string; number: number; status: string; acknowledgedAt: Date | null };

const MAX_NAMED = 5;

/** SEV1 → 1; anything unreadable sorts last. */
const severityLevel = (key: string) => Number(/^SEV(\d+)$/.exec(key)?.[1] ?? 99);

/** “Disk full”, or “Disk full”, “CPU hot” and 3 more. */
function nameAlerts(alerts: { title: string }[]): string {
  const names = alerts.slice(0, MAX_NAMED).map((alert) => `“${cut(alert.title, 120)}”`);
  const more = alerts.length - names.length;
  if (more > 0) return `${names.join(', ')} and ${more} more`;
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function duration(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 6) / 10;
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/** What dispatchGroup reads of the group, as json_build_object gives it (times as ISO strings). */
type GroupRow = {
  routedAt: string | null;
  pageId: string | null;
  closedAt: string | null;
  source: { name: string; routes: unknown; severityMapping: unknown };
  incident: { id: string; number: number; status: string; acknowledgedAt: string | null } | null;
};

/** A pending alert as json_agg gives it: its times as ISO strings. */
type PendingJson = Omit<PendingAlert, 'starts_at' | 'created_at' | 'resolved_at'> & { starts_at: string; created_at: string; resolved_at: string | null };

const toDate = (at: string | null): Date | null => (at === null ? null : new Date(at));

function fromJson(alert: PendingJson): PendingAlert {
  return { ...alert, starts_at: new Date(alert.starts_at), created_at: new Date(alert.created_at), resolved_at: toDate(alert.resolved_at) };
}

/** The routing written on the group by one dispatch (columns of alert_groups). */
type GroupChanges = {
  routedAt?: Date;
  routeIndex?: number | null;
  routeReason?: string;
  policyId?: string | null;
  severityKey?: string;
  service?: string | null;
  declare?: boolean;
  dispatchError?: string;
  incidentId?: string;
  pageId?: string;
};

/** `changes` as the SET list of an UPDATE of alert_groups; null when there are none. */
function groupChanges(changes: GroupChanges): Prisma.Sql | null {
  const set: Prisma.Sql[] = [];
  if ('routedAt' in changes) set.push(Prisma.sql`routed_at = ${changes.routedAt}::timestamptz`);
  if ('routeIndex' in changes) set.push(Prisma.sql`route_index = ${changes.routeIndex}::int`);
  if ('routeReason' in changes) set.push(Prisma.sql`route_reason = ${changes.routeReason}`);
  if ('policyId' in changes) set.push(Prisma.sql`policy_id = ${changes.policyId}::uuid`);
  if ('severityKey' in changes) set.push(Prisma.sql`severity_key = ${changes.severityKey}`);
  if ('service' in changes) set.push(Prisma.sql`service = ${changes.service}`);
  if ('declare' in changes) set.push(Prisma.sql`"declare" = ${changes.declare}::boolean`);
  if ('dispatchError' in changes) set.push(Prisma.sql`dispatch_error = ${changes.dispatchError}`);
  if ('incidentId' in changes) set.push(Prisma.sql`incident_id = ${changes.incidentId}::uuid`);
  if ('pageId' in changes) set.push(Prisma.sql`page_id = ${changes.pageId}::uuid`);
  return set.length ? Prisma.join(set, ', ') : null;
}

/**
 * Routes one alert group: run by the dispatch job `dispatchId`, attempt `attempt`. Returns false
 * when that attempt was already recorded (its job ran again after a crash) and nothing was done.
 */
export async function dispatchGroup(dispatchId: string, attempt: number): Promise<boolean> {
  const done = await db.$transaction(async (tx) => {
    // The ledger row and the group, locked in that order (as lockForAttempt and then the group
    // lock did) in one statement: the fewer round trips this transaction makes, the shorter it
    // holds the group, which every alert of the group that arrives meanwhile waits for.
    const [ledger] = await tx.$queryRaw<{ attempt_count: number; status: string; group_id: string }[]>`
      SELECT d.attempt_count, d.status::text AS status, d.group_id
        FROM alert_dispatches d JOIN alert_groups g ON g.id = d.group_id
       WHERE d.id = ${dispatchId}::uuid
         FOR UPDATE OF d, g`;
    if (!ledger || !canRecordAttempt(ledger, attempt)) return false;
    const groupId = ledger.group_id;
    // Read after the locks are held, in a statement (and so a snapshot) of its own: what a
    // dispatch of this group that committed while this one waited (its incident, its page) is
    // seen. The group with its source and incident, and the alerts that changed since the last
    // dispatch, locked, oldest first.
    const [read] = await tx.$queryRaw<{ group: GroupRow; pending: PendingJson[] | null }[]>`
      WITH pending AS (
        SELECT a.id, a.fingerprint, a.status::text AS status, a.dispatched_status::text AS dispatched_status, a.title, a.severity_key, a.labels, a.annotations,
               a.sender_severity, a.service, a.starts_at, a.created_at, a.resolved_at, a.incident_id, a.runbook_id, a.previous_id,
               p.incident_id AS previous_incident_id,
               (SELECT count(*)::int FROM alerts w WHERE w.source_id = a.source_id AND w.fingerprint = a.fingerprint AND w.created_at > now() - interval '7 days') AS fired_this_week
          FROM alerts a LEFT JOIN alerts p ON p.id = a.previous_id
         WHERE a.group_id = ${groupId}::uuid AND a.status IS DISTINCT FROM a.dispatched_status
         ORDER BY a.created_at, a.id
           FOR UPDATE OF a)
      SELECT (SELECT json_build_object(
                'routedAt', g.routed_at, 'pageId', g.page_id, 'closedAt', g.closed_at,
                'source', json_build_object('name', s.name, 'routes', s.routes, 'severityMapping', s.severity_mapping),
                'incident', CASE WHEN i.id IS NULL THEN NULL ELSE json_build_object('id', i.id, 'number', i.number, 'status', i.status, 'acknowledgedAt', i.acknowledged_at) END)
                FROM alert_groups g JOIN alert_sources s ON s.id = g.source_id LEFT JOIN incidents i ON i.id = g.incident_id
               WHERE g.id = ${groupId}::uuid) AS "group",
             (SELECT json_agg(pending ORDER BY pending.created_at, pending.id) FROM pending) AS pending`;
    const group = read!.group;
    const pending = (read!.pending ?? []).map(fromJson);
    const now = new Date();
    let incident: IncidentRef | null = group.incident ? { ...group.incident, acknowledgedAt: toDate(group.incident.acknowledgedAt) } : null;
    const groupUpdate: GroupChanges = {};

    // Alerts that (newly) fire and call for someone: not silenced, not resolved, not yet announced
    // as firing. The most severe first: it routes the group (alerts of one batch arrive together).
    const fired = pending
      .filter((alert) => (alert.status === 'firing' || alert.status === 'acknowledged') && (alert.dispatched_status === null || alert.dispatched_status === 'silenced'))
      .sort((a, b) => severityLevel(a.severity_key) - severityLevel(b.severity_key) || a.created_at.getTime() - b.created_at.getTime() || (a.fingerprint < b.fingerprint ? -1 : 1));

    if (fired.length > 0 && !group.routedAt) {
      const first = fired[0]!;
      const routes = compileRoutes(group.source.routes as Route[]);
      const mapping = (group.source.severityMapping as SeverityMapping | null) ?? defaultSeverityMapping;
      const explained = explainRouting({ labels: first.labels, severity: first.sender_severity, service: first.service }, routes, mapping);
      const { decision } = explained;
      const policy = decision.policyId ? await tx.escalationPolicy.findUnique({ where: { id: decision.policyId }, select: { id: true, name: true } }) : null;
      const summary = policy ? namePolicies(explained.summary, [policy]) : explained.summary;
      Object.assign(groupUpdate, {
        routedAt: now,
        routeIndex: decision.routeIndex,
        routeReason: summary,
        policyId: decision.policyId,
        severityKey: decision.severity,
        service: decision.service,
        declare: decision.declare,
      });

      // A recurrence joins the incident its previous firing was linked to.
      const inherited = fired.map((alert) => alert.previous_incident_id).find((id): id is string => id !== null) ?? null;
      if (!incident && inherited) {
        incident = await tx.incident.findUnique({ where: { id: inherited }, select: { id: true, number: true, status: true, acknowledgedAt: true } });
      }
      if (!incident && decision.declare) {
        const declared = await declareFromGroup(tx, first, decision, group.source.name);
        if ('error' in declared) groupUpdate.dispatchError = declared.error;
        else incident = declared.incident;
      }
      if (incident) groupUpdate.incidentId = incident.id;
      // The group pages once: the route's escalation policy, in this transaction, so a crash
      // either pages and records the page on the group or does neither (a rerun pages again
      // only if nothing committed). Declared first, so the page is on the incident's timeline
      // and whoever acknowledges it joins the incident.
      if (decision.policyId && !group.pageId) {
        const paged = await pageForGroup(tx, first, fired.length, decision, summary, group.source.name, incident);
        if ('error' in paged) groupUpdate.dispatchError = [groupUpdate.dispatchError, paged.error].filter(Boolean).join(' ');
        else groupUpdate.pageId = paged.pageId;
      }
    }

    // Link what fired to the group's incident, flagging alerts whose incident is already resolved.
    const linked: (PendingAlert & { afterResolution: boolean })[] = [];
    if (incident) {
      const afterResolution = !isOpen(incident.status as Parameters<typeof isOpen>[0]);
      const toLink = fired.filter((alert) => alert.incident_id === null);
      if (toLink.length) {
        await tx.alert.updateMany({ where: { id: { in: toLink.map((alert) => alert.id) } }, data: { incidentId: incident.id, afterResolution } });
        for (const alert of toLink) {
          alert.incident_id = incident.id;
          linked.push({ ...alert, afterResolution });
        }
      }
    }

    // Timeline events, per incident: what fired (first time, again, after resolution) and what resolved.
    const byIncident = new Map<string, { fired: PendingAlert[]; again: PendingAlert[]; afterResolution: PendingAlert[]; resolved: PendingAlert[] }>();
    const entry = (id: string) => {
      let found = byIncident.get(id);
      if (!found) byIncident.set(id, (found = { fired: [], again: [], afterResolution: [], resolved: [] }));
      return found;
    };
    for (const alert of fired) {
      if (!alert.incident_id) continue;
      const bucket = entry(alert.incident_id);
      if (linked.some((l) => l.id === alert.id && l.afterResolution)) bucket.afterResolution.push(alert);
      else if (alert.previous_id !== null) bucket.again.push(alert);
      else bucket.fired.push(alert);
    }
    for (const alert of pending) {
      if (alert.status === 'resolved' && alert.dispatched_status !== null && alert.dispatched_status !== 'resolved' && alert.incident_id) entry(alert.incident_id).resolved.push(alert);
    }
    for (const [incidentId, events] of byIncident) {
      const target = incidentId === incident?.id ? incident : await tx.incident.findUnique({ where: { id: incidentId }, select: { id: true, number: true, status: true, acknowledgedAt: true } });
      if (!target) continue;
      await announce(tx, target, events, group.source.name, now);
    }

    // Every alert of the group has resolved: the page it caused has nobody left to wake. An alert
    // the sender reports acknowledged takes the page with it, as a person's acknowledgement does.
    if (group.closedAt && group.pageId) await resolvePageOfClearedAlerts(tx, group.pageId, group.source.name);
    else if (group.pageId && pending.some((alert) => alert.status === 'acknowledged' && alert.dispatched_status !== 'acknowledged')) {
      await acknowledgePageForSender(tx, group.pageId, group.source.name);
    }

    // The alerts marked dispatched, the group's routing, the attempt recorded and /alerts told: one
    // statement (data-modifying CTEs always run, referenced or not).
    const notifications = [...new Set([incident?.id ?? null, ...byIncident.keys()])].map((incidentId) => JSON.stringify({ incidentId } satisfies AlertsNotification));
    const changes = groupChanges(groupUpdate);
    await tx.$queryRaw`
      WITH marked AS (UPDATE alerts SET dispatched_status = status WHERE id = ANY(${pending.map((alert) => alert.id)}::uuid[]) RETURNING 1),
           ${changes ? Prisma.sql`grouped AS (UPDATE alert_groups SET ${changes} WHERE id = ${groupId}::uuid RETURNING 1),` : Prisma.empty}
           recorded AS (UPDATE alert_dispatches SET status = 'succeeded', attempt_count = ${attempt}, completed_at = ${now}, error = NULL WHERE id = ${dispatchId}::uuid RETURNING 1)
      SELECT count(pg_notify(${alertsChannel.name}, n)) AS notified FROM unnest(${notifications}::text[]) n`;
    return true;
  });
  return done;
}

type Decision = ReturnType<typeof explainRouting>['decision'];

/** Declares the group's incident, or says why it can't (shown on the group; paging goes on regardless). */
async function declareFromGroup(tx: Tx, alert: PendingAlert, decision: Decision, sourceName: string): Promise<{ incident: IncidentRef } | { error: string }> {
  const route = `route ${(decision.routeIndex ?? 0) + 1}`;
  const severity = await tx.severity.findUnique({ where: { key: decision.severity }, select: { key: true } });
  if (!severity) {
    const known = (await tx.severity.findMany({ orderBy: { level: 'asc' }, select: { key: true } })).map((s) => s.key);
    return { error: `Not declared: ${route} of “${sourceName}” gives severity ${decision.severity}, which does not exist (${known.join(', ')}); fix the route or the severity mapping.` };
  }
  const title = alert.title.trim().length >= 3 ? cut(alert.title.trim(), 200) : `Alert: ${alert.title.trim() || alert.fingerprint}`.slice(0, 200);
  const description = alert.annotations.description ?? alert.annotations.message ?? '';
  const startedAt = alert.starts_at.getTime() <= Date.now() ? alert.starts_at : null;
  const input = declareIncidentSchema.safeParse({
    title,
    severity: severity.key,
    summary: cut(description, 10_000),
    services: decision.service ? [decision.service] : [],
    startedAt: startedAt?.toISOString(),
    detectedAt: (startedAt && alert.created_at < startedAt ? startedAt : alert.created_at).toISOString(),
  });
  if (!input.success) return { error: `Not declared: ${input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` };
  const declared = await declareIncidentIn(tx, input.data, { actor: null }, { declaredFrom: `from alert “${cut(alert.title, 200)}” (${sourceName}, ${route})` });
  const incident: IncidentRef = { id: declared.id, number: declared.number, status: 'investigating', acknowledgedAt: null };
  // The runbook the alert names (or is named after): attached as a checklist, as it is now.
  const runbookId = alert.runbook_id ?? linkRunbook(alert, await currentRunbooks(tx)).runbook?.id ?? null;
  if (runbookId) {
    const runbook = await tx.runbook.findUnique({ where: { id: runbookId }, select: { archivedAt: true } });
    if (runbook && !runbook.archivedAt) await attachRunbookIn(tx, incident, runbookId, { actor: null }, `for alert “${cut(alert.title, 200)}”`);
  }
  return { incident };
}

/**
 * Pages the route's escalation policy for the group (on-call's triggerPage, in the dispatcher's
 * transaction), or says why it can't (the policy was deleted since the route was saved): shown on
 * the group, and the rest of the routing goes on.
 */
async function pageForGroup(
  tx: Tx,
  alert: PendingAlert,
  firing: number,
  decision: Decision,
  reason: string,
  sourceName: string,
  incident: IncidentRef | null,
): Promise<{ pageId: string } | { error: string }> {
  const title = alert.title.trim().length >= 3 ? cut(alert.title.trim(), 200) : `Alert: ${alert.title.trim() || alert.fingerprint}`.slice(0, 200);
  const labels = Object.entries(alert.labels)
    .slice(0, 12)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const details = [
    `${firing === 1 ? 'Alert' : `${firing} alerts`} from ${sourceName}, ${alert.severity_key}${decision.service ? `, service ${decision.service}` : ''}.`,
    alert.annotations.description ?? alert.annotations.message ?? '',
    labels ? `Labels: ${labels}` : '',
    `Routing: ${reason}`,
  ]
    .filter(Boolean)
    .join('\n');
  try {
    const page = await triggerPage(
      { title, details: cut(details, 4_000), target: { policy: decision.policyId! }, ...(incident ? { incidentNumber: incident.number } : {}) },
      { actor: null, source: sourceName },
      tx,
    );
    return { pageId: page.id };
  } catch (error) {
    // Only refusals that happen before anything is written (the policy is gone); a database
    // error aborts the transaction and the dispatch is retried.
    if (error instanceof DomainError) return { error: `Not paged: route ${(decision.routeIndex ?? 0) + 1} of “${sourceName}” names an escalation policy that can no longer be paged (${error.message}); pick another one in Settings → Alert sources.` };
    throw error;
  }
}

async function currentRunbooks(tx: Tx) {
  const rows = await tx.runbook.findMany({ where: { archivedAt: null }, orderBy: { updatedAt: 'desc' }, take: 5_000, select: { id: true, title: true, tags: true } });
  return rows.map((row) => ({ ...row, sourceUrl: null }));
}

/** The `alert` timeline events of one incident for one dispatch. */
async function announce(
  tx: Tx,
  incident: IncidentRef,
  events: { fired: PendingAlert[]; again: PendingAlert[]; afterResolution: PendingAlert[]; resolved: PendingAlert[] },
  sourceName: string,
  now: Date,
): Promise<void> {
  const key = incidentKey(incident.number);
  const data = (alerts: PendingAlert[], extra: Record<string, unknown>) => ({ alertIds: alerts.map((alert) => alert.id), source: sourceName, ...extra });
  if (events.fired.length) {
    const verb = events.fired.length === 1 ? 'fired' : `fired (${events.fired.length} alerts)`;
    await appendTimelineEvent(tx, incident.id, { kind: 'alert', actorId: null, body: `Alert ${nameAlerts(events.fired)} ${verb} (${sourceName}).`, data: data(events.fired, { event: 'fired' }) });
  }
  for (const alert of events.again) {
    const times = alert.fired_this_week > 1 ? `, the ${ordinal(alert.fired_this_week)} time this week` : '';
    await appendTimelineEvent(tx, incident.id, { kind: 'alert', actorId: null, body: `Alert “${cut(alert.title, 200)}” fired again after resolving${times} (${sourceName}).`, data: data([alert], { event: 'fired_again', firedThisWeek: alert.fired_this_week }) });
  }
  if (events.afterResolution.length) {
    await appendTimelineEvent(tx, incident.id, {
      kind: 'alert',
      actorId: null,
      body: `Alert ${nameAlerts(events.afterResolution)} fired again after ${key} was ${incident.status}. It is linked here and flagged; Sitrep does not reopen incidents, so reopen ${key} if the problem is back.`,
      data: data(events.afterResolution, { event: 'fired_after_resolution' }),
      pinned: true,
    });
  }
  if (events.resolved.length) {
    const body =
      events.resolved.length === 1
        ? `Alert “${cut(events.resolved[0]!.title, 200)}” resolved after ${duration(events.resolved[0]!.starts_at, events.resolved[0]!.resolved_at ?? now)} (${sourceName}).`
        : `${events.resolved.length} alerts resolved: ${nameAlerts(events.resolved)} (${sourceName}).`;
    await appendTimelineEvent(tx, incident.id, { kind: 'alert', actorId: null, body, data: data(events.resolved, { event: 'resolved' }) });
    const [open] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM alerts WHERE incident_id = ${incident.id}::uuid AND resolved_at IS NULL`;
    if (open!.n === 0 && (incident.status === 'investigating' || incident.status === 'identified')) {
      await appendTimelineEvent(tx, incident.id, {
        kind: 'alert',
        actorId: null,
        body: `Every alert linked to ${key} has resolved. Consider moving ${key} to monitoring; Sitrep never resolves an incident by itself.`,
        data: { event: 'all_resolved', allAlertsResolved: true },
        pinned: true,
      });
    }
  }
}
