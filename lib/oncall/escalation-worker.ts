// Runs the escalation timers of escalation-queue.ts in this process: pg-boss hands each due job
// to one worker across every instance (SKIP LOCKED), and runEscalationStep re-checks the page
// under its row lock, so a job run twice (a worker died after committing) changes nothing.
// The loop polls every half second: a step fires at most about that long after it falls due, plus
// the queue's recovery time when the process holding it died mid-step.
import 'server-only';
import type PgBoss from 'pg-boss';
import { ESCALATION_QUEUE, type EscalationJob } from '@/lib/oncall/escalation-queue';
import { runEscalationStep } from '@/lib/oncall/service';
import { startJobLoop, type JobLoop } from '@/lib/platform/delivery/job-loop';
import { namedQueue } from '@/lib/platform/delivery/queue';
import { log } from '@/lib/platform/log';

let running: PgBoss | null = null;
let loop: JobLoop | null = null;
let starting: Promise<void> | null = null;

async function start(concurrency: number): Promise<void> {
  const boss = await namedQueue(ESCALATION_QUEUE, { worker: true });
  // Registered already, unless the queue was stopped and started again since.
  if (running === boss) return;
  // Each step locks only its own page: many can run at once (an alert storm paged many pages
  // together, so their steps fall due in the same second). A step that fails is failed on its own
  // and retried by the queue.
  loop = startJobLoop<EscalationJob>(boss, {
    queue: ESCALATION_QUEUE,
    concurrency,
    async handle(job) {
      const step = `level ${job.data.level}, run ${job.data.cycle}`;
      try {
        const outcome = await runEscalationStep(job.data);
        if (outcome !== 'void') log.info('escalation step', { pageId: job.data.pageId, step, outcome });
      } catch (error) {
        // The loop logs the job's failure; this says which page's escalation it holds up.
        log.warn('escalation step failed; the queue retries it', { pageId: job.data.pageId, step, error: (error as Error).message });
        throw error;
      }
    },
  });
  running = boss;
  log.info('escalation worker started', { concurrency });
}

/** Escalation steps one process runs at once. */
export const ESCALATION_CONCURRENCY = 10;

/** Starts taking escalation steps in this process. Safe to call more than once. */
export function startEscalationWorker(options: { concurrency?: number } = {}): Promise<void> {
  starting ??= start(options.concurrency ?? ESCALATION_CONCURRENCY).finally(() => (starting = null));
  return starting;
}

/** Stops taking escalation steps and waits up to 10 s for the steps in flight. */
export async function stopEscalationWorker(): Promise<void> {
  await starting?.catch(() => undefined);
  const boss = running;
  running = null;
  const stopping = loop;
  loop = null;
  if (boss) await stopping?.stop(10_000);
}
