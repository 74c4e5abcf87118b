// Alert dispatches, one kind of work on platform/delivery's worker runner: each job is "route
// alert group G now" (dispatch.ts), queued with or right after the statement that stored its
// alerts (a dispatch left without its job by a crash in between is queued by the runner's sweep,
// enqueueFirst). The routing itself records the attempt (ledger row lock) in its own transaction,
// so a job run twice after a crash routes once; an attempt that throws (database gone, a lock
// timeout) is retried with backoff.
import 'server-only';
import { dispatchGroup, dispatchLedger, enqueueDispatch, type DispatchJob } from '@/lib/alerts/dispatch';
import { db, type Tx } from '@/lib/platform/db';
import type { AttemptResult } from '@/lib/platform/delivery/http';
import { decideAfterAttempt, lockForAttempt, sweepStranded } from '@/lib/platform/delivery/ledger';
import { runWorker, stopWorker, type DeliveryKind } from '@/lib/platform/delivery/worker';
import { log } from '@/lib/platform/log';

/** Attempts per dispatch before the group is marked as failed to route (~2 s, 4 s, 8 s, 16 s apart). */
export const MAX_DISPATCH_ATTEMPTS = 5;

async function loadDispatch(job: DispatchJob) {
  const dispatch = await db.alertDispatch.findUnique({ where: { id: job.dispatchId }, select: { id: true, groupId: true, status: true, attemptCount: true } });
  if (!dispatch || dispatch.status === 'succeeded' || dispatch.status === 'failed' || dispatch.attemptCount >= job.attempt) return null;
  return dispatch;
}

type LoadedDispatch = NonNullable<Awaited<ReturnType<typeof loadDispatch>>>;

const succeeded = (durationMs: number): AttemptResult => ({ outcome: 'succeeded', statusCode: null, error: null, durationMs, excerpt: null, retryAfterMs: null });

async function runDispatch(dispatch: LoadedDispatch, job: DispatchJob): Promise<AttemptResult> {
  const started = Date.now();
  try {
    await dispatchGroup(dispatch.id, job.attempt);
    return succeeded(Date.now() - started);
  } catch (error) {
    log.warn('alert dispatch failed; it will be retried', { dispatchId: dispatch.id, groupId: dispatch.groupId, attempt: job.attempt, error: (error as Error).message });
    return { outcome: 'retry', statusCode: null, error: (error as Error).message.slice(0, 500), durationMs: Date.now() - started, excerpt: null, retryAfterMs: null };
  }
}

export const alertDispatches: DeliveryKind<DispatchJob, LoadedDispatch> = {
  name: 'alert dispatch',
  ledger: dispatchLedger,
  load: loadDispatch,
  send: runDispatch,
  record: (dispatch, job, result) => (result.outcome === 'succeeded' ? Promise.resolve(true) : recordFailedDispatch(dispatch.id, job.attempt, result)),
  failStranded: failStrandedDispatch,
  // Intake stores dispatch rows in its one statement and queues their jobs right after (ingest.ts).
  enqueueFirst: (tx, dispatchId) => enqueueDispatch(tx, { dispatchId, attempt: 1 }),
};

/** Starts routing alert groups in this process. Safe to call more than once. */
export function startDispatchWorker(options: { concurrency?: number } = {}): Promise<void> {
  return runWorker(alertDispatches, { concurrency: options.concurrency ?? 2 });
}

export function stopDispatchWorker(): Promise<void> {
  return stopWorker(alertDispatches);
}

/** A dispatch attempt that threw: recorded, and retried with backoff until it gives up. */
export async function recordFailedDispatch(dispatchId: string, attempt: number, result: AttemptResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await lockForAttempt(tx, dispatchLedger, dispatchId, attempt))) return false;
    const { status, nextAttemptAt } = decideAfterAttempt(attempt, MAX_DISPATCH_ATTEMPTS, result);
    const dispatch = await tx.alertDispatch.update({
      where: { id: dispatchId },
      data: { attemptCount: attempt, status, error: result.error, completedAt: status === 'retrying' ? null : new Date() },
    });
    if (status === 'failed') {
      await tx.alertGroup.update({ where: { id: dispatch.groupId }, data: { dispatchError: `Routing failed after ${attempt} attempts: ${result.error ?? 'unknown error'}` } });
      log.error('alert dispatch gave up', { dispatchId, groupId: dispatch.groupId, error: result.error });
    }
    if (status === 'retrying') await enqueueDispatch(tx, { dispatchId, attempt: attempt + 1 }, nextAttemptAt!);
    return true;
  });
}

/** Dispatches whose queue job is gone for good: counted as failed and shown on their group. */
export function failStrandedDispatches(): Promise<number> {
  return sweepStranded(dispatchLedger, failStrandedDispatch);
}

async function failStrandedDispatch(tx: Tx, id: string): Promise<void> {
  const dispatch = await tx.alertDispatch.update({ where: { id }, data: { status: 'failed', completedAt: new Date(), error: 'the worker gave up on it after repeated crashes' } });
  await tx.alertGroup.update({ where: { id: dispatch.groupId }, data: { dispatchError: 'Routing failed: the worker gave up on it after repeated crashes' } });
}
