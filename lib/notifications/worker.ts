// The notification worker: takes attempt jobs from 'notification-delivery', sends the stored
// message (webhook kinds through the remediation sender and its destination guard, e-mail over
// SMTP) and records the result (recordNotificationAttempt). It shares the started pg-boss with
// the remediation worker; whoever stops the process stops that (stopDeliveryWorker/stopQueue).
// Delivery is at least once: a worker killed between sending and recording leaves the job to
// expire and run again.
import type PgBoss from 'pg-boss';
import { decryptSecret } from '@/lib/platform/crypto';
import { db } from '@/lib/platform/db';
import type { Notification, NotificationChannel } from '@/lib/generated/prisma/client';
import { log } from '@/lib/platform/log';
import { NOTIFICATION_QUEUE, notificationQueue, type NotificationJob } from '@/lib/notifications/queue';
import { sendEmail } from '@/lib/platform/delivery/email';
import { failStrandedNotifications, recordNotificationAttempt } from '@/lib/notifications/service';
import { sendAttempt, type AttemptResult } from '@/lib/platform/delivery/http';
import { allowHosts, encryptionKey } from '@/lib/remediation/service';

const WEBHOOK_TIMEOUT_MS = 10_000;

function refused(error: string): AttemptResult {
  return { outcome: 'failed', statusCode: null, error, durationMs: 0, excerpt: null, retryAfterMs: null };
}

async function deliver(notification: Notification, channel: NotificationChannel): Promise<AttemptResult> {
  // A channel disabled after the notification was queued (by hand or by a 410) sends nothing more.
  if (channel.disabledAt) return refused(`Not sent: the channel is disabled (${channel.disabledReason ?? 'by an admin'})`);
  let target: string;
  try {
    target = decryptSecret(channel.targetEncrypted, encryptionKey());
  } catch (error) {
    return refused(`Not sent: the channel's target cannot be read (${(error as Error).message})`);
  }
  if (channel.kind === 'email') {
    return sendEmail({ id: notification.id, to: target.split(',').map((address) => address.trim()).filter(Boolean), subject: notification.subject, text: notification.body });
  }
  const result = await sendAttempt({
    url: target,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Sitrep-Notifications/1' },
    body: notification.body,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    allowHosts: allowHosts(),
  });
  // The remediation sender words its timeout for actions; a channel has no timeout setting.
  return result.error ? { ...result, error: result.error.replace(" (the action's timeout)", '') } : result;
}

export async function processNotificationJob(job: NotificationJob): Promise<void> {
  const notification = await db.notification.findUnique({ where: { id: job.notificationId }, include: { channel: true } });
  if (!notification || notification.status === 'succeeded' || notification.status === 'failed' || notification.attemptCount >= job.attempt) return;
  const result = await deliver(notification, notification.channel);
  await recordNotificationAttempt(notification.id, job.attempt, result);
}

let workingOn: PgBoss | null = null;
let starting: Promise<void> | null = null;
const inFlight = new Set<Promise<void>>();

async function start(concurrency: number): Promise<void> {
  const boss = await notificationQueue({ worker: true });
  // Registered already, unless the queue was stopped and started again since.
  if (workingOn === boss) return;
  workingOn = boss;
  for (let i = 0; i < concurrency; i++) {
    await boss.work<NotificationJob>(NOTIFICATION_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      if (!job) return;
      const running = processNotificationJob(job.data);
      inFlight.add(running);
      try {
        await running;
      } finally {
        inFlight.delete(running);
      }
    });
  }
  sweeper ??= setInterval(() => {
    failStrandedNotifications().catch((error: unknown) => log.warn('stranded notification sweep failed', { error: (error as Error).message }));
  }, 60_000);
  sweeper.unref();
  log.info('notification worker started', { concurrency });
}

let sweeper: NodeJS.Timeout | null = null;

/** Starts sending notifications in this process. Safe to call more than once. */
export function startNotificationWorker(options: { concurrency?: number } = {}): Promise<void> {
  starting ??= start(options.concurrency ?? 2).finally(() => {
    starting = null;
  });
  return starting;
}

/** Stops taking notification jobs and waits up to 10 s for the attempts in flight. */
export async function stopNotificationWorker(): Promise<void> {
  await starting?.catch(() => undefined);
  if (sweeper) clearInterval(sweeper);
  sweeper = null;
  const boss = workingOn;
  workingOn = null;
  if (!boss) return;
  await boss.offWork(NOTIFICATION_QUEUE).catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
  clearTimeout(timer);
}
