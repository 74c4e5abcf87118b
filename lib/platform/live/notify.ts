// Change notifications over Postgres NOTIFY. They are sent inside the writing transaction, so
// they are delivered when (and only if) it commits, in commit order. A notification carries ids
// only; listeners read the row itself (payloads are capped at 8 kB and must not leak data).
import type { Tx } from '@/lib/platform/db';

export const TIMELINE_CHANNEL = 'sitrep_timeline';
export const INCIDENTS_CHANNEL = 'sitrep_incidents';
export const REVIEW_CHANNEL = 'sitrep_review';

export type TimelineNotification = { incidentId: string; eventId: string; seq: number; op: 'created' | 'updated' };
export type IncidentNotification = { incidentId: string; number: number };
/** Someone saved the incident's review (`version`), or someone's presence in it changed. */
export type ReviewNotification = { incidentId: string; op: 'saved' | 'presence'; version?: number };

export async function notifyTimeline(tx: Tx, notification: TimelineNotification): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${TIMELINE_CHANNEL}, ${JSON.stringify(notification)})`;
}

export async function notifyIncident(tx: Tx, notification: IncidentNotification): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${INCIDENTS_CHANNEL}, ${JSON.stringify(notification)})`;
}

export async function notifyReview(tx: Tx, notification: ReviewNotification): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${REVIEW_CHANNEL}, ${JSON.stringify(notification)})`;
}
