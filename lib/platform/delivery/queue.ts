// The durable queue for everything Sitrep sends: pg-boss 10 (the newest line that runs on
// Node 20; 11+ need Node 22) on the same PostgreSQL, in its own `pgboss` schema. Each kind of
// outgoing message has a queue of its own (remediation deliveries, notifications, pages…); a job
// is "attempt N of message M". It is inserted inside the transaction that records the message (or
// its previous attempt), so a job exists exactly when that transaction committed. pg-boss hands
// each job to one worker (SKIP LOCKED). A job whose worker died mid-flight expires after
// SITREP_DELIVERY_EXPIRE_SECONDS (60 s); the next maintenance run (every quarter of that) puts it
// back, for any worker to take after the job retry delay (5-10 s).
import 'server-only';
import PgBoss from 'pg-boss';
import { env } from '@/lib/platform/env';
import type { Prisma } from '@/lib/generated/prisma/client';
import { log } from '@/lib/platform/log';
import { jobsChannel } from '@/lib/platform/delivery/job-loop';
import { notifyChannel } from '@/lib/platform/live/notify';

/** SQLSTATE 57P01, "terminating connection due to administrator command". */
const ADMIN_SHUTDOWN = '57P01';

type Started = { worker: boolean; ready: Promise<PgBoss>; stopping: boolean };

let current: Started | null = null;

function create(worker: boolean, stopping: () => boolean): PgBoss {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set yet');
  const expire = env.SITREP_DELIVERY_EXPIRE_SECONDS;
  const instance = new PgBoss({
    connectionString: env.DATABASE_URL,
    max: 4,
    application_name: worker ? 'sitrep-worker' : 'sitrep-queue',
    // Maintenance (giving expired jobs back, archiving) is the workers' business: a process that
    // only enqueues, like a web server with SITREP_WORKER=false, leaves it to them.
    supervise: worker,
    maintenanceIntervalSeconds: Math.min(120, Math.max(1, Math.ceil(expire / 4))),
    // pg-boss's cron scheduler polls on its own; Sitrep schedules nothing.
    schedule: false,
  });
  let closedByServer = false;
  instance.on('error', (error: Error & { code?: string }) => {
    if (stopping()) {
      // Connections cut while this process stops are expected then.
      log.debug('job queue error while stopping', { error: error.message });
    } else if (error.code === ADMIN_SHUTDOWN) {
      // PostgreSQL closed the idle connections: it is stopping or restarting (Ctrl-C in a terminal
      // reaches an embedded one before the web server hears of it). The pool reconnects if it can.
      if (closedByServer) return;
      log.info('the database closed the job queue connections; it is stopping or restarting');
      closedByServer = true;
      setTimeout(() => (closedByServer = false), 60_000).unref();
    } else {
      log.warn('job queue error', { error: error.message });
    }
  });
  return instance;
}

async function start(worker: boolean, previous: Started | null, stopping: () => boolean): Promise<PgBoss> {
  if (previous) await stopStarted(previous);
  const instance = create(worker, stopping);
  await instance.start();
  return instance;
}

/**
 * The started queue (creates pg-boss's schema and our queue on first use). `worker: true` also
 * runs pg-boss's maintenance; a process that enqueued before it became a worker is switched over.
 */
export function queue(options: { worker?: boolean } = {}): Promise<PgBoss> {
  const worker = options.worker ?? false;
  if (current && (current.worker || !worker)) return current.ready;
  const state: Started = { worker, ready: start(worker, current, () => state.stopping), stopping: false };
  current = state;
  state.ready.catch(() => {
    if (current === state) current = null;
  });
  return state.ready;
}

// createQueue is idempotent in the database; this keeps it to once per queue and started pg-boss.
const created = new WeakMap<PgBoss, Map<string, Promise<void>>>();

/** SQLSTATE 40P01, "deadlock detected". */
const DEADLOCK = '40P01';
let creating: Promise<unknown> = Promise.resolve();

/**
 * pg-boss 10 makes a new queue a partition of its job table (CREATE TABLE, ATTACH PARTITION): two
 * made at once deadlock, in one process (every worker starts together on a fresh database) or
 * across instances starting together. So this process makes one at a time, and a deadlock with
 * another process is retried; PostgreSQL has rolled the loser back, and createQueue is idempotent.
 */
function createQueueSafely(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  const attempt = async (): Promise<void> => {
    for (let tries = 1; ; tries++) {
      try {
        return await boss.createQueue(name, options);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || tries >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * tries + Math.random() * 100));
      }
    }
  };
  const result = creating.then(attempt, attempt);
  creating = result.catch(() => undefined);
  return result;
}

/** The started queue with queue `name` created on it. */
export async function namedQueue(name: string, options: { worker?: boolean } = {}): Promise<PgBoss> {
  const boss = await queue(options);
  let names = created.get(boss);
  if (!names) created.set(boss, (names = new Map()));
  let ready = names.get(name);
  if (!ready) {
    ready = createQueueSafely(boss, name, {
      name,
      // For jobs sent without an expiry of their own; enqueue always gives one.
      expireInSeconds: env.SITREP_DELIVERY_EXPIRE_SECONDS,
      // Retries of *the job* only cover crashes: a failed send is a new job with its own delay.
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
    });
    names.set(name, ready);
    ready.catch(() => names.delete(name));
  }
  await ready;
  return boss;
}

/**
 * Inserts a job into queue `name` with the caller's transaction, so it exists only if that
 * commits. `singletonKey` names the attempt, for finding its job (pg-boss's standard queue
 * policy does not deduplicate on it; the attempt ledger's row lock records each attempt once).
 * With `db` instead of a transaction, the job is its own statement and commits at once.
 */
export async function enqueue(tx: Prisma.TransactionClient, name: string, job: object, options: { singletonKey: string; startAfter?: Date }): Promise<void> {
  const boss = await namedQueue(name);
  // Wakes the job loops of every Sitrep process once this commits (job-loop.ts); a job due later
  // is found by their polling.
  const wake = !options.startAfter || options.startAfter.getTime() <= Date.now();
  let woken = false;
  await boss.send(name, job, {
    startAfter: options.startAfter,
    // Per job, because createQueue leaves an existing queue's settings as they were.
    expireInSeconds: env.SITREP_DELIVERY_EXPIRE_SECONDS,
    singletonKey: options.singletonKey,
    db: {
      executeSql: async (text: string, values: unknown[]) => {
        const parameters = values.map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v));
        // pg-boss's insert is one INSERT … RETURNING id: the NOTIFY rides in the same statement
        // (one round trip, not two), sent for the job it inserted.
        if (wake && /^\s*INSERT\b/i.test(text) && !woken) {
          woken = true;
          // pg-boss reads `id` from the rows; the extra `woken` column is the NOTIFY's void.
          const rows = await tx.$queryRawUnsafe<unknown[]>(
            `WITH inserted AS (${text}) SELECT inserted.id, pg_notify($${parameters.length + 1}, $${parameters.length + 2})::text AS woken FROM inserted`,
            ...parameters,
            jobsChannel.name,
            JSON.stringify({ queue: name }),
          );
          return { rows };
        }
        return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...parameters) };
      },
    },
  });
  if (wake && !woken) await notifyChannel(tx, jobsChannel, { queue: name });
}

async function stopStarted(state: Started): Promise<void> {
  state.stopping = true;
  const instance = await state.ready.catch(() => null);
  await instance?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
}

/** Stops taking jobs at once, waits up to 10 s for those in flight, then closes the pool. */
export async function stopQueue(): Promise<void> {
  const state = current;
  current = null;
  if (state) await stopStarted(state);
}
