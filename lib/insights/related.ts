// "It happened before": earlier incidents on the same services, with what they left open. Read
// for the command view (before an incident's declaration) and for the declare dialog (before
// now, as the services are typed). `services && $shared` uses the GIN index on incidents.services.
import 'server-only';
import { db } from '@/lib/platform/db';
import { incidentKey } from '@/lib/incidents/schema';
import { isOverdue, timeToResolve } from '@/lib/insights/definitions';
import type { RelatedIncidentDto } from '@/lib/insights/schema';
import { requireVisibleIncident, visibleToSql, type Viewer } from '@/lib/incidents/visibility';

/** How far back "before" looks. */
export const RELATED_DAYS = 90;
const LIMIT = 10;

type Row = {
  id: string;
  number: number;
  title: string;
  severity_key: string;
  services: string[];
  status: string;
  declared_at: Date;
  started_at: Date | null;
  resolved_at: Date | null;
  root_cause: string | null;
};

/** The first paragraph of a Markdown text, as one line of at most 280 characters. */
export function firstParagraph(markdown: string): string | null {
  const paragraph = markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    // Headings name the section; the summary is the first paragraph of prose.
    .map((p) => p.replace(/^#+\s+.*$/gm, '').replace(/\s*\n\s*/g, ' ').trim())
    .find((p) => p.length > 0);
  if (!paragraph) return null;
  return paragraph.length > 280 ? `${paragraph.slice(0, 279)}…` : paragraph;
}

/**
 * Incidents declared in the RELATED_DAYS before `before` that list one of `services`, newest
 * first, except `exceptId`.
 */
export async function findRelatedIncidents(services: string[], before: Date, viewer: Viewer, exceptId: string | null = null, now = new Date()): Promise<RelatedIncidentDto[]> {
  const shared = [...new Set(services.map((s) => s.trim()).filter(Boolean))];
  if (!shared.length) return [];
  const since = new Date(before.getTime() - RELATED_DAYS * 86_400_000);
  const rows = await db.$queryRaw<Row[]>`
    SELECT i.id, i.number, i.title, i.severity_key, i.services, i.status::text AS status, i.declared_at, i.started_at, i.resolved_at,
           (SELECT ps.body FROM postmortem_sections ps JOIN postmortems p ON p.id = ps.postmortem_id
             WHERE p.incident_id = i.id AND ps.key = 'root_cause' AND ps.edited) AS root_cause
      FROM incidents i
     WHERE i.services && ${shared}::text[]
       AND i.declared_at >= ${since} AND i.declared_at < ${before}
       AND (${exceptId}::uuid IS NULL OR i.id <> ${exceptId}::uuid)
       AND ${visibleToSql(viewer, 'i')}
     ORDER BY i.declared_at DESC
     LIMIT ${LIMIT}`;
  if (!rows.length) return [];
  const items = await db.actionItem.findMany({
    where: { incidentId: { in: rows.map((r) => r.id) }, status: 'open' },
    include: { owner: { select: { email: true, name: true } } },
    orderBy: [{ dueDate: 'asc' }, { createdAt: 'asc' }],
  });
  return rows.map((row) => ({
    number: row.number,
    key: incidentKey(row.number),
    title: row.title,
    severity: row.severity_key,
    services: row.services,
    sharedServices: row.services.filter((s) => shared.includes(s)),
    status: row.status,
    declaredAt: row.declared_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    timeToResolveSeconds: timeToResolve({ startedAt: row.started_at, detectedAt: null, declaredAt: row.declared_at, acknowledgedAt: null, mitigatedAt: null, resolvedAt: row.resolved_at }),
    rootCause: row.root_cause ? firstParagraph(row.root_cause) : null,
    openActionItems: items
      .filter((item) => item.incidentId === row.id)
      .map((item) => {
        const dueDate = item.dueDate?.toISOString().slice(0, 10) ?? null;
        return { id: item.id, title: item.title, owner: item.owner, dueDate, overdue: isOverdue({ status: item.status, dueDate }, now) };
      }),
  }));
}

/** Earlier incidents related to INC-`number`: sharing its services, declared in the RELATED_DAYS before it. */
export async function listRelatedIncidents(number: number, viewer: Viewer): Promise<RelatedIncidentDto[]> {
  const incident = await requireVisibleIncident(db, number, viewer, { id: true, services: true, declaredAt: true });
  return findRelatedIncidents(incident.services, incident.declaredAt, viewer, incident.id);
}
