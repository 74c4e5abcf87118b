// Survival: Sitrep under a flood. 2,000 concurrent anonymous connections (a process of their own,
// scripts/support/flood.ts) hammer the API with made-up bearer tokens, post notes with them, and
// reload the public status page, as fast as this machine allows. Meanwhile a signed-in responder
// posts notes the ordinary way and someone keeps reading /status. The request edge must keep the
// flood from taking the event loop and the database from the responder
// (lib/platform/http/edge.ts), and the status page must keep answering from memory.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createUserWithToken, sleep, startApp, startPostgres, waitFor, type App, type Postgres } from '../../scripts/support/instances';
import { root } from '../../scripts/support/build';

const CONNECTIONS = 2_000;
const FLOOD_SECONDS = 30;

let postgres: Postgres;
let app: App;
let token: string;
let incident: number;

beforeAll(async () => {
  postgres = await startPostgres({ name: 'flood' });
  token = await createUserWithToken(postgres.url, 'responder@example.com', 'responder');
  app = await startApp({ databaseUrl: postgres.url, name: 'app' });
  const declared = await api<{ number: number }>(app, token, 'POST', '/api/v1/incidents', { title: 'Checkout is down', severity: 'SEV1' });
  expect(declared.status).toBe(201);
  incident = declared.body.number;
  const update = await api(app, token, 'POST', `/api/v1/incidents/${incident}/updates`, { audience: 'public', body: 'We are looking into failed checkouts.' });
  expect(update.status).toBe(201);
});

afterAll(async () => {
  await app?.stop();
  await postgres?.destroy();
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

it('acknowledges a responder’s notes within 500 ms (p95, or 5× their p95 before the flood on a loaded machine) and keeps /status up while 2,000 connections flood it', async () => {
  // The same notes without the flood first: on a machine busy with other work every request is
  // slower, flood or not, and the bound below follows what this machine does right now.
  const before: number[] = [];
  for (let n = 1; n <= 30; n++) {
    const started = performance.now();
    const posted = await api(app, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `note ${n} before the flood` });
    expect(posted.status).toBe(201);
    before.push(performance.now() - started);
    await sleep(100);
  }
  const flood = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/support/flood.ts'), app.url, String(CONNECTIONS), String(FLOOD_SECONDS), String(incident)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let floodOutput = '';
  flood.stdout.on('data', (chunk: Buffer) => (floodOutput += chunk.toString()));
  flood.stderr.on('data', (chunk: Buffer) => (floodOutput += chunk.toString()));
  let flooding = true;
  const floodDone = new Promise<void>((resolve) =>
    flood.once('exit', () => {
      flooding = false;
      resolve();
    }),
  );
  await waitFor('the flood to start', () => floodOutput.includes('flooding'), 60_000);
  const notes: { status: number; ms: number }[] = [];
  const statusPages: { status: number; ms: number }[] = [];
  const running = () => flooding && !floodOutput.includes('"requests"');
  const responder = (async () => {
    for (let n = 1; running(); n++) {
      const started = performance.now();
      const posted = await api(app, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `note ${n} during the flood` }).catch(() => ({ status: 0 }));
      notes.push({ status: posted.status, ms: performance.now() - started });
      await sleep(100);
    }
  })();
  const reader = (async () => {
    while (running()) {
      const started = performance.now();
      const page = await fetch(`${app.url}/status`, { signal: AbortSignal.timeout(30_000) }).then(
        async (response) => ({ status: response.status, text: await response.text() }),
        () => ({ status: 0, text: '' }),
      );
      statusPages.push({ status: page.status, ms: performance.now() - started });
      expect(page.text).toContain('Checkout is down');
      await sleep(250);
    }
  })();
  // Both run for as long as the flood does.
  await Promise.all([responder, reader]);
  await floodDone;

  const summary = JSON.parse(floodOutput.trim().split('\n').at(-1)!) as { requests: number; statusCodes: Record<string, number>; errors: number };
  const p95 = percentile(notes.map((note) => note.ms), 95);
  const quietP95 = percentile(before, 95);
  console.log(
    `[flood] before the flood: 30 notes, p95 ${quietP95.toFixed(0)} ms; ${summary.requests} flood requests ${JSON.stringify(summary.statusCodes)}, ${summary.errors} errors; ` +
      `${notes.length} notes, p50 ${percentile(notes.map((n) => n.ms), 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...notes.map((n) => n.ms)).toFixed(0)} ms; ` +
      `${statusPages.length} status page loads, p95 ${percentile(statusPages.map((s) => s.ms), 95).toFixed(0)} ms`,
  );

  // The flood really was one: thousands of requests, all refused or answered, none failing.
  expect(summary.requests).toBeGreaterThan(CONNECTIONS * 2);
  expect(Object.keys(summary.statusCodes).filter((code) => code.startsWith('5'))).toEqual([]);
  // The responder was served, quickly, every time.
  expect(notes.length).toBeGreaterThan(20);
  expect(notes.filter((note) => note.status !== 201)).toEqual([]);
  expect(p95).toBeLessThanOrEqual(Math.max(500, 5 * quietP95));
  // Whatever the machine: never anywhere near the 20 s the review saw a responder wait.
  expect(Math.max(...notes.map((n) => n.ms))).toBeLessThan(10_000);
  // The status page kept answering.
  expect(statusPages.filter((page) => page.status !== 200)).toEqual([]);
  // And every acknowledged note is on the timeline, none of the flood's.
  const timeline = await api<{ items: { kind: string; body: string }[] }>(app, token, 'GET', `/api/v1/incidents/${incident}/timeline?after=0&limit=1000`);
  const bodies = timeline.body.items.filter((event) => event.kind === 'note').map((event) => event.body);
  expect(bodies).toHaveLength(before.length + notes.length);
  expect(bodies).not.toContain('flood');
  await waitFor('the app to settle', async () => (await fetch(`${app.url}/api/health`)).ok, 30_000);
});
