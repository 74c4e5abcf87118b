// The dashboard's live stream (GET /api/v1/stream): `incident` with `{incidentId, number?}`
// whenever an incident the viewer may see or its timeline changes anywhere, `resync` after the
// LISTEN connection was lost (the dashboard then reloads what it shows). A change to a private
// incident the viewer may not see is sent as `incident` with `{}` when the incident itself changed
// (its status may move the dashboard's count of private incidents), never with its id or number,
// and not at all for its timeline.
import { subscribe, type LiveSignal } from '@/lib/platform/live/listener';
import { sseResponse } from '@/lib/platform/live/sse';
import { incidentsChannel } from '@/lib/incidents/live';
import { canSee, type Viewer } from '@/lib/incidents/visibility';
import { timelineChannel } from '@/lib/timeline/live';

export function dashboardStream(viewer: Viewer, signal: AbortSignal): Response {
  return sseResponse(signal, async (stream) => {
    // Whether the viewer may see each incident, asked once per incident and again whenever the
    // incident itself changes: privacy, roles, experts and members all change it through
    // incidentsChannel, so a note (timelineChannel) never needs a fresh answer.
    const visible = new Map<string, Promise<boolean>>();
    const mayShow = (incidentId: string, fresh: boolean) => {
      if (fresh || !visible.has(incidentId)) visible.set(incidentId, canSee(viewer, incidentId).catch(() => false));
      return visible.get(incidentId)!;
    };
    const onSignal = (change: LiveSignal<{ incidentId: string; number?: number }>) => {
      if (change.type === 'resync') {
        visible.clear();
        return stream.send({ event: 'resync', data: {} });
      }
      const { incidentId, number } = change.notification;
      const incidentChanged = change.channel === incidentsChannel.name;
      // In arrival order, so the page never hears of a change before an earlier one.
      void stream.inOrder(async () => {
        if (await mayShow(incidentId, incidentChanged)) stream.send({ event: 'incident', data: { incidentId, ...(number ? { number } : {}) } });
        else if (incidentChanged) stream.send({ event: 'incident', data: {} });
      });
    };
    const unsubscribe = await Promise.all([subscribe(incidentsChannel, null, onSignal), subscribe(timelineChannel, null, onSignal)]);
    return () => unsubscribe.forEach((stop) => stop());
  });
}

/**
 * `signal`, aborted also as soon as `viewer` may no longer see the incident (it was made private,
 * or their role or membership ended): an incident's live stream given it closes then, and its
 * reconnect is answered 404.
 */
export function untilHidden(incidentId: string, viewer: Viewer, signal: AbortSignal): AbortSignal {
  if (viewer === 'installation' || viewer.role === 'admin') return signal;
  const hidden = new AbortController();
  const combined = AbortSignal.any([signal, hidden.signal]);
  let checking = Promise.resolve();
  // Every change of privacy, roles, experts or members notifies incidentsChannel; after a lost
  // LISTEN connection (resync) anything may have changed.
  void subscribe(incidentsChannel, incidentId, () => {
    checking = checking.then(async () => {
      if (!combined.aborted && !(await canSee(viewer, incidentId).catch(() => false))) hidden.abort();
    });
  }).then((stop) => {
    if (combined.aborted) stop();
    else combined.addEventListener('abort', stop, { once: true });
  });
  return combined;
}
