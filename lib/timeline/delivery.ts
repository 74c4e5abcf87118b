// Mention e-mails, one kind of outgoing message (lib/timeline/mentions.ts writes them): the
// platform's worker runner takes their attempt jobs; this file loads one, sends it over SMTP to
// the person mentioned and records the attempt, retrying with backoff. The timeline stays quiet
// about them: a mention is between the author and the person named.
import { db, type Tx } from '@/lib/platform/db';
import type { MentionNotification } from '@/lib/generated/prisma/client';
import { sendEmail } from '@/lib/platform/delivery/email';
import type { AttemptResult } from '@/lib/platform/delivery/http';
import { decideAfterAttempt, lockForAttempt, type Ledger } from '@/lib/platform/delivery/ledger';
import { enqueue } from '@/lib/platform/delivery/queue';
import type { DeliveryKind } from '@/lib/platform/delivery/worker';
import { log } from '@/lib/platform/log';

export const MENTION_QUEUE = 'mention-delivery';
export const MENTION_MAX_ATTEMPTS = 5;

export type MentionJob = { mentionId: string; attempt: number };

export const mentionLedger: Ledger = { table: 'mention_notifications', queue: MENTION_QUEUE, jobKey: 'mentionId' };

/** Inserts the job for attempt `job.attempt` with the caller's transaction. */
export function enqueueMention(tx: Tx, job: MentionJob, startAfter?: Date): Promise<void> {
  return enqueue(tx, MENTION_QUEUE, job, { singletonKey: `${job.mentionId}:${job.attempt}`, startAfter });
}

type Loaded = MentionNotification & { user: { email: string; disabledAt: Date | null } };

async function loadMention(job: MentionJob): Promise<Loaded | null> {
  const mention = await db.mentionNotification.findUnique({ where: { id: job.mentionId }, include: { user: { select: { email: true, disabledAt: true } } } });
  if (!mention || mention.status === 'succeeded' || mention.status === 'failed' || mention.attemptCount >= job.attempt) return null;
  return mention;
}

function send(mention: Loaded): Promise<AttemptResult> {
  if (mention.user.disabledAt) return Promise.resolve({ outcome: 'failed', statusCode: null, error: 'Not sent: the account was disabled', durationMs: 0, excerpt: null, retryAfterMs: null });
  return sendEmail({ id: mention.id, to: [mention.user.email], subject: mention.subject, text: mention.body });
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
    if (status === 'failed') log.warn('mention e-mail failed', { mentionId: id, attempt, error: result.error });
    if (status === 'retrying') await enqueueMention(tx, { mentionId: id, attempt: attempt + 1 }, nextAttemptAt!);
    return true;
  });
}

async function failStranded(tx: Tx, id: string): Promise<void> {
  await tx.mentionNotification.update({ where: { id }, data: { status: 'failed', nextAttemptAt: null, completedAt: new Date(), lastError: 'the delivery worker gave up on it after repeated crashes' } });
  log.warn('mention e-mail failed: its queue job failed for good', { mentionId: id });
}

export const mentionEmails: DeliveryKind<MentionJob, Loaded> = {
  name: 'mention',
  ledger: mentionLedger,
  load: loadMention,
  send,
  record: (mention, job, result) => recordMentionAttempt(mention.id, job.attempt, result),
  failStranded,
};
