// Survival: two `next start` processes on one database, as behind a load balancer. A note
// written through one reaches the live streams of the other; a remediation is delivered once
// although both run the delivery worker; a page rendered by one instance invokes its server
// actions on the other.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/lib/platform/runtime/embedded-postgres';
import { api, createUserWithToken, openSse, sleep, startApp, startPostgres, waitFor, type App, type Postgres, type SseClient } from '../../scripts/support/instances';

const PASSWORD = 'two-instances-pass';
let postgres: Postgres;
let a: App;
let b: App;
let token: string;
let incident: number;
const cleanups: (() => unknown)[] = [];

// The load balancer: page loads (GET) go to A, form posts and server actions (POST) to B, and
// the Host header stays the public one, as a real proxy keeps it.
let proxy: { url: string; byInstance: Record<'a' | 'b', string[]> };

async function startProxy(port: number): Promise<typeof proxy> {
  const byInstance: Record<'a' | 'b', string[]> = { a: [], b: [] };
  const server = http.createServer((req, res) => {
    const to = req.method === 'POST' ? 'b' : 'a';
    byInstance[to].push(`${req.method} ${req.url}${req.headers['next-action'] ? ' (server action)' : ''}`);
    const upstream = http.request({ host: '127.0.0.1', port: (to === 'a' ? a : b).port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${port}`, byInstance };
}

beforeAll(async () => {
  postgres = await startPostgres({ name: 'two-instances' });
  token = await createUserWithToken(postgres.url, 'two@example.com', 'admin', { password: PASSWORD });
  // Both instances know the public URL (the proxy's), as they would behind a load balancer.
  proxy = await startProxy(await freePort());
  const env = { NEXTAUTH_URL: proxy.url, SITREP_URL: proxy.url };
  [a, b] = await Promise.all([startApp({ databaseUrl: postgres.url, name: 'A', env }), startApp({ databaseUrl: postgres.url, name: 'B', env })]);
  const declared = await api<{ number: number }>(a, token, 'POST', '/api/v1/incidents', { title: 'Two instances, one database', severity: 'SEV2' });
  expect(declared.status).toBe(201);
  incident = declared.body.number;
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([a?.stop(), b?.stop()]);
  await postgres?.destroy();
});

describe('two instances on one database', () => {
  it('a note posted on one instance appears on the streams of the other', async () => {
    const onA: SseClient = openSse(`${a.url}/api/v1/incidents/${incident}/stream`, { token });
    const onB: SseClient = openSse(`${b.url}/api/v1/incidents/${incident}/stream`, { token });
    cleanups.push(() => onA.close(), () => onB.close());
    await waitFor('both streams to connect', () => onA.connections() === 1 && onB.connections() === 1, 10_000);

    const written: number[] = [];
    for (let i = 0; i < 10; i++) {
      const via = i % 2 === 0 ? a : b;
      const note = await api<{ seq: number }>(via, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `from ${via.name}, note ${i}` });
      expect(note.status).toBe(201);
      written.push(note.body.seq);
    }
    const seen = (stream: SseClient) => stream.events.filter((e) => e.event === 'timeline').map((e) => Number(e.id));
    await waitFor('all ten notes on both streams', () => written.every((seq) => seen(onA).includes(seq) && seen(onB).includes(seq)), 10_000);
    // In order and once each (the first note also records the acknowledgement, hence the filter).
    for (const stream of [onA, onB]) {
      expect(seen(stream).filter((seq) => written.includes(seq))).toEqual(written);
      expect(new Set(seen(stream)).size).toBe(seen(stream).length);
    }
  });

  it('delivers each remediation once although both instances run the delivery worker', async () => {
    const received: string[] = [];
    const receiver = http.createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      req.resume().on('end', () => setTimeout(() => res.writeHead(200).end('ok'), 200));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      receiver.closeAllConnections();
      receiver.close();
    });
    const action = await api<{ id: string }>(a, token, 'POST', '/api/v1/remediation-actions', {
      name: 'Drain the queue',
      url: `http://localhost:${(receiver.address() as AddressInfo).port}/drain`,
    });
    expect(action.status).toBe(201);

    const deliveries = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const fired = await api<{ id: string }>(i % 2 ? b : a, token, 'POST', `/api/v1/incidents/${incident}/remediations`, { actionId: action.body.id });
        expect(fired.status).toBe(202);
        return fired.body.id;
      }),
    );
    await waitFor(
      'all 20 deliveries to succeed',
      async () => {
        const states = await Promise.all(deliveries.map(async (id) => (await api<{ status: string }>(a, token, 'GET', `/api/v1/deliveries/${id}`)).body.status));
        return states.every((status) => status === 'succeeded');
      },
      30_000,
    );
    await sleep(500); // a duplicate would arrive now
    expect([...received].sort()).toEqual([...deliveries].sort());
  });

  it('a page rendered by one instance invokes its server actions on the other', async () => {
    const browser: Browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ baseURL: proxy.url });
    await page.goto('/login');
    await page.getByLabel('Email').fill('two@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    // Typing before hydration is lost (the note box is controlled, and Ctrl+Enter is a React
    // handler); the timeline opens its live stream in an effect, so that request means hydrated.
    const hydrated = page.waitForRequest((request) => request.url().includes(`/api/v1/incidents/${incident}/stream`));
    await page.goto(`/incidents/${incident}`);
    await hydrated;
    const note = `Posted from a page A rendered, saved by B (${Date.now()})`;
    await page.getByLabel('Note (Markdown)').fill(note);
    await page.getByLabel('Note (Markdown)').press('Control+Enter');
    // It is saved, and the page shows it.
    await waitFor(
      'the note to be saved',
      async () => (await api<{ items: { body: string }[] }>(a, token, 'GET', `/api/v1/incidents/${incident}/timeline?limit=1000`)).body.items.some((e) => e.body === note),
      10_000,
    );
    await page.getByText(note).waitFor({ timeout: 10_000 });
    expect(proxy.byInstance.a.some((line) => line.startsWith(`GET /incidents/${incident}`))).toBe(true);
    expect(proxy.byInstance.b.filter((line) => line.endsWith('(server action)')).length).toBeGreaterThan(0);
  });
});
