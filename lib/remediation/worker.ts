// The delivery worker: takes attempt jobs from the queue, sends the request and records the
// result (see recordAttempt). It runs inside the web server by default (instrumentation.ts) and
// on its own with `npm run worker`. Delivery is at least once: a worker killed after the request
// but before recording it leaves the job to expire and run again, with the same webhook-id.
import { constants } from 'node:os';
import { db } from '@/lib/platform/db';
import { env } from '@/lib/platform/env';
import { log } from '@/lib/platform/log';
import { DELIVERY_QUEUE, LONGEST_ATTEMPT_SECONDS, queue, registerLocalWorker, stopQueue, type DeliveryJob } from '@/lib/platform/delivery/queue';
import { sendAttempt } from '@/lib/platform/delivery/http';
import { allowHosts, failStrandedDeliveries, recordAttempt, requestHeaders, signatureHeaders } from '@/lib/remediation/service';

export async function processDeliveryJob(job: DeliveryJob): Promise<void> {
  const delivery = await db.remediationDelivery.findUnique({ where: { id: job.deliveryId }, include: { action: true } });
  if (!delivery || delivery.status === 'succeeded' || delivery.status === 'failed' || delivery.attemptCount >= job.attempt) return;
  const action = delivery.action;
  const result = await sendAttempt({
    url: action.url,
    method: action.method,
    headers: { ...requestHeaders(action), ...signatureHeaders(action, delivery.id, delivery.body) },
    body: action.method === 'GET' ? '' : delivery.body,
    timeoutMs: action.timeoutMs,
    allowHosts: allowHosts(),
  });
  await recordAttempt(delivery.id, job.attempt, result);
}

let started = false;

/** Starts delivering in this process. Safe to call more than once. */
export async function startDeliveryWorker(options: { concurrency?: number } = {}): Promise<void> {
  if (started) return;
  started = true;
  const boss = await queue({ worker: true }).catch((error: unknown) => {
    started = false;
    throw error;
  });
  if (env.SITREP_DELIVERY_EXPIRE_SECONDS < LONGEST_ATTEMPT_SECONDS) {
    log.warn('SITREP_DELIVERY_EXPIRE_SECONDS is shorter than the longest attempt: an action with a long timeout may be sent twice', {
      expireSeconds: env.SITREP_DELIVERY_EXPIRE_SECONDS,
      longestAttemptSeconds: LONGEST_ATTEMPT_SECONDS,
    });
  }
  const concurrency = options.concurrency ?? 4;
  for (let i = 0; i < concurrency; i++) {
    const workerId = await boss.work<DeliveryJob>(DELIVERY_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (job) await processDeliveryJob(job.data);
    });
    registerLocalWorker(workerId);
  }
  sweeper = setInterval(() => {
    failStrandedDeliveries()
      .then((marked) => marked && log.warn('remediation deliveries failed: their queue job failed for good', { marked }))
      .catch((error: unknown) => log.warn('stranded delivery sweep failed', { error: (error as Error).message }));
  }, 60_000);
  sweeper.unref();
  log.info('remediation worker started', { concurrency });
}

let sweeper: NodeJS.Timeout | null = null;

export async function stopDeliveryWorker(): Promise<void> {
  started = false;
  if (sweeper) clearInterval(sweeper);
  sweeper = null;
  await stopQueue();
}

let stopsOnSignals = false;

/**
 * For the web server, whose shutdown Next owns (on SIGTERM/SIGINT it closes the HTTP server and
 * exits): stop taking jobs the moment the signal arrives, so no attempt starts against a database
 * that is about to go and the queue's closing connections are not reported as errors. An attempt
 * still in flight when Next exits is sent again once its job expires.
 */
export function stopDeliveryWorkerOnSignals(): void {
  if (stopsOnSignals) return;
  stopsOnSignals = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void stopDeliveryWorker().finally(() => {
        // Exit only if nothing else handles the signal (Next does, unless NEXT_MANUAL_SIG_HANDLE).
        if (process.listenerCount(signal) === 0) process.exit(128 + constants.signals[signal]);
      });
    });
  }
}
