// Remediation deliveries end to end on a real PostgreSQL and pg-boss, against a local HTTP
// receiver (allowed through SITREP_WEBHOOK_ALLOW_HOSTS=localhost, set in vitest.config.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { ConflictError, ValidationError } from '@/lib/platform/errors';
import { declareIncident } from '@/lib/incidents/service';
import { getDelivery } from '@/lib/remediation/queries';
import { failStrandedDeliveries, startDeliveryWorker, stopDeliveryWorker } from '@/lib/remediation/delivery';
import { createAction, fireRemediation } from '@/lib/remediation/service';
import { createUser } from '@/lib/users/service';

type Seen = { headers: http.IncomingHttpHeaders; body: string; path: string; at: number };
type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let replies: Reply[] = [];
let actor: Actor;
let incident: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body, path: req.url ?? '/', at: Date.now() });
      const reply = replies.shift() ?? ((_, r: http.ServerResponse) => r.writeHead(200).end('ok'));
      reply(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, remediation_actions CASCADE');
  const user = await createUser({ email: 'ops@example.com', name: 'Ops Person', role: 'admin' }, { actor: null });
  actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  incident = (await declareIncident({ title: 'Workers stuck', severity: 'SEV2' }, { actor })).number;
  await startDeliveryWorker({ concurrency: 2 });
});

afterAll(async () => {
  await stopDeliveryWorker();
  server.close();
  await db.$disconnect();
});

beforeEach(() => {
  seen.length = 0;
  replies = [];
});

async function settled(id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const delivery = (await getDelivery(id, 'installation'))!;
    if (delivery.status === 'succeeded' || delivery.status === 'failed') return delivery;
    if (Date.now() > until) throw new Error(`delivery still ${delivery.status} after ${timeoutMs} ms: ${JSON.stringify(delivery.attempts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let n = 0;
async function action(overrides: Record<string, unknown> = {}) {
  n++;
  return createAction({ name: `Restart workers ${n}`, url: `${base}/hook/${n}`, maxAttempts: 3, ...overrides }, { actor });
}

describe('delivery', () => {
  it('signs per Standard Webhooks, retries a 503 with the same webhook-id, and puts every attempt on the timeline', async () => {
    const { action: created, signingSecret } = await action({ headers: { Authorization: 'Bearer receiver-token', 'X-Team': 'sre' } });
    expect(signingSecret).toMatch(/^whsec_/);
    replies = [(_, res) => res.writeHead(503).end('busy'), (_, res) => res.writeHead(200).end('{"ok":true}')];
    const fired = await fireRemediation(incident, { actionId: created.id }, { actor });
    expect(fired.status).toBe('pending');

    const done = await settled(fired.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map((a) => a.statusCode)).toEqual([503, 200]);
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map((s) => s.headers['webhook-id']))).toEqual(new Set([fired.id]));
    for (const request of seen) {
      expect(() => new Webhook(signingSecret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
      expect(request.headers.authorization).toBe('Bearer receiver-token');
    }
    const body = JSON.parse(seen[0]!.body);
    expect(body).toMatchObject({ type: 'remediation.requested', deliveryId: fired.id, incident: { number: incident, key: `INC-${incident}`, severity: 'SEV2' }, action: { id: created.id }, requestedBy: { email: 'ops@example.com' } });

    // The secret header never comes back.
    const stored = await db.remediationAction.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(stored.headers)).not.toContain('receiver-token');
    expect(created.headers).toContainEqual({ name: 'Authorization', value: null, secret: true, hint: '…oken' });
    // What the receiver answered is for responders and up, not viewers.
    const asResponder = (await getDelivery(fired.id, { id: actor.id, role: 'responder' }))!;
    const asViewer = (await getDelivery(fired.id, { id: actor.id, role: 'viewer' }))!;
    expect(asResponder.attempts.some((a) => a.excerpt !== null)).toBe(true);
    expect(asViewer.attempts.map((a) => a.excerpt)).toEqual(asViewer.attempts.map(() => null));

    const events = await db.timelineEvent.findMany({ where: { kind: 'remediation', data: { path: ['deliveryId'], equals: fired.id } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.body)).toEqual([
      `Ops Person fired “${created.name}”.`,
      expect.stringMatching(new RegExp(`attempt 1/3: HTTP 503 in \\d+ ms; retrying in \\d+ s\\.$`)),
      expect.stringMatching(/attempt 2\/3: HTTP 200 in \d+ ms\.$/),
      `“${created.name}” succeeded.`,
    ]);
  });

  it('honours Retry-After', async () => {
    const { action: created } = await action();
    replies = [(_, res) => res.writeHead(429, { 'retry-after': '2' }).end()];
    const done = await settled((await fireRemediation(incident, { actionId: created.id }, { actor })).id);
    expect(done.attempts.map((a) => a.statusCode)).toEqual([429, 200]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(1_900);
  });

  it('stops at a 4xx, and does not follow a redirect', async () => {
    const { action: bad } = await action();
    replies = [(_, res) => res.writeHead(400).end('bad parameters')];
    const failed = await settled((await fireRemediation(incident, { actionId: bad.id }, { actor })).id);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toEqual([expect.objectContaining({ statusCode: 400, excerpt: 'bad parameters' })]);

    const { action: moved } = await action();
    replies = [(_, res) => res.writeHead(302, { location: `${base}/elsewhere` }).end()];
    const redirected = await settled((await fireRemediation(incident, { actionId: moved.id }, { actor })).id);
    expect(redirected.status).toBe('failed');
    expect(redirected.attempts[0]).toMatchObject({ statusCode: 302, error: `Redirect to ${base}/elsewhere not followed` });
    expect(seen.map((s) => s.path)).not.toContain('/elsewhere');
  });

  it('disables the action when the receiver answers 410 Gone', async () => {
    const { action: created } = await action();
    replies = [(_, res) => res.writeHead(410).end()];
    const done = await settled((await fireRemediation(incident, { actionId: created.id }, { actor })).id);
    expect(done.status).toBe('failed');
    const stored = await db.remediationAction.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.disabledReason).toMatch(/410 Gone/);
    await expect(fireRemediation(incident, { actionId: created.id }, { actor })).rejects.toThrow(/is disabled/);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const { action: created } = await action({ timeoutMs: 1_000, maxAttempts: 1 });
    replies = [() => undefined];
    const done = await settled((await fireRemediation(incident, { actionId: created.id }, { actor })).id);
    expect(done.status).toBe('failed');
    expect(done.attempts[0]).toMatchObject({ statusCode: null, error: 'No answer within 1 s (the action\'s timeout)' });
    expect(done.attempts[0]!.durationMs).toBeLessThan(3_000);
  });

  it('reads at most 64 KiB of an answer', async () => {
    const { action: created } = await action();
    replies = [(_, res) => res.writeHead(200).end('x'.repeat(5 * 1024 * 1024))];
    const done = await settled((await fireRemediation(incident, { actionId: created.id }, { actor })).id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts[0]!.excerpt!.length).toBe(500);
  });
});

describe('firing', () => {
  it('asks for confirmation, validates parameters, and writes nothing when refused', async () => {
    const { action: created } = await action({ requiresConfirmation: true, parameters: [{ name: 'replicas', type: 'number', required: true }] });
    const before = await db.remediationDelivery.count();
    // Jobs left by other test files (whose deliveries beforeAll truncated) are not this test's.
    const [{ since }] = await db.$queryRawUnsafe<[{ since: Date }]>('SELECT now() AS since');
    await expect(fireRemediation(incident, { actionId: created.id, parameters: { replicas: 3 } }, { actor })).rejects.toBeInstanceOf(ConflictError);
    await expect(fireRemediation(incident, { actionId: created.id, confirm: true, parameters: { replicas: 'many' } }, { actor })).rejects.toThrow(/replicas is a number/);
    await expect(fireRemediation(incident, { actionId: created.id, confirm: true }, { actor })).rejects.toThrow(/replicas is required/);
    expect(await db.remediationDelivery.count()).toBe(before);
    expect(await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'remediation-delivery' AND created_on >= $1 AND data->>'deliveryId' NOT IN (SELECT id::text FROM remediation_deliveries)`, since)).toEqual([{ n: 0 }]);

    const done = await settled((await fireRemediation(incident, { actionId: created.id, confirm: true, parameters: { replicas: '3' } }, { actor })).id);
    expect(done.parameters).toEqual({ replicas: 3 });
    expect(JSON.parse(seen[0]!.body).parameters).toEqual({ replicas: 3 });
  });

  it('renders a body template safely and refuses a broken one at save time with its position', async () => {
    const template = '{"text": "{{incident.key}}: {{incident.title}}", "n": {{incident.number}}}';
    const { action: created } = await action({ bodyTemplate: template });
    await db.incident.update({ where: { number: incident }, data: { title: 'Quotes "and" \\ backslashes' } });
    await settled((await fireRemediation(incident, { actionId: created.id }, { actor })).id);
    expect(JSON.parse(seen[0]!.body)).toEqual({ text: `INC-${incident}: Quotes "and" \\ backslashes`, n: incident });

    const error = await action({ bodyTemplate: '{"text": "{{incident.nope}}"}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]!.message).toMatch(/^Line 1, column \d+: .*incident\.nope/);
  });
});

describe('destinations', () => {
  const hostile = [
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://0.0.0.0/',
    'http://10.0.0.1/',
    'http://10.255.255.255:8080/',
    'http://172.16.0.1/',
    'http://172.31.255.254/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://169.254.0.1/',
    'http://100.64.0.1/',
    'http://100.127.255.254/',
    'http://224.0.0.1/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[fe80::1]/',
    'http://[::]/',
    'http://localhost.localdomain/',
    'http://127.0.0.1.nip.io.invalid/',
    'ftp://example.com/',
    'http://user:pass@example.com/',
    'file:///etc/passwd',
  ];
  it.each(hostile)('refuses %s at save time', async (url) => {
    const before = await db.remediationAction.count();
    const error = await createAction({ name: `Hostile ${url}`, url }, { actor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]!.path).toBe('url');
    expect(await db.remediationAction.count()).toBe(before);
  });
});

describe('a delivery whose queue job failed for good', () => {
  it('is marked failed, with the reason on the timeline, instead of staying pending', async () => {
    // The receiver never answers before the worker stops: stop the worker so the job stays put.
    await stopDeliveryWorker();
    try {
      const { action } = await createAction({ name: 'Stranded action', url: `${base}/stranded` }, { actor });
      const delivery = await fireRemediation(incident, { actionId: action.id }, { actor });
      // What pg-boss leaves after the 20th crashed run: the job failed, the delivery still pending.
      await db.$executeRawUnsafe(`UPDATE pgboss.job SET state = 'failed' WHERE data->>'deliveryId' = $1`, delivery.id);
      expect(await failStrandedDeliveries()).toBe(0); // too young: it may just be waiting for its first run
      await db.remediationDelivery.update({ where: { id: delivery.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });

      const [first, second] = await Promise.all([failStrandedDeliveries(), failStrandedDeliveries()]);
      expect(first + second).toBe(1); // two workers sweeping at once mark it once
      expect((await getDelivery(delivery.id, 'installation'))!.status).toBe('failed');
      const events = await db.timelineEvent.findMany({ where: { data: { path: ['deliveryId'], equals: delivery.id } }, orderBy: { seq: 'asc' } });
      expect(events.at(-1)!.body).toMatch(/“Stranded action” failed: the delivery worker gave up on it/);

      // A delivery with a live job is left alone, however old.
      const live = await fireRemediation(incident, { actionId: action.id }, { actor });
      await db.remediationDelivery.update({ where: { id: live.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
      expect(await failStrandedDeliveries()).toBe(0);
      expect((await getDelivery(live.id, 'installation'))!.status).toBe('pending');
    } finally {
      await startDeliveryWorker({ concurrency: 2 });
    }
  });
});
