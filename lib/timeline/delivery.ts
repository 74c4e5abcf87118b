// Mentions, one kind of outgoing message (lib/timeline/mentions.ts writes them): the platform's
// worker runner takes their attempt jobs; this file loads one, tells the person mentioned and
// records the attempt, retrying with backoff. The person is told through the contact method they
// want to be reached by first (their on-call profile: the lowest delay, then the oldest; a push
// at default priority, a chat message, a signed `note.mentioned` webhook), or by e-mail to their
// account's address when they have none. Retries go the same way, so nobody is told twice. The
// timeline stays quiet about them: a mention is between the author and the person named.
import type { Prisma } from '@/lib/generated/prisma/client';
import { db, type Tx } from '@/lib/platform/db';
import { sendEmail } from '@/lib/platform/delivery/email';
import type { AttemptResult } from '@/lib/platform/delivery/http';
import { decideAfterAttempt, lockForAttempt, type Ledger } from '@/lib/platform/delivery/ledger';
import { enqueue } from '@/lib/platform/delivery/queue';
import type { DeliveryKind } from '@/lib/platform/delivery/worker';
import { log } from '@/lib/platform/log';
import { publicUrl } from '@/lib/platform/urls';
import { incidentKey } from '@/lib/incidents/schema';
import { sendToContactMethod } from '@/lib/oncall/delivery';
import { renderMentionNotice } from '@/lib/oncall/messages';

export const MENTION_QUEUE = 'mention-delivery';
export const MENTION_MAX_ATTEMPTS = 5;

export type MentionJob = { mentionId: string; attempt: number };

export const mentionLedger: Ledger = { table: 'mention_notifications', queue: MENTION_QUEUE, jobKey: 'mentionId' };

/** Inserts the job for attempt `job.attempt` with the caller's transaction. */
export function enqueueMention(tx: Tx, job: MentionJob, startAfter?: Date): Promise<void> {
  return enqueue(tx, MENTION_QUEUE, job, { singletonKey: `${job.mentionId}:${job.attempt}`, startAfter });
}

const mentionInclude = {
  user: { select: { email: true, disabledAt: true, contactMethods: { where: { disabledAt: null }, orderBy: [{ delaySeconds: 'asc' }, { createdAt: 'asc' }], take: 1 } } },
  incident: { select: { number: true, title: true } },
} satisfies Prisma.MentionNotificationInclude;

async function loadMention(job: MentionJob) {
  const mention = await db.mentionNotification.findUnique({ where: { id: job.mentionId }, include: mentionInclude });
  if (!mention || mention.status === 'succeeded' || mention.status === 'failed' || mention.attemptCount >= job.attempt) return null;
  const event = await db.timelineEvent.findUnique({ where: { id: mention.eventId }, select: { body: true, actor: { select: { name: true } } } });
  return { ...mention, note: event?.body ?? '', author: event?.actor?.name ?? 'Someone' };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadMention>>>;

function send(mention: Loaded): Promise<AttemptResult> {
  if (mention.user.disabledAt) return Promise.resolve({ outcome: 'failed', statusCode: null, error: 'Not sent: the account was disabled', durationMs: 0, excerpt: null, retryAfterMs: null });
  const method = mention.user.contactMethods[0];
  if (!method) return sendEmail({ id: mention.id, to: [mention.user.email], subject: mention.subject, text: mention.body });
  const key = incidentKey(mention.incident.number);
  const notice = renderMentionNotice(method.kind, {
    incident: { number: mention.incident.number, key, title: mention.incident.title },
    user: { email: mention.user.email },
    author: mention.author,
    note: mention.note,
    url: publicUrl(`/incidents/${mention.incident.number}`),
    subject: mention.subject,
    text: mention.body,
  });
  return sendToContactMethod(method, mention.id, notice);
}

/** Records attempt `attempt` and queues the next one when it retries; false when it was recorded already. */
export async function recordMentionAttempt(id: string, attempt: number, result: AttemptResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await lockForAttempt(tx, mentionLedger, id, attempt))) return false;
    const { status, nextAttemptAt } = decideAfterAttempt(attempt, MENTION_MAX_ATTEMPTS, result);
    await tx.mentionNotification.update({
      where: { id },
      data: { attemptCount: attempt, status, nextAttemptAt, lastError: result.error, completedAt: status === 'retrying' ? null : new Date() },
    });
    if (status === 'failed') log.warn('mention notification failed', { mentionId: id, attempt, error: result.error });
    if (status === 'retrying') await enqueueMention(tx, { mentionId: id, attempt: attempt + 1 }, nextAttemptAt!);
    return true;
  });
}

async function failStranded(tx: Tx, id: string): Promise<void> {
  await tx.mentionNotification.update({ where: { id }, data: { status: 'failed', nextAttemptAt: null, completedAt: new Date(), lastError: 'the delivery worker gave up on it after repeated crashes' } });
  log.warn('mention notification failed: its queue job failed for good', { mentionId: id });
}

export const mentionNotifications: DeliveryKind<MentionJob, Loaded> = {
  name: 'mention',
  ledger: mentionLedger,
  load: loadMention,
  send,
  record: (mention, job, result) => recordMentionAttempt(mention.id, job.attempt, result),
  failStranded,
};
