// The alerts' part of merging a duplicate incident into the one that carries on
// (lib/incidents/service.ts mergeIncident). Apart from service.ts, which itself declares
// incidents, so the two services don't import each other.
import 'server-only';
import type { Tx } from '@/lib/platform/db';

/**
 * A merged duplicate's alerts (and their groups, so new firings join the survivor) go with it to
 * the incident it was merged into, in the merge's transaction. Returns how many alerts moved.
 */
export async function moveAlerts(tx: Tx, fromIncidentId: string, toIncidentId: string): Promise<number> {
  await tx.alertGroup.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } });
  return (await tx.alert.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } })).count;
}
