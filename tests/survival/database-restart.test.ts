// Survival: the database goes away under light load and comes back. PostgreSQL is stopped the
// way `pg_ctl stop -m immediate` does it (SIGQUIT to the postmaster: no checkpoint, every
// connection cut), then started again on the same port. The app is not restarted: its pool, its
// LISTEN connection and its job worker must find their way back by themselves.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createUserWithToken, openSse, sleep, startApp, startPostgres, waitFor, type App, type Postgres, type SseClient } from '../../scripts/support/instances';

let postgres: Postgres;
let app: App;
let token: string;
let incident: number;
const streams: SseClient[] = [];
let writing = false;

beforeAll(async () => {
  postgres = await startPostgres({ name: 'db-restart', durable: true });
  token = await createUserWithToken(postgres.url, 'restart@example.com', 'admin');
  app = await startApp({ databaseUrl: postgres.url, name: 'app' });
  const declared = await api<{ number: number }>(app, token, 'POST', '/api/v1/incidents', { title: 'Database restarts under us', severity: 'SEV2' });
  expect(declared.status).toBe(201);
  incident = declared.body.number;
});

afterAll(async () => {
  writing = false;
  for (const stream of streams) stream.close();
  await app?.stop();
  await postgres?.destroy();
});

type Attempt = { status: number; ms: number; seq?: number; detail?: string; retryAfter?: string | null };

it('answers 503 during the outage, reconnects by itself, and the streams miss nothing', async () => {
  // Three live subscribers that reconnect with Last-Event-ID, as browsers do.
  for (let i = 0; i < 3; i++) streams.push(openSse(`${app.url}/api/v1/incidents/${incident}/stream`, { token }));
  await waitFor('the streams to connect', () => streams.every((s) => s.connections() === 1), 10_000);

  // Light load: a note every 100 ms for the whole test.
  const attempts: Attempt[] = [];
  writing = true;
  // Paused around the crash itself: a stream whose read is cut by the crash ends by design (the
  // client reconnects with Last-Event-ID, sse.ts), which would make "stream 0 stayed open" below
  // a matter of timing. Writes go on through the outage.
  let paused = false;
  let inFlight = false;
  let n = 0;
  const writer = (async () => {
    while (writing) {
      if (paused) {
        await sleep(20);
        continue;
      }
      inFlight = true;
      const started = performance.now();
      const result = await api<{ seq?: number; detail?: string }>(app, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `note ${++n}` }).catch(
        (error: Error) => ({ status: 0, body: { detail: error.message } as { seq?: number; detail?: string } }),
      );
      const retryAfter = 'headers' in result ? result.headers.get('retry-after') : null;
      attempts.push({ status: result.status, ms: performance.now() - started, seq: result.body?.seq, detail: result.body?.detail, retryAfter });
      inFlight = false;
      await sleep(100);
    }
  })();

  await waitFor('some notes before the outage', () => attempts.filter((a) => a.status === 201).length >= 5, 10_000);
  const beforeOutage = attempts.length;

  // Down, once the streams have read the last note (no read in flight for the crash to cut).
  paused = true;
  await waitFor('the last note before the outage to be written', () => !inFlight, 10_000);
  const lastBefore = attempts.filter((a) => a.status === 201).at(-1)!.seq!;
  await waitFor('every stream to have the last note', () => streams.every((s) => s.lastEventId() === String(lastBefore)), 10_000);
  await sleep(200);
  const downAt = performance.now();
  await postgres.crash();
  paused = false;
  let degradedAfterMs = -1;
  await waitFor(
    '/api/health to report degraded',
    async () => {
      const health = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
      const body = (await health.json()) as { status: string };
      if (health.status === 503 && body.status === 'degraded') degradedAfterMs = performance.now() - downAt;
      return degradedAfterMs >= 0;
    },
    10_000,
  );
  expect(degradedAfterMs).toBeLessThan(10_000);
  await waitFor('writes to fail during the outage', () => attempts.slice(beforeOutage).some((a) => a.status !== 201), 10_000);
  // Two of the browsers lose their connection now, and come back only after the outage, once
  // more notes went by: they must resume from their Last-Event-ID. Meanwhile a new stream can't
  // start without the database: it is refused at once, not left hanging.
  const gone = [streams[1]!, streams[2]!];
  for (const stream of gone) stream.close();
  const refused = await fetch(`${app.url}/api/v1/incidents/${incident}/stream`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  expect(refused.status).toBe(503);
  await refused.body?.cancel();
  await sleep(2_000);

  // Up again, on the same port; the app is left alone.
  const upAt = performance.now();
  await postgres.restart();
  await waitFor(
    '/api/health to report ok again',
    async () => {
      const health = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
      return health?.status === 200;
    },
    30_000,
  );
  const recoveredAfterMs = performance.now() - upAt;
  const outageEnd = attempts.length;
  await waitFor('writes to succeed again', () => attempts.slice(outageEnd).filter((a) => a.status === 201).length >= 5, 20_000);
  const resumed = gone.map((old) => {
    const stream = openSse(`${app.url}/api/v1/incidents/${incident}/stream`, { token, lastEventId: old.lastEventId() });
    streams.push(stream);
    return { old, stream };
  });
  await waitFor('the streams to resume', () => resumed.every(({ stream }) => stream.connections() === 1), 10_000);
  await sleep(500);
  writing = false;
  await writer;

  // During the outage: a clear 503 that says what is wrong, never a hang, never a 500.
  const failures = attempts.filter((a) => a.status !== 201);
  expect(failures.length).toBeGreaterThan(0);
  for (const failure of failures) {
    expect(failure.status, JSON.stringify(failure)).toBe(503);
    expect(failure.detail).toMatch(/can't reach its database/);
    expect(failure.retryAfter).toBe('5');
    expect(failure.ms).toBeLessThan(10_000);
  }

  // Every acknowledged note reached every stream exactly once, in order, across the reconnect.
  const acknowledged = attempts.filter((a) => a.status === 201).map((a) => a.seq!);
  const browsers = [streams[0]!.events, ...resumed.map(({ old, stream }) => [...old.events, ...stream.events])];
  await waitFor(
    'every stream to catch up',
    () => browsers.every((events) => acknowledged.every((seq) => events.some((e) => e.id === String(seq)))),
    20_000,
  ).catch(() => undefined);
  for (const events of browsers) {
    const seqs = events.filter((e) => e.event === 'timeline').map((e) => Number(e.id));
    expect(acknowledged.filter((seq) => !seqs.includes(seq)), 'acknowledged notes missing from a stream').toEqual([]);
    expect(new Set(seqs).size, 'an event arrived twice').toBe(seqs.length);
    expect(seqs, 'events out of order').toEqual([...seqs].sort((a, b) => a - b));
  }
  // The first stream stayed open throughout: the server caught it up from the table.
  expect(streams[0]!.connections()).toBe(1);

  // The job worker came back too: a remediation fired now is delivered.
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    received.push(String(req.headers['webhook-id']));
    req.resume().on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const action = await api<{ id: string }>(app, token, 'POST', '/api/v1/remediation-actions', {
      name: 'Flush the cache',
      url: `http://localhost:${(receiver.address() as AddressInfo).port}/flush`,
      maxAttempts: 5,
    });
    expect(action.status).toBe(201);
    const fired = await api<{ id: string }>(app, token, 'POST', `/api/v1/incidents/${incident}/remediations`, { actionId: action.body.id });
    expect(fired.status).toBe(202);
    await waitFor('the delivery to succeed', async () => (await api<{ status: string }>(app, token, 'GET', `/api/v1/deliveries/${fired.body.id}`)).body.status === 'succeeded', 30_000);
    expect(received).toContain(fired.body.id);
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }

  console.log(
    `[survival] database restart: degraded after ${Math.round(degradedAfterMs)} ms, ok ${Math.round(recoveredAfterMs)} ms after PostgreSQL restarted; ` +
      `${acknowledged.length} notes acknowledged, ${failures.length} refused with 503 (slowest ${Math.round(Math.max(...failures.map((f) => f.ms)))} ms)`,
  );
});
