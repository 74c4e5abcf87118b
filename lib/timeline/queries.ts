import 'server-only';
import { db } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { EventRevisionDto, TimelineEventDto, TimelineKind } from '@/lib/timeline/schema';
import { toEventDto } from '@/lib/timeline/append';

const withActor = { actor: { select: { email: true, name: true } }, editedBy: { select: { email: true, name: true } } } as const;

/** API order: by seq, strictly after `after`; `nextAfter` is null on the last page. */
/** The incident's last seq: where a live stream's first connection starts. */
export async function lastTimelineSeq(incidentId: string): Promise<number> {
  const incident = await db.incident.findUnique({ where: { id: incidentId }, select: { lastSeq: true } });
  return incident?.lastSeq ?? 0;
}

export async function listTimelineAfter(incidentId: string, after: number, limit: number): Promise<{ items: TimelineEventDto[]; nextAfter: number | null }> {
  const rows = await db.timelineEvent.findMany({
    where: { incidentId, seq: { gt: after } },
    orderBy: { seq: 'asc' },
    take: limit + 1,
    include: withActor,
  });
  const page = rows.slice(0, limit);
  return { items: page.map(toEventDto), nextAfter: rows.length > limit ? page.at(-1)!.seq : null };
}

export type TimelineFilter = { kinds?: TimelineKind[]; pinnedOnly?: boolean; q?: string };

function filterWhere(incidentId: string, filter: TimelineFilter): Prisma.TimelineEventWhereInput {
  return {
    incidentId,
    ...(filter.kinds?.length ? { kind: { in: filter.kinds } } : {}),
    ...(filter.pinnedOnly ? { pinned: true } : {}),
  };
}

/**
 * For screens: the newest events first (by seq), `before` a seq for older pages. Text search
 * uses Postgres full-text search over the event text (English stemming, plus a prefix match so
 * that "datab" finds "database"), on the words stored with each event (`search`, a generated column).
 */
export async function listTimelinePage(
  incidentId: string,
  options: TimelineFilter & { before?: number; limit: number },
): Promise<{ items: TimelineEventDto[]; nextBefore: number | null }> {
  const q = options.q?.trim();
  let ids: string[] | null = null;
  if (q) {
    const terms = q
      .split(/\s+/)
      .map((term) => term.replace(/[^\p{L}\p{N}_-]/gu, ''))
      .filter(Boolean)
      .map((term) => `${term}:*`)
      .join(' & ');
    if (!terms) return { items: [], nextBefore: null };
    const matches = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM timeline_events
      WHERE incident_id = ${incidentId}::uuid
        AND search @@ to_tsquery('english', ${terms})
        AND (${options.before ?? null}::int IS NULL OR seq < ${options.before ?? null}::int)
      ORDER BY seq DESC LIMIT ${options.limit + 1}`;
    ids = matches.map((m) => m.id);
  }
  const rows = await db.timelineEvent.findMany({
    where: { ...filterWhere(incidentId, options), ...(options.before ? { seq: { lt: options.before } } : {}), ...(ids ? { id: { in: ids } } : {}) },
    orderBy: { seq: 'desc' },
    take: options.limit + 1,
    include: withActor,
  });
  const page = rows.slice(0, options.limit);
  return { items: page.map(toEventDto), nextBefore: rows.length > options.limit ? page.at(-1)!.seq : null };
}

export async function getTimelineEvent(eventId: string): Promise<(TimelineEventDto & { incidentId: string }) | null> {
  const row = await db.timelineEvent.findUnique({ where: { id: eventId }, include: withActor });
  return row ? { ...toEventDto(row), incidentId: row.incidentId } : null;
}

export async function listEventRevisions(eventId: string): Promise<EventRevisionDto[]> {
  const revisions = await db.timelineEventRevision.findMany({
    where: { eventId },
    orderBy: { editedAt: 'desc' },
    include: { editedBy: { select: { email: true, name: true } } },
  });
  return revisions.map((revision) => ({
    body: revision.body,
    occurredAt: revision.occurredAt.toISOString(),
    pinned: revision.pinned,
    editedAt: revision.editedAt.toISOString(),
    editedBy: revision.editedBy,
  }));
}
