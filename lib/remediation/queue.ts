// The delivery queue: pg-boss 10 (the newest line that runs on Node 20; 11+ need Node 22) on
// the same PostgreSQL, in its own `pgboss` schema. A job is "deliver attempt N of delivery D";
// it is inserted inside the transaction that records the delivery (or the previous attempt), so
// a job exists exactly when that transaction committed. pg-boss hands each job to one worker
// (SKIP LOCKED) and re-runs it after `expireInSeconds` if the worker died mid-flight.
import PgBoss from 'pg-boss';
import { env } from '@/lib/env';
import type { Prisma } from '@/lib/generated/prisma/client';
import { log } from '@/lib/log';

export const DELIVERY_QUEUE = 'remediation-delivery';

export type DeliveryJob = { deliveryId: string; attempt: number };

let boss: PgBoss | null = null;
let starting: Promise<PgBoss> | null = null;

function create(): PgBoss {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set yet');
  const instance = new PgBoss({ connectionString: env.DATABASE_URL, max: 4, application_name: 'sitrep-queue' });
  instance.on('error', (error: Error) => log.warn('job queue error', { error: error.message }));
  return instance;
}

/** The started queue (creates pg-boss's schema and our queue on first use). */
export async function queue(): Promise<PgBoss> {
  if (boss) return boss;
  starting ??= (async () => {
    const instance = create();
    await instance.start();
    await instance.createQueue(DELIVERY_QUEUE, {
      name: DELIVERY_QUEUE,
      // A crashed worker's job comes back after this; a request takes at most 30 s plus connect.
      expireInSeconds: 60,
      // Retries of *the job* only cover crashes: HTTP retries are new jobs with their own delay.
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
    });
    boss = instance;
    return instance;
  })().catch((error: unknown) => {
    starting = null;
    throw error;
  });
  return starting;
}

/** Inserts the job with the caller's transaction, so it exists only if that commits. */
export async function enqueueDelivery(tx: Prisma.TransactionClient, job: DeliveryJob, startAfter?: Date): Promise<void> {
  const q = await queue();
  await q.send(DELIVERY_QUEUE, job, {
    startAfter,
    // One job per attempt: a repeated enqueue of the same attempt is ignored.
    singletonKey: `${job.deliveryId}:${job.attempt}`,
    db: {
      executeSql: async (text: string, values: unknown[]) => {
        const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...values.map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v)));
        return { rows };
      },
    },
  });
}

export async function stopQueue(): Promise<void> {
  const instance = boss;
  boss = null;
  starting = null;
  await instance?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
}
