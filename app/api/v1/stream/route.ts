import { apiRoute } from '@/lib/platform/http/route';
import { subscribeAll } from '@/lib/platform/live/listener';
import { dashboardStreamOperation } from '@/lib/incidents/operations';
import { sseResponse } from '@/lib/platform/live/sse';

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
