// Reads of alerts, alert sources and silences, shaped for the API and the screens.
import 'server-only';
import { db } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import { loadAlertDtos, silenceInclude, sourceStats, toSilenceDto, toSourceDto } from '@/lib/alerts/dto';
import type { AlertDto, AlertListQuery, AlertSourceDto, AlertStatus, SilenceDto } from '@/lib/alerts/schema';
import type { Prisma } from '@/lib/generated/prisma/client';
import { groupAlerts, type AlertGroupView } from '@/lib/alerts/board';
import { activeSilences, runbookCandidates } from '@/lib/alerts/ingest';
import { parseAlertPayload } from '@/lib/alerts/payloads/parse';
import { compileRoutes, defaultSeverityMapping, explainRouting, type Route, type SeverityMapping } from '@/lib/alerts/routing';
import { linkRunbook } from '@/lib/alerts/runbook-link';
import { silencedBy } from '@/lib/alerts/silences';
import { namePolicies } from '@/lib/alerts/policy-names';
import { findVisibleIncident, type Viewer } from '@/lib/incidents/visibility';

// ---- Alerts -----------------------------------------------------------------------------------

export type AlertFilter = Partial<Omit<AlertListQuery, 'limit' | 'cursor'>> & { limit: number; cursor?: string; incidentId?: string };

/** Cursor: the last row's (created_at, id), newest first; opaque to clients. */
function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) return null;
  return { createdAt, id };
}

function alertWhere(filter: AlertFilter): Prisma.AlertWhereInput {
  const and: Prisma.AlertWhereInput[] = [];
  if (filter.status === 'open') and.push({ resolvedAt: null });
  else if (filter.status) and.push({ status: filter.status as AlertStatus });
  if (filter.sourceId) and.push({ sourceId: filter.sourceId });
  if (filter.service) and.push({ service: filter.service });
  if (filter.incidentId) and.push({ incidentId: filter.incidentId });
  if (filter.label) and.push({ labels: { path: [filter.label.name], equals: filter.label.value } });
  return and.length ? { AND: and } : {};
}

/**
 * Alerts newest first (by first seen). `q` searches the title, label values and annotations
 * (case-insensitive), through SQL since Prisma cannot search inside JSON text.
 */
export async function listAlerts(filter: AlertFilter, viewer: Viewer): Promise<{ items: AlertDto[]; nextCursor: string | null }> {
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : null;
  if (filter.cursor && !cursor) return { items: [], nextCursor: null };
  let incidentId = filter.incidentId;
  if (filter.incident !== undefined) {
    const incident = await findVisibleIncident(db, filter.incident, viewer, { id: true });
    if (!incident) return { items: [], nextCursor: null };
    incidentId = incident.id;
  }
  const where: Prisma.AlertWhereInput = { AND: [alertWhere({ ...filter, incidentId })] };
  if (cursor) (where.AND as Prisma.AlertWhereInput[]).push({ OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] });
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matching = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM alerts WHERE title ILIKE ${pattern} OR labels::text ILIKE ${pattern} OR annotations::text ILIKE ${pattern}
       ORDER BY created_at DESC LIMIT 5000`;
    (where.AND as Prisma.AlertWhereInput[]).push({ id: { in: matching.map((row) => row.id) } });
  }
  const rows = await db.alert.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: filter.limit + 1, select: { id: true, createdAt: true } });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: await loadAlertDtos(db, page.map((row) => row.id), viewer),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

export async function getAlert(id: string, viewer: Viewer): Promise<AlertDto> {
  const [alert] = await loadAlertDtos(db, [id], viewer);
  if (!alert) throw new NotFoundError('That alert does not exist.');
  return alert;
}

/** The short form an Incident carries: `alerts: [{id, status, title}]`, oldest first. */
export async function incidentAlertsBrief(incidentIds: string[]): Promise<Map<string, { id: string; status: AlertStatus; title: string }[]>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await db.alert.findMany({ where: { incidentId: { in: incidentIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, status: true, title: true, incidentId: true } });
  const byIncident = new Map<string, { id: string; status: AlertStatus; title: string }[]>();
  for (const row of rows) {
    const list = byIncident.get(row.incidentId!) ?? [];
    list.push({ id: row.id, status: row.status as AlertStatus, title: row.title });
    byIncident.set(row.incidentId!, list);
  }
  return byIncident;
}

export type IncidentAlerts = { alerts: AlertDto[]; unresolved: number; allResolved: boolean };

/** The command view's alerts card: every alert linked to the incident, unresolved first. */
export async function listIncidentAlerts(incidentId: string, viewer: Viewer): Promise<IncidentAlerts> {
  const rows = await db.alert.findMany({ where: { incidentId }, orderBy: [{ resolvedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }], take: 200, select: { id: true } });
  const alerts = await loadAlertDtos(db, rows.map((row) => row.id), viewer);
  const unresolved = await db.alert.count({ where: { incidentId, resolvedAt: null } });
  return { alerts, unresolved, allResolved: alerts.length > 0 && unresolved === 0 };
}

/** /alerts: the filtered alerts, arranged in their groups (most urgent group first). */
export async function listAlertGroups(filter: AlertFilter, viewer: Viewer): Promise<{ groups: AlertGroupView[]; items: AlertDto[]; nextCursor: string | null }> {
  const { items, nextCursor } = await listAlerts(filter, viewer);
  return { groups: groupAlerts(items), items, nextCursor };
}

/** Counts by status of unresolved alerts, and the newest firing ones: the dashboard's card. */
export async function firingAlertsSummary(viewer: Viewer, take = 8): Promise<{ counts: Record<'firing' | 'acknowledged' | 'silenced', number>; firing: AlertDto[] }> {
  const [counts, newest] = await Promise.all([
    db.alert.groupBy({ by: ['status'], where: { resolvedAt: null }, _count: { _all: true } }),
    db.alert.findMany({ where: { status: 'firing' }, orderBy: [{ lastSeenAt: 'desc' }], take, select: { id: true } }),
  ]);
  const byStatus = { firing: 0, acknowledged: 0, silenced: 0 };
  for (const row of counts) if (row.status !== 'resolved') byStatus[row.status] = row._count._all;
  return { counts: byStatus, firing: await loadAlertDtos(db, newest.map((row) => row.id), viewer) };
}

/** Label names seen on unresolved alerts, and services: the /alerts filter's suggestions. */
export async function alertFilterOptions(): Promise<{ services: string[]; labels: string[] }> {
  const [services, labels] = await Promise.all([
    db.$queryRaw<{ service: string }[]>`SELECT DISTINCT service FROM alerts WHERE service IS NOT NULL AND created_at > now() - interval '30 days' ORDER BY 1 LIMIT 200`,
    db.$queryRaw<{ label: string }[]>`SELECT DISTINCT jsonb_object_keys(labels) AS label FROM (SELECT labels FROM alerts ORDER BY created_at DESC LIMIT 2000) recent ORDER BY 1 LIMIT 200`,
  ]);
  return { services: services.map((row) => row.service), labels: labels.map((row) => row.label) };
}

// ---- Sources ----------------------------------------------------------------------------------

export async function listSources(): Promise<AlertSourceDto[]> {
  const sources = await db.alertSource.findMany({ orderBy: { name: 'asc' } });
  const stats = await sourceStats(db, sources.map((source) => source.id));
  return sources.map((source) => toSourceDto(source, stats.get(source.id)));
}

export async function getSource(id: string): Promise<AlertSourceDto> {
  const source = await db.alertSource.findUnique({ where: { id } });
  if (!source) throw new NotFoundError('That alert source does not exist.');
  return toSourceDto(source, (await sourceStats(db, [id])).get(id));
}

// ---- Silences ---------------------------------------------------------------------------------

/** Active and upcoming silences first, then those that ended in the last 7 days. */
export async function listSilences(now = new Date()): Promise<SilenceDto[]> {
  const rows = await db.alertSilence.findMany({
    where: { endsAt: { gt: new Date(now.getTime() - 7 * 86_400_000) } },
    orderBy: [{ endsAt: 'desc' }],
    take: 500,
    include: silenceInclude,
  });
  const dtos = rows.map((row) => toSilenceDto(row, now));
  const order = { active: 0, pending: 1, expired: 2 } as const;
  return dtos.sort((a, b) => order[a.state] - order[b.state]);
}

export async function getSilence(id: string): Promise<SilenceDto> {
  const row = await db.alertSilence.findUnique({ where: { id }, include: silenceInclude });
  if (!row) throw new NotFoundError('That silence does not exist.');
  return toSilenceDto(row);
}

// ---- Test route -------------------------------------------------------------------------------

export type RouteTest = {
  alerts: {
    index: number;
    fingerprint: string;
    title: string | null;
    status: string;
    labels: Record<string, string>;
    silencedBy: { id: string; comment: string } | null;
    runbook: { id: string; title: string } | null;
    runbookReason: string;
    routing: ReturnType<typeof explainRouting>;
  }[];
  rejected: { index: number; errors: { path: string; message: string }[] }[];
};

/**
 * What the source would do with a pasted payload, without storing anything: for each alert, the
 * route it takes and why (route by route), the silence that would mute it, its runbook. Routes
 * may be given to try unsaved ones. Throws a ValidationError naming every field when the payload
 * can't be read.
 */
export async function testRoute(sourceId: string, payload: unknown, routes?: Route[]): Promise<RouteTest> {
  const source = await db.alertSource.findUnique({ where: { id: sourceId }, select: { kind: true, routes: true, severityMapping: true } });
  if (!source) throw new NotFoundError('That alert source does not exist.');
  const now = new Date();
  const batch = parseAlertPayload(source.kind, payload, { receivedAt: now, newDedupKey: () => '(generated when stored)' });
  const compiled = compileRoutes(routes ?? (source.routes as Route[]));
  const mapping = (source.severityMapping as SeverityMapping | null) ?? defaultSeverityMapping;
  const [silences, runbooks, policies] = await Promise.all([activeSilences(now), runbookCandidates(), db.escalationPolicy.findMany({ select: { id: true, name: true } })]);
  return {
    alerts: batch.alerts.map((alert) => {
      const routing = explainRouting(alert, compiled, mapping);
      const silence = silencedBy(alert, silences, now);
      const link = linkRunbook(alert, runbooks);
      return {
        index: alert.index,
        fingerprint: alert.fingerprint,
        title: alert.title,
        status: alert.status,
        labels: alert.labels,
        silencedBy: silence ? { id: silence.id, comment: silences.find((s) => s.id === silence.id)?.comment ?? '' } : null,
        runbook: link.runbook ? { id: link.runbook.id, title: link.runbook.title } : null,
        runbookReason: link.reason,
        routing: { ...routing, summary: namePolicies(routing.summary, policies) },
      };
    }),
    rejected: batch.rejected,
  };
}

/** Sources by name, for filters (everyone may filter by source; only admins see their settings). */
export async function listSourceNames(): Promise<{ id: string; name: string; kind: string }[]> {
  return db.alertSource.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, kind: true } });
}
