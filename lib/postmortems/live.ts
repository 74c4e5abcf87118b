// The review's NOTIFY channel: someone saved the incident's review (`version`), or someone's
// presence in it changed. Review news is not dashboard news: it has a channel of its own.
import type { Tx } from '@/lib/platform/db';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';

export type ReviewNotification = { incidentId: string; op: 'saved' | 'presence'; version?: number };

export const reviewChannel = defineChannel<ReviewNotification>('sitrep_review', (n) => n.incidentId);

export function notifyReview(tx: Tx, notification: ReviewNotification): Promise<void> {
  return notifyChannel(tx, reviewChannel, notification);
}
