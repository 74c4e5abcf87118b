// The notification queue: a second pg-boss queue next to the remediation one, on the same
// started pg-boss (lib/platform/delivery/queue.ts), so one process holds one pool and one maintenance
// loop. A job is "send attempt N of notification X"; it is inserted with the transaction that
// records the notification (or its previous attempt), so it exists exactly when that committed.
import type PgBoss from 'pg-boss';
import { env } from '@/lib/platform/env';
import type { Prisma } from '@/lib/generated/prisma/client';
import { queue } from '@/lib/platform/delivery/queue';

export const NOTIFICATION_QUEUE = 'notification-delivery';

export type NotificationJob = { notificationId: string; attempt: number };

// createQueue is idempotent in the database; this keeps it to once per started pg-boss.
const created = new WeakMap<PgBoss, Promise<void>>();

/** The started queue with 'notification-delivery' created on it. */
export async function notificationQueue(options: { worker?: boolean } = {}): Promise<PgBoss> {
  const boss = await queue(options);
  let ready = created.get(boss);
  if (!ready) {
    ready = boss.createQueue(NOTIFICATION_QUEUE, {
      name: NOTIFICATION_QUEUE,
      // For jobs sent without an expiry of their own; enqueueNotification always gives one.
      expireInSeconds: env.SITREP_DELIVERY_EXPIRE_SECONDS,
      // Retries of *the job* only cover crashes: a failed send is a new job with its own delay.
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
    });
    created.set(boss, ready);
    ready.catch(() => created.delete(boss));
  }
  await ready;
  return boss;
}

/** Inserts the job with the caller's transaction, so it exists only if that commits. */
export async function enqueueNotification(tx: Prisma.TransactionClient, job: NotificationJob, startAfter?: Date): Promise<void> {
  const boss = await notificationQueue();
  await boss.send(NOTIFICATION_QUEUE, job, {
    startAfter,
    expireInSeconds: env.SITREP_DELIVERY_EXPIRE_SECONDS,
    singletonKey: `${job.notificationId}:${job.attempt}`,
    db: {
      executeSql: async (text: string, values: unknown[]) => {
        const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...values.map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v)));
        return { rows };
      },
    },
  });
}
