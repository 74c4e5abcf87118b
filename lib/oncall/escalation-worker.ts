// Runs the escalation timers of escalation-queue.ts in this process: pg-boss hands each due job
// to one worker across every instance (SKIP LOCKED), and runEscalationStep re-checks the page
// under its row lock, so a job run twice (a worker died after committing) changes nothing.
// Workers poll every half second: a step fires at most about that long after it falls due, plus
// the queue's recovery time when the process holding it died mid-step.
import 'server-only';
import type PgBoss from 'pg-boss';
import { ESCALATION_QUEUE, type EscalationJob } from '@/lib/oncall/escalation-queue';
import { runEscalationStep } from '@/lib/oncall/service';
import { forgetLocalWorkers, namedQueue, registerLocalWorker } from '@/lib/platform/delivery/queue';
import { log } from '@/lib/platform/log';

let running: PgBoss | null = null;
let starting: Promise<void> | null = null;

async function start(concurrency: number): Promise<void> {
  const boss = await namedQueue(ESCALATION_QUEUE, { worker: true });
  // Registered already, unless the queue was stopped and started again since.
  if (running === boss) return;
  for (let i = 0; i < concurrency; i++) {
    let id: string | null = null;
    // Up to 10 due steps per fetch, 5 at a time (each locks only its own page): many pages can
    // fall due in the same second (an alert storm paged them together). A step that fails is
    // failed on its own and retried by the queue; the others of the batch complete.
    id = await boss.work<EscalationJob>(ESCALATION_QUEUE, { batchSize: 10, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      const step = async (job: (typeof jobs)[number]) => {
        try {
          const outcome = await runEscalationStep(job.data);
          if (outcome !== 'void') log.info('escalation step', { pageId: job.data.pageId, step: `level ${job.data.level}, run ${job.data.cycle}`, outcome });
        } catch (error) {
          log.warn('escalation step failed; the queue retries it', { pageId: job.data.pageId, error: (error as Error).message });
          await boss.fail(ESCALATION_QUEUE, job.id, { message: (error as Error).message }).catch(() => undefined);
        }
      };
      for (let i = 0; i < jobs.length; i += 5) await Promise.all(jobs.slice(i, i + 5).map(step));
      // A full batch may mean more are due: fetch again at once rather than after the interval.
      if (jobs.length > 0 && id) boss.notifyWorker(id);
    });
    registerLocalWorker(ESCALATION_QUEUE, id);
  }
  running = boss;
  log.info('escalation worker started', { concurrency });
}

/** Starts taking escalation steps in this process. Safe to call more than once. */
export function startEscalationWorker(options: { concurrency?: number } = {}): Promise<void> {
  starting ??= start(options.concurrency ?? 2).finally(() => (starting = null));
  return starting;
}

/** Stops taking escalation steps; a step in flight finishes (pg-boss waits for it when the queue stops). */
export async function stopEscalationWorker(): Promise<void> {
  await starting?.catch(() => undefined);
  const boss = running;
  running = null;
  forgetLocalWorkers(ESCALATION_QUEUE);
  await boss?.offWork(ESCALATION_QUEUE).catch(() => undefined);
}
