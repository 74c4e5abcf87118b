// Page notifications, one kind of outgoing message: platform/delivery's worker runner takes their
// attempt jobs from the `page-notification` queue; this file says how to load one, send it
// through its contact method (e-mail over SMTP; ntfy, Slack, Teams, Mattermost and the signed
// webhook through the HTTP sender and its destination guard) and record each attempt with what
// follows it. A job's `startAfter` is the contact method's delay. The message is rendered when it
// is sent, with the acknowledge link derived from its id (secrets.ts), so no token is stored.
//
// A failing method is retried (5 attempts, the shared ledger's backoff) and its status shows on
// the page; the escalation never waits for it: the next level's timer was queued when this level
// was notified.
import 'server-only';
import { Webhook } from 'standardwebhooks';
import { decryptSecret } from '@/lib/platform/crypto';
import { db, type Tx } from '@/lib/platform/db';
import { allowHosts, encryptionKey } from '@/lib/platform/delivery/config';
import { sendEmail } from '@/lib/platform/delivery/email';
import { sendAttempt, type AttemptResult } from '@/lib/platform/delivery/http';
import { decideAfterAttempt, lockForAttempt, sweepStranded, type Ledger } from '@/lib/platform/delivery/ledger';
import { enqueue } from '@/lib/platform/delivery/queue';
import { runWorker, stopWorker, type DeliveryKind } from '@/lib/platform/delivery/worker';
import { log } from '@/lib/platform/log';
import { publicUrl } from '@/lib/platform/urls';
import { incidentKey } from '@/lib/incidents/schema';
import { notifyPageChanged } from '@/lib/oncall/live';
import { renderContactTest, renderPageNotice, type RenderedNotice } from '@/lib/oncall/messages';
import { ackUrl } from '@/lib/oncall/secrets';
import { kindShortNames } from '@/lib/oncall/wording';
import { appendTimelineEvent } from '@/lib/timeline/append';

export const PAGE_NOTIFICATION_QUEUE = 'page-notification';

/** Attempts per notification: ~2 s, 4 s, 8 s, 16 s apart (or as Retry-After says). */
export const PAGE_NOTIFICATION_MAX_ATTEMPTS = 5;

const HTTP_TIMEOUT_MS = 10_000;

export type PageNotificationJob = { notificationId: string; attempt: number };

export const pageNotificationLedger: Ledger = { table: 'page_notifications', queue: PAGE_NOTIFICATION_QUEUE, jobKey: 'notificationId' };

/** Inserts the job for attempt `job.attempt` with the caller's transaction; `startAfter` for a method's delay or a retry. */
export function enqueuePageNotification(tx: Tx, job: PageNotificationJob, startAfter?: Date): Promise<void> {
  return enqueue(tx, PAGE_NOTIFICATION_QUEUE, job, { singletonKey: `${job.notificationId}:${job.attempt}`, startAfter });
}

const notificationInclude = {
  contactMethod: true,
  user: { select: { email: true, name: true } },
  page: { include: { incident: { select: { number: true } }, triggeredBy: { select: { name: true } } } },
} as const;

async function loadNotification(job: PageNotificationJob) {
  const row = await db.pageNotification.findUnique({ where: { id: job.notificationId }, include: notificationInclude });
  if (!row || row.status === 'succeeded' || row.status === 'failed' || row.status === 'cancelled' || row.attemptCount >= job.attempt) return null;
  const page = row.page;
  // Belt and braces: acknowledging or resolving cancels waiting notifications in its own
  // transaction; one whose delay had not passed by then is never sent. Nor is a retry once the
  // page stopped: somebody took it, and nobody needs waking for it any more.
  const stoppedAt = page && page.status !== 'triggered' ? (page.acknowledgedAt ?? page.resolvedAt) : null;
  if (stoppedAt && (row.attemptCount > 0 || row.dueAt > stoppedAt)) {
    const retry = row.attemptCount > 0;
    await db.pageNotification.updateMany({
      where: { id: row.id, status: row.status, attemptCount: row.attemptCount },
      data: { status: 'cancelled', completedAt: new Date(), lastError: retry ? `Not retried: the page was ${page!.status} first (${row.lastError ?? 'the last attempt failed'})` : `Not sent: the page was ${page!.status} first` },
    });
    return null;
  }
  const link = page ? await db.pageAckLink.findUnique({ where: { pageId_userId: { pageId: page.id, userId: row.userId } }, select: { id: true } }) : null;
  return { ...row, ackLinkId: link?.id ?? null };
}

type LoadedNotification = NonNullable<Awaited<ReturnType<typeof loadNotification>>>;

function refused(error: string): AttemptResult {
  return { outcome: 'failed', statusCode: null, error, durationMs: 0, excerpt: null, retryAfterMs: null };
}

/** What the notification says, rendered now from the page and the notification's level. */
export function renderNotification(row: LoadedNotification): RenderedNotice {
  const user = { email: row.user.email, name: row.user.name };
  if (!row.page) return renderContactTest(row.kind, { user, settingsUrl: publicUrl('/settings/profile') });
  const page = row.page;
  return renderPageNotice(row.kind, {
    page: { id: page.id, title: page.title, details: page.details, level: row.level, incident: page.incident ? { number: page.incident.number, key: incidentKey(page.incident.number) } : null },
    user,
    ackUrl: row.ackLinkId ? ackUrl(row.ackLinkId) : publicUrl(`/pages?page=${page.id}`),
    pageUrl: publicUrl(`/pages?page=${page.id}`),
    pagedBy: page.triggeredBy?.name ?? page.source,
  });
}

async function send(row: LoadedNotification): Promise<AttemptResult> {
  if (!row.contactMethod) return refused('Not sent: the contact method was removed');
  return sendToContactMethod(row.contactMethod, row.id, renderNotification(row));
}

type ContactMethodRow = NonNullable<LoadedNotification['contactMethod']>;

/**
 * Sends a rendered message through one contact method: e-mail over SMTP, the rest through the
 * HTTP sender and its destination guard; the signed webhook with `messageId` as its webhook-id
 * on every retry. Pages use it, and so do mentions in notes (lib/timeline/delivery.ts).
 */
export async function sendToContactMethod(method: ContactMethodRow, messageId: string, message: RenderedNotice): Promise<AttemptResult> {
  if (method.disabledAt) return refused(`Not sent: the contact method is disabled (${method.disabledReason ?? 'by an admin'})`);
  let target: string;
  try {
    target = decryptSecret(method.targetEncrypted, encryptionKey('contact method targets'));
  } catch (error) {
    return refused(`Not sent: the contact method's target cannot be read (${(error as Error).message})`);
  }
  if (method.kind === 'email') return sendEmail({ id: messageId, to: [target], subject: message.subject, text: message.body });
  const headers: Record<string, string> = { 'user-agent': 'Sitrep-Paging/1', ...message.headers };
  if (method.kind === 'ntfy') headers['content-type'] = 'text/plain; charset=utf-8';
  else headers['content-type'] = 'application/json';
  if (method.kind === 'webhook') {
    if (!method.signingSecret) return refused('Not sent: the webhook has no signing secret; add the contact method again');
    const secret = decryptSecret(method.signingSecret, encryptionKey('contact method targets'));
    const now = new Date();
    // Standard Webhooks, as for remediation: the message id is the webhook-id on every retry.
    Object.assign(headers, { 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(messageId, now, message.body) });
  }
  return sendAttempt({ url: target, method: 'POST', headers, body: message.body, timeoutMs: HTTP_TIMEOUT_MS, timeoutName: 'Sitrep waits 10 s for a contact method', allowHosts: allowHosts() });
}

export const pageNotifications: DeliveryKind<PageNotificationJob, LoadedNotification> = {
  name: 'page notification',
  ledger: pageNotificationLedger,
  longestAttemptSeconds: 20,
  load: loadNotification,
  send,
  record: (row, job, result) => recordPageNotificationAttempt(row.id, job.attempt, result),
  failStranded: failStrandedNotification,
};

/** Starts sending page notifications in this process. Safe to call more than once. */
export function startPageNotificationWorker(options: { concurrency?: number } = {}): Promise<void> {
  return runWorker(pageNotifications, { concurrency: options.concurrency ?? 4 });
}

export function stopPageNotificationWorker(): Promise<void> {
  return stopWorker(pageNotifications);
}

function describeResult(kind: string, result: AttemptResult): string {
  const answer = result.statusCode !== null ? `${kind === 'email' ? 'SMTP' : 'HTTP'} ${result.statusCode}${result.error ? ` (${result.error})` : ''}` : (result.error ?? 'no answer');
  return `${answer} in ${result.durationMs} ms`;
}

/**
 * Records attempt `attempt` of a notification and what follows, in one transaction under its row
 * lock: the attempt, the status (with the last error, which the page shows), the method disabled
 * on 410 Gone, the next job when it retries, and, for a page about an incident, the timeline: one
 * event when the first attempt works, otherwise one per retried attempt and one for the outcome.
 * Returns false when that attempt was already recorded (a job run twice after a crash).
 */
export async function recordPageNotificationAttempt(notificationId: string, attempt: number, result: AttemptResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await lockForAttempt(tx, pageNotificationLedger, notificationId, attempt))) return false;
    const row = await tx.pageNotification.findUniqueOrThrow({ where: { id: notificationId }, include: { user: { select: { name: true, email: true } }, contactMethod: true, page: { select: { id: true, title: true, incidentId: true } } } });
    await tx.pageNotificationAttempt.create({ data: { notificationId, number: attempt, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs, responseExcerpt: result.excerpt } });
    const { status, nextAttemptAt: next, delayMs: delay } = decideAfterAttempt(attempt, PAGE_NOTIFICATION_MAX_ATTEMPTS, result);
    const answer = describeResult(row.kind, result);
    await tx.pageNotification.update({
      where: { id: notificationId },
      data: { attemptCount: attempt, status, nextAttemptAt: next, completedAt: status === 'retrying' ? null : new Date(), lastError: status === 'succeeded' ? null : answer },
    });
    const gone = result.outcome === 'gone';
    if (gone && row.contactMethod && !row.contactMethod.disabledAt) {
      await tx.contactMethod.update({ where: { id: row.contactMethod.id }, data: { disabledAt: new Date(), disabledReason: `the receiver answered 410 Gone on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` } });
    }
    if (row.page) {
      const how = `${row.user.name} by ${kindShortNames[row.kind]}${row.contactMethod?.label ? ` (${row.contactMethod.label})` : ''}`;
      const level = `level ${row.level}`;
      const body =
        status === 'succeeded'
          ? attempt === 1
            ? `Paged ${how}, ${level}: ${answer}.`
            : `Paged ${how}, ${level}, on attempt ${attempt}/${PAGE_NOTIFICATION_MAX_ATTEMPTS}: ${answer}.`
          : status === 'retrying'
            ? `Paging ${how}, ${level}, attempt ${attempt}/${PAGE_NOTIFICATION_MAX_ATTEMPTS}: ${answer}; retrying in ${Math.max(1, Math.round(delay / 1000))} s.`
            : `Could not page ${how}, ${level}${attempt > 1 ? `, after ${attempt} attempts` : ''}: ${answer}.${gone ? ' The receiver answered 410 Gone, so this contact method is now disabled.' : ''}`;
      if (row.page.incidentId) {
        await appendTimelineEvent(tx, row.page.incidentId, {
          kind: 'page',
          actorId: null,
          body,
          data: { event: 'notification', pageId: row.page.id, notificationId, kind: row.kind, to: row.user.email, level: row.level, cycle: row.cycle, attempt, statusCode: result.statusCode, error: result.error, status },
        });
      }
      await notifyPageChanged(tx, row.page.id);
    }
    if (status === 'failed') log.warn('page notification failed', { notificationId, kind: row.kind, attempt, statusCode: result.statusCode, error: result.error });
    if (status === 'retrying') await enqueuePageNotification(tx, { notificationId, attempt: attempt + 1 }, next!);
    return true;
  });
}

/** Notifications whose queue job is gone for good are marked failed, said on the page and its timeline. */
export function failStrandedPageNotifications(): Promise<number> {
  return sweepStranded(pageNotificationLedger, failStrandedNotification);
}

async function failStrandedNotification(tx: Tx, id: string): Promise<void> {
  const row = await tx.pageNotification.update({
    where: { id },
    data: { status: 'failed', nextAttemptAt: null, completedAt: new Date(), lastError: 'The delivery worker gave up on it after repeated crashes' },
    include: { user: { select: { name: true } }, page: { select: { id: true, incidentId: true } } },
  });
  log.warn('page notification failed: its queue job failed for good', { notificationId: id });
  if (row.page?.incidentId) {
    await appendTimelineEvent(tx, row.page.incidentId, {
      kind: 'page',
      actorId: null,
      body: `Could not page ${row.user.name} by ${kindShortNames[row.kind]}: the delivery worker gave up on it after repeated crashes.`,
      data: { event: 'notification', pageId: row.page.id, notificationId: id, status: 'failed', stranded: true },
    });
  }
  if (row.page) await notifyPageChanged(tx, row.page.id);
}
