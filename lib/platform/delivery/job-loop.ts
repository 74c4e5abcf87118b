// One fetch loop per queue and process: takes up to `concurrency` jobs at once from pg-boss, runs
// each on its own, completes or fails it, and fetches again as soon as a slot frees. This replaced
// one pg-boss `work()` poller per slot: 27 of them polled twice a second each, and every new job
// woke all 16 page senders to race for it, so under load they queued for the job queue's four
// connections while due escalation steps waited behind them.
//
// Waking: enqueue() (queue.ts) notifies `jobsChannel` with the queue's name inside the transaction
// that inserts the job, so PostgreSQL delivers it only once that commits, to every Sitrep process.
// Each process hears it on its one LISTEN connection (platform/live) and wakes its loop for that
// queue: a job due now is taken at once, by whichever process fetches first (SKIP LOCKED).
// Polling every half second remains for jobs due later (timers, retries); after the LISTEN
// connection was lost and found again, every loop fetches at once.
import 'server-only';
import type PgBoss from 'pg-boss';
import { subscribe } from '@/lib/platform/live/listener';
import { defineChannel } from '@/lib/platform/live/notify';
import { log } from '@/lib/platform/log';

/** "A job of queue `queue` is due now": sent by enqueue() with the job's transaction. */
export const jobsChannel = defineChannel<{ queue: string }>('sitrep_jobs', (notification) => notification.queue);

export type JobLoopOptions<T> = {
  queue: string;
  /** Jobs run at once in this process. */
  concurrency: number;
  /** For jobs due later than when they were sent: how often to look. */
  pollMs?: number;
  /** Runs one job; throwing fails it, and pg-boss retries it after its retry delay. */
  handle(job: PgBoss.Job<T>): Promise<void>;
};

export type JobLoop = {
  /** Stops fetching and waits up to `drainMs` for jobs in flight. */
  stop(drainMs: number): Promise<void>;
};

export function startJobLoop<T>(boss: PgBoss, options: JobLoopOptions<T>): JobLoop {
  const { queue, concurrency, handle } = options;
  const inFlight = new Set<Promise<void>>();
  let fetching: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const run = (job: PgBoss.Job<T>): void => {
    const done: Promise<void> = (async () => {
      try {
        await handle(job);
      } catch (error) {
        log.warn(`${queue} job failed; the queue retries it`, { jobId: job.id, error: (error as Error).message });
        await boss.fail(queue, job.id, { message: (error as Error).message }).catch(() => undefined);
        return;
      }
      // If this fails the job expires and runs again; each kind's ledger records an attempt once.
      await boss.complete(queue, job.id).catch((error: unknown) => log.warn(`${queue} job not marked complete`, { jobId: job.id, error: (error as Error).message }));
    })().finally(() => {
      inFlight.delete(done);
      pump();
    });
    inFlight.add(done);
  };

  const fetchOnce = async (free: number): Promise<void> => {
    let jobs: PgBoss.Job<T>[] = [];
    try {
      jobs = await boss.fetch<T>(queue, { batchSize: free });
    } catch (error) {
      if (!stopped) log.debug(`${queue} fetch failed; polling again`, { error: (error as Error).message });
    }
    // Fetched jobs are ours even while stopping: they run, and stop() waits for them.
    for (const job of jobs) run(job);
    // A full batch or a wake during the fetch: more may be waiting.
    if (jobs.length === free || again) setImmediate(pump);
  };

  function pump(): void {
    if (stopped) return;
    if (fetching) {
      again = true;
      return;
    }
    const free = concurrency - inFlight.size;
    if (free <= 0) return; // a finishing job pumps again
    again = false;
    fetching = fetchOnce(free).finally(() => (fetching = null));
  }

  const timer = setInterval(pump, options.pollMs ?? 500);
  timer.unref();
  // A change or a resync (the LISTEN connection came back) alike: fetch now.
  const listening = subscribe(jobsChannel, queue, () => pump()).catch((error: unknown) => {
    log.warn(`${queue} jobs are found by polling only`, { error: (error as Error).message });
    return () => undefined;
  });

  pump();
  return {
    async stop(drainMs) {
      stopped = true;
      clearInterval(timer);
      (await listening)();
      await fetching;
      let drained: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (drained = setTimeout(resolve, drainMs)))]);
      clearTimeout(drained);
    },
  };
}
