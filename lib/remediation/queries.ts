import { db } from '@/lib/db';
import type { ActionDto } from '@/lib/remediation/schema';
import { toActionDto } from '@/lib/remediation/service';

export async function listActions(): Promise<ActionDto[]> {
  return (await db.remediationAction.findMany({ orderBy: { name: 'asc' } })).map(toActionDto);
}
