// Survival: the web server (which runs the delivery worker) is killed with SIGKILL while webhook
// requests are in flight to a slow receiver and notes are being written, then started again.
// Every delivery ends succeeded, the receiver saw every webhook-id (those cut off, again with the
// same id), each attempt was queued once, and every acknowledged note is there.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REMEDIATION_QUEUE as DELIVERY_QUEUE } from '@/lib/remediation/delivery';
import { api, createUserWithToken, sleep, startApp, startPostgres, waitFor, type App, type Postgres } from '../../scripts/support/instances';

// A dead instance's jobs come back after this (60 s in production); below it, the action's
// timeout, so a slow but live attempt is never taken back.
const appEnv = { SITREP_DELIVERY_EXPIRE_SECONDS: '6' };
const HOLD_MS = 1_500;

let postgres: Postgres;
let app: App | undefined;
let token: string;
let incident: number;
const received: string[] = [];
const inFlight = new Set<string>();
let receiver: http.Server;
let receiverBase: string;

beforeAll(async () => {
  postgres = await startPostgres({ name: 'app-crash', durable: true });
  token = await createUserWithToken(postgres.url, 'crash@example.com', 'admin');
  app = await startApp({ databaseUrl: postgres.url, name: 'first', env: appEnv });
  const declared = await api<{ number: number }>(app, token, 'POST', '/api/v1/incidents', { title: 'The app dies mid-delivery', severity: 'SEV1' });
  incident = declared.body.number;

  // Slow: holds every request HOLD_MS before answering 200.
  receiver = http.createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    received.push(id);
    inFlight.add(id);
    res.on('close', () => inFlight.delete(id));
    req.resume();
    const timer = setTimeout(() => res.writeHead(200).end('ok'), HOLD_MS);
    req.socket.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverBase = `http://localhost:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  receiver?.closeAllConnections();
  receiver?.close();
  await app?.stop();
  await postgres?.destroy();
});

it('kill -9 mid-flight loses no delivery, queues nothing twice, and keeps every acknowledged note', async () => {
  const action = await api<{ id: string }>(app!, token, 'POST', '/api/v1/remediation-actions', {
    name: 'Restart the consumers',
    url: `${receiverBase}/restart`,
    timeoutMs: 4_000,
    maxAttempts: 3,
  });
  expect(action.status).toBe(201);

  // Notes keep coming while everything happens.
  const acknowledged: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const note = await api<{ id: string }>(app!, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `crash note ${i}` }).catch(() => null);
      if (note?.status === 201) acknowledged.push(note.body.id);
      await sleep(20);
    }
  })();

  await waitFor('notes to flow', () => acknowledged.length >= 20, 20_000);

  const ids = await Promise.all(
    Array.from({ length: 20 }, async () => {
      const fired = await api<{ id: string }>(app!, token, 'POST', `/api/v1/incidents/${incident}/remediations`, { actionId: action.body.id });
      expect(fired.status).toBe(202);
      return fired.body.id;
    }),
  );
  await waitFor('requests in flight at the receiver', () => inFlight.size >= 4, 20_000);

  const inFlightAtKill = [...inFlight];
  app!.kill('SIGKILL');
  await app!.exited;
  writing = false;
  await writer;

  app = await startApp({ databaseUrl: postgres.url, name: 'restarted', env: appEnv });
  let last: Record<string, string> = {};
  await waitFor(
    'every delivery to succeed after the restart',
    async () => {
      const states = await Promise.all(ids.map(async (id) => [id, (await api<{ status: string }>(app!, token, 'GET', `/api/v1/deliveries/${id}`)).body.status] as const));
      last = Object.fromEntries(states);
      return states.every(([, status]) => status === 'succeeded');
    },
    60_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message} ${JSON.stringify(last)}\n${app!.output().slice(-3_000)}`);
  });

  // Every webhook-id arrived; the ones cut off by the kill arrived again with the same id.
  for (const id of ids) expect(received, `webhook-id ${id}`).toContain(id);
  for (const id of inFlightAtKill) expect(received.filter((r) => r === id).length, `${id} was in flight at the kill`).toBeGreaterThanOrEqual(2);

  // One recorded attempt each (the cut-off requests left none), one queue job per attempt.
  for (const id of ids) {
    const delivery = await api<{ attempts: { number: number; statusCode: number | null; error: string | null }[] }>(app, token, 'GET', `/api/v1/deliveries/${id}`);
    expect(delivery.body.attempts.map((a) => a.statusCode), `attempts of ${id}: ${JSON.stringify(delivery.body.attempts)}`).toEqual([200]);
  }
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; total: number }>(
      `SELECT singleton_key AS key, count(*)::int AS total
         FROM (SELECT singleton_key, data FROM pgboss.job WHERE name = $1
               UNION ALL SELECT singleton_key, data FROM pgboss.archive WHERE name = $1) jobs
        WHERE data->>'deliveryId' = ANY($2::text[])
        GROUP BY singleton_key`,
      [DELIVERY_QUEUE, ids],
    );
    expect(rows.map((row) => row.key).sort()).toEqual(ids.map((id) => `${id}:1`).sort());
    for (const row of rows) expect(row.total, `jobs for ${row.key}`).toBe(1);

    // Every note the API acknowledged before the kill is in the timeline.
    const { rows: notes } = await client.query<{ id: string }>('SELECT id FROM timeline_events WHERE id = ANY($1::uuid[])', [acknowledged]);
    expect(notes.length).toBe(acknowledged.length);
  } finally {
    await client.end();
  }
  console.log(`[survival] app crash: ${inFlightAtKill.length} requests cut off at the kill, ${received.length} requests for 20 deliveries, ${acknowledged.length} notes acknowledged and kept`);
});
