// The public status page's data (/status, /status/feed.xml, GET /api/v1/status), cached for a
// few seconds per instance.
import type { PublicStatus } from '@/lib/communications/schema';
import { db } from '@/lib/platform/db';
import { openStatuses } from '@/lib/incidents/lifecycle';
import { incidentKey } from '@/lib/incidents/schema';

const RESOLVED_WINDOW_MS = 7 * 86_400_000;

/**
 * What the public status page shows: incidents with at least one public update (open first,
 * then those resolved in the last 7 days), each with its public updates only, newest first.
 * Nothing else about an incident leaves through here: no notes, no names, no internal updates.
 * A private incident never appears (posting a public update to one is refused; one made private
 * after its public updates drops off the page).
 */
async function readPublicStatus(now: Date): Promise<PublicStatus> {
  const incidents = await db.incident.findMany({
    where: {
      private: false,
      statusUpdates: { some: { audience: 'public' } },
      OR: [{ status: { in: [...openStatuses] } }, { status: { in: ['resolved', 'closed'] }, resolvedAt: { gte: new Date(now.getTime() - RESOLVED_WINDOW_MS) } }],
    },
    select: {
      number: true,
      title: true,
      status: true,
      severityKey: true,
      services: true,
      startedAt: true,
      declaredAt: true,
      resolvedAt: true,
      statusUpdates: { where: { audience: 'public' }, orderBy: { postedAt: 'desc' }, select: { body: true, postedAt: true, incidentStatus: true } },
    },
  });
  const open = new Set<string>(openStatuses);
  const latest = (i: (typeof incidents)[number]) => i.statusUpdates[0]!.postedAt.getTime();
  incidents.sort((a, b) => Number(open.has(b.status)) - Number(open.has(a.status)) || latest(b) - latest(a));
  return {
    updatedAt: now.toISOString(),
    incidents: incidents.map((i) => ({
      key: incidentKey(i.number),
      title: i.title,
      status: i.status,
      severity: i.severityKey,
      services: i.services,
      startedAt: (i.startedAt ?? i.declaredAt).toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      updates: i.statusUpdates.map((u) => ({ body: u.body, postedAt: u.postedAt.toISOString(), status: u.incidentStatus })),
    })),
  };
}

// The status page is what everyone refreshes during an outage: one query per few seconds per
// instance, however many readers.
export const STATUS_CACHE_SECONDS = 5;
let cached: { at: number; value: Promise<PublicStatus> } | null = null;

export function getPublicStatus(now = Date.now()): Promise<PublicStatus> {
  if (cached && now - cached.at < STATUS_CACHE_SECONDS * 1000) return cached.value;
  const value = readPublicStatus(new Date(now));
  cached = { at: now, value };
  value.catch(() => {
    if (cached?.value === value) cached = null;
  });
  return value;
}

/** Drops the cached status page, so a posted update shows on this instance at once. */
export function forgetPublicStatus(): void {
  cached = null;
}
