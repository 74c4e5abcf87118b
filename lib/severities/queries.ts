import 'server-only';
import { db } from '@/lib/platform/db';

export type SeverityDto = { key: string; level: number; name: string; description: string; responseTargetMinutes: number; updateCadenceMinutes: number; reviewRequired: boolean };

export async function listSeverities(): Promise<SeverityDto[]> {
  const rows = await db.severity.findMany({ orderBy: { level: 'asc' } });
  return rows.map(({ key, level, name, description, responseTargetMinutes, updateCadenceMinutes, reviewRequired }) => ({ key, level, name, description, responseTargetMinutes, updateCadenceMinutes, reviewRequired }));
}

/** The severity keys there are, most severe first. */
export async function listSeverityKeys(): Promise<string[]> {
  return (await db.severity.findMany({ orderBy: { level: 'asc' }, select: { key: true } })).map((s) => s.key);
}
