// The alerts' NOTIFY channel: alerts changed (stored, repeated, resolved, acknowledged, linked…).
// One notification per transaction and incident touched, not per alert, so a storm of thousands
// of alerts costs each live view a handful of refreshes. `incidentId` is the topic: a command view
// follows its own incident's alerts; /alerts and the dashboard follow every topic.
import 'server-only';
import type { Tx } from '@/lib/platform/db';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';

export type AlertsNotification = { incidentId: string | null };

/** The topic of alerts linked to no incident. */
export const UNLINKED = 'unlinked';

export const alertsChannel = defineChannel<AlertsNotification>('sitrep_alerts', (n) => n.incidentId ?? UNLINKED);

/** Announces, on commit, that alerts of these incidents (null: of none) changed. */
export async function notifyAlerts(tx: Tx, incidentIds: Iterable<string | null>): Promise<void> {
  for (const incidentId of new Set(incidentIds)) await notifyChannel(tx, alertsChannel, { incidentId });
}
