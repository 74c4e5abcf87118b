// /alerts' live stream (GET /api/v1/alerts/stream): `alerts` with `{incidentId}` whenever alerts
// are stored or change, `resync` after the LISTEN connection was lost (the view reloads). With an
// incident, only that incident's alerts: the command view's card.
import 'server-only';
import { alertsChannel } from '@/lib/alerts/live';
import { subscribe, type LiveSignal } from '@/lib/platform/live/listener';
import { sseResponse } from '@/lib/platform/live/sse';

export function alertsStream(signal: AbortSignal, incidentId: string | null): Response {
  return sseResponse(signal, (stream) =>
    subscribe(alertsChannel, incidentId, (change: LiveSignal<{ incidentId: string | null }>) => {
      if (change.type === 'resync') stream.send({ event: 'resync', data: {} });
      else stream.send({ event: 'alerts', data: { incidentId: change.notification.incidentId } });
    }),
  );
}
