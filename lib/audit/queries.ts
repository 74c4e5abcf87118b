import 'server-only';
import { db } from '@/lib/platform/db';

export type AuditRow = {
  id: string;
  at: Date;
  action: string;
  targetType: string;
  targetId: string | null;
  /** What the entry was about, in words: an email, a token's name. */
  subject: string | null;
  actor: { name: string; email: string } | null;
};

export async function listRecentAudit(limit = 50): Promise<AuditRow[]> {
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
    subject: describeSubject(row.detail),
    actor: row.actor,
  }));
}

function describeSubject(detail: unknown): string | null {
  if (!detail || typeof detail !== 'object') return null;
  const { email, name, owner } = detail as Record<string, unknown>;
  if (typeof name === 'string' && typeof owner === 'string') return `“${name}” for ${owner}`;
  return typeof email === 'string' ? email : null;
}
