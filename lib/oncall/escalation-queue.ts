// THE ESCALATION TIMERS. Each step of a page's escalation is a job on the `page-escalation`
// queue (pg-boss, the same PostgreSQL), inserted in the transaction that notified the level
// before it, with `startAfter` = when that level's wait runs out. Nothing is kept in memory: a
// process killed with its timers pending leaves them in the table, and any worker takes them
// when they fall due (a job a dead worker was running comes back after
// SITREP_DELIVERY_EXPIRE_SECONDS). The step itself (runEscalationStep in service.ts) locks the
// page's row and re-checks status, assignment and level, so a job that runs twice, late, or after
// an acknowledgement or an "escalate now" changes nothing.
import 'server-only';
import type { Tx } from '@/lib/platform/db';
import { enqueue } from '@/lib/platform/delivery/queue';

export const ESCALATION_QUEUE = 'page-escalation';

/**
 * Notify level `level` of run `cycle` (the step after the one the page is at), or, with
 * `exhausted`, record that the wait of that last step ran out.
 */
export type EscalationJob = { pageId: string; assignment: number; level: number; cycle: number; exhausted?: boolean };

export function enqueueEscalation(tx: Tx, job: EscalationJob, startAfter: Date): Promise<void> {
  return enqueue(tx, ESCALATION_QUEUE, job, { singletonKey: `${job.pageId}:${job.assignment}:${job.cycle}:${job.level}${job.exhausted ? ':exhausted' : ''}`, startAfter });
}
