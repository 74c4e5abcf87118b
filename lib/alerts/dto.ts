// Rows to the shapes of lib/alerts/schema.ts. Reads only; used by queries.ts and the services'
// answers.
import 'server-only';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { Db, Tx } from '@/lib/platform/db';
import { publicUrl } from '@/lib/platform/urls';
import { defaultSeverityMapping, type Route, type SeverityMapping } from '@/lib/alerts/routing';
import { silenceState } from '@/lib/alerts/silences';
import type { AlertDto, AlertSourceDto, AlertStatus, SilenceDto } from '@/lib/alerts/schema';
import { incidentKey } from '@/lib/incidents/schema';
import { visibleWhere, type Viewer } from '@/lib/incidents/visibility';

const person = { select: { email: true, name: true } } as const;

export const alertInclude = {
  source: { select: { id: true, name: true, kind: true } },
  group: { select: { groupKey: true, pageId: true, page: { select: { id: true, status: true } }, routedAt: true, routeIndex: true, routeReason: true, policyId: true, declare: true, dispatchError: true } },
  incident: { select: { id: true, number: true, private: true } },
  runbook: { select: { id: true, title: true } },
  silence: { select: { id: true, comment: true, endsAt: true } },
  acknowledgedBy: person,
  resolvedBy: person,
} satisfies Prisma.AlertInclude;

export type AlertRow = Prisma.AlertGetPayload<{ include: typeof alertInclude }>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toAlertDto(alert: AlertRow, firedThisWeek: number): AlertDto {
  const { group } = alert;
  return {
    id: alert.id,
    sourceId: alert.sourceId,
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status as AlertStatus,
    title: alert.title,
    severity: alert.severityKey,
    senderSeverity: alert.senderSeverity,
    service: alert.service,
    labels: alert.labels as Record<string, string>,
    annotations: alert.annotations as Record<string, string>,
    links: alert.links as { href: string; text: string }[],
    startsAt: alert.startsAt.toISOString(),
    endsAt: iso(alert.endsAt),
    firstSeenAt: alert.createdAt.toISOString(),
    lastSeenAt: alert.lastSeenAt.toISOString(),
    count: alert.count,
    groupKey: group.groupKey,
    groupId: alert.groupId,
    incident: alert.incident ? { number: alert.incident.number, key: incidentKey(alert.incident.number) } : null,
    afterResolution: alert.afterResolution,
    // The page its group caused (on-call): /pages/… shows who was notified and who acknowledged.
    page: group.page ? { id: group.page.id, status: group.page.status } : null,
    runbook: alert.runbook,
    runbookUrl: alert.runbookUrl,
    silence: alert.silence ? { id: alert.silence.id, comment: alert.silence.comment, endsAt: alert.silence.endsAt.toISOString() } : null,
    previousId: alert.previousId,
    firedThisWeek: Math.max(1, firedThisWeek),
    acknowledgedAt: iso(alert.acknowledgedAt),
    acknowledgedBy: alert.acknowledgedBy,
    resolvedAt: iso(alert.resolvedAt),
    resolvedBy: alert.resolvedBy,
    routing: group.routedAt || group.dispatchError
      ? { routeIndex: group.routeIndex, reason: group.routeReason, policyId: group.policyId, declare: group.declare, error: group.dispatchError }
      : null,
  };
}

/** How many alerts of each identity started in the last 7 days, in one query. */
export async function firedThisWeek(client: Db | Tx, alerts: { sourceId: string; fingerprint: string }[]): Promise<Map<string, number>> {
  if (alerts.length === 0) return new Map();
  const rows = await client.$queryRaw<{ source_id: string; fingerprint: string; n: number }[]>`
    SELECT a.source_id, a.fingerprint, count(*)::int AS n FROM alerts a
      JOIN unnest(${alerts.map((a) => a.sourceId)}::uuid[], ${alerts.map((a) => a.fingerprint)}::text[]) AS k(source_id, fingerprint)
        ON a.source_id = k.source_id AND a.fingerprint = k.fingerprint
     WHERE a.created_at > now() - interval '7 days'
     GROUP BY a.source_id, a.fingerprint`;
  return new Map(rows.map((row) => [`${row.source_id}:${row.fingerprint}`, row.n]));
}

/**
 * The alerts as `viewer` may see them: an alert is monitoring's and everyone's, but the private
 * incident it is linked to exists only for that incident's members (its link shows as none).
 */
export async function loadAlertDtos(client: Db | Tx, ids: string[], viewer: Viewer): Promise<AlertDto[]> {
  if (ids.length === 0) return [];
  const rows = await client.alert.findMany({ where: { id: { in: ids } }, include: alertInclude });
  const privateIds = [...new Set(rows.flatMap((row) => (row.incident?.private ? [row.incident.id] : [])))];
  const visible = privateIds.length ? new Set((await client.incident.findMany({ where: visibleWhere(viewer, { id: { in: privateIds } }), select: { id: true } })).map((i) => i.id)) : new Set<string>();
  for (const row of rows) if (row.incident?.private && !visible.has(row.incident.id)) row.incident = null;
  const counts = await firedThisWeek(client, rows);
  const byId = new Map(rows.map((row) => [row.id, toAlertDto(row, counts.get(`${row.sourceId}:${row.fingerprint}`) ?? 1)]));
  return ids.map((id) => byId.get(id)).filter((dto): dto is AlertDto => Boolean(dto));
}

// ---- Sources ----------------------------------------------------------------------------------

type SourceRow = Prisma.AlertSourceGetPayload<object>;

export function ingestPath(kind: string): string {
  return `/api/v1/alerts/ingest/${kind}`;
}

export function toSourceDto(source: SourceRow, stats: { lastAlertAt: Date | null; unresolvedAlerts: number } = { lastAlertAt: null, unresolvedAlerts: 0 }): AlertSourceDto {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    routes: source.routes as Route[],
    severityMapping: (source.severityMapping as SeverityMapping | null) ?? defaultSeverityMapping,
    customSeverityMapping: source.severityMapping !== null,
    tokenHint: source.tokenHint,
    ingestUrl: publicUrl(ingestPath(source.kind)),
    version: source.version,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
    tokenRotatedAt: iso(source.tokenRotatedAt),
    lastAlertAt: iso(stats.lastAlertAt),
    unresolvedAlerts: stats.unresolvedAlerts,
  };
}

/** Last alert and unresolved count per source, in one query. */
export async function sourceStats(client: Db | Tx, ids: string[]): Promise<Map<string, { lastAlertAt: Date | null; unresolvedAlerts: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await client.$queryRaw<{ source_id: string; last: Date | null; unresolved: number }[]>`
    SELECT s.id AS source_id,
           (SELECT max(a.last_seen_at) FROM alerts a WHERE a.source_id = s.id) AS last,
           (SELECT count(*)::int FROM alerts a WHERE a.source_id = s.id AND a.resolved_at IS NULL) AS unresolved
      FROM alert_sources s WHERE s.id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((row) => [row.source_id, { lastAlertAt: row.last, unresolvedAlerts: row.unresolved }]));
}

// ---- Silences ---------------------------------------------------------------------------------

export const silenceInclude = { createdBy: person, endedBy: person, _count: { select: { alerts: true } } } satisfies Prisma.AlertSilenceInclude;

export function toSilenceDto(silence: Prisma.AlertSilenceGetPayload<{ include: typeof silenceInclude }>, now = new Date()): SilenceDto {
  return {
    id: silence.id,
    matchers: silence.matchers as Record<string, string>,
    startsAt: silence.startsAt.toISOString(),
    endsAt: silence.endsAt.toISOString(),
    comment: silence.comment,
    state: silenceState(silence, now),
    createdBy: silence.createdBy,
    createdAt: silence.createdAt.toISOString(),
    endedAt: iso(silence.endedAt),
    endedBy: silence.endedBy,
    silencedAlerts: silence._count.alerts,
  };
}
