// The incidents' NOTIFY channel: an incident changed (status, severity, roles, details…). The
// dashboard's live stream follows it together with every timeline.
import type { Tx } from '@/lib/platform/db';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';

export type IncidentNotification = { incidentId: string; number: number };

export const incidentsChannel = defineChannel<IncidentNotification>('sitrep_incidents', (n) => n.incidentId);

export function notifyIncident(tx: Tx, notification: IncidentNotification): Promise<void> {
  return notifyChannel(tx, incidentsChannel, notification);
}
