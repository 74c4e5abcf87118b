import 'server-only';
import { checklistProgressByIncident } from '@/lib/checklists/queries';
import { lastUpdateTimes, nextUpdateDue } from '@/lib/communications/due';
import { db } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentInclude, loadIncidentDto, toIncidentDto } from '@/lib/incidents/dto';
import { openStatuses, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { listSeverities, type SeverityDto } from '@/lib/severities/queries';
import { incidentKey, incidentRoles, type IncidentDto, type IncidentRole } from '@/lib/incidents/schema';
import { NotFoundError } from '@/lib/platform/errors';

/** The Incident as the API shows it; throws NotFoundError naming the key. */
export function getIncident(number: number): Promise<IncidentDto> {
  return loadIncidentDto(db, number);
}

/** How the API and pages address an incident (by number) turned into its row id. */
export type IncidentRef = { id: string; number: number };

/** The incident numbered `number`, or null when there is none. */
export async function findIncidentRef(number: number): Promise<IncidentRef | null> {
  return db.incident.findUnique({ where: { number }, select: { id: true, number: true } });
}

/** THE resolver for incident-scoped reads: the incident numbered `number`, or a 404 naming its key. */
export async function resolveIncident(number: number): Promise<IncidentRef> {
  const incident = await findIncidentRef(number);
  if (!incident) throw new NotFoundError(`${incidentKey(number)} does not exist.`);
  return incident;
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

/** Newest first; the cursor is the last number of the previous page. */
export async function listIncidents(filter: IncidentListFilter): Promise<{ items: IncidentDto[]; nextCursor: string | null }> {
  const where: Prisma.IncidentWhereInput = {
    ...(filter.status === 'open' ? { status: { in: [...openStatuses] } } : filter.status ? { status: filter.status } : {}),
    ...(filter.severity ? { severityKey: filter.severity } : {}),
    ...(filter.service ? { services: { has: filter.service } } : {}),
    ...(filter.from || filter.to ? { declaredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    ...(filter.q ? { OR: [{ title: { contains: filter.q, mode: 'insensitive' } }, { summary: { contains: filter.q, mode: 'insensitive' } }] } : {}),
    ...(filter.cursor ? { number: { lt: filter.cursor } } : {}),
  };
  const rows = await db.incident.findMany({ where, orderBy: { number: 'desc' }, take: filter.limit + 1, include: incidentInclude });
  const page = rows.slice(0, filter.limit);
  return { items: page.map(toIncidentDto), nextCursor: rows.length > filter.limit ? String(page.at(-1)!.number) : null };
}

export async function listServices(): Promise<string[]> {
  const rows = await db.$queryRaw<{ service: string }[]>`SELECT DISTINCT unnest(services) AS service FROM incidents ORDER BY 1 LIMIT 500`;
  return rows.map((row) => row.service);
}

export type RoleHolding = { role: IncidentRole; holder: { email: string; name: string } | null; since: string | null };
export type RoleHistoryEntry = { role: string; holder: { email: string; name: string }; since: string; until: string };

/** What the command view needs beyond the Incident DTO: role tenure and history, the severity's targets. */
export async function getCommandViewExtras(number: number): Promise<{ roles: RoleHolding[]; history: RoleHistoryEntry[]; severity: SeverityDto; lastCommunicationAt: string | null; declaredBy: { name: string } | null } | null> {
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

export type Dashboard = {
  open: DashboardIncident[];
  countsBySeverity: { key: string; name: string; open: number }[];
  recentlyResolved: { number: number; key: string; title: string; severity: string; resolvedAt: string }[];
  mine: { number: number; key: string; title: string; roles: IncidentRole[] }[];
};

export async function getDashboard(userId: string, now = new Date()): Promise<Dashboard> {
  const [incidents, severities, resolved, mine] = await Promise.all([
    db.incident.findMany({
      where: { status: { in: [...openStatuses] } },
      include: { severity: true, roles: { include: { user: { select: { email: true, name: true } } } } },
      orderBy: [{ severity: { level: 'asc' } }, { declaredAt: 'asc' }],
      take: 200,
    }),
    listSeverities(),
    db.incident.findMany({
      where: { status: { in: ['resolved', 'closed'] }, resolvedAt: { gte: new Date(now.getTime() - 7 * 86_400_000) } },
      orderBy: { resolvedAt: 'desc' },
      take: 8,
      select: { number: true, title: true, severityKey: true, resolvedAt: true },
    }),
    db.incidentRole.findMany({
      where: { userId, incident: { status: { in: [...openStatuses] } } },
      include: { incident: { select: { number: true, title: true } } },
    }),
  ]);
  const ids = incidents.map((incident) => incident.id);
  // The latest line and the latest status update of each open incident, in two queries.
  const latest = ids.length
    ? await db.$queryRaw<{ incident_id: string; body: string; kind: string; occurred_at: Date; actor: string | null }[]>`
        SELECT DISTINCT ON (e.incident_id) e.incident_id, e.body, e.kind::text AS kind, e.occurred_at, u.name AS actor
        FROM timeline_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.incident_id = ANY(${ids}::uuid[])
        ORDER BY e.incident_id, e.seq DESC`
    : [];
  const lastUpdates = await lastUpdateTimes(ids);
  const progress = await checklistProgressByIncident(ids);

  const open: DashboardIncident[] = incidents.map((incident) => {
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
    open,
    countsBySeverity: severities.map((s) => ({ key: s.key, name: s.name, open: open.filter((i) => i.severity.key === s.key).length })),
    recentlyResolved: resolved.map((r) => ({ number: r.number, key: `INC-${r.number}`, title: r.title, severity: r.severityKey, resolvedAt: r.resolvedAt!.toISOString() })),
    mine: [...mineByIncident.values()],
  };
}
