import 'server-only';
import { db } from '@/lib/platform/db';
import { severityKeySchema } from '@/lib/incidents/schema';

export type SeverityDto = { key: string; level: number; name: string; description: string; responseTargetMinutes: number; updateCadenceMinutes: number; reviewRequired: boolean };

export async function listSeverities(): Promise<SeverityDto[]> {
  const rows = await db.severity.findMany({ orderBy: { level: 'asc' } });
  return rows.map(({ key, level, name, description, responseTargetMinutes, updateCadenceMinutes, reviewRequired }) => ({ key, level, name, description, responseTargetMinutes, updateCadenceMinutes, reviewRequired }));
}

/** A severity key that must exist: an async refinement, so it is checked with every other field (lib/platform/validation.ts). */
export const existingSeverityKey = severityKeySchema.superRefine(async (key, ctx) => {
  const keys = (await db.severity.findMany({ orderBy: { level: 'asc' }, select: { key: true } })).map((s) => s.key);
  if (!keys.includes(key)) ctx.addIssue({ code: 'custom', message: `${key} is not a severity; use ${keys.length > 1 ? `${keys[0]}–${keys.at(-1)}` : keys.join('')}` });
});
