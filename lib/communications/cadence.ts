// Update cadence: each severity says how often its incidents need a status update. Once an
// update is overdue, the Communications Lead (or, without one, the Incident Commander) gets
// one reminder: on the timeline, in the command view, and through the notification channels
// with the update_overdue rule. The check runs every minute in every worker; the reminder's
// key (incident, due time) makes a second reminder for the same due time impossible.
import { db } from '@/lib/platform/db';
import { openStatuses } from '@/lib/incidents/lifecycle';
import { incidentKey } from '@/lib/incidents/schema';
import { log } from '@/lib/platform/log';
import { notify } from '@/lib/notifications/service';
import { formatClock } from '@/lib/platform/time';
import { appendTimelineEvent } from '@/lib/timeline/append';

export type Reminder = { incidentId: string; number: number; dueAt: Date; remind: { name: string; email: string } | null };

type Overdue = { id: string; number: number; due_at: Date; severity: string; cadence: number };

/**
 * The open incidents whose update is overdue at `now` and whose reminder for that due time was
 * not sent yet: one statement, so a minute's check costs one read however many incidents are
 * open and long reminded (2,000 of them took a transaction each, every minute, in every worker).
 * The due time is nextUpdateDue's, on the incident's last_update_at (the latest status update,
 * kept by PostgreSQL: migration 20261202094135_insight_facts).
 */
async function overdueIncidents(now: Date): Promise<Overdue[]> {
  return db.$queryRaw<Overdue[]>`
    SELECT i.id, i.number, d.due_at, s.key AS severity, s.update_cadence_minutes AS cadence
      FROM incidents i
      JOIN severities s ON s.key = i.severity_key
     CROSS JOIN LATERAL (SELECT coalesce(i.last_update_at, i.declared_at) + s.update_cadence_minutes * interval '1 minute' AS due_at) d
     WHERE i.status::text = ANY(${[...openStatuses]}::text[])
       AND d.due_at <= ${now}
       AND NOT EXISTS (SELECT 1 FROM update_reminders r WHERE r.incident_id = i.id AND r.due_at = d.due_at)
     ORDER BY d.due_at, i.number`;
}

/** Sends the reminders that are due at `now`; returns the ones it sent. */
export async function checkOverdueUpdates(now = new Date()): Promise<Reminder[]> {
  const sent: Reminder[] = [];
  for (const overdue of await overdueIncidents(now)) {
    const incident = { id: overdue.id, number: overdue.number, severity: { key: overdue.severity, updateCadenceMinutes: overdue.cadence } };
    const dueAt = overdue.due_at;
    const reminder = await db.$transaction(async (tx) => {
      const roles = await tx.incidentRole.findMany({ where: { incidentId: incident.id, role: { in: ['comms_lead', 'commander'] } }, include: { user: { select: { id: true, name: true, email: true } } } });
      const holder = (roles.find((r) => r.role === 'comms_lead') ?? roles.find((r) => r.role === 'commander'))?.user ?? null;
      const inserted = await tx.$executeRaw`
        INSERT INTO update_reminders (incident_id, due_at, user_id) VALUES (${incident.id}::uuid, ${dueAt}, ${holder?.id ?? null}::uuid)
        ON CONFLICT DO NOTHING`;
      if (inserted === 0) return null; // another worker reminded first
      const lead = roles.some((r) => r.role === 'comms_lead') ? 'Communications Lead' : 'Incident Commander';
      await appendTimelineEvent(tx, incident.id, {
        kind: 'communication',
        actorId: null,
        body: `A status update was due at ${formatClock(dueAt)} (every ${incident.severity.updateCadenceMinutes} min for ${incident.severity.key}). ${holder ? `Reminder sent to ${holder.name} (${lead}).` : 'Nobody holds the Communications Lead or Incident Commander role to remind.'}`,
        data: { overdue: true, dueAt: dueAt.toISOString(), remindedEmail: holder?.email ?? null },
      });
      await notify(tx, incident.id, 'update_overdue', { dueAt: dueAt.toISOString(), communicationsLead: holder ? { name: holder.name, email: holder.email } : null });
      return { incidentId: incident.id, number: incident.number, dueAt, remind: holder ? { name: holder.name, email: holder.email } : null };
    });
    if (reminder) {
      sent.push(reminder);
      log.info('status update overdue; reminder sent', { incident: incidentKey(incident.number), dueAt: dueAt.toISOString() });
    }
  }
  return sent;
}

let timer: NodeJS.Timeout | null = null;

/** Checks every `intervalMs` (default a minute) in this process until stopped. */
export function startCadenceChecks(intervalMs = 60_000): void {
  if (timer) return;
  const tick = () => {
    checkOverdueUpdates().catch((error: unknown) => log.warn('update cadence check failed', { error: (error as Error).message }));
  };
  timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
}

export function stopCadenceChecks(): void {
  if (timer) clearInterval(timer);
  timer = null;
}
