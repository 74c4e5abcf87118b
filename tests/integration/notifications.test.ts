// Notification channels end to end on a real PostgreSQL and pg-boss, against a local HTTP
// receiver (Slack, Teams and webhook payloads; allowed through SITREP_WEBHOOK_ALLOW_HOSTS=
// localhost in vitest.config.ts) and a local SMTP server from `smtp-server` receiving real mail.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as getIncidentNotifications } from '@/app/api/v1/incidents/[number]/notifications/route';
import { PUT as putChannel } from '@/app/api/v1/notification-channels/[id]/route';
import { POST as postTest } from '@/app/api/v1/notification-channels/[id]/test/route';
import { GET as getChannels, POST as postChannel } from '@/app/api/v1/notification-channels/route';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { env } from '@/lib/platform/env';
import { ConflictError, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import { declareIncident, updateIncident } from '@/lib/incidents/service';
import { getNotification, listChannels, listIncidentNotifications } from '@/lib/notifications/queries';
import type { ChannelInput, NotificationDto } from '@/lib/notifications/schema';
import { failStrandedNotifications, recordNotificationAttempt, startNotificationWorker, stopNotificationWorker } from '@/lib/notifications/delivery';
import { createChannel, notify, sendTestNotification, setChannelEnabled, updateChannel } from '@/lib/notifications/service';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { createApiToken } from '@/lib/tokens/service';
import { createUser } from '@/lib/users/service';

type Mail = { from: string; to: string[]; headers: Record<string, string>; subject: string; text: string };

// The SMTP server starts before any module reads the environment, so SITREP_SMTP_URL can name
// the port it got (vi.hoisted runs ahead of the imports above).
const smtp = await vi.hoisted(async () => {
  const { SMTPServer } = await import('smtp-server');
  const received: { from: string; to: string[]; raw: string }[] = [];
  /** Per recipient, the reply codes to give RCPT TO before accepting (451 = try later, 550 = never). */
  const refusals = new Map<string, number[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refusals.get(address.address.toLowerCase())?.shift();
      if (code === undefined) return callback();
      callback(Object.assign(new Error(code >= 500 ? 'No such mailbox' : 'Mailbox busy, try again later'), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((a) => a.address), raw: Buffer.concat(chunks).toString('latin1') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.SITREP_SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  return { server, received, refusals };
});

// ---- a small MIME reader: enough for nodemailer's plain-text messages ----

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words; adjacent ones are joined without the space between them. */
function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/(?:=\?utf-8\?[qb]\?[^?]*\?=)+/gi, (run) =>
    Buffer.concat([...run.matchAll(/=\?utf-8\?([qb])\?([^?]*)\?=/gi)].map(([, encoding, text]) => (encoding!.toLowerCase() === 'b' ? Buffer.from(text!, 'base64') : decodeQuotedPrintable(text!.replace(/_/g, ' '))))).toString('utf8'),
  );
}

function parseMail(message: { from: string; to: string[]; raw: string }): Mail {
  const split = message.raw.indexOf('\r\n\r\n');
  const head = message.raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = message.raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes = encoding === 'quoted-printable' ? decodeQuotedPrintable(body.replace(/=\r\n/g, '')) : encoding === 'base64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'latin1');
  return { from: message.from, to: message.to, headers, subject: decodeHeader(headers.subject ?? ''), text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}

// ---- the HTTP receiver ----

type Seen = { path: string; headers: http.IncomingHttpHeaders; body: string };
type Reply = (res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
const seen: Seen[] = [];
/** Per path, the answers to give before the default 200. */
const replies = new Map<string, Reply[]>();
let admin: Actor;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      seen.push({ path, headers: req.headers, body });
      const reply = replies.get(path)?.shift();
      if (reply) reply(res);
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, notification_channels CASCADE');
  const user = await createUser({ email: 'nia@example.com', name: 'Nia Admin', role: 'admin' }, { actor: null });
  admin = { id: user.id, email: user.email, name: user.name, role: user.role };
  await startNotificationWorker({ concurrency: 2 });
});

afterAll(async () => {
  await stopNotificationWorker();
  await stopQueue();
  // Other test files declare incidents too; leave them no channels to notify.
  await db.$executeRawUnsafe('TRUNCATE notification_channels CASCADE');
  server.close();
  smtp.server.close();
  await db.$disconnect();
});

beforeEach(async () => {
  // Each test starts without channels (their notifications go with them).
  await db.$executeRawUnsafe('DELETE FROM notification_channels');
  seen.length = 0;
  replies.clear();
  smtp.received.length = 0;
  smtp.refusals.clear();
});

let n = 0;
/** A channel posting to its own path on the receiver (`path`, for scripting its answers). */
async function channel(input: Partial<ChannelInput> & { kind: ChannelInput['kind'] }) {
  const id = ++n;
  const path = `/${input.kind}/${id}-hook`;
  const created = await createChannel({ name: `${input.kind} ${id}`, target: `${base}${path}`, events: ['declared'], ...input }, { actor: admin });
  return { ...created, path };
}

async function settled(id: string, timeoutMs = 20_000): Promise<NotificationDto> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const notification = (await getNotification(id))!;
    if (notification.status === 'succeeded' || notification.status === 'failed') return notification;
    if (Date.now() > until) throw new Error(`notification still ${notification.status} after ${timeoutMs} ms: ${JSON.stringify(notification.attempts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function declare(title: string, severity = 'SEV2') {
  return declareIncident({ title, severity, services: ['checkout'] }, { actor: admin });
}

async function communicationEvents(number: number) {
  const incident = await db.incident.findUniqueOrThrow({ where: { number } });
  return db.timelineEvent.findMany({ where: { incidentId: incident.id, kind: 'communication' }, orderBy: { seq: 'asc' } });
}

describe('channels', () => {
  it('stores a webhook URL encrypted and shows only a hint', async () => {
    const url = `${base}/slack/T0001/B0002/s3cr3t-t0ken-x7Qa`;
    const created = await createChannel({ name: '#incidents', kind: 'slack', target: url, events: ['declared', 'resolved'], severities: ['sev1', 'SEV2'] }, { actor: admin });
    expect(created).toMatchObject({ name: '#incidents', kind: 'slack', targetHint: `${new URL(base).host}/…/x7Qa`, events: ['declared', 'resolved'], severities: ['SEV1', 'SEV2'], disabled: null, version: 1 });
    const [raw] = await db.$queryRawUnsafe<Record<string, unknown>[]>('SELECT * FROM notification_channels WHERE id = $1::uuid', created.id);
    expect(JSON.stringify(raw)).not.toContain('s3cr3t-t0ken');
    expect(String(raw!.target_encrypted)).toMatch(/^v1:/);
    expect(JSON.stringify(await listChannels())).not.toContain('s3cr3t-t0ken');
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'notification_channel.created', targetId: created.id } });
    expect(JSON.stringify(audit.detail)).not.toContain('s3cr3t-t0ken');
  });

  it('refuses internal webhook addresses, bad e-mail addresses and unknown severities when saving', async () => {
    const refused = async (input: Partial<ChannelInput>) => {
      const error = await createChannel({ name: 'Bad', kind: 'webhook', events: ['declared'], ...input } as ChannelInput, { actor: admin }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).errors[0]!;
    };
    expect(await refused({ target: 'http://10.1.2.3/hook' })).toEqual({ path: 'target', message: expect.stringMatching(/^10\.1\.2\.3 is a private \(RFC 1918\) address; Sitrep does not send webhooks to internal addresses unless the host is listed in SITREP_WEBHOOK_ALLOW_HOSTS$/) });
    expect(await refused({ kind: 'slack', target: 'http://169.254.169.254/latest/meta-data' })).toEqual({ path: 'target', message: expect.stringMatching(/^169\.254\.169\.254 is a cloud metadata address/) });
    expect(await refused({ target: 'ftp://example.com/x' })).toMatchObject({ path: 'target', message: 'Webhook URLs must use http or https, not ftp' });
    expect(await refused({ target: '' })).toMatchObject({ path: 'target', message: 'Give the incoming-webhook URL Sitrep should post to' });
    expect(await refused({ kind: 'email', target: 'oncall@example.com, bob@' })).toEqual({ path: 'target', message: '“bob@” is not an e-mail address; write it like oncall@example.com' });
    expect(await refused({ target: `${base}/x`, severities: ['SEV1', 'SEV9'] })).toEqual({ path: 'severities', message: 'SEV9 is not a severity; use SEV1, SEV2, SEV3, SEV4 (or none for every severity)' });
    expect(await db.notificationChannel.count()).toBe(0);
  });

  it('refuses e-mail channels while no SMTP server is configured', async () => {
    const email = await channel({ kind: 'email', target: 'oncall@example.com' });
    const configured = env.SITREP_SMTP_URL;
    env.SITREP_SMTP_URL = undefined;
    try {
      const error = await createChannel({ name: 'Mail', kind: 'email', target: 'oncall@example.com', events: ['declared'] }, { actor: admin }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]).toEqual({ path: 'kind', message: 'E-mail channels need an SMTP server: set SITREP_SMTP_URL to your SMTP server (e.g. smtp://user:pass@mail.example.com:587) and restart Sitrep' });
      await expect(sendTestNotification(email.id, { actor: admin })).rejects.toThrow(/^SITREP_SMTP_URL is not set, so Sitrep cannot send e-mail/);
      // A notification queued before the configuration went away fails with the same words.
      const { number } = await declare('Mail without a server');
      const [notification] = (await listIncidentNotifications(number, 'installation'))!;
      const done = await settled(notification!.id);
      expect(done.status).toBe('failed');
      expect(done.attempts[0]!.error).toMatch(/^SITREP_SMTP_URL is not set, so Sitrep cannot send e-mail/);
    } finally {
      env.SITREP_SMTP_URL = configured;
    }
  });

  it('keeps the stored target when an edit leaves it empty, and refuses a stale edit', async () => {
    const created = await channel({ kind: 'webhook' });
    const stored = await db.notificationChannel.findUniqueOrThrow({ where: { id: created.id } });
    const edited = await updateChannel(created.id, { name: 'Renamed hook', kind: 'webhook', events: ['declared', 'status_changed'], severities: [] }, { ifVersion: 1 }, { actor: admin });
    expect(edited).toMatchObject({ name: 'Renamed hook', events: ['declared', 'status_changed'], targetHint: created.targetHint, version: 2 });
    expect((await db.notificationChannel.findUniqueOrThrow({ where: { id: created.id } })).targetEncrypted).toBe(stored.targetEncrypted);
    await expect(updateChannel(created.id, { name: 'Again', kind: 'webhook', events: ['declared'] }, { ifVersion: 1 }, { actor: admin })).rejects.toBeInstanceOf(PreconditionFailedError);
    const kindChange = await updateChannel(created.id, { name: 'Again', kind: 'slack', events: ['declared'] }, {}, { actor: admin }).catch((e: unknown) => e);
    expect((kindChange as ValidationError).errors[0]).toMatchObject({ path: 'target' });
    await channel({ kind: 'webhook', name: 'Taken' });
    await expect(updateChannel(created.id, { name: 'Taken', kind: 'webhook', events: ['declared'] }, {}, { actor: admin })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('rules', () => {
  it('notifies each matching channel once (event × severity) and no other', async () => {
    const all = await channel({ kind: 'slack', events: ['declared'] });
    const sev1 = await channel({ kind: 'webhook', events: ['declared'], severities: ['SEV1'] });
    const sev1or2 = await channel({ kind: 'teams', events: ['declared', 'resolved'], severities: ['SEV2', 'SEV1'] });
    const otherEvent = await channel({ kind: 'webhook', events: ['resolved'] });
    const otherSeverity = await channel({ kind: 'webhook', events: ['declared'], severities: ['SEV3', 'SEV4'] });
    const disabled = await channel({ kind: 'webhook', events: ['declared'] });
    await setChannelEnabled(disabled.id, false, { actor: admin });

    const { number } = await declare('Checkout <down> & slow', 'SEV1');
    const notifications = (await listIncidentNotifications(number, 'installation'))!;
    expect(notifications.map((x) => x.channel.id).sort()).toEqual([all.id, sev1.id, sev1or2.id].sort());
    expect(notifications.every((x) => x.event === 'declared' && x.subject === `[SEV1] INC-${number} declared: Checkout <down> & slow`)).toBe(true);
    for (const notification of notifications) expect((await settled(notification.id)).status).toBe('succeeded');

    expect(seen).toHaveLength(3);
    const slack = JSON.parse(seen.find((s) => s.path.startsWith('/slack/'))!.body);
    expect(slack.text).toBe(`[SEV1] INC-${number} declared: Checkout &lt;down&gt; &amp; slow`);
    expect(slack.blocks.length).toBeGreaterThan(1);
    const teams = JSON.parse(seen.find((s) => s.path.startsWith('/teams/'))!.body);
    expect(teams.attachments[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } });
    const webhook = seen.find((s) => s.path.startsWith('/webhook/'))!;
    expect(webhook.headers['content-type']).toBe('application/json');
    expect(JSON.parse(webhook.body)).toMatchObject({ id: notifications.find((x) => x.channel.id === sev1.id)!.id, type: 'incident.declared', incident: { number, key: `INC-${number}`, severity: 'SEV1', status: 'investigating', services: ['checkout'] } });
    for (const unused of [otherEvent, otherSeverity, disabled]) expect(await db.notification.count({ where: { channelId: unused.id } })).toBe(0);

    // One calm timeline line per channel.
    const events = await communicationEvents(number);
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.body)).toContainEqual(expect.stringMatching(new RegExp(`^Notified Slack “${all.name}” \\(declared\\): HTTP 200 in \\d+ ms\\.$`)));
    expect(events.map((e) => e.data)).toContainEqual({ notificationId: expect.any(String), channelId: sev1.id, channel: sev1.name, event: 'declared', attempt: 1, statusCode: 200, error: null, status: 'succeeded' });
  });

  it('fires declared, severity_raised, status_changed and resolved from the incident service', async () => {
    const hook = await channel({ kind: 'webhook', events: ['declared', 'severity_raised', 'status_changed', 'resolved'] });
    const { number } = await declare('Search is slow', 'SEV3');
    await updateIncident(number, { severity: 'SEV2', reason: 'more customers affected' }, {}, { actor: admin });
    await updateIncident(number, { severity: 'SEV4' }, {}, { actor: admin }); // lowered: not announced
    await updateIncident(number, { title: 'Search is very slow' }, {}, { actor: admin }); // details: not announced
    await updateIncident(number, { status: 'identified' }, {}, { actor: admin });
    await updateIncident(number, { status: 'resolved' }, {}, { actor: admin });

    const notifications = (await listIncidentNotifications(number, 'installation'))!;
    // The last two come from one change (to resolved), so they share a creation time.
    expect(notifications.map((x) => x.event).slice(0, 3)).toEqual(['declared', 'severity_raised', 'status_changed']);
    expect(notifications.map((x) => x.event).slice(3).sort()).toEqual(['resolved', 'status_changed']);
    expect(notifications.every((x) => x.channel.id === hook.id)).toBe(true);
    for (const notification of notifications) await settled(notification.id);
    const bodies = seen.map((s) => JSON.parse(s.body) as { id: string; type: string; previousSeverity?: string; previousStatus?: string; incident: { status: string } });
    expect(bodies).toHaveLength(5);
    expect(bodies.map((b) => b.id).sort()).toEqual(notifications.map((x) => x.id).sort());
    expect(bodies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'incident.declared', incident: expect.objectContaining({ status: 'investigating' }) }),
        expect.objectContaining({ type: 'incident.severity_raised', previousSeverity: 'SEV3' }),
        expect.objectContaining({ type: 'incident.status_changed', previousStatus: 'investigating', incident: expect.objectContaining({ status: 'identified' }) }),
        expect.objectContaining({ type: 'incident.status_changed', previousStatus: 'identified', incident: expect.objectContaining({ status: 'resolved' }) }),
        expect.objectContaining({ type: 'incident.resolved', previousStatus: 'identified' }),
      ]),
    );
  });

  it('creates notifications and jobs only when the transaction commits', async () => {
    await channel({ kind: 'webhook', events: ['update_overdue'] });
    const { number } = await declare('Rolled back');
    const incident = await db.incident.findUniqueOrThrow({ where: { number } });
    const [{ since }] = await db.$queryRawUnsafe<[{ since: Date }]>('SELECT now() AS since');
    const orphanJobs = () =>
      db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notification-delivery' AND created_on >= $1 AND data->>'notificationId' NOT IN (SELECT id::text FROM notifications)`, since);

    await expect(
      db.$transaction(async (tx) => {
        expect(await notify(tx, incident.id, 'update_overdue', { dueAt: new Date().toISOString(), communicationsLead: null })).toBe(1);
        throw new Error('the change failed after notify');
      }),
    ).rejects.toThrow('the change failed after notify');
    expect(await db.notification.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await orphanJobs()).toEqual([{ n: 0 }]);

    const created = await db.$transaction((tx) => notify(tx, incident.id, 'update_overdue', { dueAt: new Date().toISOString(), communicationsLead: { name: 'Nia Admin', email: 'nia@example.com' } }));
    expect(created).toBe(1);
    const [notification] = (await listIncidentNotifications(number, 'installation'))!;
    expect(await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notification-delivery' AND data->>'notificationId' = $1`, notification!.id)).toEqual([{ n: 1 }]);
    expect((await settled(notification!.id)).status).toBe('succeeded');
    expect(await orphanJobs()).toEqual([{ n: 0 }]);
  });

  it('marks a notification whose queue job failed for good as failed, on the timeline', async () => {
    await stopNotificationWorker(); // so its job stays queued
    try {
      await channel({ kind: 'webhook', events: ['update_overdue'] });
      const { number } = await declare('Stranded notification');
      const incident = await db.incident.findUniqueOrThrow({ where: { number } });
      await db.$transaction((tx) => notify(tx, incident.id, 'update_overdue', { dueAt: new Date().toISOString(), communicationsLead: null }));
      const [notification] = (await listIncidentNotifications(number, 'installation'))!;
      // What pg-boss leaves after the 20th crashed run, on a notification older than the sweep's 5 minutes.
      await db.$executeRawUnsafe(`UPDATE pgboss.job SET state = 'failed' WHERE data->>'notificationId' = $1`, notification!.id);
      await db.notification.update({ where: { id: notification!.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
      expect(await failStrandedNotifications()).toBe(1);
      expect((await getNotification(notification!.id))!.status).toBe('failed');
      expect((await communicationEvents(number)).at(-1)!.body).toMatch(/^Could not notify .*: the delivery worker gave up on it after repeated crashes\.$/);
      expect(await failStrandedNotifications()).toBe(0);
    } finally {
      await startNotificationWorker();
    }
  });
});

describe('delivery', () => {
  it('retries a 503, then succeeds, with one timeline event per failed attempt and one for the outcome', async () => {
    const hook = await channel({ kind: 'webhook' });
    replies.set(hook.path, [(res) => res.writeHead(503).end('busy')]);
    const { number } = await declare('Queue backs up');
    const [notification] = (await listIncidentNotifications(number, 'installation'))!;
    const done = await settled(notification!.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts.map((a) => a.statusCode)).toEqual([503, 200]);
    expect(done.attempts[0]!.excerpt).toBe('busy');
    expect(seen.map((s) => s.body)).toEqual([seen[0]!.body, seen[0]!.body]); // the same message both times

    const events = await communicationEvents(number);
    expect(events.map((e) => e.body)).toEqual([
      expect.stringMatching(new RegExp(`^Notifying webhook “${hook.name}” \\(declared\\), attempt 1/5: HTTP 503 in \\d+ ms; retrying in \\d+ s\\.$`)),
      expect.stringMatching(new RegExp(`^Notified webhook “${hook.name}” \\(declared\\) on attempt 2/5: HTTP 200 in \\d+ ms\\.$`)),
    ]);
    expect(events.map((e) => (e.data as { status: string }).status)).toEqual(['retrying', 'succeeded']);

    // A job that runs again after a crash does not record the attempt twice.
    expect(await recordNotificationAttempt(done.id, 2, { outcome: 'succeeded', statusCode: 200, error: null, durationMs: 1, excerpt: null, retryAfterMs: null })).toBe(false);
    expect((await getNotification(done.id))!.attempts).toHaveLength(2);
  });

  it('fails at once on another 4xx', async () => {
    const hook = await channel({ kind: 'slack' });
    replies.set(hook.path, [(res) => res.writeHead(400).end('invalid_payload')]);
    const { number } = await declare('Bad payload');
    const [notification] = (await listIncidentNotifications(number, 'installation'))!;
    const done = await settled(notification!.id);
    expect(done).toMatchObject({ status: 'failed', attempts: [expect.objectContaining({ statusCode: 400, excerpt: 'invalid_payload' })] });
    expect((await communicationEvents(number)).map((e) => e.body)).toEqual([expect.stringMatching(new RegExp(`^Could not notify Slack “${hook.name}” \\(declared\\): HTTP 400 in \\d+ ms\\.$`))]);
  });

  it('disables the channel when the receiver answers 410 Gone', async () => {
    const hook = await channel({ kind: 'teams' });
    replies.set(hook.path, [(res) => res.writeHead(410).end()]);
    const { number } = await declare('Channel archived');
    const [notification] = (await listIncidentNotifications(number, 'installation'))!;
    expect((await settled(notification!.id)).status).toBe('failed');
    const stored = await db.notificationChannel.findUniqueOrThrow({ where: { id: hook.id } });
    expect(stored.disabledReason).toMatch(/^the receiver answered 410 Gone on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect((await communicationEvents(number)).map((e) => e.body)).toEqual([expect.stringMatching(/HTTP 410 in \d+ ms\. The receiver answered 410 Gone, so the channel is now disabled; an admin can enable it again in Settings → Notifications\.$/)]);

    const { number: next } = await declare('After the 410');
    expect(await listIncidentNotifications(next, 'installation')).toEqual([]);
    await expect(sendTestNotification(hook.id, { actor: admin })).rejects.toThrow(/is disabled \(the receiver answered 410 Gone/);
    expect((await setChannelEnabled(hook.id, true, { actor: admin })).disabled).toBeNull();
  });

  it('delivers e-mail through the SMTP server', async () => {
    const email = await channel({ kind: 'email', name: 'On-call mail', target: 'oncall@example.com, SRE@example.com', events: ['declared', 'update_posted'] });
    expect(email.targetHint).toBe('oncall@example.com, SRE@example.com');
    const { number } = await declare('Checkout “down” for EU', 'SEV1');
    const [notification] = (await listIncidentNotifications(number, 'installation'))!;
    const done = await settled(notification!.id);
    expect(done.status).toBe('succeeded');
    expect(done.attempts[0]!.statusCode).toBe(250);

    expect(smtp.received).toHaveLength(1);
    const mail = parseMail(smtp.received[0]!);
    expect(mail.from).toBe('sitrep@localhost');
    expect(mail.to).toEqual(['oncall@example.com', 'SRE@example.com']);
    expect(mail.subject).toBe(`[SEV1] INC-${number} declared: Checkout “down” for EU`);
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.headers['message-id']).toBe(`<${notification!.id}@localhost>`);
    expect(mail.text).toContain(`INC-${number} declared: Checkout “down” for EU\n\nSeverity: SEV1\nStatus:   Investigating\nServices: checkout`);
    expect(mail.text).toContain(`Open INC-${number}: `);
    expect(mail.text).toContain(`/incidents/${number}`);
    expect((await communicationEvents(number)).map((e) => e.body)).toEqual([expect.stringMatching(/^Notified e-mail “On-call mail” \(declared\): SMTP 250 in \d+ ms\.$/)]);
  });

  it('retries e-mail the SMTP server refuses for now (4xx), and gives up at once on 5xx', async () => {
    const busy = await channel({ kind: 'email', target: 'busy@example.com' });
    const gone = await channel({ kind: 'email', target: 'nobody@example.com' });
    smtp.refusals.set('busy@example.com', [451]);
    smtp.refusals.set('nobody@example.com', [550]);
    const { number } = await declare('Mail server trouble');
    const notifications = (await listIncidentNotifications(number, 'installation'))!;
    const retried = await settled(notifications.find((x) => x.channel.id === busy.id)!.id);
    expect(retried.status).toBe('succeeded');
    expect(retried.attempts.map((a) => a.statusCode)).toEqual([451, 250]);
    const refused = await settled(notifications.find((x) => x.channel.id === gone.id)!.id);
    expect(refused.status).toBe('failed');
    expect(refused.attempts).toEqual([expect.objectContaining({ statusCode: 550, error: expect.stringMatching(/all recipients were rejected: 550 No such mailbox/) })]);
    expect(smtp.received.map((m) => m.to)).toEqual([['busy@example.com']]);
  });

  it('sends a real test message, audited and kept off every timeline', async () => {
    const slack = await channel({ kind: 'slack', name: '#ops' });
    const queued = await sendTestNotification(slack.id, { actor: admin });
    expect(queued).toMatchObject({ channel: { id: slack.id, name: '#ops', kind: 'slack' }, incident: null, event: 'test', status: 'pending', subject: '[Sitrep] Test notification for “#ops”' });
    expect((await settled(queued.id)).status).toBe('succeeded');
    expect(JSON.parse(seen[0]!.body).blocks[0].text.text).toBe('*Test notification from Sitrep* for “#ops”');
    expect(await db.auditLog.count({ where: { action: 'notification_channel.tested', targetId: slack.id, actorId: admin.id } })).toBe(1);
    expect(await db.timelineEvent.count({ where: { data: { path: ['notificationId'], equals: queued.id } } })).toBe(0);
  });
});

describe('API', () => {
  type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
  const call = (handler: Handler, token: string, init: { method?: string; path?: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, string> } = {}) =>
    handler(
      new Request(`http://localhost${init.path ?? '/api/v1/notification-channels'}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
      { params: Promise.resolve(init.params ?? {}) },
    );

  it('answers with hints, problem+json that says what to fix, 412 on a stale If-Match, and 202 for a test', async () => {
    const { token } = await createApiToken({ email: admin.email, name: 'notifications test' }, { actor: admin });
    const viewer = await createUser({ email: 'vic@example.com', name: 'Vic Viewer', role: 'viewer' }, { actor: null });
    const { token: viewerToken } = await createApiToken({ email: viewer.email, name: 'viewer' }, { actor: admin });

    const internal = await call(postChannel, token, { method: 'POST', body: { name: 'Internal', kind: 'webhook', target: 'http://10.0.0.8/hook', events: ['declared'] } });
    expect(internal.status).toBe(422);
    expect(internal.headers.get('content-type')).toBe('application/problem+json');
    expect(await internal.json()).toMatchObject({ status: 422, errors: [{ path: 'target', message: expect.stringMatching(/^10\.0\.0\.8 is a private/) }] });

    const created = await call(postChannel, token, { method: 'POST', body: { name: 'API hook', kind: 'webhook', target: `${base}/api/hook-s3cret`, events: ['declared'] } });
    expect(created.status).toBe(201);
    const channelBody = (await created.json()) as { id: string; targetHint: string };
    expect(created.headers.get('location')).toBe(`/api/v1/notification-channels/${channelBody.id}`);
    expect(channelBody.targetHint).toBe(`${new URL(base).host}/…/cret`);
    const listed = await call(getChannels, token);
    expect(await listed.text()).not.toContain('hook-s3cret');
    expect((await call(getChannels, viewerToken)).status).toBe(403);

    const params = { id: channelBody.id };
    const saved = await call(putChannel, token, { method: 'PUT', params, headers: { 'if-match': '"1"' }, body: { name: 'API hook', kind: 'webhook', events: ['declared', 'resolved'] } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    const stale = await call(putChannel, token, { method: 'PUT', params, headers: { 'if-match': '"1"' }, body: { name: 'API hook', kind: 'webhook', events: ['declared'] } });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ detail: expect.stringMatching(/^Someone saved this channel \(now version 2\)/) });

    const tested = await call(postTest, token, { method: 'POST', params });
    expect(tested.status).toBe(202);
    const test = (await tested.json()) as { id: string; event: string };
    expect(test.event).toBe('test');
    expect((await settled(test.id)).status).toBe('succeeded');

    const { number } = await declare('Seen through the API');
    const listedForIncident = await call(getIncidentNotifications, viewerToken, { path: `/api/v1/incidents/${number}/notifications`, params: { number: `INC-${number}` } });
    expect(listedForIncident.status).toBe(200);
    const { items } = (await listedForIncident.json()) as { items: NotificationDto[] };
    expect(items).toEqual([expect.objectContaining({ channel: { id: channelBody.id, name: 'API hook', kind: 'webhook' }, incident: { number, key: `INC-${number}` }, event: 'declared' })]);
    const missing = await call(getIncidentNotifications, viewerToken, { path: '/api/v1/incidents/999999/notifications', params: { number: '999999' } });
    expect(missing.status).toBe(404);
  });
});
