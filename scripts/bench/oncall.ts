// On-call and paging, each beside its physical limit:
// - page triggered (the API call starts) → first notification at a local receiver, beside a
//   plain HTTP POST from here to the same receiver;
// - escalation step fired after its due time, with 200 pages open and escalating, beside the
//   queue's own floor: a bare pg-boss job with the same startAfter and polling interval, from its
//   due time to its handler in this process;
// - "who is on call" for 50 schedules over 14 days (what /oncall computes), beside reading the
//   same schedules and overrides with raw SQL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { api, sleep, waitFor, type App } from '../support/instances';
import { summarize, type Summary } from './stats';

type Arrival = { pageId: string; level: number; at: number };

async function receiverFor(): Promise<{ url: string; arrivals: Arrival[]; probes: Map<string, number>; close(): void }> {
  const arrivals: Arrival[] = [];
  const probes = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const at = performance.now();
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const probe = req.headers['x-probe'];
      if (probe) probes.set(String(probe), at);
      else {
        const payload = JSON.parse(body) as { page: { id: string; level: number } };
        arrivals.push({ pageId: payload.page.id, level: payload.page.level, at });
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    arrivals,
    probes,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function person(app: App, token: string, email: string, hook: string): Promise<void> {
  const created = await api(app, token, 'POST', '/api/v1/users', { email, name: email.split('@')[0], role: 'responder' });
  if (created.status !== 201) throw new Error(`Creating ${email} answered ${created.status}: ${JSON.stringify(created.body)}`);
  const method = await api(app, token, 'POST', `/api/v1/users/${email}/contact-methods`, { kind: 'webhook', target: hook });
  if (method.status !== 201) throw new Error(`Adding a contact method answered ${method.status}: ${JSON.stringify(method.body)}`);
}

/** The queue's floor: due time → handler of a bare pg-boss job, same polling interval as Sitrep's workers. */
async function queueFloor(databaseUrl: string, samples: number): Promise<Summary> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 2, schedule: false, supervise: false });
  boss.on('error', () => undefined);
  await boss.start();
  const name = 'bench-floor';
  await boss.createQueue(name);
  const late: number[] = [];
  // As Sitrep's escalation workers do: two workers, batches of 10, fetching again at once after a batch.
  for (let i = 0; i < 2; i++) {
    let id: string | null = null;
    id = await boss.work<{ due: number }>(name, { batchSize: 10, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) late.push(Date.now() - job.data.due);
      if (jobs.length && id) boss.notifyWorker(id);
    });
  }
  for (let i = 0; i < samples; i++) {
    const due = Date.now() + 1_000 + Math.random() * 500;
    await boss.send(name, { due }, { startAfter: new Date(due) });
    await sleep(40);
  }
  await waitFor('the floor jobs', () => late.length >= samples, 60_000);
  await boss.stop({ graceful: false, wait: true });
  return summarize(late);
}

export type OnCallBench = {
  firstNotification: Summary;
  direct: Summary;
  escalation: Summary;
  escalationFloor: Summary;
  stepRecorded: Summary;
  whoIsOnCall: Summary;
  whoIsOnCallSql: Summary;
  openPages: number;
};

export async function measureOnCall(options: { app: App; token: string; databaseUrl: string; pages: number; triggers: number; say: (line: string) => void }): Promise<OnCallBench> {
  const { app, token, databaseUrl, say } = options;
  const receiver = await receiverFor();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  try {
    await person(app, token, 'bench-first@sitrep.local', `${receiver.url}/first`);
    await person(app, token, 'bench-second@sitrep.local', `${receiver.url}/second`);

    // 1. Trigger → first notification.
    const firstNotification: number[] = [];
    for (let i = 0; i < options.triggers; i++) {
      const started = performance.now();
      const page = await api<{ id: string }>(app, token, 'POST', '/api/v1/pages', { title: `Bench page ${i}`, target: { user: 'bench-first@sitrep.local' } });
      if (page.status !== 201) throw new Error(`Paging answered ${page.status}: ${JSON.stringify(page.body)}`);
      await waitFor('the first notification', () => receiver.arrivals.some((a) => a.pageId === page.body.id), 10_000);
      firstNotification.push(receiver.arrivals.find((a) => a.pageId === page.body.id)!.at - started);
      await api(app, token, 'POST', `/api/v1/pages/${page.body.id}/resolve`);
      await sleep(30);
    }
    const direct: number[] = [];
    for (let i = 0; i < options.triggers; i++) {
      const started = performance.now();
      await fetch(`${receiver.url}/probe`, { method: 'POST', headers: { 'x-probe': `direct-${i}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.text());
      direct.push(receiver.probes.get(`direct-${i}`)! - started);
    }

    // 2. Escalation steps with `pages` pages open: level 1 at once, level 2 after DELAY s.
    const DELAY = 5;
    const policy = await api<{ id: string }>(app, token, 'POST', '/api/v1/escalation-policies', {
      name: 'Bench escalation',
      levels: [
        { delaySeconds: DELAY, targets: [{ user: 'bench-first@sitrep.local' }] },
        { delaySeconds: 60, targets: [{ user: 'bench-second@sitrep.local' }] },
      ],
    });
    if (policy.status !== 201) throw new Error(`Creating the policy answered ${policy.status}`);
    say(`Triggering ${options.pages} pages (level 2 due ${DELAY} s after each)…`);
    const opened: { id: string; createdAt: number }[] = [];
    for (let i = 0; i < options.pages; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, options.pages - i) }, async (_, j) => {
          const page = await api<{ id: string; createdAt: string }>(app, token, 'POST', '/api/v1/pages', { title: `Escalating ${i + j}`, target: { policy: policy.body.id } });
          if (page.status !== 201) throw new Error(`Paging answered ${page.status}`);
          return { id: page.body.id, createdAt: Date.parse(page.body.createdAt) };
        }),
      );
      opened.push(...batch);
    }
    const ids = new Set(opened.map((p) => p.id));
    await waitFor('level 2 of every page', () => receiver.arrivals.filter((a) => a.level === 2 && ids.has(a.pageId)).length >= opened.length, 120_000);
    // Receiver times are performance.now(); page times wall-clock: convert with one offset.
    const offset = Date.now() - performance.now();
    const escalation = opened.map((page) => receiver.arrivals.find((a) => a.level === 2 && a.pageId === page.id)!.at + offset - (page.createdAt + DELAY * 1000));
    const { rows } = await pool.query<{ late_ms: number }>(
      `SELECT extract(epoch FROM (level_at - created_at))::float * 1000 - $2::int AS late_ms FROM pages WHERE id = ANY($1::uuid[]) AND level = 2`,
      [[...ids], DELAY * 1000],
    );
    const stepRecorded = rows.map((row) => row.late_ms);
    const escalationFloor = await queueFloor(databaseUrl, 50);

    // 3. Who is on call: 50 schedules, each two layers and an override, over 14 days.
    say('Who is on call for 50 schedules…');
    const people = ['bench-first@sitrep.local', 'bench-second@sitrep.local'];
    for (let i = 0; i < 50; i++) {
      const schedule = await api<{ id: string }>(app, token, 'POST', '/api/v1/schedules', {
        name: `Bench schedule ${i}`,
        timeZone: i % 2 ? 'Europe/Berlin' : 'America/New_York',
        layers: [
          { participants: people, rotation: 'weekly', handoffTime: '09:00', handoffDay: 'monday', startDate: '2026-01-05' },
          { participants: [...people].reverse(), rotation: 'daily', handoffTime: '08:00', startDate: '2026-01-01', restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
        ],
      });
      if (schedule.status !== 201) throw new Error(`Creating a schedule answered ${schedule.status}: ${JSON.stringify(schedule.body)}`);
      await api(app, token, 'POST', `/api/v1/schedules/${schedule.body.id}/overrides`, { email: people[0], start: new Date(Date.now() + 86_400_000).toISOString(), end: new Date(Date.now() + 90_000_000).toISOString() });
    }
    const { getOnCallOverview } = await import('@/lib/oncall/queries');
    const actor = { id: '00000000-0000-4000-8000-000000000000', email: 'bench@sitrep.local', name: 'Bench', role: 'admin' as const };
    const whoIsOnCall: number[] = [];
    const whoIsOnCallSql: number[] = [];
    for (let i = 0; i < 22; i++) {
      const started = performance.now();
      const overview = await getOnCallOverview(actor);
      if (overview.schedules.length < 50) throw new Error(`only ${overview.schedules.length} schedules`);
      if (i >= 2) whoIsOnCall.push(performance.now() - started);
      const sqlStarted = performance.now();
      await pool.query('SELECT * FROM schedules ORDER BY name');
      await pool.query(`SELECT o.*, u.email FROM schedule_overrides o JOIN users u ON u.id = o.user_id WHERE o.ends_at > now() - interval '32 days'`);
      if (i >= 2) whoIsOnCallSql.push(performance.now() - sqlStarted);
    }
    return {
      firstNotification: summarize(firstNotification),
      direct: summarize(direct),
      escalation: summarize(escalation),
      escalationFloor,
      stepRecorded: summarize(stepRecorded),
      whoIsOnCall: summarize(whoIsOnCall),
      whoIsOnCallSql: summarize(whoIsOnCallSql),
      openPages: opened.length,
    };
  } finally {
    receiver.close();
    await pool.end();
  }
}
