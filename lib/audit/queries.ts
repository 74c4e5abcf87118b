import { db } from '@/lib/db';

export type AuditRow = {
  id: string;
  at: Date;
  action: string;
  targetType: string;
  targetId: string | null;
  actor: { name: string; email: string } | null;
};

export async function listRecentAudit(limit = 20): Promise<AuditRow[]> {
  const rows = await db.auditLog.findMany({
    orderBy: { id: 'desc' },
    take: limit,
    include: { actor: { select: { name: true, email: true } } },
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    at: row.at,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    actor: row.actor,
  }));
}
