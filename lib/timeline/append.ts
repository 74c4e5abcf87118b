// THE TIMELINE'S ORDERING. Every event gets `seq` = ++incidents.last_seq, taken with an UPDATE
// on the incident's row inside the writing transaction. The row lock is held until commit, so
// seqs are unique, gap-free and committed in increasing order: a reader that has seen seq N
// can never later find a new event below N (the SSE replay relies on this). Events are never
// deleted; an edit keeps the previous text as a revision. On screen, events are ordered by
// occurredAt (which may be back-dated), ties by seq.
import type { db, Tx } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import { Prisma, type TimelineEvent, type User } from '@/lib/generated/prisma/client';
import { renderMarkdown } from '@/lib/platform/markdown/render';
import { incidentReferences } from '@/lib/incidents/references';
import { timelineChannel } from '@/lib/timeline/live';
import type { TimelineEventDto, TimelineKind } from '@/lib/timeline/schema';
import type { ChangedBy } from '@/lib/platform/auth/policy';
import { requireVisibleIncident, viewerOf, visibleToSql, type Viewer } from '@/lib/incidents/visibility';

export function toEventDto(event: TimelineEvent & { actor: Pick<User, 'email' | 'name'> | null; editedBy?: Pick<User, 'email' | 'name'> | null }): TimelineEventDto {
  return {
    id: event.id,
    seq: event.seq,
    kind: event.kind,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    actor: event.actor ? { email: event.actor.email, name: event.actor.name } : null,
    body: event.body,
    bodyHtml: renderMarkdown(event.body, { references: incidentReferences }),
    data: (event.data ?? {}) as Record<string, unknown>,
    pinned: event.pinned,
    editedAt: event.editedAt?.toISOString() ?? null,
    editedBy: event.editedBy ? { email: event.editedBy.email, name: event.editedBy.name } : null,
  };
}

export type NewEvent = {
  kind: TimelineKind;
  actorId: string | null;
  body: string;
  data?: Prisma.InputJsonValue;
  occurredAt?: Date;
  pinned?: boolean;
};

type AppendedRow = {
  id: string;
  seq: number;
  kind: TimelineKind;
  occurred_at: Date;
  recorded_at: Date;
  body: string;
  data: Prisma.JsonValue;
  pinned: boolean;
  actor_email: string | null;
  actor_name: string | null;
};

/**
 * Appends an event inside the caller's transaction (the change and its event commit together).
 * One statement takes the next seq (locking the incident row until the transaction ends), inserts
 * the event and queues its NOTIFY: concurrent writers to one incident wait on that lock, so it is
 * held for one round trip plus the commit, not one per step.
 */
export async function appendTimelineEvent(tx: Tx, incidentId: string, event: NewEvent): Promise<TimelineEventDto> {
  const row = await appendWhere(tx, Prisma.sql`id = ${incidentId}::uuid`, event);
  if (!row) throw new NotFoundError('That incident does not exist.');
  return row;
}

/**
 * A note's quick path (timeline/service.ts): the same statement on its own, outside any
 * transaction, appending to incident `number` only if it has been acknowledged and `viewer` may
 * see it. One round trip instead of four (BEGIN, the incident, the event, COMMIT); null when the
 * incident is missing, hidden or unacknowledged, and the caller takes the full path, which
 * acknowledges or refuses.
 */
export async function appendToAcknowledgedIncident(client: typeof db, number: number, viewer: Viewer, event: NewEvent): Promise<TimelineEventDto | null> {
  return appendWhere(client, Prisma.sql`number = ${number} AND acknowledged_at IS NOT NULL AND ${visibleToSql(viewer)}`, event);
}

/** The one statement behind both: the incident row matching `target` (a condition on `incidents`) gets the event. */
async function appendWhere(client: Tx | typeof db, target: Prisma.Sql, event: NewEvent): Promise<TimelineEventDto | null> {
  const now = new Date();
  const [row] = await client.$queryRaw<AppendedRow[]>`
    WITH counter AS (
      UPDATE incidents SET last_seq = last_seq + 1 WHERE ${target} RETURNING id, last_seq
    ), inserted AS (
      INSERT INTO timeline_events (incident_id, seq, kind, actor_id, body, data, occurred_at, recorded_at, pinned)
      SELECT counter.id, counter.last_seq, ${event.kind}::"TimelineKind", ${event.actorId}::uuid, ${event.body}, ${JSON.stringify(event.data ?? {})}::jsonb,
             ${event.occurredAt ?? now}, ${now}, ${event.pinned ?? false}
        FROM counter
      RETURNING id, incident_id, seq, kind, actor_id, occurred_at, recorded_at, body, data, pinned
    )
    SELECT inserted.id, inserted.seq, inserted.kind, inserted.occurred_at, inserted.recorded_at, inserted.body, inserted.data, inserted.pinned,
           users.email AS actor_email, users.name AS actor_name,
           pg_notify(${timelineChannel.name}, json_build_object('incidentId', inserted.incident_id, 'eventId', inserted.id, 'seq', inserted.seq, 'op', 'created')::text)::text AS notified
      FROM inserted LEFT JOIN users ON users.id = inserted.actor_id`;
  if (!row) return null;
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor_email !== null ? { email: row.actor_email, name: row.actor_name ?? '' } : null,
    body: row.body,
    bodyHtml: renderMarkdown(row.body, { references: incidentReferences }),
    data: (row.data ?? {}) as Record<string, unknown>,
    pinned: row.pinned,
    editedAt: null,
    editedBy: null,
  };
}

/** The incident a write goes to; a NotFoundError naming the key when there is none or the writer may not see it. */
export async function findIncidentForWrite(tx: Tx, number: number, by: ChangedBy): Promise<{ id: string; number: number; acknowledgedAt: Date | null; status: string; private: boolean }> {
  return requireVisibleIncident(tx, number, viewerOf(by), { id: true, number: true, acknowledgedAt: true, status: true, private: true });
}
