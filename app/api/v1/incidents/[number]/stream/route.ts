import { apiRoute } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';
import { subscribeTimeline } from '@/lib/platform/live/listener';
import { incidentStreamOperation } from '@/lib/timeline/operations';
import { sseResponse } from '@/lib/platform/live/sse';
import { db } from '@/lib/platform/db';
import { getTimelineEvent, listTimelineAfter } from '@/lib/timeline/queries';

export const dynamic = 'force-dynamic';

// Fifty people watching one incident get one notification each per event; without sharing that
// is fifty identical reads. A read started after notification `seq` arrived sees that event (it
// was committed before the notification was sent), so every stream prompted by `seq` with the
// same cursor can share it. Reads prompted by an earlier notification are never joined.
const sharedReads = new Map<string, ReturnType<typeof listTimelineAfter>>();

function sharedPageAfter(incidentId: string, cursor: number, seq: number): ReturnType<typeof listTimelineAfter> {
  const key = `${incidentId}:${cursor}:${seq}`;
  let read = sharedReads.get(key);
  if (!read) {
    read = listTimelineAfter(incidentId, cursor, 500).finally(() => sharedReads.delete(key));
    sharedReads.set(key, read);
  }
  return read;
}

export const GET = apiRoute(incidentStreamOperation, async ({ params, query, request }) => {
  const incident = await db.incident.findUnique({ where: { number: params.number }, select: { id: true } });
  if (!incident) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  const header = request.headers.get('last-event-id');
  const resumeFrom = header && /^\d{1,9}$/.test(header.trim()) ? Number(header) : query.lastEventId;

  return sseResponse(request.signal, async (stream) => {
    // The cursor is the last seq this client has; everything above it is sent in seq order.
    // Subscribe before reading, so nothing committed in between is missed.
    let cursor = resumeFrom ?? 0;
    let ready = false; // signals before the cursor is known are covered by the first catch-up
    let pending = Promise.resolve();
    // `seq`: the notification that prompted this catch-up; streams prompted by the same one share
    // a single read (see sharedPageAfter).
    const catchUp = (seq?: number) => {
      pending = pending.then(async () => {
        for (let first = true; !stream.closed(); first = false) {
          const page = first && seq !== undefined ? await sharedPageAfter(incident.id, cursor, seq) : await listTimelineAfter(incident.id, cursor, 500);
          for (const event of page.items) {
            stream.send({ id: event.seq, event: 'timeline', data: event });
            cursor = event.seq;
          }
          if (page.nextAfter === null) return;
        }
      });
      return pending;
    };
    const unsubscribe = await subscribeTimeline(incident.id, (signal) => {
      if (!ready) return;
      if (signal.type === 'resync') return void catchUp();
      const { notification } = signal;
      if (notification.op === 'created') {
        if (notification.seq > cursor) void catchUp(notification.seq);
        return;
      }
      pending = pending.then(async () => {
        const event = await getTimelineEvent(notification.eventId);
        if (event && event.seq <= cursor) {
          const { incidentId: _incidentId, ...dto } = event;
          stream.send({ event: 'timeline.updated', data: dto });
        }
      });
    });
    if (resumeFrom === undefined) {
      // A first connection gets only what happens from now on.
      const current = await db.incident.findUnique({ where: { id: incident.id }, select: { lastSeq: true } });
      cursor = current?.lastSeq ?? 0;
    }
    ready = true;
    await catchUp();
    return unsubscribe;
  });
});
