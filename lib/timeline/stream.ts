// An incident's live timeline (GET /api/v1/incidents/{n}/stream): platform/live's cursor stream
// over the incident's events by seq.
import { cursorStream } from '@/lib/platform/live/cursor-stream';
import { timelineChannel } from '@/lib/timeline/live';
import { getTimelineEvent, lastTimelineSeq, listTimelineAfter } from '@/lib/timeline/queries';

export function timelineStream(incidentId: string, signal: AbortSignal, resumeFrom: number | undefined): Promise<Response> {
  return cursorStream({
    signal,
    channel: timelineChannel,
    topic: incidentId,
    resumeFrom,
    events: { created: 'timeline', updated: 'timeline.updated' },
    lastSeq: () => lastTimelineSeq(incidentId),
    readAfter: (after, limit) => listTimelineAfter(incidentId, after, limit),
    classify: (n) => (n.op === 'created' ? { created: n.seq } : { changed: n.eventId }),
    readChanged: async (eventId) => {
      const event = await getTimelineEvent(eventId);
      if (!event || event.incidentId !== incidentId) return null;
      const { incidentId: _incidentId, ...dto } = event;
      return dto;
    },
  });
}
