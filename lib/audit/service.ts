import 'server-only';
import type { Tx } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';

export type AuditEntry = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  detail?: Prisma.InputJsonValue;
  requestId?: string | null;
};

/** Writes an audit record inside the caller's transaction, so a change and its record land together. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      detail: entry.detail ?? {},
      requestId: entry.requestId ?? null,
    },
  });
}
