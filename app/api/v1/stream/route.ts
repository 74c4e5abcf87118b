import { apiRoute } from '@/lib/api/route';
import { subscribeAll } from '@/lib/live/listener';
import { dashboardStreamOperation } from '@/lib/live/operations';
import { sseResponse } from '@/lib/live/sse';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(dashboardStreamOperation, async ({ request }) =>
  sseResponse(request.signal, async (stream) =>
    subscribeAll((change) => {
      if (!('payload' in change)) return stream.send({ event: 'resync', data: {} });
      const { incidentId, number } = change.payload as { incidentId: string; number?: number };
      stream.send({ event: 'incident', data: { incidentId, ...(number ? { number } : {}) } });
    }),
  ),
);
