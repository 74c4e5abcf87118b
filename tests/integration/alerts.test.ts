// Alerts in, on a real PostgreSQL through the real route handlers: sources and their tokens, each
// payload kind, the HTTP refusals (401, 400, 413, 422), dedup (repeats counted, one alert per
// identity even when posted concurrently), groups, routing and severity mapping, declaring with
// the runbook attached, silences, recurrences and the timeline, the API of people's actions, and
// the dispatcher run twice for one job. Dispatches are run by hand here (runAttempt) so each test
// sees exactly what one run does; alerts-alertmanager.test.ts runs the real worker.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { POST as ingestAlertmanager } from '@/app/api/v1/alerts/ingest/alertmanager/route';
import { POST as ingestGeneric } from '@/app/api/v1/alerts/ingest/generic/route';
import { POST as ingestGrafana } from '@/app/api/v1/alerts/ingest/grafana/route';
import { POST as ingestPagerDuty } from '@/app/api/v1/alerts/ingest/pagerduty/route';
import { GET as listAlertsRoute } from '@/app/api/v1/alerts/route';
import { GET as getAlertRoute } from '@/app/api/v1/alerts/[id]/route';
import { POST as acknowledgeRoute } from '@/app/api/v1/alerts/[id]/acknowledge/route';
import { POST as resolveRoute } from '@/app/api/v1/alerts/[id]/resolve/route';
import { POST as declareRoute } from '@/app/api/v1/alerts/[id]/declare/route';
import { POST as linkRoute } from '@/app/api/v1/incidents/[number]/alerts/route';
import { GET as getIncidentRoute } from '@/app/api/v1/incidents/[number]/route';
import { GET as listSourcesRoute, POST as createSourceRoute } from '@/app/api/v1/alert-sources/route';
import { PUT as putSourceRoute } from '@/app/api/v1/alert-sources/[id]/route';
import { POST as rotateRoute } from '@/app/api/v1/alert-sources/[id]/rotate-token/route';
import { POST as testRouteRoute } from '@/app/api/v1/alert-sources/[id]/test-route/route';
import { POST as createSilenceRoute } from '@/app/api/v1/silences/route';
import { DELETE as endSilenceRoute } from '@/app/api/v1/silences/[id]/route';
import { alertDispatches } from '@/lib/alerts/delivery';
import { dispatchLedger } from '@/lib/alerts/dispatch';
import type { RouteInput } from '@/lib/alerts/routing';
import type { AlertDto } from '@/lib/alerts/schema';
import { alertsChannel, type AlertsNotification } from '@/lib/alerts/live';
import { UPSERT_FIRING } from '@/lib/alerts/ingest';
import { createSource } from '@/lib/alerts/service';
import { acknowledgePage, createPolicy } from '@/lib/oncall/service';
import { declareIncident, updateIncident } from '@/lib/incidents/service';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { runAttempt } from '@/lib/platform/delivery/worker';
import { subscribe, type LiveSignal } from '@/lib/platform/live/listener';
import { queueUnqueued } from '@/lib/platform/delivery/ledger';
import { createRunbook } from '@/lib/runbooks/service';
import { createApiToken } from '@/lib/tokens/service';
import { createUser } from '@/lib/users/service';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/alerts', name), 'utf8')) as Record<string, unknown>;

async function call(handler: Handler, options: { method?: string; url?: string; body?: unknown; raw?: string | ReadableStream<Uint8Array>; token?: string; headers?: Record<string, string>; params?: Record<string, string> }) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const request = new Request(`http://localhost${options.url ?? '/api/v1/x'}`, { method: options.method ?? 'POST', headers, body, duplex: 'half' } as RequestInit);
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown> & { errors?: { path: string; message: string }[] }) : null };
}

let admin: Actor;
let responder: Actor;
let adminToken: string;
let responderToken: string;
let viewerToken: string;
let diskRunbook: string;

/** Runs every waiting dispatch once (what the worker would do), until none is left. */
async function drain(): Promise<number> {
  let runs = 0;
  for (let round = 0; round < 20; round++) {
    const waiting = await db.alertDispatch.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' } });
    if (waiting.length === 0) return runs;
    for (const dispatch of waiting) {
      await runAttempt(alertDispatches, { dispatchId: dispatch.id, attempt: dispatch.attemptCount + 1 });
      runs++;
    }
  }
  throw new Error('dispatches keep coming back');
}

async function source(kind: 'alertmanager' | 'grafana' | 'pagerduty' | 'generic', routes: RouteInput[] = [], name = `${kind} ${Math.random().toString(36).slice(2, 8)}`) {
  return createSource({ name, kind, routes }, { actor: admin });
}

const amAlert = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels,
  annotations: { summary: `${labels.alertname} on ${labels.instance ?? 'all'}` },
  startsAt: '2026-11-30T10:00:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  ...extra,
});
const amPayload = (groupKey: string, alerts: unknown[], status = 'firing') => ({ version: '4', groupKey, status, receiver: 'sitrep', alerts });

const alertsOf = (sourceId: string) => db.alert.findMany({ where: { sourceId }, orderBy: [{ createdAt: 'asc' }, { fingerprint: 'asc' }] });
const timelineOf = async (incidentId: string) => (await db.timelineEvent.findMany({ where: { incidentId }, orderBy: { seq: 'asc' } })).map((event) => ({ kind: event.kind, body: event.body }));

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, alert_sources, alert_silences, runbooks, audit_logs CASCADE');
  const make = async (email: string, name: string, role: 'admin' | 'responder' | 'viewer') => {
    const user = await createUser({ email, name, role }, { actor: null });
    return { id: user.id, email: user.email, name: user.name, role: user.role } satisfies Actor;
  };
  admin = await make('ada@example.com', 'Ada Admin', 'admin');
  responder = await make('rey@example.com', 'Rey Responder', 'responder');
  await make('vic@example.com', 'Vic Viewer', 'viewer');
  adminToken = (await createApiToken({ email: admin.email, name: 'tests' }, { actor: admin })).token;
  responderToken = (await createApiToken({ email: responder.email, name: 'tests' }, { actor: admin })).token;
  viewerToken = (await createApiToken({ email: 'vic@example.com', name: 'tests' }, { actor: admin })).token;
  diskRunbook = (
    await createRunbook(
      { title: 'Disk full', tags: ['storage'], phases: [{ title: 'Immediate', steps: [{ title: 'Find what filled the disk', command: 'du -xh / | sort -h | tail' }, { title: 'Free space' }] }] },
      { actor: admin },
    )
  ).id;
});

afterAll(async () => {
  await stopQueue();
  await db.$disconnect();
});

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM alert_silences');
});

describe('alert sources', () => {
  it('shows the token once, keeps only its hash, and rotating it locks the old token out', async () => {
    const created = await call(createSourceRoute as Handler, { token: adminToken, body: { name: 'Prometheus prod', kind: 'alertmanager', routes: [{ match: {}, declare: false }] } });
    expect(created.status).toBe(201);
    const token = created.body!.token as string;
    expect(token).toMatch(/^sitrep_alerts_[A-Za-z0-9_-]{32}$/);
    expect(created.body).toMatchObject({ name: 'Prometheus prod', kind: 'alertmanager', tokenHint: token.slice(-4), ingestUrl: expect.stringMatching(/\/api\/v1\/alerts\/ingest\/alertmanager$/) });
    const stored = await db.alertSource.findUniqueOrThrow({ where: { id: created.body!.id as string } });
    expect(JSON.stringify(stored)).not.toContain(token);

    const listed = await call(listSourcesRoute as Handler, { method: 'GET', token: adminToken });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await call(listSourcesRoute as Handler, { method: 'GET', token: responderToken })).status).toBe(403);

    const post = (bearer: string) => call(ingestGeneric as Handler, { token: bearer, url: '/api/v1/alerts/ingest/generic', body: { dedupKey: 'x', status: 'firing', title: 'A' } });
    // The token is for an Alertmanager source: another kind's URL says where to post instead.
    const wrongKind = await post(token);
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body!.detail).toMatch(/ingest\/alertmanager/);

    const rotated = await call(rotateRoute as Handler, { token: adminToken, params: { id: created.body!.id as string } });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body!.token as string;
    expect(fresh).not.toBe(token);
    const am = (bearer: string) => call(ingestAlertmanager as Handler, { token: bearer, body: amPayload('{}:{alertname="Rotated"}', [amAlert({ alertname: 'Rotated' })]) });
    expect((await am(token)).status).toBe(401);
    expect((await am(fresh)).status).toBe(202);
    const audit = await db.auditLog.findMany({ where: { targetId: created.body!.id as string }, orderBy: { at: 'asc' } });
    expect(audit.map((entry) => entry.action)).toEqual(['alert_source.created', 'alert_source.token_rotated']);
  });

  it('names every invalid field of a source at once', async () => {
    const refused = await call(createSourceRoute as Handler, {
      token: adminToken,
      body: { name: 'x', kind: 'nagios', routes: [{ match: {}, declare: true }, { match: { env: '~(prod' }, severity: 'SEV9' }] },
    });
    expect(refused.status).toBe(422);
    const paths = refused.body!.errors!.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'kind', 'routes.1.match.env']));
    expect(refused.body!.errors!.find((error) => error.path === 'routes.1.match.env')!.message).toMatch(/not a valid regular expression/);

    const unknownSeverity = await call(createSourceRoute as Handler, { token: adminToken, body: { name: 'Severities', kind: 'generic', routes: [{ match: { team: 'db' }, severity: 'SEV9' }, { match: {} }] } });
    expect(unknownSeverity.status).toBe(422);
    expect(unknownSeverity.body!.errors).toEqual([{ path: 'routes.0.severity', message: expect.stringMatching(/SEV9 is not a severity; use SEV1, SEV2, SEV3, SEV4/) }]);

    const catchAllFirst = await call(createSourceRoute as Handler, { token: adminToken, body: { name: 'Order', kind: 'generic', routes: [{ match: {} }, { match: { team: 'db' } }] } });
    expect(catchAllFirst.body!.errors).toEqual([{ path: 'routes.0.match', message: expect.stringMatching(/move it to the end/) }]);
  });

  it('saves routes with If-Match and refuses a stale save with 412', async () => {
    const created = await source('generic');
    const saved = await call(putSourceRoute as Handler, { method: 'PUT', token: adminToken, params: { id: created.id }, headers: { 'if-match': '"1"' }, body: { name: created.name, kind: 'generic', routes: [{ match: { team: 'db' }, severity: 'SEV1', declare: true }] } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    expect(saved.body!.routes).toEqual([{ match: { team: 'db' }, severity: 'SEV1', declare: true }]);
    const stale = await call(putSourceRoute as Handler, { method: 'PUT', token: adminToken, params: { id: created.id }, headers: { 'if-match': '"1"' }, body: { name: created.name, kind: 'generic', routes: [] } });
    expect(stale.status).toBe(412);
  });
});

describe('ingest: each payload kind', () => {
  it('stores what a real Alertmanager sent: one group, two alerts, the answer listing both', async () => {
    const src = await source('alertmanager');
    const payload = fixture('alertmanager-firing.json');
    const answer = await call(ingestAlertmanager as Handler, { token: src.token, body: payload });
    expect(answer.status).toBe(202);
    const alerts = answer.body!.alerts as { id: string; status: string; created: boolean; fingerprint: string }[];
    expect(alerts).toHaveLength((payload.alerts as unknown[]).length);
    expect(alerts.every((alert) => alert.created && alert.status === 'firing')).toBe(true);
    expect(answer.body).toMatchObject({ rejected: [], truncatedAlerts: 0 });
    const stored = await alertsOf(src.id);
    expect(stored.map((alert) => alert.fingerprint).sort()).toEqual((payload.alerts as { fingerprint: string }[]).map((alert) => alert.fingerprint).sort());
    expect(new Set(stored.map((alert) => alert.groupId)).size).toBe(1);
    expect(stored[0]).toMatchObject({ count: 1, status: 'firing', resolvedAt: null });
  });

  it('stores Grafana alerts with their dashboard and panel links, and resolves them', async () => {
    const src = await source('grafana');
    const firing = await call(ingestGrafana as Handler, { token: src.token, body: fixture('grafana-firing.json') });
    expect(firing.status).toBe(202);
    const [first] = await alertsOf(src.id);
    expect((first!.links as { text: string }[]).map((link) => link.text)).toEqual(expect.arrayContaining(['Dashboard', 'Panel']));
    expect(first!.runbookUrl).toBe('https://wiki.example.com/runbooks/checkout-errors');
    const resolved = await call(ingestGrafana as Handler, { token: src.token, body: fixture('grafana-resolved.json') });
    expect(resolved.status).toBe(202);
    expect((resolved.body!.alerts as { status: string }[]).some((alert) => alert.status === 'resolved')).toBe(true);
  });

  it('speaks PagerDuty Events v2: routing_key is the token, the answer is PagerDuty’s, acknowledge and resolve by dedup_key', async () => {
    const src = await source('pagerduty');
    const trigger = { ...fixture('pagerduty-trigger.json'), routing_key: src.token };
    const answer = await call(ingestPagerDuty as Handler, { body: trigger });
    expect(answer).toMatchObject({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'db-replication-lag/db-2' } });
    const noKey = await call(ingestPagerDuty as Handler, { body: { ...fixture('pagerduty-trigger-without-dedup-key.json'), routing_key: src.token } });
    expect(noKey.body!.dedup_key).toMatch(/^[0-9a-f-]{36}$/);

    const ack = await call(ingestPagerDuty as Handler, { body: { routing_key: src.token, event_action: 'acknowledge', dedup_key: 'db-replication-lag/db-2' } });
    expect(ack.status).toBe(202);
    const acknowledged = await db.alert.findFirstOrThrow({ where: { sourceId: src.id, fingerprint: 'db-replication-lag/db-2' } });
    expect(acknowledged).toMatchObject({ status: 'acknowledged', title: 'Replication lag on db-2 is 94 s', service: 'payments' });

    await call(ingestPagerDuty as Handler, { body: { routing_key: src.token, event_action: 'resolve', dedup_key: 'db-replication-lag/db-2' } });
    expect((await db.alert.findUniqueOrThrow({ where: { id: acknowledged.id } })).status).toBe('resolved');
    // A resolve of something never triggered is accepted (as PagerDuty does) and stores nothing.
    const unknown = await call(ingestPagerDuty as Handler, { body: { routing_key: src.token, event_action: 'resolve', dedup_key: 'never-seen' } });
    expect(unknown.status).toBe(202);
    expect(await db.alert.count({ where: { sourceId: src.id, fingerprint: 'never-seen' } })).toBe(0);
    expect((await call(ingestPagerDuty as Handler, { body: { ...trigger, routing_key: 'sitrep_alerts_wrong' } })).status).toBe(401);
  });

  it('stores generic alerts, one or a list, with severity and service as labels', async () => {
    const src = await source('generic');
    const one = await call(ingestGeneric as Handler, { token: src.token, body: fixture('generic-firing.json') });
    expect(one.status).toBe(202);
    const list = await call(ingestGeneric as Handler, {
      url: `/api/v1/alerts/ingest/generic?token=${src.token}`,
      body: [
        { dedupKey: 'a', status: 'firing', title: 'Queue backlog', severity: 'warning' },
        { dedupKey: 'b', status: 'firing', title: 'Cert expires soon', service: 'edge' },
      ],
    });
    expect(list.status).toBe(202);
    const stored = await alertsOf(src.id);
    expect(stored).toHaveLength(3);
    const deploy = stored.find((alert) => alert.fingerprint === 'deploy-failed/checkout/4812')!;
    expect(deploy).toMatchObject({ title: 'Deploy 4812 of checkout failed its smoke test', severityKey: 'SEV2', senderSeverity: 'error', service: 'checkout' });
    expect(deploy.labels).toMatchObject({ env: 'prod', severity: 'error', service: 'checkout' });
  });
});

describe('ingest: refusals', () => {
  it('answers 401 without a token or with a wrong one, 400 for malformed JSON, 422 naming fields', async () => {
    const src = await source('generic');
    const none = await call(ingestGeneric as Handler, { body: { dedupKey: 'a', status: 'firing', title: 'x' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(ingestGeneric as Handler, { token: 'sitrep_alerts_nope', body: {} })).status).toBe(401);
    const malformed = await call(ingestGeneric as Handler, { token: src.token, raw: '{"dedupKey": "a",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body!.detail).toMatch(/not valid JSON/);
    const invalid = await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: '', status: 'burning' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body!.errors!.map((error) => error.path).sort()).toEqual(['dedupKey', 'status', 'title']);
    expect(await db.alert.count({ where: { sourceId: src.id } })).toBe(0);
  });

  it('refuses a body above 1 MiB with 413, by Content-Length and while reading a chunked one', async () => {
    const src = await source('generic');
    const big = JSON.stringify({ dedupKey: 'big', status: 'firing', title: 'x', details: 'y'.repeat(1_100_000) });
    const declared = await call(ingestGeneric as Handler, { token: src.token, raw: big, headers: { 'content-length': String(Buffer.byteLength(big)) } });
    expect(declared.status).toBe(413);
    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        // An endless body: the route must stop reading at the limit, not wait for its end.
        sent += 65_536;
        controller.enqueue(new Uint8Array(65_536).fill(32));
      },
    });
    const streamed = await call(ingestGeneric as Handler, { token: src.token, raw: chunked });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(2 * 1_048_576);
    expect(await db.alert.count({ where: { sourceId: src.id } })).toBe(0);
  });

  it('reports a bad alert of a batch without dropping the good ones', async () => {
    const src = await source('alertmanager');
    const answer = await call(ingestAlertmanager as Handler, {
      token: src.token,
      body: amPayload('{}:{alertname="Batch"}', [amAlert({ alertname: 'Batch', instance: 'a' }), { status: 'firing', labels: { alertname: 'Batch', port: 8080 }, startsAt: 'yesterday' }, amAlert({ alertname: 'Batch', instance: 'c' })]),
    });
    expect(answer.status).toBe(202);
    expect((answer.body!.alerts as unknown[]).length).toBe(2);
    expect(answer.body!.rejected).toEqual([{ index: 1, errors: expect.arrayContaining([expect.objectContaining({ path: 'alerts.1.startsAt' }), expect.objectContaining({ path: 'alerts.1.labels.port' })]) }]);
    expect(await db.alert.count({ where: { sourceId: src.id } })).toBe(2);
  });
});

describe('dedup and recurrence', () => {
  it('counts a repeat while firing, closes on resolve, and makes a firing after resolution a new alert linked to the previous', async () => {
    const src = await source('alertmanager');
    const alert = amAlert({ alertname: 'Repeat', instance: 'db-1' });
    const post = (body: unknown) => call(ingestAlertmanager as Handler, { token: src.token, body });
    const first = await post(amPayload('g', [alert]));
    const second = await post(amPayload('g', [{ ...alert, annotations: { summary: 'Repeat, worse' } }]));
    expect((first.body!.alerts as { created: boolean }[])[0]!.created).toBe(true);
    expect(second.body!.alerts).toEqual([expect.objectContaining({ id: (first.body!.alerts as { id: string }[])[0]!.id, created: false, status: 'firing' })]);
    let [stored] = await alertsOf(src.id);
    expect(stored).toMatchObject({ count: 2, title: 'Repeat, worse' });

    await post(amPayload('g', [{ ...alert, status: 'resolved', endsAt: '2026-11-30T10:30:00Z' }], 'resolved'));
    [stored] = await alertsOf(src.id);
    expect(stored).toMatchObject({ status: 'resolved', resolvedById: null });
    expect(stored!.endsAt!.toISOString()).toBe('2026-11-30T10:30:00.000Z');
    expect((await db.alertGroup.findUniqueOrThrow({ where: { id: stored!.groupId } })).closedAt).not.toBeNull();

    // The same episode's firing notification arriving late changes nothing.
    const late = await post(amPayload('g', [alert]));
    expect(late.body!.alerts).toEqual([expect.objectContaining({ id: stored!.id, created: false, status: 'resolved' })]);
    expect(await db.alert.count({ where: { sourceId: src.id } })).toBe(1);

    // A new episode (a later startsAt) is a new alert in a new group, linked to the previous one.
    await post(amPayload('g', [{ ...alert, startsAt: '2026-11-30T11:00:00Z' }]));
    const both = await alertsOf(src.id);
    expect(both).toHaveLength(2);
    expect(both[1]).toMatchObject({ status: 'firing', previousId: stored!.id, count: 1 });
    expect(both[1]!.groupId).not.toBe(stored!.groupId);
    const fetched = await call(getAlertRoute as Handler, { method: 'GET', token: viewerToken, params: { id: both[1]!.id } });
    expect(fetched.body).toMatchObject({ previousId: stored!.id, firedThisWeek: 2, groupKey: 'g' });
  });

  it('stores one alert when the same alert is posted 20 times at once, and counts all 20', async () => {
    const src = await source('generic');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'same-moment', status: 'firing', title: 'Posted at once' } })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(202));
    expect(answers.filter((answer) => (answer.body!.alerts as { created: boolean }[])[0]!.created)).toHaveLength(1);
    const stored = await alertsOf(src.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.count).toBe(20);
    expect(await db.alertGroup.count({ where: { sourceId: src.id } })).toBe(1);
  });
});

describe('intake under load', () => {
  it('answers payloads that arrive together (one statement) each with its own alerts, new to the first that named them', async () => {
    const src = await source('alertmanager');
    const other = await source('alertmanager');
    const post = (token: string, instance: number, alertname: string) =>
      call(ingestAlertmanager as Handler, { token, body: amPayload(alertname, [amAlert({ alertname, instance: `node-${instance}` })]) });
    // 30 at once on one source in three groups (every fifth a repeat of the one before it), and 5 on another.
    const instanceOf = (i: number) => (i % 5 === 4 ? i - 1 : i);
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => post(src.token, instanceOf(i), `Load${instanceOf(i) % 3}`)),
      ...Array.from({ length: 5 }, (_, i) => post(other.token, i, 'Other')),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(35).fill(202));
    const fingerprintOf = (answer: (typeof answers)[number]) => (answer.body!.alerts as { fingerprint: string }[]).map((alert) => alert.fingerprint);
    const stored = await alertsOf(src.id);
    const byFingerprint = new Map(stored.map((alert) => [alert.fingerprint, alert]));
    for (const [i, answer] of answers.slice(0, 30).entries()) {
      const alerts = answer.body!.alerts as { id: string; fingerprint: string }[];
      expect(alerts).toHaveLength(1);
      const alert = byFingerprint.get(alerts[0]!.fingerprint)!;
      expect(alert.labels).toMatchObject({ instance: `node-${instanceOf(i)}` });
      expect(alerts[0]!.id).toBe(alert.id);
    }
    expect(stored).toHaveLength(24);
    expect(stored.reduce((sum, alert) => sum + alert.count, 0)).toBe(30);
    const created = answers.slice(0, 30).filter((answer) => (answer.body!.alerts as { created: boolean }[])[0]!.created);
    expect(created).toHaveLength(24);
    expect(new Set(created.map((answer) => fingerprintOf(answer)[0])).size).toBe(24);
    expect(await alertsOf(other.id)).toHaveLength(5);
    expect(answers.slice(30).every((answer) => (answer.body!.alerts as { created: boolean }[])[0]!.created)).toBe(true);
  });

  it('plans the intake statement as lookups by identity, even when the statistics still say the source was empty', async () => {
    const src = await source('alertmanager');
    // What a young installation's first storm meets: statistics taken before its alerts came.
    await db.$executeRawUnsafe('ANALYZE alerts, alert_groups');
    await db.$executeRawUnsafe(
      `WITH g AS (INSERT INTO alert_groups (source_id, group_key, title, closed_at)
                  SELECT $1::uuid, 'history-' || k, 'History', CASE WHEN k < 100 THEN NULL ELSE now() END FROM generate_series(0, 1999) AS k RETURNING id, group_key)
       INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, labels, annotations, starts_at, last_seen_at, resolved_at)
       SELECT $1::uuid, g.id, 'history-' || (n % 500), CASE WHEN n < 500 THEN 'firing' ELSE 'resolved' END::"AlertStatus", 'History', 'SEV3', '{}', '{}',
              now() - make_interval(mins => n), now() - make_interval(mins => n), CASE WHEN n < 500 THEN NULL ELSE now() - make_interval(mins => n) END
         FROM generate_series(0, 19999) AS n JOIN g ON g.group_key = 'history-' || CASE WHEN n < 500 THEN n % 100 ELSE 100 + n % 1900 END`,
      src.id,
    );
    const at = new Date().toISOString();
    const row = (fingerprint: string, groupKey: string) => ({
      fingerprint, status: 'firing', title: 'History', severity_key: 'SEV3', sender_severity: null, service: null, labels: {}, annotations: {}, links: [],
      starts_at: at, ends_at: null, last_seen_at: at, count: 1, group_key: groupKey, group_title: 'History', silence_id: null, runbook_id: null, runbook_url: null, acknowledged_at: null,
    });
    // A repeat, a new alert of an open group, and a new alert of a new group: the statement as intake sends it.
    const rows = [row('history-7', 'history-7'), row('fresh-1', 'history-8'), row('fresh-2', 'fresh')];
    const [explained] = await db.$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${UPSERT_FIRING}`, src.id, JSON.stringify(rows), at);
    type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
    const looks: string[] = [];
    const visit = (node: PlanNode) => {
      // Inserts find their conflicts through the arbiter indexes; every other look must be by identity.
      if ((node['Relation Name'] === 'alerts' || node['Relation Name'] === 'alert_groups') && node['Node Type'] !== 'ModifyTable') {
        looks.push(`${node['Node Type']} on ${node['Relation Name']}: ${node['Index Cond'] ?? 'no index condition'}`);
      }
      node.Plans?.forEach(visit);
    };
    visit((explained!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
    expect(looks.length).toBeGreaterThan(0);
    for (const look of looks) expect(look).toMatch(/^Index (Only )?Scan(?: Backward)? on (alerts: .*fingerprint = |alert_groups: .*\bid = )/);
  });
});

describe('routing, declaring and the timeline', () => {
  it('routes by the first matching route, maps severity, declares with the runbook attached and links the group', async () => {
    const src = await source('alertmanager', [
      { match: { team: 'payments' }, severity: 'SEV1', declare: true },
      { match: { alertname: '~Disk.*', env: '!staging' }, service: 'storage', declare: true },
      { match: {}, declare: false },
    ]);
    const disk = amAlert({ alertname: 'DiskFull', instance: 'db-1', env: 'prod', severity: 'critical' }, { annotations: { summary: 'Disk on db-1 is 97% full', description: 'Only 3% left on /var/lib/postgresql', runbook_url: `http://sitrep.test/runbooks/${diskRunbook}` } });
    const disk2 = amAlert({ alertname: 'DiskFull', instance: 'db-2', env: 'prod', severity: 'warning' }, { annotations: { summary: 'Disk on db-2 is 96% full' } });
    const answer = await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="DiskFull"}', [disk, disk2]) });
    expect(answer.status).toBe(202);
    // 202 means stored; the incident follows from the queue.
    expect(await db.alertDispatch.count({ where: { group: { sourceId: src.id }, status: 'pending' } })).toBe(1);
    await drain();
    expect(await db.alertDispatch.count({ where: { group: { sourceId: src.id }, status: 'succeeded' } })).toBe(1);

    const group = await db.alertGroup.findFirstOrThrow({ where: { sourceId: src.id } });
    // The most severe alert of the group routes it: critical maps to SEV1.
    expect(group).toMatchObject({ routeIndex: 1, severityKey: 'SEV1', service: 'storage', declare: true, dispatchError: null });
    // (jsonb keeps object keys in its own order, so the matchers are named in that order.)
    expect(group.routeReason).toMatch(/^Route 2 \((env!="staging", alertname=~"Disk\.\*"|alertname=~"Disk\.\*", env!="staging")\) takes it/);
    const incident = await db.incident.findUniqueOrThrow({ where: { id: group.incidentId! }, include: { checklists: { include: { items: true } } } });
    expect(incident).toMatchObject({ title: 'Disk on db-1 is 97% full', severityKey: 'SEV1', services: ['storage'], summary: 'Only 3% left on /var/lib/postgresql', declaredById: null });
    expect(incident.checklists.map((checklist) => checklist.title)).toEqual(['Disk full']);
    expect(incident.checklists[0]!.items.map((item) => item.title)).toEqual(['Find what filled the disk', 'Free space']);
    const alerts = await alertsOf(src.id);
    expect(alerts.every((alert) => alert.incidentId === incident.id && alert.dispatchedStatus === 'firing')).toBe(true);
    const timeline = await timelineOf(incident.id);
    expect(timeline[0]!.body).toMatch(/^Sitrep declared INC-\d+ as SEV1 from alert “Disk on db-1 is 97% full” \(.*, route 2\)/);
    expect(timeline.map((event) => event.kind)).toEqual(['system', 'checklist', 'alert']);
    expect(timeline[2]!.body).toMatch(/^Alert “Disk on db-1 is 97% full” and “Disk on db-2 is 96% full” fired \(2 alerts\)/);

    // The group pages and declares once: a repeat, and a third alert of the group, declare nothing more.
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="DiskFull"}', [disk, amAlert({ alertname: 'DiskFull', instance: 'db-3', env: 'prod' })]) });
    await drain();
    expect(await db.incident.count({ where: { id: { not: incident.id }, title: { startsWith: 'Disk on' } } })).toBe(0);
    expect((await alertsOf(src.id)).find((alert) => alert.labels && (alert.labels as Record<string, string>).instance === 'db-3')!.incidentId).toBe(incident.id);
    expect((await alertsOf(src.id)).find((alert) => (alert.labels as Record<string, string>).instance === 'db-1')!.count).toBe(2);

    // GET /incidents/{n} lists them.
    const api = await call(getIncidentRoute as Handler, { method: 'GET', token: viewerToken, params: { number: String(incident.number) } });
    expect((api.body!.alerts as { title: string; status: string }[]).map((alert) => alert.status)).toEqual(['firing', 'firing', 'firing']);

    // Resolving them one by one: the timeline says each, and finally that every alert has resolved.
    const resolved = (instance: string, severity: string) => ({ ...amAlert({ alertname: 'DiskFull', instance, env: 'prod', severity }), status: 'resolved', endsAt: '2026-11-30T10:20:00Z' });
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="DiskFull"}', [resolved('db-1', 'critical'), resolved('db-2', 'warning')], 'firing') });
    await drain();
    let events = await timelineOf(incident.id);
    expect(events.at(-1)!.body).toMatch(/^2 alerts resolved/);
    expect(events.some((event) => /Every alert linked/.test(event.body))).toBe(false);
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="DiskFull"}', [{ ...amAlert({ alertname: 'DiskFull', instance: 'db-3', env: 'prod' }), status: 'resolved', endsAt: '2026-11-30T10:25:00Z' }], 'resolved') });
    await drain();
    events = await timelineOf(incident.id);
    expect(events.at(-2)!.body).toMatch(/^Alert “DiskFull on db-3” resolved after/);
    expect(events.at(-1)!.body).toBe(`Every alert linked to INC-${incident.number} has resolved. Consider moving INC-${incident.number} to monitoring; Sitrep never resolves an incident by itself.`);
    expect((await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('investigating');

    // Firing again: joins its incident, said on the timeline; after the incident resolved, linked and flagged, never reopened.
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="DiskFull"}', [amAlert({ alertname: 'DiskFull', instance: 'db-1', env: 'prod', severity: 'critical' }, { startsAt: '2026-11-30T12:00:00Z' })]) });
    await drain();
    events = await timelineOf(incident.id);
    expect(events.at(-1)!.body).toMatch(/^Alert “DiskFull on db-1” fired again after resolving, the 2nd time this week/);
    await updateIncident(incident.number, { status: 'resolved', reason: 'disk grown' }, {}, { actor: responder });
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="DiskFull"}', [amAlert({ alertname: 'DiskFull', instance: 'db-2', env: 'prod', severity: 'warning' }, { startsAt: '2026-11-30T12:05:00Z' })]) });
    await drain();
    const after = await db.alert.findFirstOrThrow({ where: { sourceId: src.id, resolvedAt: null, labels: { path: ['instance'], equals: 'db-2' } } });
    expect(after).toMatchObject({ incidentId: incident.id, afterResolution: true });
    expect((await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('resolved');
    events = await timelineOf(incident.id);
    expect(events.at(-1)!.body).toMatch(/fired again after INC-\d+ was resolved\. It is linked here and flagged; Sitrep does not reopen incidents/);
  });

  it('pages the route’s escalation policy once per group when the route does not declare, and nobody without a route', async () => {
    const policy = await createPolicy({ name: `Web on-call ${Math.random().toString(36).slice(2, 8)}`, levels: [{ delaySeconds: 300, targets: [{ user: responder.email }] }] }, { actor: admin });
    const src = await source('generic', [{ match: { team: 'web' }, policyId: policy.id }]);
    await call(ingestGeneric as Handler, { token: src.token, body: [{ dedupKey: 'w', status: 'firing', title: 'Web slow', labels: { team: 'web' } }, { dedupKey: 'o', status: 'firing', title: 'Other' }] });
    await drain();
    const groups = await db.alertGroup.findMany({ where: { sourceId: src.id }, orderBy: { groupKey: 'asc' } });
    expect(groups.map((group) => [group.groupKey, group.routeIndex, group.policyId, group.incidentId, group.pageId !== null])).toEqual([
      ['o', null, null, null, false],
      ['w', 0, policy.id, null, true],
    ]);
    expect(groups[0]!.routeReason).toMatch(/^No route matches/);
    const page = await db.page.findUniqueOrThrow({ where: { id: groups[1]!.pageId! } });
    expect(page).toMatchObject({ title: 'Web slow', status: 'triggered', policyId: policy.id, incidentId: null, source: src.name, triggeredById: null });
    expect(page.details).toMatch(/Routing: Route 1 \(team="web"\) takes it/);
    // People read the policy's name where the routing core has its id.
    expect(groups[1]!.routeReason).toContain(`pages escalation policy “${policy.name}”`);

    // Repeats and a new alert of the group page no one again; the API shows the page on the alert.
    await call(ingestGeneric as Handler, { token: src.token, body: [{ dedupKey: 'w', status: 'firing', title: 'Web slow', labels: { team: 'web' } }] });
    await drain();
    expect(await db.page.count({ where: { policyId: policy.id } })).toBe(1);
    const listed = await call(listAlertsRoute as Handler, { method: 'GET', url: `/api/v1/alerts?sourceId=${src.id}`, token: viewerToken });
    const web = (listed.body!.items as AlertDto[]).find((alert) => alert.title === 'Web slow')!;
    expect(web.page).toEqual({ id: page.id, status: 'triggered' });
    expect((listed.body!.items as AlertDto[]).find((alert) => alert.title === 'Other')!.page).toBeNull();
  });

  it('declares, then pages for the incident: the page is on its timeline and acknowledging it acknowledges the incident', async () => {
    const policy = await createPolicy({ name: `Payments on-call ${Math.random().toString(36).slice(2, 8)}`, levels: [{ delaySeconds: 300, targets: [{ user: responder.email }] }] }, { actor: admin });
    const src = await source('generic', [{ match: {}, policyId: policy.id, severity: 'SEV2', declare: true }]);
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'pay', status: 'firing', title: 'Payments failing', severity: 'critical' } });
    await drain();
    const group = await db.alertGroup.findFirstOrThrow({ where: { sourceId: src.id } });
    const incident = await db.incident.findUniqueOrThrow({ where: { id: group.incidentId! } });
    expect(incident).toMatchObject({ title: 'Payments failing', severityKey: 'SEV2', acknowledgedAt: null });
    const page = await db.page.findUniqueOrThrow({ where: { id: group.pageId! } });
    expect(page).toMatchObject({ incidentId: incident.id, policyId: policy.id });
    expect(incident.pagedAt).not.toBeNull();
    const timeline = await timelineOf(incident.id);
    expect(timeline.map((event) => event.kind)).toEqual(['system', 'page', 'alert']);
    expect(timeline[1]!.body).toMatch(new RegExp(`^${src.name} paged the escalation policy “${policy.name}”: “Payments failing”`));

    await acknowledgePage(page.id, { actor: responder });
    const acknowledged = await db.incident.findUniqueOrThrow({ where: { id: incident.id }, include: { smes: true } });
    expect(acknowledged.acknowledgedAt).not.toBeNull();
    expect(acknowledged.smes.map((sme) => sme.userId)).toContain(responder.id);
  });

  it('acknowledging an alert acknowledges the page it caused; the page resolves when every alert of its group has, by the sender or by hand', async () => {
    const policy = await createPolicy({ name: `DB on-call ${Math.random().toString(36).slice(2, 8)}`, levels: [{ delaySeconds: 300, targets: [{ user: responder.email }] }] }, { actor: admin });
    const src = await source('alertmanager', [{ match: { team: 'db' }, policyId: policy.id, severity: 'SEV2', declare: true }]);
    const pageOf = async (groupKey: string) => db.page.findUniqueOrThrow({ where: { id: (await db.alertGroup.findFirstOrThrow({ where: { sourceId: src.id, groupKey } })).pageId! } });

    // Two alerts in one group page once; the sender resolves one, then the other: the page resolves with the second.
    const first = amAlert({ alertname: 'ReplicaLag', team: 'db', instance: 'db-1' });
    const second = amAlert({ alertname: 'ReplicaLag', team: 'db', instance: 'db-2' });
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="ReplicaLag"}', [first, second]) });
    await drain();
    const paged = await pageOf('{}:{alertname="ReplicaLag"}');
    expect(paged.status).toBe('triggered');
    const resolvedNow = { status: 'resolved', endsAt: '2026-11-30T10:20:00Z' };
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="ReplicaLag"}', [{ ...first, ...resolvedNow }, second]) });
    await drain();
    expect((await pageOf('{}:{alertname="ReplicaLag"}')).status).toBe('triggered');
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="ReplicaLag"}', [{ ...first, ...resolvedNow }, { ...second, ...resolvedNow }], 'resolved') });
    await drain();
    const cleared = await pageOf('{}:{alertname="ReplicaLag"}');
    expect(cleared).toMatchObject({ status: 'resolved', resolvedById: null, acknowledgedAt: null });
    const timeline = await timelineOf(cleared.incidentId!);
    expect(timeline.filter((event) => event.kind === 'page').map((event) => event.body)).toContainEqual(
      `Every alert behind the page “${cleared.title}” resolved (${src.name}); Sitrep resolved the page and stopped its escalation.`,
    );
    // A firing after that is a new group, and pages again.
    await call(ingestAlertmanager as Handler, { token: src.token, body: amPayload('{}:{alertname="ReplicaLag"}', [{ ...first, startsAt: '2026-11-30T11:00:00Z' }]) });
    await drain();
    expect(await db.page.count({ where: { policyId: policy.id, status: 'triggered' } })).toBe(1);

    // A responder acknowledges the alert: the page is theirs and stops escalating; resolving the
    // group's last alert by hand resolves the page too.
    const open = await db.alert.findFirstOrThrow({ where: { sourceId: src.id, resolvedAt: null } });
    const acked = await call(acknowledgeRoute as Handler, { token: responderToken, params: { id: open.id } });
    expect(acked.status).toBe(200);
    const page = await db.page.findFirstOrThrow({ where: { policyId: policy.id, createdAt: { gt: cleared.createdAt } } });
    expect(page).toMatchObject({ status: 'acknowledged', acknowledgedById: responder.id });
    expect((await timelineOf(page.incidentId!)).map((event) => event.body)).toContainEqual(expect.stringMatching(/^Rey Responder acknowledged “.+” by acknowledging its alert, /));
    await call(resolveRoute as Handler, { token: responderToken, params: { id: open.id } });
    expect(await db.page.findUniqueOrThrow({ where: { id: page.id } })).toMatchObject({ status: 'resolved', resolvedById: null });
  });

  it('an acknowledge event from a PagerDuty-speaking sender acknowledges the page its alert caused', async () => {
    const policy = await createPolicy(
      { name: `Sender ack ${Math.random().toString(36).slice(2, 8)}`, levels: [{ delaySeconds: 300, targets: [{ user: responder.email }] }, { delaySeconds: 300, targets: [{ user: admin.email }] }] },
      { actor: admin },
    );
    const src = await source('pagerduty', [{ match: {}, policyId: policy.id, severity: 'SEV2', declare: true }]);
    await call(ingestPagerDuty as Handler, { body: { ...fixture('pagerduty-trigger.json'), routing_key: src.token } });
    await drain();
    const group = await db.alertGroup.findFirstOrThrow({ where: { sourceId: src.id } });
    expect((await db.page.findUniqueOrThrow({ where: { id: group.pageId! } })).status).toBe('triggered');

    await call(ingestPagerDuty as Handler, { body: { routing_key: src.token, event_action: 'acknowledge', dedup_key: 'db-replication-lag/db-2' } });
    await drain();
    const page = await db.page.findUniqueOrThrow({ where: { id: group.pageId! } });
    expect(page).toMatchObject({ status: 'acknowledged', acknowledgedById: null });
    expect(page.acknowledgedAt).not.toBeNull();
    expect((await timelineOf(page.incidentId!)).map((event) => event.body)).toContainEqual(
      `${src.name} reported an alert behind the page “${page.title}” acknowledged; Sitrep acknowledged the page and stopped its escalation.`,
    );
    // A second acknowledge changes nothing; resolving the alert resolves the page.
    await call(ingestPagerDuty as Handler, { body: { routing_key: src.token, event_action: 'acknowledge', dedup_key: 'db-replication-lag/db-2' } });
    await drain();
    expect((await db.page.findUniqueOrThrow({ where: { id: page.id } })).status).toBe('acknowledged');
    await call(ingestPagerDuty as Handler, { body: { routing_key: src.token, event_action: 'resolve', dedup_key: 'db-replication-lag/db-2' } });
    await drain();
    expect((await db.page.findUniqueOrThrow({ where: { id: page.id } })).status).toBe('resolved');
  });

  it('refuses a route to a policy that does not exist, and says on the group when its policy was deleted since', async () => {
    const refused = await call(createSourceRoute as Handler, { token: adminToken, body: { name: 'Nowhere', kind: 'generic', routes: [{ match: {}, policyId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' }] } });
    expect(refused.status).toBe(422);
    expect(refused.body!.errors).toEqual([{ path: 'routes.0.policyId', message: 'No escalation policy has that id; pick one from GET /api/v1/escalation-policies' }]);

    const policy = await createPolicy({ name: `Soon gone ${Math.random().toString(36).slice(2, 8)}`, levels: [{ delaySeconds: 60, targets: [{ user: responder.email }] }] }, { actor: admin });
    const src = await source('generic', [{ match: {}, policyId: policy.id, declare: true }]);
    await db.escalationPolicy.delete({ where: { id: policy.id } });
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'gone', status: 'firing', title: 'Policy gone', severity: 'warning' } });
    await drain();
    const group = await db.alertGroup.findFirstOrThrow({ where: { sourceId: src.id } });
    // The incident is still declared; the group says why nobody was paged.
    expect(group.incidentId).not.toBeNull();
    expect(group.pageId).toBeNull();
    expect(group.dispatchError).toMatch(/^Not paged: route 1 of “.*” names an escalation policy that can no longer be paged/);
  });

  it('says on the group, instead of failing, when a route’s severity no longer exists', async () => {
    const src = await source('generic', [{ match: {}, declare: true }]);
    await db.alertSource.update({ where: { id: src.id }, data: { severityMapping: { values: { critical: 'SEV9' }, fallback: 'SEV9' } } });
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'x', status: 'firing', title: 'Mapped to nothing', severity: 'critical' } });
    await drain();
    const group = await db.alertGroup.findFirstOrThrow({ where: { sourceId: src.id } });
    expect(group.incidentId).toBeNull();
    expect(group.dispatchError).toMatch(/gives severity SEV9, which does not exist/);
    expect(await db.alertDispatch.count({ where: { groupId: group.id, status: 'succeeded' } })).toBe(1);
  });

  it('routes a group once when its dispatch job runs twice (a worker killed after committing)', async () => {
    const src = await source('generic', [{ match: {}, declare: true }]);
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'twice', status: 'firing', title: 'Dispatched twice', severity: 'critical' } });
    const dispatch = await db.alertDispatch.findFirstOrThrow({ where: { group: { sourceId: src.id } } });
    await runAttempt(alertDispatches, { dispatchId: dispatch.id, attempt: 1 });
    // The same job again, as pg-boss hands it out after an expiry: nothing more happens.
    await runAttempt(alertDispatches, { dispatchId: dispatch.id, attempt: 1 });
    const { dispatchGroup } = await import('@/lib/alerts/dispatch');
    expect(await dispatchGroup(dispatch.id, 1)).toBe(false);
    expect(await db.incident.count({ where: { title: 'Dispatched twice' } })).toBe(1);
  });

  it('queues a dispatch whose job was lost between the alert’s statement and its job (a crash in between), once', async () => {
    const src = await source('generic', [{ match: {}, declare: true }]);
    const answer = await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'lost-job', status: 'firing', title: 'Its job was lost', severity: 'critical' } });
    expect(answer.status).toBe(202);
    const dispatch = await db.alertDispatch.findFirstOrThrow({ where: { group: { sourceId: src.id } } });
    const jobsOf = async (id: string) => (await db.$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE name = 'alert-dispatch' AND data->>'dispatchId' = ${id}`).map((job) => job.state);
    expect(await jobsOf(dispatch.id)).toEqual(['created']);
    // The process died after the statement committed, before the job's transaction did.
    await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'alert-dispatch' AND data->>'dispatchId' = ${dispatch.id}`;
    const sweep = () => queueUnqueued(dispatchLedger, 5, alertDispatches.enqueueFirst!);
    expect(await sweep()).toBe(0); // younger than 5 s: its job may still be on its way
    await db.$executeRaw`UPDATE alert_dispatches SET created_at = created_at - interval '10 seconds' WHERE id = ${dispatch.id}::uuid`;
    expect(await Promise.all([sweep(), sweep()])).toEqual(expect.arrayContaining([1, 0]));
    expect(await jobsOf(dispatch.id)).toEqual(['created']);
    expect(await sweep()).toBe(0);
    await drain();
    expect(await db.incident.count({ where: { title: 'Its job was lost' } })).toBe(1);

    // A dispatch whose job exists, even one pg-boss gave up on, is not queued again.
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'failed-job', status: 'firing', title: 'Its job failed for good', severity: 'critical' } });
    const second = await db.alertDispatch.findFirstOrThrow({ where: { group: { sourceId: src.id, title: 'Its job failed for good' } } });
    await db.$executeRaw`UPDATE pgboss.job SET state = 'failed' WHERE name = 'alert-dispatch' AND data->>'dispatchId' = ${second.id}`;
    await db.$executeRaw`UPDATE alert_dispatches SET created_at = created_at - interval '10 seconds' WHERE id = ${second.id}::uuid`;
    expect(await sweep()).toBe(0);
    expect(await jobsOf(second.id)).toEqual(['failed']);
  });
});

describe('silences', () => {
  it('stores matching alerts as silenced, routes and declares nothing, and releases them when it ends', async () => {
    const src = await source('generic', [{ match: {}, declare: true }]);
    const incomplete = await call(createSilenceRoute as Handler, { token: responderToken, body: { matchers: { env: 'staging' } } });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body!.errors!.map((error) => error.path).sort()).toEqual(['comment', 'endsAt']);
    // A silence whose every matcher also matches alerts lacking the label would mute nearly everything.
    const tooWide = await call(createSilenceRoute as Handler, { token: responderToken, body: { matchers: { env: '!prod' }, endsAt: new Date(Date.now() + 60_000).toISOString(), comment: 'x' } });
    expect(tooWide.body!.errors).toEqual([{ path: 'matchers', message: expect.stringMatching(/mute nearly everything/) }]);
    const past = await call(createSilenceRoute as Handler, { token: responderToken, body: { matchers: { env: 'staging' }, endsAt: '2020-01-01T00:00:00Z', comment: 'x' } });
    expect(past.body!.errors).toEqual([{ path: 'endsAt', message: expect.stringMatching(/in the past/) }]);
    expect((await call(createSilenceRoute as Handler, { token: viewerToken, body: {} })).status).toBe(403);

    const silence = await call(createSilenceRoute as Handler, { token: responderToken, body: { matchers: { env: 'staging' }, endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: 'DB failover drill' } });
    expect(silence.status).toBe(201);
    expect(silence.body).toMatchObject({ state: 'active', comment: 'DB failover drill', createdBy: { email: responder.email } });

    await call(ingestGeneric as Handler, { token: src.token, body: [{ dedupKey: 's', status: 'firing', title: 'Staging down', labels: { env: 'staging' } }, { dedupKey: 'p', status: 'firing', title: 'Prod down', labels: { env: 'prod' } }] });
    await drain();
    const [prod, staging] = await db.alert.findMany({ where: { sourceId: src.id }, orderBy: { fingerprint: 'asc' } });
    expect(staging).toMatchObject({ status: 'silenced', silenceId: silence.body!.id, incidentId: null });
    expect(prod).toMatchObject({ status: 'firing' });
    expect(prod!.incidentId).not.toBeNull();
    expect((await db.alertGroup.findUniqueOrThrow({ where: { id: staging!.groupId } })).routedAt).toBeNull();

    const ended = await call(endSilenceRoute as Handler, { method: 'DELETE', token: responderToken, params: { id: silence.body!.id as string } });
    expect(ended.body).toMatchObject({ state: 'expired', endedBy: { email: responder.email }, silencedAlerts: 0 });
    expect((await db.alert.findUniqueOrThrow({ where: { id: staging!.id } })).status).toBe('firing');
    await drain();
    const released = await db.alert.findUniqueOrThrow({ where: { id: staging!.id } });
    expect(released.incidentId).not.toBeNull();
    expect(released.incidentId).not.toBe(prod!.incidentId);
  });

  it('silences alerts already firing when it starts', async () => {
    const src = await source('generic');
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'f', status: 'firing', title: 'Noisy', labels: { host: 'noisy-1' } } });
    await call(createSilenceRoute as Handler, { token: responderToken, body: { matchers: { host: '~noisy-.*' }, endsAt: new Date(Date.now() + 600_000).toISOString(), comment: 'known noisy host' } });
    expect((await db.alert.findFirstOrThrow({ where: { sourceId: src.id } })).status).toBe('silenced');
    // Its repeats stay silenced while the silence lasts.
    await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'f', status: 'firing', title: 'Noisy', labels: { host: 'noisy-1' } } });
    expect(await db.alert.findFirstOrThrow({ where: { sourceId: src.id } })).toMatchObject({ status: 'silenced', count: 2 });
  });
});

describe('responders’ actions through the API', () => {
  async function firingAlert(title: string) {
    const src = await source('generic');
    const answer = await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: title, status: 'firing', title, severity: 'critical', service: 'checkout' } });
    await drain();
    return (answer.body!.alerts as { id: string }[])[0]!.id;
  }

  it('acknowledges and resolves; a viewer may not', async () => {
    const id = await firingAlert('Ack me');
    expect((await call(acknowledgeRoute as Handler, { token: viewerToken, params: { id } })).status).toBe(403);
    const acked = await call(acknowledgeRoute as Handler, { token: responderToken, params: { id } });
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: { email: responder.email } });
    const resolved = await call(resolveRoute as Handler, { token: responderToken, params: { id } });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: { email: responder.email } });
    expect((await call(acknowledgeRoute as Handler, { token: responderToken, params: { id } })).status).toBe(409);
    expect((await call(resolveRoute as Handler, { token: responderToken, params: { id } })).status).toBe(200);
    expect((await call(acknowledgeRoute as Handler, { token: responderToken, params: { id: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it('shows the link to a private incident only to those who may see it, and links to one only for them', async () => {
    const id = await firingAlert('Leaked keys alert');
    const secret = await declareIncident({ title: 'Leaked keys', severity: 'SEV2', private: true }, { actor: admin });
    // A non-member links to it as to an incident that does not exist.
    const refused = await call(linkRoute as Handler, { token: responderToken, params: { number: String(secret.number) }, body: { alertId: id } });
    expect(refused.status).toBe(404);
    expect(refused.body!.detail).toBe(`INC-${secret.number} does not exist.`);
    const linked = await call(linkRoute as Handler, { token: adminToken, params: { number: String(secret.number) }, body: { alertId: id } });
    expect(linked.status).toBe(200);

    const asAdmin = await call(getAlertRoute as Handler, { method: 'GET', token: adminToken, params: { id } });
    expect(asAdmin.body!.incident).toEqual({ number: secret.number, key: `INC-${secret.number}` });
    const asResponder = await call(getAlertRoute as Handler, { method: 'GET', token: responderToken, params: { id } });
    expect(asResponder.body!.incident).toBeNull();
    expect(asResponder.body!.title).toBe('Leaked keys alert');
    const filtered = await call(listAlertsRoute as Handler, { method: 'GET', url: `/api/v1/alerts?incident=${secret.number}`, token: viewerToken });
    expect(filtered.body!.items).toEqual([]);
  });

  it('declares an incident from an alert (201, prefilled) and links an alert to an incident', async () => {
    const id = await firingAlert('Checkout 500s');
    const declared = await call(declareRoute as Handler, { token: responderToken, params: { id }, body: {} });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ title: 'Checkout 500s', severity: 'SEV1', services: ['checkout'], roles: { commander: { email: responder.email } }, alerts: [{ id, status: 'firing', title: 'Checkout 500s' }] });
    expect((await call(declareRoute as Handler, { token: responderToken, params: { id }, body: {} })).status).toBe(409);

    const other = await firingAlert('Payments slow');
    const linked = await call(linkRoute as Handler, { token: responderToken, params: { number: String(declared.body!.number) }, body: { alertId: other } });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ incident: { number: declared.body!.number } });
    const incidentId = (await db.incident.findUniqueOrThrow({ where: { number: declared.body!.number as number } })).id;
    expect((await timelineOf(incidentId)).at(-1)!.body).toBe('Rey Responder linked alert “Payments slow” (generic ' + (await db.alert.findUniqueOrThrow({ where: { id: other }, include: { source: true } })).source.name.slice(8) + ').');
    const unknown = await call(linkRoute as Handler, { token: responderToken, params: { number: '99999' }, body: { alertId: other } });
    expect(unknown.status).toBe(404);
  });

  it('lists alerts with filters and a cursor', async () => {
    const src = await source('generic');
    await call(ingestGeneric as Handler, {
      token: src.token,
      body: Array.from({ length: 5 }, (_, i) => ({ dedupKey: `list-${i}`, status: 'firing', title: `Listed ${i}`, labels: { shard: String(i % 2) }, details: { note: i === 3 ? 'needle in annotations' : 'hay' } })),
    });
    const list = (query: string) => call(listAlertsRoute as Handler, { method: 'GET', token: viewerToken, url: `/api/v1/alerts?${query}` });
    const page1 = await list(`sourceId=${src.id}&limit=3`);
    expect((page1.body!.items as AlertDto[]).length).toBe(3);
    const page2 = await list(`sourceId=${src.id}&limit=3&cursor=${page1.body!.nextCursor}`);
    expect((page2.body!.items as AlertDto[]).length).toBe(2);
    expect(page2.body!.nextCursor).toBeNull();
    const ids = [...(page1.body!.items as AlertDto[]), ...(page2.body!.items as AlertDto[])].map((alert) => alert.id);
    expect(new Set(ids).size).toBe(5);
    expect(((await list(`sourceId=${src.id}&label=shard=1`)).body!.items as AlertDto[]).map((alert) => alert.title).sort()).toEqual(['Listed 1', 'Listed 3']);
    expect(((await list(`sourceId=${src.id}&q=NEEDLE`)).body!.items as AlertDto[]).map((alert) => alert.title)).toEqual(['Listed 3']);
    expect(((await list(`sourceId=${src.id}&status=resolved`)).body!.items as AlertDto[]).length).toBe(0);
    expect((await list('status=burning')).status).toBe(422);
  });

  it('explains which route a pasted payload takes, storing nothing', async () => {
    const src = await source('alertmanager', [{ match: { team: 'db' }, severity: 'SEV1', declare: true }, { match: {} }]);
    const explained = await call(testRouteRoute as Handler, { token: adminToken, params: { id: src.id }, body: { payload: amPayload('t', [amAlert({ alertname: 'X', team: 'web', severity: 'critical' })]) } });
    expect(explained.status).toBe(200);
    const [alert] = explained.body!.alerts as { routing: { decision: { routeIndex: number; severity: string }; steps: { reason: string }[] } }[];
    expect(alert!.routing.decision).toMatchObject({ routeIndex: 1, severity: 'SEV1' });
    expect(alert!.routing.steps[0]!.reason).toBe('Route 1 does not match: team="db", but the alert has team="web".');
    expect(await db.alert.count({ where: { sourceId: src.id } })).toBe(0);
  });
});

describe('live views', () => {
  it('are told when intake has stored alerts, and when the dispatcher links them to an incident', async () => {
    const heard: (string | null)[] = [];
    const unsubscribe = await subscribe(alertsChannel, null, (signal: LiveSignal<AlertsNotification>) => {
      if (signal.type === 'change') heard.push(signal.notification.incidentId);
    });
    try {
      const src = await source('generic', [{ match: {}, severity: 'SEV2', declare: true }]);
      const posted = await call(ingestGeneric as Handler, { token: src.token, body: { dedupKey: 'live-view', status: 'firing', title: 'Live view check' } });
      expect(posted.status).toBe(202);
      // Intake announces after its statement commits (coalesced, from outside any transaction).
      await vi.waitFor(() => expect(heard).toContain(null), { timeout: 10_000, interval: 20 });
      await drain();
      const alert = await db.alert.findFirstOrThrow({ where: { sourceId: src.id, fingerprint: 'live-view' } });
      expect(alert.incidentId).not.toBeNull();
      // The dispatcher's announcement is part of its transaction: there by the time it committed.
      await vi.waitFor(() => expect(heard).toContain(alert.incidentId), { timeout: 10_000, interval: 20 });
    } finally {
      unsubscribe();
    }
  });
});
