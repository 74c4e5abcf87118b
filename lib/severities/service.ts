import 'server-only';
import { recordAudit } from '@/lib/audit/service';
import { db } from '@/lib/platform/db';
import { NotFoundError, parseInput } from '@/lib/platform/errors';
import { notifyIncident } from '@/lib/incidents/live';
import { severityUpdateSchema, type SeverityUpdate } from '@/lib/severities/schema';
import type { ChangedBy } from '@/lib/platform/auth/policy';

/** Changes a severity's name, description, response target or update cadence. */
export async function updateSeverity(input: SeverityUpdate, by: ChangedBy) {
  const data = parseInput(severityUpdateSchema, input);
  return db.$transaction(async (tx) => {
    const before = await tx.severity.findUnique({ where: { key: data.key } });
    if (!before) throw new NotFoundError(`${data.key} is not a severity.`);
    const after = await tx.severity.update({
      where: { key: data.key },
      data: { name: data.name, description: data.description, responseTargetMinutes: data.responseTargetMinutes, updateCadenceMinutes: data.updateCadenceMinutes, reviewRequired: data.reviewRequired },
    });
    await recordAudit(tx, {
      actorId: by.actor?.id ?? null,
      action: 'severity.updated',
      targetType: 'severity',
      targetId: data.key,
      detail: { name: after.name, responseTargetMinutes: [before.responseTargetMinutes, after.responseTargetMinutes], updateCadenceMinutes: [before.updateCadenceMinutes, after.updateCadenceMinutes] },
      requestId: by.requestId,
    });
    // Open incidents of this severity get new countdowns; dashboards refresh.
    const open = await tx.incident.findMany({ where: { severityKey: data.key, status: { in: ['investigating', 'identified', 'monitoring'] } }, select: { id: true, number: true } });
    for (const incident of open) await notifyIncident(tx, { incidentId: incident.id, number: incident.number });
    return after;
  });
}
