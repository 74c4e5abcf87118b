// The job loop (lib/platform/delivery/job-loop.ts) every worker of Sitrep runs on: at most its
// concurrency in flight, every job run once, a job due now taken at once through NOTIFY (with
// polling turned off, nothing else could find it; also for a job enqueued outside a transaction),
// nothing from a transaction that rolled back, and a handler that throws leaves its job to the
// queue's retries.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/lib/platform/db';
import { startJobLoop, type JobLoop } from '@/lib/platform/delivery/job-loop';
import { enqueue, namedQueue, stopQueue } from '@/lib/platform/delivery/queue';

const QUEUE = `job-loop-test-${Date.now()}`;
// No polling within the test: only the NOTIFY sent with each job can start it.
const NEVER_MS = 10 * 60_000;

type Job = { n: number; fail?: boolean };
const ran: number[] = [];
let running = 0;
let mostAtOnce = 0;
let failures = 0;
let loop: JobLoop;

const waitFor = async (what: string, check: () => boolean, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

beforeAll(async () => {
  const boss = await namedQueue(QUEUE, { worker: true });
  loop = startJobLoop<Job>(boss, {
    queue: QUEUE,
    concurrency: 3,
    pollMs: NEVER_MS,
    async handle(job) {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (job.data.fail) {
          failures++;
          throw new Error('the handler failed on purpose');
        }
        ran.push(job.data.n);
      } finally {
        running--;
      }
    },
  });
});

afterAll(async () => {
  await loop?.stop(5_000);
  await stopQueue();
});

it('runs each of 20 jobs once, never more than its concurrency at a time, woken by the commit', async () => {
  await db.$transaction(async (tx) => {
    for (let n = 0; n < 20; n++) await enqueue(tx, QUEUE, { n }, { singletonKey: `n-${n}` });
  });
  await waitFor('20 jobs', () => ran.length >= 20);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect([...ran].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  expect(mostAtOnce).toBe(3);
});

it('runs nothing a rolled-back transaction enqueued, and a later job still wakes it', async () => {
  await expect(
    db.$transaction(async (tx) => {
      await enqueue(tx, QUEUE, { n: 100 }, { singletonKey: 'rolled-back' });
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  await db.$transaction((tx) => enqueue(tx, QUEUE, { n: 101 }, { singletonKey: 'after' }));
  await waitFor('the job after the rollback', () => ran.includes(101));
  expect(ran).not.toContain(100);
});

it('is woken by a job enqueued on its own, outside any transaction (alert intake does so), once', async () => {
  await enqueue(db, QUEUE, { n: 300 }, { singletonKey: 'alone' });
  await waitFor('the job enqueued alone', () => ran.includes(300));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(ran.filter((n) => n === 300)).toHaveLength(1);
});

it('leaves a job whose handler threw to the queue, to be retried', async () => {
  const before = ran.length;
  await db.$transaction((tx) => enqueue(tx, QUEUE, { n: 200, fail: true }, { singletonKey: 'fails' }));
  await waitFor('the handler to fail', () => failures === 1);
  // The queue holds it for a retry after its delay; fetched here ignoring that delay, it is the
  // same job on its second run (the loop, polling never, does not take it first).
  const boss = await namedQueue(QUEUE);
  let retried: { data: Job; retryCount: number } | undefined;
  await waitFor('the job up for retry', () => retried !== undefined || (void boss.fetch<Job>(QUEUE, { batchSize: 1, includeMetadata: true, ignoreStartAfter: true }).then(([job]) => (retried ??= job)), false));
  expect(retried?.data).toEqual({ n: 200, fail: true });
  expect(retried?.retryCount).toBe(1);
  expect(ran.length).toBe(before);
});
