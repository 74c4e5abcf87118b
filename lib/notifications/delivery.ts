// Notifications, one kind of outgoing message: platform/delivery's worker runner takes their
// attempt jobs; this file says how to load a notification, send it (webhook kinds through the
// HTTP sender and its destination guard, e-mail over SMTP) and record each attempt, with its
// timeline event, the channel disabled on 410 Gone and the next job, in one transaction.
import { decryptSecret } from '@/lib/platform/crypto';
import { db, type Tx } from '@/lib/platform/db';
import type { Notification, NotificationChannel } from '@/lib/generated/prisma/client';
import { allowHosts, encryptionKey } from '@/lib/platform/delivery/config';
import { sendEmail } from '@/lib/platform/delivery/email';
import { sendAttempt, type AttemptResult } from '@/lib/platform/delivery/http';
import { decideAfterAttempt, lockForAttempt, sweepStranded, type Ledger } from '@/lib/platform/delivery/ledger';
import { enqueue } from '@/lib/platform/delivery/queue';
import { runWorker, stopWorker, type DeliveryKind } from '@/lib/platform/delivery/worker';
import { log } from '@/lib/platform/log';
import { eventLabels, kindLabels, type ChannelKind, type NotificationEvent } from '@/lib/notifications/schema';
import { appendTimelineEvent } from '@/lib/timeline/append';
import { formatDateTime } from '@/lib/platform/time';

export const NOTIFICATION_QUEUE = 'notification-delivery';

/** Attempts per notification: ~2 s, 4 s, 8 s, 16 s apart (or as Retry-After says). */
export const NOTIFICATION_MAX_ATTEMPTS = 5;

export type NotificationJob = { notificationId: string; attempt: number };

export const notificationLedger: Ledger = { table: 'notifications', queue: NOTIFICATION_QUEUE, jobKey: 'notificationId' };

/** Inserts the job for attempt `job.attempt` with the caller's transaction. */
export function enqueueNotification(tx: Tx, job: NotificationJob, startAfter?: Date): Promise<void> {
  return enqueue(tx, NOTIFICATION_QUEUE, job, { singletonKey: `${job.notificationId}:${job.attempt}`, startAfter });
}

const WEBHOOK_TIMEOUT_MS = 10_000;

function refused(error: string): AttemptResult {
  return { outcome: 'failed', statusCode: null, error, durationMs: 0, excerpt: null, retryAfterMs: null };
}

async function deliver(notification: Notification, channel: NotificationChannel): Promise<AttemptResult> {
  // A channel disabled after the notification was queued (by hand or by a 410) sends nothing more.
  if (channel.disabledAt) return refused(`Not sent: the channel is disabled (${channel.disabledReason ?? 'by an admin'})`);
  let target: string;
  try {
    target = decryptSecret(channel.targetEncrypted, encryptionKey('notification channel targets'));
  } catch (error) {
    return refused(`Not sent: the channel's target cannot be read (${(error as Error).message})`);
  }
  if (channel.kind === 'email') {
    return sendEmail({ id: notification.id, to: target.split(',').map((address) => address.trim()).filter(Boolean), subject: notification.subject, text: notification.body });
  }
  return sendAttempt({
    url: target,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Sitrep-Notifications/1' },
    body: notification.body,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    allowHosts: allowHosts(),
  });
}


async function loadNotification(job: NotificationJob) {
  const notification = await db.notification.findUnique({ where: { id: job.notificationId }, include: { channel: true } });
  if (!notification || notification.status === 'succeeded' || notification.status === 'failed' || notification.attemptCount >= job.attempt) return null;
  return notification;
}

type LoadedNotification = NonNullable<Awaited<ReturnType<typeof loadNotification>>>;

export const notifications: DeliveryKind<NotificationJob, LoadedNotification> = {
  name: 'notification',
  ledger: notificationLedger,
  load: loadNotification,
  send: (notification) => deliver(notification, notification.channel),
  record: (notification, job, result) => recordNotificationAttempt(notification.id, job.attempt, result),
  failStranded: failStrandedNotification,
};

/** Starts sending notifications in this process. Safe to call more than once. */
export function startNotificationWorker(options: { concurrency?: number } = {}): Promise<void> {
  return runWorker(notifications, { concurrency: options.concurrency ?? 2 });
}

/** Stops taking notification jobs and waits up to 10 s for the attempts in flight. */
export function stopNotificationWorker(): Promise<void> {
  return stopWorker(notifications);
}

function channelLabel(channel: Pick<NotificationChannel, 'kind' | 'name'>, event: string): string {
  const label = event in eventLabels ? eventLabels[event as NotificationEvent] : event;
  return `${kindLabels[channel.kind]} “${channel.name}” (${label})`;
}

function describeResult(kind: ChannelKind, result: AttemptResult): string {
  const answer = result.statusCode !== null ? `${kind === 'email' ? 'SMTP' : 'HTTP'} ${result.statusCode}${result.error ? ` (${result.error})` : ''}` : (result.error ?? 'no answer');
  return `${answer} in ${result.durationMs} ms`;
}

/**
 * Records attempt `attempt` of a notification and decides what follows, in one transaction under
 * the notification's row lock: the attempt row, the status, the timeline event (incident
 * notifications only), the channel disabled on 410 Gone, and the next job when it retries.
 * Returns false when that attempt was already recorded (a job run twice after a crash).
 *
 * The timeline stays calm: a first attempt that succeeds is one event; otherwise one event per
 * attempt that will be retried and one for the outcome.
 */
export async function recordNotificationAttempt(notificationId: string, attempt: number, result: AttemptResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await lockForAttempt(tx, notificationLedger, notificationId, attempt))) return false;
    const notification = await tx.notification.findUniqueOrThrow({ where: { id: notificationId }, include: { channel: true } });
    const channel = notification.channel;
    await tx.notificationAttempt.create({ data: { notificationId, number: attempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, responseExcerpt: result.excerpt } });
    const { status, nextAttemptAt: next, delayMs: delay } = decideAfterAttempt(attempt, NOTIFICATION_MAX_ATTEMPTS, result);
    const retry = status === 'retrying';
    await tx.notification.update({
      where: { id: notificationId },
      data: { attemptCount: attempt, status, nextAttemptAt: next, completedAt: status === 'retrying' ? null : new Date() },
    });
    const gone = result.outcome === 'gone';
    if (gone && !channel.disabledAt) {
      await tx.notificationChannel.update({
        where: { id: channel.id },
        data: { disabledAt: new Date(), disabledReason: `the receiver answered 410 Gone on ${formatDateTime(new Date())}`, version: { increment: 1 } },
      });
    }
    const label = channelLabel(channel, notification.event);
    const answer = describeResult(channel.kind, result);
    const body =
      status === 'succeeded'
        ? attempt === 1
          ? `Notified ${label}: ${answer}.`
          : `Notified ${label} on attempt ${attempt}/${NOTIFICATION_MAX_ATTEMPTS}: ${answer}.`
        : status === 'retrying'
          ? `Notifying ${label}, attempt ${attempt}/${NOTIFICATION_MAX_ATTEMPTS}: ${answer}; retrying in ${Math.max(1, Math.round(delay / 1000))} s.`
          : `Could not notify ${label}${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${answer}.${gone ? ' The receiver answered 410 Gone, so the channel is now disabled; an admin can enable it again in Settings → Notifications.' : ''}`;
    if (notification.incidentId) {
      await appendTimelineEvent(tx, notification.incidentId, {
        kind: 'communication',
        actorId: null,
        body,
        data: { notificationId, channelId: channel.id, channel: channel.name, event: notification.event, attempt, statusCode: result.statusCode, error: result.error, status },
      });
    }
    if (status === 'failed') log.warn('notification failed', { notificationId, channel: channel.name, event: notification.event, attempt, statusCode: result.statusCode, error: result.error });
    if (retry) await enqueueNotification(tx, { notificationId, attempt: attempt + 1 }, next!);
    return true;
  });
}

/** Notifications whose queue job is gone for good are marked failed, said on the timeline (see failStrandedDeliveries). */
export function failStrandedNotifications(): Promise<number> {
  return sweepStranded(notificationLedger, failStrandedNotification);
}

async function failStrandedNotification(tx: Tx, id: string): Promise<void> {
  {
    const notification = await tx.notification.update({ where: { id }, data: { status: 'failed', nextAttemptAt: null, completedAt: new Date() }, include: { channel: true } });
    log.warn('notification failed: its queue job failed for good', { notificationId: id, channel: notification.channel.name, event: notification.event });
    if (notification.incidentId) {
      await appendTimelineEvent(tx, notification.incidentId, {
        kind: 'communication',
        actorId: null,
        body: `Could not notify ${channelLabel(notification.channel, notification.event)}: the delivery worker gave up on it after repeated crashes.`,
        data: { notificationId: id, channelId: notification.channelId, channel: notification.channel.name, event: notification.event, status: 'failed', stranded: true },
      });
    }
  }
}
