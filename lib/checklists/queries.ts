import 'server-only';
import { db, type Tx } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ChecklistDto } from '@/lib/checklists/schema';

const include = {
  items: { orderBy: { position: 'asc' }, include: { changedBy: { select: { email: true, name: true } } } },
  runbookVersion: { select: { runbookId: true, version: true, title: true } },
} satisfies Prisma.ChecklistInclude;

type Row = Prisma.ChecklistGetPayload<{ include: typeof include }>;

function toChecklistDto(row: Row): ChecklistDto {
  const items = row.items.map((item) => ({
    id: item.id,
    phase: item.phase,
    title: item.title,
    detail: item.detail,
    command: item.command,
    expectedOutcome: item.expectedOutcome,
    remediationActionId: item.remediationActionId,
    adHoc: item.adHoc,
    optional: item.optional,
    state: item.state,
    by: item.changedBy,
    at: item.changedAt?.toISOString() ?? null,
    note: item.note,
  }));
  return {
    id: row.id,
    runbook: row.runbookVersion ? { id: row.runbookVersion.runbookId, title: row.runbookVersion.title, version: row.runbookVersion.version } : null,
    title: row.title,
    attachedAt: row.attachedAt.toISOString(),
    items,
    progress: { done: items.filter((i) => i.state === 'done').length, skipped: items.filter((i) => i.state === 'skipped').length, total: items.length },
  };
}

export async function loadChecklist(client: Tx | typeof db, checklistId: string): Promise<ChecklistDto> {
  const row = await client.checklist.findUnique({ where: { id: checklistId }, include });
  if (!row) throw new NotFoundError('That checklist does not exist.');
  return toChecklistDto(row);
}

export async function listChecklists(incidentId: string): Promise<ChecklistDto[]> {
  const rows = await db.checklist.findMany({ where: { incidentId }, orderBy: { attachedAt: 'asc' }, include });
  return rows.map(toChecklistDto);
}

/** Progress of every open incident's checklists, for the dashboard. */
export async function checklistProgressByIncident(incidentIds: string[]): Promise<Map<string, { done: number; skipped: number; total: number }>> {
  if (!incidentIds.length) return new Map();
  const rows = await db.$queryRaw<{ incident_id: string; done: bigint; skipped: bigint; total: bigint }[]>`
    SELECT c.incident_id,
           count(*) FILTER (WHERE i.state = 'done') AS done,
           count(*) FILTER (WHERE i.state = 'skipped') AS skipped,
           count(*) AS total
    FROM checklists c JOIN checklist_items i ON i.checklist_id = c.id
    WHERE c.incident_id = ANY(${incidentIds}::uuid[])
    GROUP BY c.incident_id`;
  return new Map(rows.map((r) => [r.incident_id, { done: Number(r.done), skipped: Number(r.skipped), total: Number(r.total) }]));
}
