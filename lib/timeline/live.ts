// The timeline's NOTIFY channel: one notification per new or edited event, for the incident's
// live streams on every app instance (and the dashboard's).
import type { Tx } from '@/lib/platform/db';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';

export type TimelineNotification = { incidentId: string; eventId: string; seq: number; op: 'created' | 'updated' };

export const timelineChannel = defineChannel<TimelineNotification>('sitrep_timeline', (n) => n.incidentId);

export function notifyTimeline(tx: Tx, notification: TimelineNotification): Promise<void> {
  return notifyChannel(tx, timelineChannel, notification);
}
