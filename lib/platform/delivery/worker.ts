// THE WORKER RUNNER: one way to take attempt jobs of a kind of outgoing message from its queue,
// send them and record what happened. Each kind (remediation deliveries, notifications, pages…)
// hands in how to load its row, send it and record the result; the runner owns starting, waking,
// the stranded-row sweep, draining attempts in flight and stopping, the same for every kind.
//
// Delivery is at least once: a worker killed between sending and recording leaves its job to
// expire and run again (SITREP_DELIVERY_EXPIRE_SECONDS), and the ledger's row lock records each
// attempt once (see ledger.ts).
import 'server-only';
import { constants } from 'node:os';
import type PgBoss from 'pg-boss';
import { env } from '@/lib/platform/env';
import { log } from '@/lib/platform/log';
import type { Tx } from '@/lib/platform/db';
import type { AttemptResult } from '@/lib/platform/delivery/http';
import { queueUnqueued, sweepStranded, type Ledger } from '@/lib/platform/delivery/ledger';
import { startJobLoop, type JobLoop } from '@/lib/platform/delivery/job-loop';
import { namedQueue, stopQueue } from '@/lib/platform/delivery/queue';

/** A job: attempt `attempt` of the row the ledger's `jobKey` names. */
export type AttemptJob = { attempt: number } & Record<string, unknown>;

export type DeliveryKind<Job extends AttemptJob, Row> = {
  /** For logs: "remediation", "notification"… */
  name: string;
  ledger: Ledger;
  /** The row to send, or null when there is nothing to do (gone, finished, attempt recorded). */
  load(job: Job): Promise<Row | null>;
  send(row: Row, job: Job): Promise<AttemptResult>;
  /** Records the attempt and what follows it (the next job when it retries) in one transaction. */
  record(row: Row, job: Job, result: AttemptResult): Promise<unknown>;
  /** Marks a row whose job pg-boss gave up on for good (20 crashed runs) as failed, inside `tx`. */
  failStranded(tx: Tx, id: string): Promise<void>;
  /**
   * For kinds whose rows are written before their first job is queued (alert intake): queues
   * attempt 1 of row `id` inside `tx`. The runner's sweep calls it for rows left without any job
   * (a crash between the two) every UNQUEUED_SWEEP_MS.
   */
  enqueueFirst?(tx: Tx, id: string): Promise<void>;
  /** The longest one attempt can take, to warn when jobs would expire before it ends. */
  longestAttemptSeconds?: number;
};

type Running = { boss: PgBoss; loop: JobLoop; sweepers: NodeJS.Timeout[] };

const running = new Map<string, Running>();
const starting = new Map<string, Promise<void>>();

const DRAIN_MS = 10_000;
const SWEEP_MS = 60_000;
/** How often, and after how long, rows written without their first job are queued (see enqueueFirst). */
const UNQUEUED_SWEEP_MS = 5_000;
const UNQUEUED_AFTER_SECONDS = 5;

/** One attempt of `job`: load, send, record. Exported for tests that drive a kind by hand. */
export async function runAttempt<Job extends AttemptJob, Row>(kind: DeliveryKind<Job, Row>, job: Job): Promise<void> {
  const row = await kind.load(job);
  if (row === null) return;
  const result = await kind.send(row, job);
  await kind.record(row, job, result);
}

async function start<Job extends AttemptJob, Row>(kind: DeliveryKind<Job, Row>, concurrency: number): Promise<void> {
  const queueName = kind.ledger.queue;
  const boss = await namedQueue(queueName, { worker: true });
  // Registered already, unless the queue was stopped and started again since.
  if (running.get(queueName)?.boss === boss) return;
  if (kind.longestAttemptSeconds && env.SITREP_DELIVERY_EXPIRE_SECONDS < kind.longestAttemptSeconds) {
    log.warn(`SITREP_DELIVERY_EXPIRE_SECONDS is shorter than the longest ${kind.name} attempt: one may be sent twice`, {
      expireSeconds: env.SITREP_DELIVERY_EXPIRE_SECONDS,
      longestAttemptSeconds: kind.longestAttemptSeconds,
    });
  }
  const loop = startJobLoop<Job>(boss, { queue: queueName, concurrency, handle: (job) => runAttempt(kind, job.data) });
  const enqueueFirst = kind.enqueueFirst;
  const queueLeftovers = async () => {
    if (!enqueueFirst) return;
    const queued = await queueUnqueued(kind.ledger, UNQUEUED_AFTER_SECONDS, enqueueFirst);
    if (queued) log.warn(`${kind.name}s queued by the sweep: they were stored without their job (a crash in between)`, { queued });
  };
  const sweepers = [
    setInterval(() => {
      // Rows without any job are queued first, so they are never taken for ones whose job failed for good.
      queueLeftovers()
        .then(() => sweepStranded(kind.ledger, kind.failStranded))
        .then((marked) => marked && log.warn(`${kind.name}s failed: their queue job failed for good`, { marked }))
        .catch((error: unknown) => log.warn(`stranded ${kind.name} sweep failed`, { error: (error as Error).message }));
    }, SWEEP_MS),
  ];
  if (enqueueFirst) {
    sweepers.push(setInterval(() => void queueLeftovers().catch((error: unknown) => log.warn(`unqueued ${kind.name} sweep failed`, { error: (error as Error).message })), UNQUEUED_SWEEP_MS));
  }
  for (const sweeper of sweepers) sweeper.unref();
  running.set(queueName, { boss, loop, sweepers });
  log.info(`${kind.name} worker started`, { concurrency });
}

/** Starts sending `kind` in this process. Safe to call more than once. */
export function runWorker<Job extends AttemptJob, Row>(kind: DeliveryKind<Job, Row>, options: { concurrency: number }): Promise<void> {
  const queueName = kind.ledger.queue;
  let started = starting.get(queueName);
  if (!started) {
    started = start(kind, options.concurrency).finally(() => starting.delete(queueName));
    starting.set(queueName, started);
  }
  return started;
}

/**
 * Stops taking `kind`'s jobs and waits up to 10 s for its attempts in flight; what is still in
 * flight after that is sent again once its job expires. The last worker to stop closes the queue.
 */
export async function stopWorker(kind: { ledger: Ledger }): Promise<void> {
  await stopQueueWorkers(kind.ledger.queue);
  if (running.size === 0 && starting.size === 0) await stopQueue();
}

async function stopQueueWorkers(queueName: string): Promise<void> {
  await starting.get(queueName)?.catch(() => undefined);
  const worker = running.get(queueName);
  running.delete(queueName);
  if (worker) {
    for (const sweeper of worker.sweepers) clearInterval(sweeper);
    await worker.loop.stop(DRAIN_MS);
  }
}

/** Stops every worker of this process (see stopWorker), then the queue. */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...starting.values()].map((started) => started.catch(() => undefined)));
  await Promise.all([...running.keys()].map(stopQueueWorkers));
  await stopQueue();
}

let stopsOnSignals = false;

/**
 * For the web server, whose shutdown Next owns (on SIGTERM/SIGINT it closes the HTTP server and
 * exits): stop taking jobs the moment the signal arrives, so no attempt starts against a database
 * that is about to go and the queue's closing connections are not reported as errors.
 */
export function stopWorkersOnSignals(): void {
  if (stopsOnSignals) return;
  stopsOnSignals = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void stopAllWorkers().finally(() => {
        // Exit only if nothing else handles the signal (Next does, unless NEXT_MANUAL_SIG_HANDLE).
        if (process.listenerCount(signal) === 0) process.exit(128 + constants.signals[signal]);
      });
    });
  }
}
