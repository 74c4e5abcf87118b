// Alerts in, under load: the payloads a sender posts, an open-loop storm driver (requests leave
// on schedule whether or not earlier ones were answered, so a slow server is measured, not
// politely waited for), and the bench's figures beside their limit: the same alerts written with
// a raw `INSERT … ON CONFLICT` through `pg`, without HTTP, parsing, routing or Prisma.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { api, sleep, waitFor } from '../support/instances';
import { withBareServer } from './bare-server';
import { summarize, type Row, type Summary } from './stats';

export type StormAlert = { group: number; instance: number; critical: boolean };

/** An Alertmanager payload (version 4) of one group's alerts, with explicit fingerprints. */
export function stormPayload(prefix: string, alerts: StormAlert[]): string {
  const group = alerts[0]!.group;
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="${prefix}${group}"}`,
    status: 'firing',
    receiver: 'sitrep',
    alerts: alerts.map((alert) => ({
      status: 'firing',
      labels: { alertname: `${prefix}${alert.group}`, instance: `node-${alert.instance}`, tier: alert.critical ? 'critical' : 'normal' },
      annotations: { summary: `${prefix}${alert.group} on node-${alert.instance}` },
      startsAt: '2026-11-30T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: `${prefix}-${alert.group}-${alert.instance}`,
    })),
  });
}

export type StormPlan = {
  prefix: string;
  /** Alerts sent in all, repeats included. */
  alerts: number;
  /** Share of the sends that repeat an alert already sent. */
  repeatShare: number;
  groups: number;
  /** Every n-th group is critical (its route declares an incident). */
  criticalEvery: number;
  /** Alerts per request (one group each). */
  perRequest: number;
  senders: number;
  seconds: number;
};

export type Sent = { fingerprints: string[]; status: number | 'network-error'; ms: number; at: number };

/**
 * The requests of a storm, in sending order: the unique alerts, `perRequest` of one group per
 * request, round after round over the groups, and repeats of earlier requests spread evenly
 * among them. Deterministic, so one run compares with another.
 */
export function planStorm(plan: StormPlan): StormAlert[][] {
  const unique = Math.round(plan.alerts * (1 - plan.repeatShare));
  const fresh: StormAlert[] = Array.from({ length: unique }, (_, i) => {
    const group = i % plan.groups;
    return { group, instance: Math.floor(i / plan.groups), critical: group % plan.criticalEvery === 0 };
  });
  const batches: StormAlert[][] = [];
  for (let round = 0; round < unique; round += plan.groups * plan.perRequest) {
    for (let group = 0; group < plan.groups; group++) {
      const batch: StormAlert[] = [];
      for (let k = 0; k < plan.perRequest; k++) {
        const alert = fresh[round + k * plan.groups + group];
        if (alert) batch.push(alert);
      }
      if (batch.length) batches.push(batch);
    }
  }
  let repeats = plan.alerts - unique;
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const every = Math.max(1, Math.floor(batches.length / Math.max(1, Math.ceil(repeats / plan.perRequest))));
  const requests: StormAlert[][] = [];
  const repeat = (upTo: number) => {
    const earlier = batches[Math.floor(random() * upTo)]!;
    const take = Math.min(earlier.length, repeats);
    requests.push(earlier.slice(0, take));
    repeats -= take;
  };
  batches.forEach((batch, i) => {
    requests.push(batch);
    if (repeats > 0 && i % every === every - 1) repeat(i + 1);
  });
  while (repeats > 0) repeat(batches.length);
  return requests;
}

/**
 * Sends the planned requests from `senders` concurrent senders over `seconds`, each request
 * leaving at its scheduled time. `target()` is read for every request (the test may move the
 * app). Returns every request's outcome.
 */
export async function runStorm(plan: StormPlan, target: () => string, token: string, options: { onSent?: (sent: Sent) => void; stop?: () => boolean } = {}): Promise<Sent[]> {
  const requests = planStorm(plan);
  const sent: Sent[] = [];
  const started = performance.now();
  const interval = (plan.seconds * 1000) / requests.length;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < requests.length; i++) {
    if (options.stop?.()) break;
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const alerts = requests[i]!;
    const body = stormPayload(plan.prefix, alerts);
    const fingerprints = alerts.map((alert) => `${plan.prefix}-${alert.group}-${alert.instance}`);
    const at = performance.now();
    const request = fetch(`${target()}/api/v1/alerts/ingest/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': `storm-sender-${i % plan.senders}` },
      body,
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      })
      .catch(() => 'network-error' as const)
      .then((status) => {
        const outcome = { fingerprints, status, ms: performance.now() - at, at: at - started };
        sent.push(outcome);
        options.onSent?.(outcome);
      });
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return sent;
}

/** Sends `rate` alerts per second for `seconds`, `perRequest` of one group per request (1 unless said); latency of each request. */
export async function measureIngestAtRate(
  url: string,
  token: string,
  options: { prefix: string; rate: number; seconds: number; perRequest?: number },
): Promise<{ latency: Summary; accepted: number; failed: number; throughput: number; perRequest: number }> {
  const perRequest = options.perRequest ?? 1;
  const plan: StormPlan = { prefix: options.prefix, alerts: options.rate * options.seconds, repeatShare: 0.2, groups: 50, criticalEvery: 1_000_000, perRequest, senders: 5, seconds: options.seconds };
  const started = performance.now();
  const sent = await runStorm(plan, () => url, token);
  const elapsed = (performance.now() - started) / 1000;
  const ok = sent.filter((s) => s.status === 202);
  const alerts = ok.reduce((n, s) => n + s.fingerprints.length, 0);
  return { latency: summarize(ok.map((s) => s.ms)), accepted: ok.length, failed: sent.length - ok.length, throughput: alerts / elapsed, perRequest };
}

/** As many single-alert requests as `connections` senders can get through in `seconds` (each waits for its answer). */
export async function measureIngestCapacity(url: string, token: string, options: { prefix: string; connections: number; seconds: number }): Promise<{ throughput: number; latency: Summary; errors: number }> {
  const deadline = performance.now() + options.seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) {
        const i = n++;
        // A fifth are repeats of an earlier alert, as in a storm.
        const instance = i % 5 === 4 ? Math.floor(i / 2) : i;
        const body = stormPayload(options.prefix, [{ group: instance % 50, instance, critical: false }]);
        const started = performance.now();
        const response = await fetch(`${url}/api/v1/alerts/ingest/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        if (response.status === 202) latencies.push(performance.now() - started);
        else errors++;
      }
    }),
  );
  return { throughput: latencies.length / options.seconds, latency: summarize(latencies), errors };
}

// A Node HTTP server that reads the body and answers 202 with a short JSON body, doing nothing else.
const BARE_INTAKE = `
const http = require('node:http');
const answer = JSON.stringify({ alerts: [{ id: '00000000-0000-0000-0000-000000000000', fingerprint: 'bare', status: 'firing', created: true }], rejected: [] });
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer));
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

/**
 * The HTTP floor on this machine: the capacity run's senders against a bare server in a process of
 * its own that answers 202 at once. Senders, server and PostgreSQL share the same cores, so this is
 * as many requests a second as any intake could take here, before storing anything.
 */
export async function measureBareIntake(options: { connections: number; seconds: number }): Promise<{ throughput: number; latency: Summary }> {
  return withBareServer('intake', BARE_INTAKE, async (url) => {
    const { throughput, latency, errors } = await measureIngestCapacity(url, 'none', { prefix: 'Bare', connections: options.connections, seconds: options.seconds });
    if (errors) throw new Error(`The bare intake server failed ${errors} requests`);
    return { throughput, latency };
  });
}

// The same bare server, storing each alert first, as fast as one can: it parses the body, gathers
// the alerts of every request that arrives while a statement is in flight, upserts them all in one
// multi-row `INSERT … ON CONFLICT` (up to three statements at once, a pool of ten connections), and
// answers each request with 202 once its statement has committed. This is the contract's "202 once
// stored" with nothing else: no authentication, validation, grouping, routing, timeline or queue.
// (One statement per request instead measured 1,743 req/s against 1,960 for this on 2026-12-06.)
const STORING_INTAKE = `
const http = require('node:http');
const pg = require('pg');
const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 10 });
const source = process.env.BENCH_SOURCE, group = process.env.BENCH_GROUP;
const UPSERT = "INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, labels, annotations, starts_at, last_seen_at) " +
  "SELECT $1, $2, f, 'firing', t, 'SEV3', l::jsonb, a::jsonb, now(), now() FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS u(f, t, l, a) " +
  "ON CONFLICT (source_id, fingerprint) WHERE resolved_at IS NULL DO UPDATE SET count = alerts.count + 1, last_seen_at = EXCLUDED.last_seen_at, labels = EXCLUDED.labels " +
  "RETURNING id, fingerprint, (xmax = 0) AS created";
let waiting = [];
let inFlight = 0;
async function store() {
  if (!waiting.length || inFlight >= 3) return;
  inFlight++;
  const requests = waiting;
  waiting = [];
  // One row per fingerprint: a statement may not update the same row twice.
  const alerts = new Map();
  for (const request of requests) for (const alert of request.alerts) alerts.set(alert.fingerprint, alert);
  const rows = [...alerts.values()];
  try {
    const result = await pool.query(UPSERT, [source, group, rows.map((a) => a.fingerprint), rows.map((a) => a.annotations.summary), rows.map((a) => JSON.stringify(a.labels)), rows.map((a) => JSON.stringify(a.annotations))]);
    const stored = new Map(result.rows.map((row) => [row.fingerprint, row]));
    for (const request of requests) request.answer(202, { alerts: request.alerts.map((a) => ({ id: stored.get(a.fingerprint).id, fingerprint: a.fingerprint, status: 'firing', created: stored.get(a.fingerprint).created })), rejected: [] });
  } catch (error) {
    for (const request of requests) request.answer(500, { error: String(error) });
  }
  inFlight--;
  store();
}
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const answer = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    try {
      waiting.push({ alerts: JSON.parse(Buffer.concat(chunks).toString('utf8')).alerts, answer });
      store();
    } catch (error) {
      answer(400, { error: String(error) });
    }
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

/**
 * The floor of "202 once stored" over HTTP on this machine: the capacity run's senders against
 * STORING_INTAKE. Senders, server and PostgreSQL share the cores, so no intake that stores each
 * alert before answering can take more requests a second here than this.
 */
export async function measureStoringIntake(databaseUrl: string, options: { connections: number; seconds: number }): Promise<{ throughput: number; latency: Summary }> {
  return withRawTarget(databaseUrl, async ({ source, group }) =>
    withBareServer(
      'storing intake',
      STORING_INTAKE,
      async (url) => {
        const { throughput, latency, errors } = await measureIngestCapacity(url, 'none', { prefix: 'Store', connections: options.connections, seconds: options.seconds });
        if (errors) throw new Error(`The storing intake server failed ${errors} requests`);
        return { throughput, latency };
      },
      { BENCH_DATABASE_URL: databaseUrl, BENCH_SOURCE: source, BENCH_GROUP: group },
    ),
  );
}

// One alert, as the raw limit writes it: the same table, unique index and count + 1 on a repeat as
// the intake, in one autocommitted statement.
const RAW_UPSERT = `INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, labels, annotations, starts_at, last_seen_at)
  VALUES ($1, $2, $3, 'firing', $4, 'SEV3', $5, $6, now(), now())
  ON CONFLICT (source_id, fingerprint) WHERE resolved_at IS NULL DO UPDATE SET count = alerts.count + 1, last_seen_at = EXCLUDED.last_seen_at, labels = EXCLUDED.labels
  RETURNING id, (xmax = 0) AS created`;

/** A source and a group of its own for a raw measurement, removed (with its alerts) afterwards. */
async function withRawTarget<T>(databaseUrl: string, run: (target: { source: string; group: string }) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const source = (await client.query<{ id: string }>(`INSERT INTO alert_sources (name, kind, token_hash, token_hint) VALUES ('raw bench ' || gen_random_uuid(), 'alertmanager', gen_random_uuid()::text, 'raw!') RETURNING id`)).rows[0]!.id;
    const group = (await client.query<{ id: string }>(`INSERT INTO alert_groups (source_id, group_key, title) VALUES ($1, 'raw', 'raw') RETURNING id`, [source])).rows[0]!.id;
    try {
      return await run({ source, group });
    } finally {
      await client.query('DELETE FROM alert_sources WHERE id = $1', [source]);
    }
  } finally {
    await client.end();
  }
}

/**
 * The limit: the same alerts upserted by `connections` raw connections for `seconds`, one
 * autocommitted `INSERT … ON CONFLICT` per alert on the same table and index (count + 1 on a
 * repeat), with its group row already there.
 */
export async function measureRawUpsert(databaseUrl: string, options: { connections: number; seconds: number }): Promise<{ throughput: number; latency: Summary }> {
  return withRawTarget(databaseUrl, async ({ source, group }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: options.connections });
    try {
      const deadline = performance.now() + options.seconds * 1000;
      const latencies: number[] = [];
      let n = 0;
      await Promise.all(
        Array.from({ length: options.connections }, async () => {
          const client = await pool.connect();
          try {
            while (performance.now() < deadline) {
              const i = n++;
              const instance = i % 5 === 4 ? Math.floor(i / 2) : i;
              const started = performance.now();
              await client.query(RAW_UPSERT, [source, group, `raw-${instance}`, `Raw ${instance}`, JSON.stringify({ alertname: 'Raw', instance: `node-${instance}` }), JSON.stringify({ summary: `Raw ${instance}` })]);
              latencies.push(performance.now() - started);
            }
          } finally {
            client.release();
          }
        }),
      );
      return { throughput: latencies.length / options.seconds, latency: summarize(latencies) };
    } finally {
      await pool.end();
    }
  });
}

/** Alert received → its group routed (and, when the route declares, its incident declared): from the database's own clock. */
export async function measureDispatchDelay(databaseUrl: string, prefix: string): Promise<Summary> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ms: number }>(
      `SELECT extract(epoch FROM (g.routed_at - min(a.created_at))) * 1000 AS ms
         FROM alert_groups g JOIN alerts a ON a.group_id = g.id
        WHERE g.group_key LIKE $1 AND g.routed_at IS NOT NULL GROUP BY g.id`,
      [`{}:{alertname="${prefix}%`],
    );
    return summarize(rows.map((row) => Number(row.ms)));
  } finally {
    await client.end();
  }
}

export function ingestRows(
  capacity: { throughput: number },
  raw: { throughput: number; latency: Summary },
  bare: { throughput: number },
  storing: { throughput: number },
  atRate: { latency: Summary; throughput: number },
  batched: { latency: Summary; throughput: number; perRequest: number },
  dispatch: Summary,
  page: { firstNotification: Summary; direct: Summary },
): Row[] {
  return [
    { name: 'Alert ingest throughput (10 senders, a fifth repeats)', figure: capacity.throughput, unit: 'req/s', limit: raw.throughput, limitLabel: 'raw INSERT … ON CONFLICT', goal: { minRatio: 0.5 } },
    // The same senders can get no more than this through HTTP at all on this machine.
    { name: 'Alert ingest throughput beside the HTTP floor', figure: capacity.throughput, unit: 'req/s', limit: bare.throughput, limitLabel: 'a bare Node server answering 202', goal: null },
    // …and no more than this when each alert is stored before the answer, as the contract asks.
    { name: 'Alert ingest throughput beside the storing floor', figure: capacity.throughput, unit: 'req/s', limit: storing.throughput, limitLabel: 'a bare Node server storing each alert, then 202', goal: null },
    { name: `Alert ingest p95 at ${Math.round(atRate.throughput)} alerts/s, one per request`, figure: atRate.latency.p95, unit: 'ms', limit: raw.latency.p95, limitLabel: 'raw upsert p95', goal: { max: 50 } },
    // Alertmanager and Grafana send a group's alerts together; this is the same rate as they would.
    { name: `Alert ingest p95 at ${Math.round(batched.throughput)} alerts/s, ${batched.perRequest} per request`, figure: batched.latency.p95, unit: 'ms', limit: raw.latency.p95, limitLabel: 'raw upsert p95', goal: { max: 50 } },
    { name: 'Alert received → group routed, p95', figure: dispatch.p95, unit: 'ms', limit: null, goal: null },
    { name: 'Alert received → first page notification, p95', figure: page.firstNotification.p95, unit: 'ms', limit: page.direct.p95, limitLabel: 'a plain HTTP POST', goal: { max: 1_000 } },
  ];
}

/**
 * Alert received → first page notification at a local receiver: `samples` alerts, each of a new
 * group (so each pages), posted one after the other to a source whose route pages a one-level
 * policy; the receiver is the paged person's webhook contact method. Beside it, the receiver's
 * floor: a plain HTTP POST from here.
 */
export async function measureAlertToPage(app: { url: string }, token: string, options: { samples: number }): Promise<{ firstNotification: Summary; direct: Summary }> {
  const arrivals = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const at = performance.now();
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const probe = req.headers['x-probe'];
      const title = probe ? String(probe) : ((JSON.parse(body) as { page?: { title?: string } }).page?.title ?? '');
      if (!arrivals.has(title)) arrivals.set(title, at);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://localhost:${(server.address() as AddressInfo).port}/alert-pages`;
  try {
    const email = 'bench-alerts@sitrep.local';
    const created = await api(app, token, 'POST', '/api/v1/users', { email, name: 'Bench alerts', role: 'responder' });
    if (created.status !== 201) throw new Error(`Creating ${email} answered ${created.status}: ${JSON.stringify(created.body)}`);
    const method = await api(app, token, 'POST', `/api/v1/users/${email}/contact-methods`, { kind: 'webhook', target: hook });
    if (method.status !== 201) throw new Error(`Adding a contact method answered ${method.status}: ${JSON.stringify(method.body)}`);
    const policy = await api<{ id: string }>(app, token, 'POST', '/api/v1/escalation-policies', { name: 'Bench alert pages', levels: [{ delaySeconds: 600, targets: [{ user: email }] }] });
    if (policy.status !== 201) throw new Error(`Creating the policy answered ${policy.status}: ${JSON.stringify(policy.body)}`);
    const source = await api<{ token: string }>(app, token, 'POST', '/api/v1/alert-sources', { name: 'Bench pager', kind: 'generic', routes: [{ match: {}, policyId: policy.body.id }] });
    if (source.status !== 201) throw new Error(`Creating the source answered ${source.status}: ${JSON.stringify(source.body)}`);

    const firstNotification: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      const title = `Bench alert page ${i}`;
      const started = performance.now();
      const answer = await fetch(`${app.url}/api/v1/alerts/ingest/generic`, {
        method: 'POST',
        headers: { authorization: `Bearer ${source.body.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ dedupKey: `bench-page-${i}`, status: 'firing', title }),
      });
      await answer.arrayBuffer();
      if (answer.status !== 202) throw new Error(`Ingesting answered ${answer.status}`);
      await waitFor('the page notification', () => arrivals.has(title), 15_000);
      firstNotification.push(arrivals.get(title)! - started);
      await sleep(30);
    }
    const direct: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      const started = performance.now();
      await fetch(hook, { method: 'POST', headers: { 'x-probe': `direct-${i}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.text());
      direct.push(arrivals.get(`direct-${i}`)! - started);
    }
    return { firstNotification: summarize(firstNotification), direct: summarize(direct) };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
