// A service's page: how often it broke and how fast it came back over the last year, what is
// still open from its incidents, and the runbooks meant for it.
import 'server-only';
import { db } from '@/lib/platform/db';
import { incidentKey } from '@/lib/incidents/schema';
import { isOverdue } from '@/lib/insights/definitions';
import { getInsights } from '@/lib/insights/queries';
import type { InsightsDto } from '@/lib/insights/schema';
import { listRunbooks } from '@/lib/runbooks/queries';
import type { RunbookSummary } from '@/lib/runbooks/schema';
import { visibleWhere, type Viewer } from '@/lib/incidents/visibility';

export type ServiceOverview = {
  service: string;
  insights: InsightsDto;
  recent: { number: number; key: string; title: string; severity: string; status: string; declaredAt: string }[];
  openFollowUps: { id: string; title: string; incident: { number: number; key: string }; owner: { email: string; name: string } | null; dueDate: string | null; overdue: boolean }[];
  runbooks: RunbookSummary[];
};

export async function getServiceOverview(service: string, viewer: Viewer, now = new Date()): Promise<ServiceOverview> {
  const from = new Date(now.getTime() - 365 * 86_400_000);
  const [insights, recent, items, byService, byTag] = await Promise.all([
    getInsights({ range: '365', from, to: now, severity: null, service, groupBy: 'month' }, viewer, now),
    db.incident.findMany({ where: visibleWhere(viewer, { services: { has: service } }), orderBy: { declaredAt: 'desc' }, take: 10, select: { number: true, title: true, severityKey: true, status: true, declaredAt: true } }),
    db.actionItem.findMany({
      where: { status: 'open', incident: visibleWhere(viewer, { services: { has: service } }) },
      include: { incident: { select: { number: true } }, owner: { select: { email: true, name: true } } },
      orderBy: [{ dueDate: 'asc' }, { createdAt: 'asc' }],
      take: 50,
    }),
    listRunbooks({ service }),
    listRunbooks({ tag: service }),
  ]);
  return {
    service,
    insights,
    recent: recent.map((r) => ({ number: r.number, key: incidentKey(r.number), title: r.title, severity: r.severityKey, status: r.status, declaredAt: r.declaredAt.toISOString() })),
    openFollowUps: items.map((item) => {
      const dueDate = item.dueDate?.toISOString().slice(0, 10) ?? null;
      return { id: item.id, title: item.title, incident: { number: item.incident.number, key: incidentKey(item.incident.number) }, owner: item.owner, dueDate, overdue: isOverdue({ status: item.status, dueDate }, now) };
    }),
    runbooks: [...byService, ...byTag.filter((r) => !byService.some((s) => s.id === r.id))],
  };
}
