// Everything the review draft needs about one incident, in a handful of queries.
import type { db } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import type { ReviewData } from '@/lib/postmortems/generate';

type Client = Prisma.TransactionClient | typeof db;

export async function loadReviewData(client: Client, incidentId: string): Promise<ReviewData> {
  const incident = await client.incident.findUniqueOrThrow({
    where: { id: incidentId },
    include: {
      severity: true,
      roles: { include: { user: { select: { name: true } } } },
      roleHolds: { include: { user: { select: { name: true } } }, orderBy: { since: 'asc' } },
      smes: { include: { user: { select: { name: true } } } },
      checklists: { orderBy: { attachedAt: 'asc' }, include: { items: { orderBy: { position: 'asc' }, include: { changedBy: { select: { name: true } } } } } },
      statusUpdates: { orderBy: { postedAt: 'asc' }, include: { postedBy: { select: { name: true } } } },
      actionItems: { orderBy: { createdAt: 'asc' }, include: { owner: { select: { name: true } } } },
    },
  });
  const [events, deliveries] = await Promise.all([
    // Pinned notes and the structural kinds; plain notes are too many and stay on the timeline.
    client.timelineEvent.findMany({
      where: { incidentId, OR: [{ pinned: true }, { kind: { in: ['status', 'severity', 'role', 'remediation', 'communication'] } }] },
      orderBy: [{ occurredAt: 'asc' }, { seq: 'asc' }],
      include: { actor: { select: { name: true } } },
      take: 2_000,
    }),
    client.remediationDelivery.findMany({
      where: { incidentId },
      orderBy: { createdAt: 'asc' },
      include: { action: { select: { name: true } }, attempts: { orderBy: { number: 'desc' }, take: 1 } },
    }),
  ]);
  const requesterIds = [...new Set(deliveries.flatMap((d) => (d.requestedById ? [d.requestedById] : [])))];
  const requesters = new Map((requesterIds.length ? await client.user.findMany({ where: { id: { in: requesterIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));

  const severityChanges = events
    .filter((e) => e.kind === 'severity')
    .map((e) => {
      const data = e.data as { from?: string; to?: string; reason?: string | null };
      return { at: e.occurredAt, from: data.from ?? '?', to: data.to ?? '?', by: e.actor?.name ?? null, reason: data.reason ?? null };
    });

  return {
    incident: {
      number: incident.number,
      key: incidentKey(incident.number),
      title: incident.title,
      summary: incident.summary,
      severity: { key: incident.severityKey, name: incident.severity.name },
      status: incident.status,
      services: incident.services,
      customerImpact: incident.customerImpact,
      times: {
        startedAt: incident.startedAt,
        detectedAt: incident.detectedAt,
        declaredAt: incident.declaredAt,
        acknowledgedAt: incident.acknowledgedAt,
        mitigatedAt: incident.mitigatedAt,
        resolvedAt: incident.resolvedAt,
        closedAt: incident.closedAt,
      },
    },
    severityChanges,
    roles: (['commander', 'tech_lead', 'comms_lead', 'scribe'] as const).map((role) => {
      const held = incident.roles.find((r) => r.role === role);
      return { role, holder: held?.user.name ?? null, since: held?.since ?? null };
    }),
    roleHistory: incident.roleHolds.map((h) => ({ role: h.role, holder: h.user.name, since: h.since, until: h.until })),
    smes: incident.smes.map((s) => s.user.name),
    events: events.map((e) => ({ at: e.occurredAt, kind: e.kind, body: e.body, actor: e.actor?.name ?? null, pinned: e.pinned })),
    checklists: incident.checklists.map((c) => ({
      title: c.title,
      items: c.items.map((i) => ({ title: i.title, state: i.state, note: i.note, adHoc: i.adHoc, by: i.changedBy?.name ?? null })),
    })),
    deliveries: deliveries.map((d) => {
      const last = d.attempts[0];
      return {
        action: d.action.name,
        status: d.status,
        attempts: d.attemptCount,
        lastResult: last ? (last.statusCode !== null ? `HTTP ${last.statusCode}` : last.error) : null,
        requestedBy: d.requestedById ? (requesters.get(d.requestedById) ?? null) : null,
        at: d.createdAt,
      };
    }),
    updates: incident.statusUpdates.map((u) => ({ at: u.postedAt, audience: u.audience, body: u.body, by: u.postedBy?.name ?? null })),
    actionItems: incident.actionItems.map((a) => ({ title: a.title, owner: a.owner?.name ?? null, dueDate: a.dueDate?.toISOString().slice(0, 10) ?? null, status: a.status, url: a.url })),
  };
}
