// Notes and edits: the timeline's own writes. Every other domain appends its events with
// appendTimelineEvent (append.ts) inside its own transaction.
import 'server-only';
import { hasRole, type ChangedBy } from '@/lib/platform/auth/policy';
import { db, type Tx } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { ConflictError, ForbiddenError, NotFoundError, parseInput } from '@/lib/platform/errors';
import { acknowledgeOnFirstAction } from '@/lib/incidents/acknowledge';
import { appendTimelineEvent, appendToAcknowledgedIncident, findIncidentForWrite, toEventDto } from '@/lib/timeline/append';
import { mentionedHandles } from '@/lib/incidents/references';
import { viewerOf } from '@/lib/incidents/visibility';
import { notifyTimeline } from '@/lib/timeline/live';
import { recordMentions } from '@/lib/timeline/mentions';
import { eventPatchSchema, noteInputSchema, type EventPatch, type NoteInput, type TimelineEventDto } from '@/lib/timeline/schema';


/**
 * Posts a note. Most notes go to an incident already acknowledged and mention nobody: those take
 * one statement (appendToAcknowledgedIncident); the first note, which acknowledges the incident,
 * a note that tells people it mentions, and a note to an incident that is missing or hidden take
 * the transaction below, which does each of those or refuses.
 */
export async function postNote(number: number, input: NoteInput, by: ChangedBy): Promise<TimelineEventDto> {
  const note = parseInput(noteInputSchema, input);
  const newEvent = {
    kind: 'note',
    actorId: by.actor?.id ?? null,
    body: note.body,
    occurredAt: note.occurredAt ? new Date(note.occurredAt) : undefined,
    pinned: note.pinned,
  } as const;
  if (!mentionedHandles(note.body).length) {
    const appended = await appendToAcknowledgedIncident(db, number, viewerOf(by), newEvent);
    if (appended) return appended;
  }
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number, by);
    await acknowledgeOnFirstAction(tx, incident, by.actor, 'posted a note');
    const event = await appendTimelineEvent(tx, incident.id, newEvent);
    // The people @mentioned are told by e-mail once the note commits (the job is in this transaction).
    await recordMentions(tx, incident, event, by.actor);
    return event;
  });
}

/**
 * Edits a note's text or time, or pins/unpins any event; the previous version is kept. What a
 * note says is its author's: only the author, the incident's commander and admins change it
 * (and the timeline names who did); any responder may pin.
 */
export async function editTimelineEvent(number: number, eventId: string, input: EventPatch, by: ChangedBy): Promise<TimelineEventDto> {
  const patch = parseInput(eventPatchSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number, by);
    // Lock the event so two edits can't both save against the same previous text.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM timeline_events WHERE id = ${eventId}::uuid AND incident_id = ${incident.id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError(`INC-${number} has no timeline event ${eventId}.`);
    const event = await tx.timelineEvent.findUniqueOrThrow({ where: { id: eventId } });
    const rewrites = patch.body !== undefined || patch.occurredAt !== undefined;
    if (rewrites && event.kind !== 'note') {
      throw new ConflictError(`Only notes can be edited; this is a ${event.kind} event. You can pin or unpin it.`);
    }
    if (rewrites && by.actor && event.actorId !== by.actor.id && !hasRole(by.actor, 'admin')) {
      const commander = await tx.incidentRole.findUnique({ where: { incidentId_role: { incidentId: incident.id, role: 'commander' } }, select: { userId: true } });
      if (commander?.userId !== by.actor.id) {
        throw new ForbiddenError('Only the note’s author, the Incident Commander or an admin can change what it says; you can pin or unpin it.');
      }
    }
    const changes: Prisma.TimelineEventUpdateInput = {};
    if (patch.body !== undefined && patch.body !== event.body) changes.body = patch.body;
    if (patch.occurredAt !== undefined && new Date(patch.occurredAt).getTime() !== event.occurredAt.getTime()) changes.occurredAt = new Date(patch.occurredAt);
    if (patch.pinned !== undefined && patch.pinned !== event.pinned) changes.pinned = patch.pinned;
    if (Object.keys(changes).length === 0) {
      const people = { select: { email: true, name: true } } as const;
      return toEventDto({
        ...event,
        actor: event.actorId ? await tx.user.findUnique({ where: { id: event.actorId }, ...people }) : null,
        editedBy: event.editedById ? await tx.user.findUnique({ where: { id: event.editedById }, ...people }) : null,
      });
    }
    await tx.timelineEventRevision.create({
      data: { eventId, body: event.body, occurredAt: event.occurredAt, pinned: event.pinned, editedById: by.actor?.id ?? null },
    });
    const updated = await tx.timelineEvent.update({
      where: { id: eventId },
      // Pinning is not an edit of what was said; only text and time changes mark the event edited.
      data: {
        ...changes,
        ...(changes.body !== undefined || changes.occurredAt !== undefined ? { editedAt: new Date(), editedBy: by.actor ? { connect: { id: by.actor.id } } : { disconnect: true } } : {}),
      },
      include: { actor: { select: { email: true, name: true } }, editedBy: { select: { email: true, name: true } } },
    });
    await notifyTimeline(tx, { incidentId: incident.id, eventId, seq: updated.seq, op: 'updated' });
    return toEventDto(updated);
  });
}

/**
 * Moves a duplicate's timeline into the incident it is merged into, inside the merge's
 * transaction (both incidents' rows are locked by the caller). The events keep who, what and
 * when (and their edit history); they take the next seqs of the survivor in their own order, so
 * the survivor's live streams pick them up, and each says where it came from. Returns how many moved.
 */
export async function moveTimeline(tx: Tx, from: { id: string; key: string }, to: { id: string }): Promise<number> {
  const moved = await tx.$executeRaw`
    WITH survivor AS (SELECT last_seq FROM incidents WHERE id = ${to.id}::uuid),
         ordered AS (SELECT id, row_number() OVER (ORDER BY seq) AS n FROM timeline_events WHERE incident_id = ${from.id}::uuid)
    UPDATE timeline_events e
       SET incident_id = ${to.id}::uuid,
           seq = survivor.last_seq + ordered.n,
           data = e.data || jsonb_build_object('mergedFrom', ${from.key}::text)
      FROM ordered, survivor
     WHERE e.id = ordered.id`;
  if (moved > 0) await tx.$executeRaw`UPDATE incidents SET last_seq = last_seq + ${moved} WHERE id = ${to.id}::uuid`;
  await tx.mentionNotification.updateMany({ where: { incidentId: from.id }, data: { incidentId: to.id } });
  return moved;
}
