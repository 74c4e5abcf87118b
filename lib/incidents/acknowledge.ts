// Acknowledging an incident: the response-time target is met when a responder first acts on it.
// It is never silent: pressing Acknowledge says so, and an acknowledgement that comes with someone's
// first action says on the timeline which action it was.
import type { Actor } from '@/lib/platform/auth/policy';
import type { Tx } from '@/lib/platform/db';
import { notifyIncident } from '@/lib/incidents/live';
import { appendTimelineEvent } from '@/lib/timeline/append';

/**
 * The first responder action on an incident acknowledges it (the response-time target is met);
 * `cause` names that action ("posted a note", "made Priya Shah Tech Lead"), and without one the
 * person pressed Acknowledge. Called inside the action's transaction.
 */
export async function acknowledgeOnFirstAction(tx: Tx, incident: { id: string; acknowledgedAt: Date | null }, actor: Actor | null, cause?: string): Promise<void> {
  if (incident.acknowledgedAt || !actor || actor.role === 'viewer') return;
  const updated = await tx.incident.updateMany({ where: { id: incident.id, acknowledgedAt: null }, data: { acknowledgedAt: new Date() } });
  if (updated.count === 0) return; // someone else acknowledged it a moment ago
  await appendTimelineEvent(tx, incident.id, {
    kind: 'system',
    actorId: actor.id,
    body: cause ? `Acknowledged: first response by ${actor.name} (${cause}).` : `Acknowledged by ${actor.name}.`,
    data: { acknowledged: true, ...(cause ? { firstResponse: cause } : {}) },
  });
}

/**
 * The first page about an incident: time to acknowledge counts from here when the incident had
 * not been acknowledged yet (API.md, insights: mtta is declared-or-first-page → acknowledged).
 * Called inside the page's transaction.
 */
export async function recordFirstPage(tx: Tx, incidentId: string, at: Date): Promise<void> {
  await tx.incident.updateMany({ where: { id: incidentId, pagedAt: null }, data: { pagedAt: at } });
}

/**
 * Someone acknowledged a page about the incident, in that page's transaction: they join it as a
 * subject-matter expert (unless they hold a role in it already), and the incident is acknowledged
 * if nobody had acknowledged it yet. Both land on the timeline; the incident's version moves so a
 * form opened before it refreshes.
 */
export async function acknowledgeFromPage(tx: Tx, incident: { id: string; number: number }, person: { id: string; name: string; email: string }): Promise<void> {
  let changed = false;
  const holdsRole = await tx.incidentRole.findFirst({ where: { incidentId: incident.id, userId: person.id }, select: { role: true } });
  if (!holdsRole) {
    const joined = await tx.incidentSme.createMany({ data: [{ incidentId: incident.id, userId: person.id }], skipDuplicates: true });
    if (joined.count > 0) {
      changed = true;
      await appendTimelineEvent(tx, incident.id, { kind: 'role', actorId: person.id, body: `${person.name} joined as a subject-matter expert (acknowledged the page).`, data: { role: 'sme', to: person.email, via: 'page' } });
    }
  }
  const acknowledged = await tx.incident.updateMany({ where: { id: incident.id, acknowledgedAt: null }, data: { acknowledgedAt: new Date() } });
  if (acknowledged.count > 0) {
    changed = true;
    await appendTimelineEvent(tx, incident.id, { kind: 'system', actorId: person.id, body: `Acknowledged by ${person.name} (answered the page).`, data: { acknowledged: true, via: 'page' } });
  }
  if (changed) {
    await tx.incident.update({ where: { id: incident.id }, data: { version: { increment: 1 } } });
    await notifyIncident(tx, { incidentId: incident.id, number: incident.number });
  }
}
