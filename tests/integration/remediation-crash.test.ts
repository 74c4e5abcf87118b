// "Nothing lost": deliveries survive a delivery worker killed mid-flight (kill -9), and two
// workers on one database never send the same attempt concurrently. The workers are real
// processes (`scripts/worker.ts`, what `npm run worker` runs) on the test database; the receiver
// is a slow local HTTP server that holds every request open for a while.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { declareIncident } from '@/lib/incidents/service';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { REMEDIATION_QUEUE as DELIVERY_QUEUE } from '@/lib/remediation/delivery';
import { createAction, fireRemediation } from '@/lib/remediation/service';
import { createUser } from '@/lib/users/service';
import { query } from './db-helpers';
import { TSX_ARGS } from '@/scripts/support/tsx';

// A job whose worker died comes back after this (60 s in production). Set before lib/env is
// read, because this process enqueues the first attempt of every delivery and the job carries it.
vi.hoisted(() => {
  process.env.SITREP_DELIVERY_EXPIRE_SECONDS = '6';
});
const EXPIRE_SECONDS = '6';
// Below the expiry, so a slow but live attempt is never taken back from its worker.
const ACTION_TIMEOUT_MS = 4_000;
const HOLD_MS = 1_500;

const root = path.resolve(import.meta.dirname, '../..');

// ---- the receiver ----

type Receiver = {
  base: string;
  /** webhook-id of every request, in order of arrival. */
  received: string[];
  /** Requests not answered yet, by webhook-id. */
  inFlight: Set<string>;
  maxInFlight: number;
  close(): Promise<void>;
};

/** Holds each request HOLD_MS, then answers 200; under /flaky the first request of a delivery gets 503 + Retry-After. */
async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { base: '', received: [], inFlight: new Set(), maxInFlight: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const first = !receiver.received.includes(id);
      receiver.received.push(id);
      if (req.url === '/flaky' && first) {
        res.writeHead(503, { 'retry-after': '3' }).end('busy');
        return;
      }
      receiver.inFlight.add(id);
      receiver.maxInFlight = Math.max(receiver.maxInFlight, receiver.inFlight.size);
      res.on('close', () => receiver.inFlight.delete(id));
      const timer = setTimeout(() => res.writeHead(200).end('ok'), HOLD_MS);
      req.socket.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.base = `http://localhost:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

// ---- worker processes ----

type Worker = { child: ChildProcess; output: () => string; exited: Promise<number | null> };
const workers: Worker[] = [];

/** Starts `scripts/worker.ts` on the test database and resolves once it takes jobs. */
async function startWorker(): Promise<Worker> {
  const child = spawn(process.execPath, [...TSX_ARGS, 'scripts/worker.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: 'production',
      DATABASE_URL: inject('databaseUrl'),
      SITREP_ENCRYPTION_KEY: process.env.SITREP_ENCRYPTION_KEY,
      SITREP_WEBHOOK_ALLOW_HOSTS: 'localhost',
      SITREP_DELIVERY_EXPIRE_SECONDS: EXPIRE_SECONDS,
      SITREP_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const worker: Worker = { child, output: () => output, exited };
  workers.push(worker);
  const until = Date.now() + 20_000;
  while (!output.includes('worker running')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`the worker did not start:\n${output}`);
    await sleep(50);
  }
  return worker;
}

async function stopWorker(worker: Worker, signal: NodeJS.Signals): Promise<number | null> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  return worker.exited;
}

// ---- the database side ----

let actor: Actor;
let incident: number;
let n = 0;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, remediation_actions CASCADE');
  const user = await createUser({ email: 'crash@example.com', name: 'Crash Tester', role: 'admin' }, { actor: null });
  actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  incident = (await declareIncident({ title: 'Deliveries under fire', severity: 'SEV2' }, { actor })).number;
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => stopWorker(worker, 'SIGKILL')));
});

afterAll(async () => {
  await stopQueue();
  await db.$disconnect();
  delete process.env.SITREP_DELIVERY_EXPIRE_SECONDS;
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function action(url: string): Promise<string> {
  n++;
  const { action: created } = await createAction({ name: `Crash-test action ${n}`, url, timeoutMs: ACTION_TIMEOUT_MS, maxAttempts: 3 }, { actor });
  return created.id;
}

async function fire(actionId: string): Promise<string> {
  return (await fireRemediation(incident, { actionId }, { actor })).id;
}

async function statuses(ids: string[]): Promise<Map<string, string>> {
  const rows = await db.remediationDelivery.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  return new Map(rows.map((row) => [row.id, row.status]));
}

async function allSucceeded(ids: string[], timeoutMs: number): Promise<void> {
  let last = new Map<string, string>();
  await waitFor(
    'every delivery to succeed',
    async () => {
      last = await statuses(ids);
      return ids.every((id) => last.get(id) === 'succeeded');
    },
    timeoutMs,
  ).catch((error: Error) => {
    const pending = ids.filter((id) => last.get(id) !== 'succeeded').map((id) => `${id}: ${last.get(id)}`);
    throw new Error(`${error.message}; not succeeded: ${pending.join(', ')}\n${workers.map((w) => w.output()).join('\n---\n')}`);
  });
}

/** The recorded attempts' status codes per delivery, in attempt order. */
async function attemptCodes(ids: string[]): Promise<Map<string, (number | null)[]>> {
  const rows = await db.deliveryAttempt.findMany({ where: { deliveryId: { in: ids } }, orderBy: [{ deliveryId: 'asc' }, { number: 'asc' }] });
  const codes = new Map<string, (number | null)[]>();
  for (const row of rows) codes.set(row.deliveryId, [...(codes.get(row.deliveryId) ?? []), row.statusCode]);
  return codes;
}

/** Queue jobs per attempt (singletonKey `delivery:attempt`), across live and archived jobs. */
async function jobsPerAttempt(ids: string[]): Promise<{ key: string; total: number; open: number }[]> {
  return query<{ key: string; total: number; open: number }>(
    inject('databaseUrl'),
    `SELECT singleton_key AS key, count(*)::int AS total, count(*) FILTER (WHERE state < 'completed')::int AS open
       FROM (SELECT singleton_key, state, data FROM pgboss.job WHERE name = $1
             UNION ALL SELECT singleton_key, state, data FROM pgboss.archive WHERE name = $1) jobs
      WHERE data->>'deliveryId' = ANY($2::text[])
      GROUP BY singleton_key`,
    [DELIVERY_QUEUE, ids],
  );
}

function count(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe('a worker killed mid-flight', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('loses nothing: a new worker sends what was in flight again, with the same webhook-id, and each attempt is recorded once', { timeout: 60_000 }, async () => {
    const first = await startWorker();
    const steady = await action(`${receiver.base}/hook`);
    const flaky = await action(`${receiver.base}/flaky`);

    // One delivery answered 503 + Retry-After: 3, so its attempt 2 waits in the queue across the crash.
    const retrying = await fire(flaky);
    const ids = [retrying];
    for (let i = 0; i < 15; i++) ids.push(await fire(steady));

    await waitFor(
      'the retry to be scheduled and requests to be in flight',
      async () => (await statuses([retrying])).get(retrying) === 'retrying' && receiver.inFlight.size >= 4,
      20_000,
    );
    // Same tick as the kill: nothing can answer these in between.
    const inFlightAtKill = [...receiver.inFlight];
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const done = await db.deliveryAttempt.count({ where: { deliveryId: { in: inFlightAtKill } } });
    expect(done).toBe(0);

    await startWorker();
    await allSucceeded(ids, 40_000);

    // At least once, with the delivery's own id: everything arrived, what was cut off arrived again.
    const seen = count(receiver.received);
    for (const id of ids) expect(seen.get(id), `webhook-id ${id}`).toBeGreaterThanOrEqual(1);
    for (const id of inFlightAtKill) expect(seen.get(id), `webhook-id ${id} (in flight at the kill)`).toBeGreaterThanOrEqual(2);

    // One recorded attempt per attempt number: the cut-off requests left no record, their re-run did.
    const codes = await attemptCodes(ids);
    expect(codes.get(retrying)).toEqual([503, 200]);
    for (const id of ids.filter((id) => id !== retrying)) expect(codes.get(id), `attempts of ${id}`).toEqual([200]);
    const duplicates = await query(inject('databaseUrl'), 'SELECT delivery_id, number FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1', [ids]);
    expect(duplicates).toEqual([]);

    // One queue job per attempt, taken back rather than copied.
    const jobs = await jobsPerAttempt(ids);
    const expected = [...ids.map((id) => `${id}:1`), `${retrying}:2`].sort();
    expect(jobs.map((job) => job.key).sort()).toEqual(expected);
    for (const job of jobs) {
      expect(job.total, `jobs for ${job.key}`).toBe(1);
      expect(job.open, `open jobs for ${job.key}`).toBeLessThanOrEqual(1);
    }
  });
});

describe('two workers on one database', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('send each delivery exactly once between them, and stop cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const pair = await Promise.all([startWorker(), startWorker()]);
    const steady = await action(`${receiver.base}/hook`);
    const ids = await Promise.all(Array.from({ length: 20 }, () => fire(steady)));

    await allSucceeded(ids, 30_000);

    const seen = count(receiver.received);
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) expect(seen.get(id), `webhook-id ${id}`).toBe(1);
    // More requests at once than one worker's 8 slots: both took jobs.
    expect(receiver.maxInFlight).toBeGreaterThan(8);

    const codes = await attemptCodes(ids);
    for (const id of ids) expect(codes.get(id), `attempts of ${id}`).toEqual([200]);
    for (const job of await jobsPerAttempt(ids)) expect(job.total, `jobs for ${job.key}`).toBe(1);

    const codesOnExit = await Promise.all(pair.map((worker) => stopWorker(worker, 'SIGTERM')));
    expect(codesOnExit).toEqual([0, 0]);
    for (const worker of pair) expect(worker.output()).not.toMatch(/job queue error|"level":"error"/);
  });
});
