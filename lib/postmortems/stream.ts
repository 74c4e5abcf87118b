// The review's live stream (GET /api/v1/incidents/{n}/postmortem/stream): `review` with the new
// version when someone saves, `presence` (who is in which section) when someone moves, joins or
// leaves, and every 10 s so that leavers fade (presence expires 20 s after the last heartbeat).
import { subscribe } from '@/lib/platform/live/listener';
import { sseResponse } from '@/lib/platform/live/sse';
import { reviewChannel } from '@/lib/postmortems/live';
import { listPresence } from '@/lib/postmortems/queries';

const PRESENCE_REFRESH_MS = 10_000;

export function reviewStream(incident: { id: string; number: number }, signal: AbortSignal): Response {
  return sseResponse(signal, async (stream) => {
    const sendPresence = () =>
      void stream.inOrder(async () => {
        if (!stream.closed()) stream.send({ event: 'presence', data: await listPresence(incident.number, null) });
      });
    const unsubscribe = await subscribe(reviewChannel, incident.id, (signal) => {
      if (signal.type === 'change' && signal.notification.op === 'saved') stream.send({ event: 'review', data: { version: signal.notification.version ?? null } });
      else sendPresence();
    });
    sendPresence();
    const timer = setInterval(sendPresence, PRESENCE_REFRESH_MS);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  });
}
