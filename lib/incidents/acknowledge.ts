// Acknowledging an incident: the response-time target is met when a responder first acts on it.
import type { Actor } from '@/lib/platform/auth/policy';
import type { Tx } from '@/lib/platform/db';
import { appendTimelineEvent } from '@/lib/timeline/append';

/**
 * The first responder action on an incident acknowledges it (the response-time target is met).
 * Called inside the action's transaction.
 */
export async function acknowledgeOnFirstAction(tx: Tx, incident: { id: string; acknowledgedAt: Date | null }, actor: Actor | null): Promise<void> {
  if (incident.acknowledgedAt || !actor || actor.role === 'viewer') return;
  const updated = await tx.incident.updateMany({ where: { id: incident.id, acknowledgedAt: null }, data: { acknowledgedAt: new Date() } });
  if (updated.count === 0) return; // someone else acknowledged it a moment ago
  await appendTimelineEvent(tx, incident.id, { kind: 'system', actorId: actor.id, body: `Acknowledged by ${actor.name}.`, data: { acknowledged: true } });
}
