// When an incident's next status update is due (its severity's cadence after the last update).
import { db } from '@/lib/platform/db';

/** When the next update is due: the last update (any audience), or the declaration, plus the cadence. */
export function nextUpdateDue(lastUpdateAt: Date | null, declaredAt: Date, cadenceMinutes: number): Date {
  return new Date((lastUpdateAt ?? declaredAt).getTime() + cadenceMinutes * 60_000);
}

export async function lastUpdateTimes(incidentIds: string[]): Promise<Map<string, Date>> {
  if (!incidentIds.length) return new Map();
  const rows = await db.$queryRaw<{ incident_id: string; at: Date }[]>`
    SELECT incident_id, max(posted_at) AS at FROM status_updates WHERE incident_id = ANY(${incidentIds}::uuid[]) GROUP BY incident_id`;
  return new Map(rows.map((r) => [r.incident_id, r.at]));
}
