// The dashboard's live stream (GET /api/v1/stream): `incident` with `{incidentId, number?}`
// whenever an incident or its timeline changes anywhere, `resync` after the LISTEN connection was
// lost (the dashboard then reloads what it shows).
import { subscribe, type LiveSignal } from '@/lib/platform/live/listener';
import { sseResponse } from '@/lib/platform/live/sse';
import { incidentsChannel } from '@/lib/incidents/live';
import { timelineChannel } from '@/lib/timeline/live';

export function dashboardStream(signal: AbortSignal): Response {
  return sseResponse(signal, async (stream) => {
    const onSignal = (change: LiveSignal<{ incidentId: string; number?: number }>) => {
      if (change.type === 'resync') return stream.send({ event: 'resync', data: {} });
      const { incidentId, number } = change.notification;
      stream.send({ event: 'incident', data: { incidentId, ...(number ? { number } : {}) } });
    };
    const unsubscribe = await Promise.all([subscribe(incidentsChannel, null, onSignal), subscribe(timelineChannel, null, onSignal)]);
    return () => unsubscribe.forEach((stop) => stop());
  });
}
