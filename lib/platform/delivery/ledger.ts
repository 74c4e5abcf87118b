// The attempt ledger every kind of outgoing message shares: each is "send this, at least once,
// and record every attempt exactly once". What is common lives here: taking the row's lock so an
// attempt is recorded once even when its job ran twice after a crash, deciding what follows an
// attempt, and finding rows whose queue job is gone for good. Each domain keeps its own rows,
// wording and follow-ups.
import 'server-only';
import { db, type Tx } from '@/lib/platform/db';
import type { AttemptResult } from '@/lib/platform/delivery/http';

/**
 * A table with the ledger's columns (id, status, attempt_count, created_at), the queue its jobs go
 * to and the job field naming the row. Names come from code, never from input: they are spliced
 * into SQL.
 */
export type Ledger = { table: string; queue: string; jobKey: string };

export type AttemptDecision = {
  status: 'succeeded' | 'retrying' | 'failed';
  /** When the next attempt runs; null when this one was the last. */
  nextAttemptAt: Date | null;
  delayMs: number;
};

/**
 * Locks the row for recording attempt `attempt`; false when there is nothing to record: the row
 * is gone, finished, or that attempt was recorded already (its job ran twice after a crash).
 */
export async function lockForAttempt(tx: Tx, ledger: Ledger, id: string, attempt: number): Promise<boolean> {
  const [row] = await tx.$queryRawUnsafe<{ attempt_count: number; status: string }[]>(`SELECT attempt_count, status FROM ${ledger.table} WHERE id = $1::uuid FOR UPDATE`, id);
  return canRecordAttempt(row, attempt);
}

/**
 * lockForAttempt's rule on a row already locked (for a caller that locks it together with other
 * rows in one statement): attempt `attempt` is recorded only on a row that exists, is not
 * finished, and has not recorded that attempt yet.
 */
export function canRecordAttempt(row: { attempt_count: number; status: string } | undefined, attempt: number): boolean {
  return row !== undefined && row.attempt_count < attempt && row.status !== 'succeeded' && row.status !== 'failed';
}

/** Exponential backoff with jitter: ~2 s, 4 s, 8 s… up to 5 min; Retry-After wins (up to 1 h). */
export function retryDelayMs(attempt: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, 3_600_000);
  const base = Math.min(2_000 * 2 ** (attempt - 1), 300_000);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** What follows attempt `attempt` of at most `maxAttempts` that ended with `result`. */
export function decideAfterAttempt(attempt: number, maxAttempts: number, result: AttemptResult): AttemptDecision {
  if (result.outcome === 'succeeded') return { status: 'succeeded', nextAttemptAt: null, delayMs: 0 };
  if (result.outcome !== 'retry' || attempt >= maxAttempts) return { status: 'failed', nextAttemptAt: null, delayMs: 0 };
  const delayMs = retryDelayMs(attempt, result.retryAfterMs);
  return { status: 'retrying', nextAttemptAt: new Date(Date.now() + delayMs), delayMs };
}

/** Only rows this old are looked at: younger ones may be waiting for their first run. */
const STRANDED_AFTER_MINUTES = 5;

/**
 * Gives each unfinished row whose queue job is gone for good (pg-boss marks a job failed after
 * its 20th crashed run) to `fail`, inside a transaction holding the row's lock, re-checked there
 * so two workers sweeping at once handle a row once. Returns how many were handled.
 */
export async function sweepStranded(ledger: Ledger, fail: (tx: Tx, id: string) => Promise<void>): Promise<number> {
  const [{ exists } = { exists: false }] = await db.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`;
  if (!exists) return 0; // the queue has never run on this database
  const stranded = `status IN ('pending', 'retrying') AND NOT EXISTS (
      SELECT 1 FROM pgboss.job j WHERE j.name = '${ledger.queue}' AND j.data->>'${ledger.jobKey}' = r.id::text AND j.state < 'completed')`;
  const candidates = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT r.id FROM ${ledger.table} r WHERE ${stranded} AND r.created_at < now() - interval '${STRANDED_AFTER_MINUTES} minutes' LIMIT 100`,
  );
  let handled = 0;
  for (const { id } of candidates) {
    const done = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT r.id FROM ${ledger.table} r WHERE r.id = $1::uuid AND ${stranded} FOR UPDATE OF r`, id);
      if (!row) return false;
      await fail(tx, id);
      return true;
    });
    if (done) handled++;
  }
  return handled;
}

/**
 * Rows written before their first job (alert intake stores its dispatch rows in one statement and
 * queues their jobs right after): a row still waiting for attempt 1 after `afterSeconds` without
 * any job, finished or not, lost its job to a crash in between, and `enqueueFirst` queues it now,
 * inside a transaction holding the row's lock, looked at again there so two sweeps queue it once. A row
 * whose job exists, even one pg-boss gave up on, is left to sweepStranded. Returns how many were queued.
 */
export async function queueUnqueued(ledger: Ledger, afterSeconds: number, enqueueFirst: (tx: Tx, id: string) => Promise<void>): Promise<number> {
  const [{ exists } = { exists: false }] = await db.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS exists`;
  if (!exists) return 0;
  const unqueued = `r.status = 'pending' AND r.attempt_count = 0 AND NOT EXISTS (
      SELECT 1 FROM pgboss.job j WHERE j.name = '${ledger.queue}' AND j.data->>'${ledger.jobKey}' = r.id::text)`;
  const candidates = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT r.id FROM ${ledger.table} r WHERE r.status = 'pending' AND r.attempt_count = 0 AND r.created_at < now() - make_interval(secs => $1) AND ${unqueued} LIMIT 500`,
    afterSeconds,
  );
  let queued = 0;
  for (const { id } of candidates) {
    const done = await db.$transaction(async (tx) => {
      // Lock first, then look: the look is a new statement, so it sees the job that a sweep we
      // waited for queued (one statement would judge the job table by its own older snapshot, and
      // the other sweep only locked the row, so nothing makes PostgreSQL check again).
      const [locked] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM ${ledger.table} WHERE id = $1::uuid FOR UPDATE`, id);
      if (!locked) return false;
      const [row] = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT r.id FROM ${ledger.table} r WHERE r.id = $1::uuid AND ${unqueued}`, id);
      if (!row) return false;
      await enqueueFirst(tx, id);
      return true;
    });
    if (done) queued++;
  }
  return queued;
}
