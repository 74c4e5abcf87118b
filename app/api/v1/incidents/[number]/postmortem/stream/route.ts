import { apiRoute } from '@/lib/platform/http/route';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentIdByNumber } from '@/lib/incidents/queries';
import { incidentKey } from '@/lib/incidents/schema';
import { subscribeReview } from '@/lib/platform/live/listener';
import { sseResponse } from '@/lib/platform/live/sse';
import { reviewStreamOperation } from '@/lib/postmortems/operations';
import { listPresence } from '@/lib/postmortems/queries';

export const dynamic = 'force-dynamic';

// Presence expires after 20 s without a heartbeat; re-sending it this often lets leavers fade.
const PRESENCE_REFRESH_MS = 10_000;

export const GET = apiRoute(reviewStreamOperation, async ({ params, request }) => {
  const incidentId = await incidentIdByNumber(params.number);
  if (!incidentId) throw new NotFoundError(`${incidentKey(params.number)} does not exist.`);
  return sseResponse(request.signal, async (stream) => {
    let pending = Promise.resolve();
    const sendPresence = () => {
      pending = pending.then(async () => {
        if (!stream.closed()) stream.send({ event: 'presence', data: await listPresence(params.number, null) });
      });
    };
    const unsubscribe = await subscribeReview(incidentId, (signal) => {
      if (signal.type === 'review' && signal.notification.op === 'saved') stream.send({ event: 'review', data: { version: signal.notification.version ?? null } });
      else sendPresence();
    });
    sendPresence();
    const timer = setInterval(sendPresence, PRESENCE_REFRESH_MS);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  });
});
