import 'server-only';
import type { Actor } from '@/lib/platform/auth/policy';
import { checklistProgressByIncident } from '@/lib/checklists/queries';
import { lastUpdateTimes, nextUpdateDue } from '@/lib/communications/due';
import { db } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentInclude, loadMembers, toIncidentDto } from '@/lib/incidents/dto';
import { openStatuses, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { listSeverities, type SeverityDto } from '@/lib/severities/queries';
import { incidentKey, incidentRoles, type IncidentDto, type IncidentRole, type MemberDto } from '@/lib/incidents/schema';
import { countHiddenIncidents, findVisibleIncident, incidentNotFound, requireVisibleIncident, seesEverything, visibleToSql, visibleWhere, type Viewer } from '@/lib/incidents/visibility';
import { findDuplicates } from '@/lib/incidents/duplicates';

/** The Incident as the API shows it; a 404 naming the key when there is none or `viewer` may not see it. */
export async function getIncident(number: number, viewer: Viewer): Promise<IncidentDto> {
  const incident = await db.incident.findFirst({ where: visibleWhere(viewer, { number }), include: incidentInclude });
  if (!incident) throw incidentNotFound(number);
  return toIncidentDto(incident);
}

/** How the API and pages address an incident (by number) turned into its row id. */
export type IncidentRef = { id: string; number: number; private: boolean };

/** The incident numbered `number`, or null when there is none or `viewer` may not see it. */
export async function findIncidentRef(number: number, viewer: Viewer): Promise<IncidentRef | null> {
  return findVisibleIncident(db, number, viewer, { id: true, number: true, private: true });
}

/**
 * THE resolver for incident-scoped reads: the incident numbered `number`, or a 404 naming its key
 * when there is none or `viewer` may not see it (the same answer, so a private incident's number
 * tells a non-member nothing).
 */
export async function resolveIncident(number: number, viewer: Viewer): Promise<IncidentRef> {
  return requireVisibleIncident(db, number, viewer, { id: true, number: true, private: true });
}

/** Who may see the incident and why; a 404 as resolveIncident. */
export async function listMembers(number: number, viewer: Viewer): Promise<MemberDto[]> {
  return loadMembers(db, (await resolveIncident(number, viewer)).id);
}

export type IncidentListFilter = {
  status?: IncidentStatus | 'open';
  severity?: string;
  service?: string;
  q?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: number;
};

/** Newest first, only what `viewer` may see; the cursor is the last number of the previous page. */
export async function listIncidents(filter: IncidentListFilter, viewer: Viewer): Promise<{ items: IncidentDto[]; nextCursor: string | null }> {
  const where: Prisma.IncidentWhereInput = {
    ...(filter.status === 'open' ? { status: { in: [...openStatuses] } } : filter.status ? { status: filter.status } : {}),
    ...(filter.severity ? { severityKey: filter.severity } : {}),
    ...(filter.service ? { services: { has: filter.service } } : {}),
    ...(filter.from || filter.to ? { declaredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    ...(filter.q ? { OR: [{ title: { contains: filter.q, mode: 'insensitive' } }, { summary: { contains: filter.q, mode: 'insensitive' } }] } : {}),
    ...(filter.cursor ? { number: { lt: filter.cursor } } : {}),
  };
  const rows = await db.incident.findMany({ where: visibleWhere(viewer, where), orderBy: { number: 'desc' }, take: filter.limit + 1, include: incidentInclude });
  const page = rows.slice(0, filter.limit);
  return { items: page.map(toIncidentDto), nextCursor: rows.length > filter.limit ? String(page.at(-1)!.number) : null };
}

/**
 * Services named by the incidents `viewer` may see (a private incident's services can say what it
 * is about). The counts in service_counts, kept by triggers, answer for everyone's incidents and
 * the public ones; only the few private incidents a non-admin may see are read one by one.
 */
export async function listServices(viewer: Viewer): Promise<string[]> {
  const rows = seesEverything(viewer)
    ? await db.$queryRaw<{ service: string }[]>`SELECT service FROM service_counts WHERE incidents > 0 ORDER BY 1 LIMIT 500`
    : await db.$queryRaw<{ service: string }[]>`
        SELECT service FROM service_counts WHERE public_incidents > 0
        UNION
        SELECT unnest(i.services) FROM incidents i WHERE i.private AND ${visibleToSql(viewer, 'i')}
        ORDER BY 1 LIMIT 500`;
  return rows.map((row) => row.service);
}

export type RoleHolding = { role: IncidentRole; holder: { email: string; name: string } | null; since: string | null };
export type RoleHistoryEntry = { role: string; holder: { email: string; name: string }; since: string; until: string };

/** What the command view needs beyond the Incident DTO: role tenure and history, the severity's targets. Call it after resolving the number for the viewer. */
export async function getCommandViewExtras(number: number): Promise<{ roles: RoleHolding[]; history: RoleHistoryEntry[]; severity: SeverityDto; lastCommunicationAt: string | null; declaredBy: { name: string } | null; mergedIntoId: string | null } | null> {
  const incident = await db.incident.findUnique({
    where: { number },
    include: {
      roles: { include: { user: { select: { email: true, name: true } } } },
      roleHolds: { include: { user: { select: { email: true, name: true } } }, orderBy: { until: 'desc' }, take: 50 },
      severity: true,
      declaredBy: { select: { name: true } },
    },
  });
  if (!incident) return null;
  const lastCommunication = await db.statusUpdate.findFirst({ where: { incidentId: incident.id }, orderBy: { postedAt: 'desc' }, select: { postedAt: true } });
  const { key, level, name, description, responseTargetMinutes, updateCadenceMinutes, reviewRequired } = incident.severity;
  return {
    roles: incidentRoles.map((role) => {
      const held = incident.roles.find((r) => r.role === role);
      return { role, holder: held ? held.user : null, since: held?.since.toISOString() ?? null };
    }),
    history: incident.roleHolds.map((hold) => ({ role: hold.role, holder: hold.user, since: hold.since.toISOString(), until: hold.until.toISOString() })),
    severity: { key, level, name, description, responseTargetMinutes, updateCadenceMinutes, reviewRequired },
    lastCommunicationAt: lastCommunication?.postedAt.toISOString() ?? null,
    declaredBy: incident.declaredBy,
    mergedIntoId: incident.mergedIntoId,
  };
}

export type DashboardIncident = {
  number: number;
  key: string;
  title: string;
  severity: SeverityDto;
  status: IncidentStatus;
  services: string[];
  customerImpact: boolean;
  private: boolean;
  declaredAt: string;
  acknowledgedAt: string | null;
  roles: { role: IncidentRole; holder: { email: string; name: string } | null }[];
  /** When the response-time target is missed if nobody acknowledges (null once acknowledged). */
  responseDueAt: string | null;
  /** When the next status update is due, by the severity's cadence. */
  nextUpdateDueAt: string;
  latest: { body: string; kind: string; occurredAt: string; actor: string | null } | null;
  /** Checklist items done or skipped, of all attached runbooks; null without checklists. */
  checklist: { done: number; skipped: number; total: number } | null;
};

/** Open incidents the dashboard lists (the most severe first); the rest are a link away on /incidents. */
export const DASHBOARD_OPEN_SHOWN = 50;

export type Dashboard = {
  /** The DASHBOARD_OPEN_SHOWN most severe open incidents the viewer may see, oldest first within a severity. */
  open: DashboardIncident[];
  /** Every open incident the viewer may see (`open` lists the first of them). */
  openTotal: number;
  countsBySeverity: { key: string; name: string; open: number }[];
  recentlyResolved: { number: number; key: string; title: string; severity: string; resolvedAt: string }[];
  mine: { number: number; key: string; title: string; roles: IncidentRole[] }[];
  /** Open private incidents the viewer is no member of: counted so the total is right, nothing else shown. */
  hiddenOpen: number;
};

/** The commander dashboard as `viewer` may see it. */
export async function getDashboard(viewer: Actor, now = new Date()): Promise<Dashboard> {
  const open = { status: { in: [...openStatuses] } } satisfies Prisma.IncidentWhereInput;
  const [incidents, openCounts, severities, resolved, mine, hiddenOpen] = await Promise.all([
    db.incident.findMany({
      where: visibleWhere(viewer, open),
      include: { severity: true, roles: { include: { user: { select: { email: true, name: true } } } } },
      orderBy: [{ severity: { level: 'asc' } }, { declaredAt: 'asc' }],
      take: DASHBOARD_OPEN_SHOWN,
    }),
    db.incident.groupBy({ by: ['severityKey'], where: visibleWhere(viewer, open), _count: { _all: true } }),
    listSeverities(),
    db.incident.findMany({
      where: visibleWhere(viewer, { status: { in: ['resolved', 'closed'] }, resolvedAt: { gte: new Date(now.getTime() - 7 * 86_400_000) } }),
      orderBy: { resolvedAt: 'desc' },
      take: 8,
      select: { number: true, title: true, severityKey: true, resolvedAt: true },
    }),
    // Holding a role makes them a member, so these are all theirs to see.
    db.incidentRole.findMany({
      where: { userId: viewer.id, incident: open },
      include: { incident: { select: { number: true, title: true } } },
    }),
    countHiddenIncidents(viewer, open),
  ]);
  const ids = incidents.map((incident) => incident.id);
  // The latest line and the latest status update of each open incident, in two queries. The
  // latest line is one index lookup per incident (newest seq), however long its timeline is.
  const latest = ids.length
    ? await db.$queryRaw<{ incident_id: string; body: string; kind: string; occurred_at: Date; actor: string | null }[]>`
        SELECT i.id AS incident_id, e.body, e.kind::text AS kind, e.occurred_at, u.name AS actor
        FROM unnest(${ids}::uuid[]) AS i(id)
        CROSS JOIN LATERAL (SELECT body, kind, occurred_at, actor_id FROM timeline_events WHERE incident_id = i.id ORDER BY seq DESC LIMIT 1) e
        LEFT JOIN users u ON u.id = e.actor_id`
    : [];
  const lastUpdates = await lastUpdateTimes(ids);
  const progress = await checklistProgressByIncident(ids);

  const shown: DashboardIncident[] = incidents.map((incident) => {
    const severity = severities.find((s) => s.key === incident.severityKey)!;
    const line = latest.find((l) => l.incident_id === incident.id);

    return {
      number: incident.number,
      key: `INC-${incident.number}`,
      title: incident.title,
      severity,
      status: incident.status,
      services: incident.services,
      customerImpact: incident.customerImpact,
      private: incident.private,
      declaredAt: incident.declaredAt.toISOString(),
      acknowledgedAt: incident.acknowledgedAt?.toISOString() ?? null,
      roles: incidentRoles.map((role) => ({ role, holder: incident.roles.find((r) => r.role === role)?.user ?? null })),
      responseDueAt: incident.acknowledgedAt ? null : new Date(incident.declaredAt.getTime() + severity.responseTargetMinutes * 60_000).toISOString(),
      nextUpdateDueAt: nextUpdateDue(lastUpdates.get(incident.id) ?? null, incident.declaredAt, severity.updateCadenceMinutes).toISOString(),
      latest: line ? { body: line.body, kind: line.kind, occurredAt: line.occurred_at.toISOString(), actor: line.actor } : null,
      checklist: progress.get(incident.id) ?? null,
    };
  });

  const mineByIncident = new Map<number, { number: number; key: string; title: string; roles: IncidentRole[] }>();
  for (const hold of mine) {
    const entry = mineByIncident.get(hold.incident.number) ?? { number: hold.incident.number, key: `INC-${hold.incident.number}`, title: hold.incident.title, roles: [] };
    entry.roles.push(hold.role);
    mineByIncident.set(hold.incident.number, entry);
  }

  return {
    open: shown,
    openTotal: openCounts.reduce((total, count) => total + count._count._all, 0),
    countsBySeverity: severities.map((s) => ({ key: s.key, name: s.name, open: openCounts.find((count) => count.severityKey === s.key)?._count._all ?? 0 })),
    recentlyResolved: resolved.map((r) => ({ number: r.number, key: `INC-${r.number}`, title: r.title, severity: r.severityKey, resolvedAt: r.resolvedAt!.toISOString() })),
    mine: [...mineByIncident.values()],
    hiddenOpen,
  };
}

export type RelatedIncident = { number: number; key: string; title: string; severity: string; status: IncidentStatus; declaredAt: string; resolvedAt: string | null; services: string[]; why: 'merged into' | 'merged here' | 'shares a service' };

const RELATED_WINDOW_MS = 90 * 86_400_000;

/**
 * Incidents worth a look from this one: the one it was merged into, the duplicates merged into
 * it, and others of the last 90 days sharing one of its services (newest first, at most 20).
 */
export async function listRelatedIncidents(incident: { id: string; services: string[]; mergedIntoId: string | null }, viewer: Viewer): Promise<RelatedIncident[]> {
  const select = { id: true, number: true, title: true, severityKey: true, status: true, declaredAt: true, resolvedAt: true, services: true, mergedIntoId: true } as const;
  const [merged, sharing] = await Promise.all([
    db.incident.findMany({ where: visibleWhere(viewer, { OR: [{ mergedIntoId: incident.id }, ...(incident.mergedIntoId ? [{ id: incident.mergedIntoId }] : [])] }), select, orderBy: { number: 'desc' }, take: 50 }),
    incident.services.length
      ? db.incident.findMany({
          where: visibleWhere(viewer, { id: { not: incident.id }, services: { hasSome: incident.services }, declaredAt: { gte: new Date(Date.now() - RELATED_WINDOW_MS) } }),
          select,
          orderBy: { declaredAt: 'desc' },
          take: 20,
        })
      : [],
  ]);
  const seen = new Set<string>();
  const related: RelatedIncident[] = [];
  for (const row of [...merged, ...sharing]) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    related.push({
      number: row.number,
      key: incidentKey(row.number),
      title: row.title,
      severity: row.severityKey,
      status: row.status,
      declaredAt: row.declaredAt.toISOString(),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
      services: row.services,
      why: row.id === incident.mergedIntoId ? 'merged into' : row.mergedIntoId === incident.id ? 'merged here' : 'shares a service',
    });
  }
  return related;
}

/** Open incidents other than `exceptNumber`, newest first: where a duplicate can be merged. */
export async function listMergeTargets(exceptNumber: number, viewer: Viewer): Promise<{ number: number; key: string; title: string }[]> {
  const rows = await db.incident.findMany({ where: visibleWhere(viewer, { number: { not: exceptNumber }, status: { in: [...openStatuses] }, mergedIntoId: null }), select: { number: true, title: true }, orderBy: { number: 'desc' }, take: 100 });
  return rows.map((row) => ({ number: row.number, key: incidentKey(row.number), title: row.title }));
}

/** Open incidents that look like one about to be declared ("INC-1 looks like the same incident — join it?"). */
export async function findPossibleDuplicates(draft: { title: string; services: string[] }, viewer: Viewer): Promise<{ number: number; key: string; title: string; severity: string; status: IncidentStatus; services: string[]; sharedServices: string[] }[]> {
  const open = await db.incident.findMany({
    where: visibleWhere(viewer, { status: { in: [...openStatuses] }, mergedIntoId: null }),
    select: { number: true, title: true, severityKey: true, status: true, services: true },
    orderBy: { number: 'desc' },
    take: 500,
  });
  return findDuplicates(draft, open).map((c) => ({ number: c.number, key: incidentKey(c.number), title: c.title, severity: c.severityKey, status: c.status, services: c.services, sharedServices: c.sharedServices }));
}
