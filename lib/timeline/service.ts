// THE TIMELINE'S ORDERING. Every event gets `seq` = ++incidents.last_seq, taken with an UPDATE
// on the incident's row inside the writing transaction. The row lock is held until commit, so
// seqs are unique, gap-free and committed in increasing order: a reader that has seen seq N
// can never later find a new event below N (the SSE replay relies on this). Events are never
// deleted; an edit keeps the previous text as a revision. On screen, events are ordered by
// occurredAt (which may be back-dated), ties by seq.
import type { Actor, ChangedBy } from '@/lib/auth/policy';
import { db, type Tx } from '@/lib/db';
import { ConflictError, NotFoundError, parseInput } from '@/lib/errors';
import type { Prisma, TimelineEvent, User } from '@/lib/generated/prisma/client';
import { notifyTimeline, TIMELINE_CHANNEL } from '@/lib/live/notify';
import { renderMarkdown } from '@/lib/platform/markdown/render';
import {
  eventPatchSchema,
  noteInputSchema,
  type EventPatch,
  type NoteInput,
  type TimelineEventDto,
  type TimelineKind,
} from '@/lib/timeline/schema';

export type { ChangedBy } from '@/lib/auth/policy';

export function toEventDto(event: TimelineEvent & { actor: Pick<User, 'email' | 'name'> | null }): TimelineEventDto {
  return {
    id: event.id,
    seq: event.seq,
    kind: event.kind,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    actor: event.actor ? { email: event.actor.email, name: event.actor.name } : null,
    body: event.body,
    bodyHtml: renderMarkdown(event.body),
    data: (event.data ?? {}) as Record<string, unknown>,
    pinned: event.pinned,
    editedAt: event.editedAt?.toISOString() ?? null,
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
  const now = new Date();
  const [row] = await tx.$queryRaw<AppendedRow[]>`
    WITH counter AS (
      UPDATE incidents SET last_seq = last_seq + 1 WHERE id = ${incidentId}::uuid RETURNING id, last_seq
    ), inserted AS (
      INSERT INTO timeline_events (incident_id, seq, kind, actor_id, body, data, occurred_at, recorded_at, pinned)
      SELECT counter.id, counter.last_seq, ${event.kind}::"TimelineKind", ${event.actorId}::uuid, ${event.body}, ${JSON.stringify(event.data ?? {})}::jsonb,
             ${event.occurredAt ?? now}, ${now}, ${event.pinned ?? false}
        FROM counter
      RETURNING id, incident_id, seq, kind, actor_id, occurred_at, recorded_at, body, data, pinned
    )
    SELECT inserted.id, inserted.seq, inserted.kind, inserted.occurred_at, inserted.recorded_at, inserted.body, inserted.data, inserted.pinned,
           users.email AS actor_email, users.name AS actor_name,
           pg_notify(${TIMELINE_CHANNEL}, json_build_object('incidentId', inserted.incident_id, 'eventId', inserted.id, 'seq', inserted.seq, 'op', 'created')::text)::text AS notified
      FROM inserted LEFT JOIN users ON users.id = inserted.actor_id`;
  if (!row) throw new NotFoundError('That incident does not exist.');
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor_email !== null ? { email: row.actor_email, name: row.actor_name ?? '' } : null,
    body: row.body,
    bodyHtml: renderMarkdown(row.body),
    data: (row.data ?? {}) as Record<string, unknown>,
    pinned: row.pinned,
    editedAt: null,
  };
}

/** The incident a timeline write goes to; throws a NotFoundError naming the key. */
export async function findIncidentForWrite(tx: Tx, number: number): Promise<{ id: string; number: number; acknowledgedAt: Date | null; status: string }> {
  const incident = await tx.incident.findUnique({ where: { number }, select: { id: true, number: true, acknowledgedAt: true, status: true } });
  if (!incident) throw new NotFoundError(`INC-${number} does not exist.`);
  return incident;
}

/**
 * The first responder action on an incident acknowledges it (the response-time target is met).
 * Called inside the action's transaction.
 */
export async function acknowledgeOnFirstAction(tx: Tx, incident: { id: string; acknowledgedAt: Date | null }, actor: Actor | null): Promise<void> {
  if (incident.acknowledgedAt || !actor || actor.role === 'viewer') return;
  const updated = await tx.incident.updateMany({ where: { id: incident.id, acknowledgedAt: null }, data: { acknowledgedAt: new Date() } });
  if (updated.count === 0) return; // someone else acknowledged it a moment ago
  await appendTimelineEvent(tx, incident.id, { kind: 'system', actorId: actor.id, body: `Acknowledged by ${actor.name}.`, data: { acknowledged: true } });
}

export async function postNote(number: number, input: NoteInput, by: ChangedBy): Promise<TimelineEventDto> {
  const note = parseInput(noteInputSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number);
    await acknowledgeOnFirstAction(tx, incident, by.actor);
    return appendTimelineEvent(tx, incident.id, {
      kind: 'note',
      actorId: by.actor?.id ?? null,
      body: note.body,
      occurredAt: note.occurredAt ? new Date(note.occurredAt) : undefined,
      pinned: note.pinned,
    });
  });
}

/** Edits a note's text or time, or pins/unpins any event; the previous version is kept. */
export async function editTimelineEvent(number: number, eventId: string, input: EventPatch, by: ChangedBy): Promise<TimelineEventDto> {
  const patch = parseInput(eventPatchSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number);
    // Lock the event so two edits can't both save against the same previous text.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM timeline_events WHERE id = ${eventId}::uuid AND incident_id = ${incident.id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError(`INC-${number} has no timeline event ${eventId}.`);
    const event = await tx.timelineEvent.findUniqueOrThrow({ where: { id: eventId } });
    if ((patch.body !== undefined || patch.occurredAt !== undefined) && event.kind !== 'note') {
      throw new ConflictError(`Only notes can be edited; this is a ${event.kind} event. You can pin or unpin it.`);
    }
    const changes: Prisma.TimelineEventUpdateInput = {};
    if (patch.body !== undefined && patch.body !== event.body) changes.body = patch.body;
    if (patch.occurredAt !== undefined && new Date(patch.occurredAt).getTime() !== event.occurredAt.getTime()) changes.occurredAt = new Date(patch.occurredAt);
    if (patch.pinned !== undefined && patch.pinned !== event.pinned) changes.pinned = patch.pinned;
    if (Object.keys(changes).length === 0) {
      return toEventDto({ ...event, actor: event.actorId ? await tx.user.findUnique({ where: { id: event.actorId }, select: { email: true, name: true } }) : null });
    }
    await tx.timelineEventRevision.create({
      data: { eventId, body: event.body, occurredAt: event.occurredAt, pinned: event.pinned, editedById: by.actor?.id ?? null },
    });
    const updated = await tx.timelineEvent.update({
      where: { id: eventId },
      // Pinning is not an edit of what was said; only text and time changes mark the event edited.
      data: { ...changes, ...(changes.body !== undefined || changes.occurredAt !== undefined ? { editedAt: new Date() } : {}) },
      include: { actor: { select: { email: true, name: true } } },
    });
    await notifyTimeline(tx, { incidentId: incident.id, eventId, seq: updated.seq, op: 'updated' });
    return toEventDto(updated);
  });
}
