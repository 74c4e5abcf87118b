// Remediation deliveries, one kind of outgoing message: platform/delivery's worker runner takes
// their attempt jobs; this file says how to load a delivery, send it (signed, to the action's URL)
// and record each attempt with its timeline events. Firing lives in service.ts.
import { db, type Tx } from '@/lib/platform/db';
import { allowHosts } from '@/lib/platform/delivery/config';
import { sendAttempt, type AttemptResult } from '@/lib/platform/delivery/http';
import { decideAfterAttempt, lockForAttempt, sweepStranded, type Ledger } from '@/lib/platform/delivery/ledger';
import { enqueue } from '@/lib/platform/delivery/queue';
import { runWorker, stopWorker, type DeliveryKind } from '@/lib/platform/delivery/worker';
import { requestHeaders, signatureHeaders } from '@/lib/remediation/signing';
import { appendTimelineEvent } from '@/lib/timeline/append';
import { formatDateTime } from '@/lib/platform/time';

export const REMEDIATION_QUEUE = 'remediation-delivery';

/** The longest an attempt runs: the largest action timeout (30 s) plus the checks and recording. */
export const LONGEST_ATTEMPT_SECONDS = 35;

export type DeliveryJob = { deliveryId: string; attempt: number };

export const deliveryLedger: Ledger = { table: 'remediation_deliveries', queue: REMEDIATION_QUEUE, jobKey: 'deliveryId' };

/** Inserts the job for attempt `job.attempt` with the caller's transaction. */
export function enqueueDelivery(tx: Tx, job: DeliveryJob, startAfter?: Date): Promise<void> {
  return enqueue(tx, REMEDIATION_QUEUE, job, { singletonKey: `${job.deliveryId}:${job.attempt}`, startAfter });
}

async function loadDelivery(job: DeliveryJob) {
  const delivery = await db.remediationDelivery.findUnique({ where: { id: job.deliveryId }, include: { action: true } });
  if (!delivery || delivery.status === 'succeeded' || delivery.status === 'failed' || delivery.attemptCount >= job.attempt) return null;
  return delivery;
}

type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

export const remediationDeliveries: DeliveryKind<DeliveryJob, LoadedDelivery> = {
  name: 'remediation delivery',
  ledger: deliveryLedger,
  longestAttemptSeconds: LONGEST_ATTEMPT_SECONDS,
  load: loadDelivery,
  send: ({ id, action, body }) =>
    sendAttempt({
      url: action.url,
      method: action.method,
      headers: { ...requestHeaders(action), ...signatureHeaders(action, id, body) },
      body: action.method === 'GET' ? '' : body,
      timeoutMs: action.timeoutMs,
      timeoutName: "the action's timeout",
      allowHosts: allowHosts(),
    }),
  record: (delivery, job, result) => recordAttempt(delivery.id, job.attempt, result),
  failStranded: failStrandedDelivery,
};

/** Starts delivering remediation webhooks in this process. Safe to call more than once. */
export function startDeliveryWorker(options: { concurrency?: number } = {}): Promise<void> {
  return runWorker(remediationDeliveries, { concurrency: options.concurrency ?? 4 });
}

export function stopDeliveryWorker(): Promise<void> {
  return stopWorker(remediationDeliveries);
}

function describe(result: AttemptResult): string {
  return result.statusCode !== null ? `HTTP ${result.statusCode}${result.error ? ` (${result.error})` : ''}` : (result.error ?? 'no answer');
}

/**
 * Records attempt `attempt` of a delivery and decides what follows, in one transaction: the
 * attempt row, the delivery's status, the timeline events, and the next job when it retries.
 * Returns false when that attempt was already recorded (a job run twice after a crash).
 */
export async function recordAttempt(deliveryId: string, attempt: number, result: AttemptResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await lockForAttempt(tx, deliveryLedger, deliveryId, attempt))) return false;
    const delivery = await tx.remediationDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { action: true } });
    const action = delivery.action;
    await tx.deliveryAttempt.create({ data: { deliveryId, number: attempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, responseExcerpt: result.excerpt } });
    const { status, nextAttemptAt: next, delayMs: delay } = decideAfterAttempt(attempt, action.maxAttempts, result);
    const retry = status === 'retrying';
    await tx.remediationDelivery.update({
      where: { id: deliveryId },
      data: { attemptCount: attempt, status, nextAttemptAt: next, completedAt: retry ? null : new Date() },
    });
    const eventData = { deliveryId, actionId: action.id, attempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, status };
    await appendTimelineEvent(tx, delivery.incidentId, {
      kind: 'remediation',
      actorId: null,
      body: `“${action.name}” attempt ${attempt}/${action.maxAttempts}: ${describe(result)} in ${result.durationMs} ms${retry ? `; retrying in ${Math.max(1, Math.round(delay / 1000))} s` : ''}.`,
      data: eventData,
    });
    if (status === 'succeeded' || status === 'failed') {
      await appendTimelineEvent(tx, delivery.incidentId, {
        kind: 'remediation',
        actorId: null,
        body: status === 'succeeded' ? `“${action.name}” succeeded.` : `“${action.name}” failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${describe(result)}.`,
        data: { ...eventData, outcome: status },
      });
    }
    if (result.outcome === 'gone') {
      await tx.remediationAction.update({ where: { id: action.id }, data: { disabledAt: new Date(), disabledReason: `the receiver answered 410 Gone on ${formatDateTime(new Date())}`, version: { increment: 1 } } });
      await appendTimelineEvent(tx, delivery.incidentId, {
        kind: 'remediation',
        actorId: null,
        body: `“${action.name}” is now disabled: its receiver answered 410 Gone. An admin can enable it again in Settings → Remediation actions.`,
        data: { actionId: action.id, disabled: true },
      });
    }
    if (retry) await enqueueDelivery(tx, { deliveryId, attempt: attempt + 1 }, next!);
    return true;
  });
}

/**
 * Deliveries whose queue job is gone for good (pg-boss gives a job up after its 20th crashed
 * run) would say "pending" forever: each is marked failed, with the reason on the timeline, so
 * responders see it and can re-send it. Every worker runs this each minute. Returns how many.
 */
export function failStrandedDeliveries(): Promise<number> {
  return sweepStranded(deliveryLedger, failStrandedDelivery);
}

async function failStrandedDelivery(tx: Tx, id: string): Promise<void> {
  const delivery = await tx.remediationDelivery.update({ where: { id }, data: { status: 'failed', nextAttemptAt: null, completedAt: new Date() }, include: { action: true } });
  const recorded = delivery.attemptCount ? ` (${delivery.attemptCount} attempt${delivery.attemptCount === 1 ? '' : 's'} recorded)` : '';
  await appendTimelineEvent(tx, delivery.incidentId, {
    kind: 'remediation',
    actorId: null,
    body: `“${delivery.action.name}” failed: the delivery worker gave up on it after repeated crashes${recorded}. Re-send it if it is still needed.`,
    data: { deliveryId: id, actionId: delivery.actionId, outcome: 'failed', stranded: true },
  });
}
