// Survival of paging: escalation timers live in the queue table, not in a process.
// 1. `kill -9` of the `next start` that queued a page's next escalation step, before it fell due;
//    start it again: the next level is still notified, once.
// 2. Two instances on one database, both running the escalation and delivery workers: twenty
//    pages escalate, and every level of every page is notified exactly once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_QUEUE } from '@/lib/oncall/escalation-queue';
import { api, createUserWithToken, startApp, startPostgres, waitFor, type App, type Postgres } from '../../scripts/support/instances';

// A dead instance's active jobs come back after this; the test's steps are queued, not active,
// at the kill, so they need no recovery: the restarted process simply finds them due.
const appEnv = { SITREP_DELIVERY_EXPIRE_SECONDS: '6' };

type Arrival = { pageId: string; level: number; email: string; webhookId: string; at: number };

let postgres: Postgres;
let token: string;
const apps: App[] = [];
const arrivals: Arrival[] = [];
let receiver: http.Server;
let receiverBase: string;

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A responder with one contact method: a signed webhook to the receiver. */
async function responder(app: App, email: string): Promise<void> {
  const created = await api(app, token, 'POST', '/api/v1/users', { email, name: email.split('@')[0], role: 'responder' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const method = await api(app, token, 'POST', `/api/v1/users/${email}/contact-methods`, { kind: 'webhook', target: `${receiverBase}/${email}` });
  expect(method.status, JSON.stringify(method.body)).toBe(201);
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const payload = JSON.parse(body) as { page: { id: string; level: number }; user: { email: string } };
      arrivals.push({ pageId: payload.page.id, level: payload.page.level, email: payload.user.email, webhookId: String(req.headers['webhook-id']), at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverBase = `http://localhost:${(receiver.address() as AddressInfo).port}`;
  postgres = await startPostgres({ name: 'oncall-escalation', durable: true });
  token = await createUserWithToken(postgres.url, 'pager@example.com', 'admin');
});

afterAll(async () => {
  receiver?.closeAllConnections();
  receiver?.close();
  await Promise.all(apps.map((app) => app.stop()));
  await postgres?.destroy();
});

describe('paging survives', () => {
  it('kill -9 with an escalation step pending: after a restart the next level is still notified, once', async () => {
    let app = await startApp({ databaseUrl: postgres.url, name: 'first', env: appEnv });
    apps.push(app);
    await responder(app, 'one@example.com');
    await responder(app, 'two@example.com');
    const policy = await api<{ id: string }>(app, token, 'POST', '/api/v1/escalation-policies', {
      name: 'Crash escalation',
      levels: [
        { delaySeconds: 10, targets: [{ user: 'one@example.com' }] },
        { delaySeconds: 60, targets: [{ user: 'two@example.com' }] },
      ],
    });
    expect(policy.status).toBe(201);
    const page = await api<{ id: string; createdAt: string }>(app, token, 'POST', '/api/v1/pages', { title: 'Database primary unreachable', target: { policy: policy.body.id } });
    expect(page.status).toBe(201);
    await waitFor('level 1 at the receiver', () => arrivals.some((a) => a.pageId === page.body.id && a.level === 1), 20_000);

    // The step for level 2 is a queued job, not yet due: that is what the kill must not lose.
    const [pending] = await sql<{ state: string; due_in: number }>(
      `SELECT state::text, extract(epoch FROM start_after - now())::float AS due_in FROM pgboss.job WHERE name = $1 AND data->>'pageId' = $2 AND (data->>'level')::int = 2`,
      [ESCALATION_QUEUE, page.body.id],
    );
    expect(pending?.state).toBe('created');
    expect(pending!.due_in).toBeGreaterThan(2);
    app.kill('SIGKILL');
    await app.exited;
    apps.splice(apps.indexOf(app), 1);

    app = await startApp({ databaseUrl: postgres.url, name: 'restarted', env: appEnv });
    apps.push(app);
    await waitFor('level 2 at the receiver after the restart', () => arrivals.some((a) => a.pageId === page.body.id && a.level === 2), 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${app.output().slice(-3_000)}`);
    });
    const levelTwo = arrivals.filter((a) => a.pageId === page.body.id && a.level === 2);
    expect(levelTwo.map((a) => a.email)).toEqual(['two@example.com']);
    const dueAt = Date.parse(page.body.createdAt) + 10_000;
    expect(levelTwo[0]!.at).toBeGreaterThanOrEqual(dueAt);
    const state = await api<{ level: number; status: string; notifications: { level: number; status: string }[] }>(app, token, 'GET', `/api/v1/pages/${page.body.id}`);
    expect(state.body).toMatchObject({ level: 2, status: 'triggered' });
    expect(state.body.notifications.filter((n) => n.level === 2)).toHaveLength(1);
    console.log(`[survival] oncall crash: level 2 notified ${levelTwo[0]!.at - dueAt} ms after its due time, across a kill -9 and a restart`);
    await app.stop();
    apps.splice(apps.indexOf(app), 1);
  });

  it('two instances never notify the same level of the same page twice', async () => {
    const [a, b] = await Promise.all([startApp({ databaseUrl: postgres.url, name: 'A', env: appEnv }), startApp({ databaseUrl: postgres.url, name: 'B', env: appEnv })]);
    apps.push(a, b);
    await responder(a, 'three@example.com');
    await responder(b, 'four@example.com');
    const policy = await api<{ id: string }>(a, token, 'POST', '/api/v1/escalation-policies', {
      name: 'Two instances',
      repeat: 1,
      levels: [
        { delaySeconds: 1, targets: [{ user: 'three@example.com' }] },
        { delaySeconds: 1, targets: [{ user: 'four@example.com' }] },
      ],
    });
    expect(policy.status).toBe(201);
    const pages = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const created = await api<{ id: string }>(i % 2 ? a : b, token, 'POST', '/api/v1/pages', { title: `Shared page ${i}`, target: { policy: policy.body.id } });
        expect(created.status).toBe(201);
        return created.body.id;
      }),
    );
    // Level 1, level 2, level 1 again, level 2 again: four steps for each page.
    const expected = pages.length * 4;
    await waitFor(`${expected} notifications at the receiver`, () => arrivals.filter((a2) => pages.includes(a2.pageId)).length >= expected, 90_000);
    // Every step's timer has run (and found nothing more to do) before counting for doubles.
    await waitFor('every escalation job to finish', async () => {
      const [row] = await sql<{ open: number }>(`SELECT count(*)::int AS open FROM pgboss.job WHERE name = $1 AND data->>'pageId' = ANY($2::text[]) AND state < 'completed'`, [ESCALATION_QUEUE, pages]);
      return row!.open === 0;
    }, 60_000);
    const mine = arrivals.filter((a2) => pages.includes(a2.pageId));
    const keys = mine.map((a2) => `${a2.pageId}:${a2.webhookId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const rows = await sql<{ page_id: string; level: number; cycle: number; n: number }>(
      'SELECT page_id, level, cycle, count(*)::int AS n FROM page_notifications WHERE page_id = ANY($1::uuid[]) GROUP BY page_id, level, cycle',
      [pages],
    );
    expect(rows).toHaveLength(pages.length * 4);
    expect(rows.every((row) => row.n === 1)).toBe(true);
    expect(mine).toHaveLength(expected);
    console.log(`[survival] oncall two instances: ${pages.length} pages × 4 steps, ${mine.length} notifications, none twice`);
  });
});
