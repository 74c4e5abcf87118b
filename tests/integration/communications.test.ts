// Status updates, their templates, the public status page and update-cadence reminders on a
// real PostgreSQL.
import http from 'node:http';
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { checkOverdueUpdates } from '@/lib/communications/cadence';
import { listTemplates } from '@/lib/communications/queries';
import { forgetPublicStatus, getPublicStatus, statusPageChannel, statusPageResponse } from '@/lib/communications/status-page';
import { notifyChannel } from '@/lib/platform/live/notify';
import { publicResponseFor } from '@/lib/platform/http/public-cache';
import { createTemplate, deleteTemplate, draftUpdate, postStatusUpdate, saveBranding, updateTemplate } from '@/lib/communications/service';
import { UPDATE_VARIABLES } from '@/lib/communications/template';
import { db } from '@/lib/platform/db';
import { ConflictError, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import { getDashboard } from '@/lib/incidents/queries';
import { assignRole, declareIncident, updateIncident } from '@/lib/incidents/service';
import { createChannel } from '@/lib/notifications/service';
import { startNotificationWorker, stopNotificationWorker } from '@/lib/notifications/delivery';
import { createUser } from '@/lib/users/service';

let lead: Actor;
let commander: Actor;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, update_templates, settings, notification_channels CASCADE');
  const a = await createUser({ email: 'cora@example.com', name: 'Cora Comms', role: 'responder' }, { actor: null });
  const b = await createUser({ email: 'ike@example.com', name: 'Ike Commander', role: 'responder' }, { actor: null });
  lead = { id: a.id, email: a.email, name: a.name, role: a.role };
  commander = { id: b.id, email: b.email, name: b.name, role: b.role };
});

afterAll(async () => {
  await stopNotificationWorker();
  await db.$executeRawUnsafe('TRUNCATE notification_channels CASCADE');
  await db.$disconnect();
});

async function incident(title: string, severity = 'SEV1', extra: Record<string, unknown> = {}) {
  return declareIncident({ title, severity, services: ['checkout', 'payments'], customerImpact: true, ...extra }, { actor: commander });
}

describe('templates', () => {
  it('renders every variable of every built-in template with the incident’s data', async () => {
    const { number } = await incident('Checkout returns 502');
    const templates = await listTemplates();
    expect(templates.map((t) => t.key)).toEqual(['initial', 'progress', 'resolved', 'internal']);
    const initial = await draftUpdate(number, 'initial', 'installation');
    expect(initial.audience).toBe('public');
    expect(initial.body).toMatch(/^We are investigating a problem affecting checkout and payments: Checkout returns 502\.\nOur team is actively working on it\. We will post the next update by \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);

    // A template that uses every variable leaves no {{ }} behind and no variable empty-handed.
    const everything = UPDATE_VARIABLES.map((v) => `${v.name}=[{{${v.name}}}]`).join('\n');
    await createTemplate({ key: 'everything', name: 'Every variable', audience: 'internal', body: everything }, { actor: lead });
    const all = (await draftUpdate(number, 'everything', 'installation')).body;
    expect(all).not.toContain('{{');
    const values = Object.fromEntries(all.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 2, -1)]));
    expect(values).toMatchObject({
      'incident.key': `INC-${number}`,
      'incident.title': 'Checkout returns 502',
      'incident.severity': 'SEV1',
      'incident.status': 'Investigating',
      'incident.impact': 'Some customers are affected.',
      'incident.services': 'checkout and payments',
      'incident.resolvedAt': 'not yet',
      cadence: '30 minutes',
      commander: 'Ike Commander',
    });
    for (const variable of UPDATE_VARIABLES) expect(values[variable.name], variable.name).toBeDefined();
    expect(values['incident.startedAt']).toMatch(/UTC$/);
    expect(values.statusPage).toMatch(/\/status$/);
  });

  it('refuses an unknown variable with its position, a stale edit and deleting a built-in one', async () => {
    const error = await createTemplate({ key: 'broken', name: 'Broken', body: 'Hello\n  {{incident.nmae}}' }, { actor: lead }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]!.message).toMatch(/^Line 2, column 3: Unknown variable \{\{incident\.nmae\}\}/);
    expect(await db.updateTemplate.count({ where: { key: 'broken' } })).toBe(0);

    const progress = (await listTemplates()).find((t) => t.key === 'progress')!;
    await updateTemplate('progress', { name: 'Progress', audience: 'public', body: 'Still on it. Next update by {{nextUpdate}}.' }, { ifVersion: progress.version }, { actor: lead });
    await expect(updateTemplate('progress', { name: 'Lost', body: 'x' }, { ifVersion: progress.version }, { actor: lead })).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(deleteTemplate('resolved', { actor: lead })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('status updates and the status page', () => {
  it('shows public updates only, never internal ones, notes or names; resolved incidents stay for 7 days', async () => {
    const quiet = await incident('Internal only: replica lag');
    await postStatusUpdate(quiet.number, { audience: 'internal', body: 'SECRET-INTERNAL replica lag on db-3, Ike is on it' }, { actor: lead });

    const { number } = await incident('Checkout is slow', 'SEV2');
    const first = await postStatusUpdate(number, { audience: 'public', template: 'initial' }, { actor: lead });
    expect(first).toMatchObject({ audience: 'public', template: 'initial', status: 'investigating', postedBy: { name: 'Cora Comms' } });
    await postStatusUpdate(number, { audience: 'internal', body: 'INTERNAL-ONLY: rolling back build 7781' }, { actor: lead });

    forgetPublicStatus();
    let status = await getPublicStatus();
    const shown = JSON.stringify(status);
    expect(status.incidents.map((i) => i.key)).toEqual([`INC-${number}`]);
    expect(status.incidents[0]!.updates).toHaveLength(1);
    expect(shown).not.toContain('INTERNAL');
    expect(shown).not.toContain('Cora');
    expect(shown).not.toContain('Ike');
    expect(shown).not.toContain('replica lag');

    // The timeline has both; the public one says it went to the status page.
    const events = await db.timelineEvent.findMany({ where: { incident: { number }, kind: 'communication' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.body.split(':')[0])).toEqual(['Public update (status page)', 'Internal update']);

    await updateIncident(number, { status: 'resolved' }, {}, { actor: commander });
    const resolved = await postStatusUpdate(number, { audience: 'public', template: 'resolved' }, { actor: lead });
    expect(resolved.body).toMatch(/^The issue has been resolved and checkout and payments are operating normally\.\nImpact lasted from .+ UTC to .+ UTC \((?:<1|\d+) min\)\./);
    forgetPublicStatus();
    status = await getPublicStatus();
    expect(status.incidents[0]).toMatchObject({ key: `INC-${number}`, status: 'resolved', resolvedAt: expect.any(String) });
    expect(status.incidents[0]!.updates.map((u) => u.status)).toEqual(['resolved', 'investigating']);

    // Eight days later it is gone from the page.
    await db.incident.update({ where: { number }, data: { resolvedAt: new Date(Date.now() - 8 * 86_400_000) } });
    forgetPublicStatus();
    expect((await getPublicStatus()).incidents).toEqual([]);
  });

  // The page is rendered once and served from memory (the request edge answers a flood from it);
  // a public update or a branding change drops it on every instance: the one that made the change
  // at once, the others when its NOTIFY reaches their LISTEN connection.
  it('remembers the rendered page until a public update or a branding change, made here or on another instance', async () => {
    const { number } = await incident('Login fails for some', 'SEV2');
    forgetPublicStatus();
    expect(await (await statusPageResponse()).text()).not.toContain('REMEMBERED-CHECK');
    expect(publicResponseFor('/status')).toEqual({ serve: expect.objectContaining({ status: 200 }) });

    await postStatusUpdate(number, { audience: 'public', body: 'REMEMBERED-CHECK: logins recovering' }, { actor: lead });
    expect(publicResponseFor('/status')).toBe('rebuild');
    expect(await (await statusPageResponse()).text()).toContain('REMEMBERED-CHECK: logins recovering');

    // Another instance saves the branding: its transaction, as saveBranding writes it, reaches
    // this instance only as a row and a notification.
    await db.$transaction(async (tx) => {
      await tx.setting.upsert({ where: { key: 'status_page' }, create: { key: 'status_page', value: { title: 'Acme status', logoUrl: '', accentColor: '#0369a1' } }, update: { value: { title: 'Acme status', logoUrl: '', accentColor: '#0369a1' } } });
      await notifyChannel(tx, statusPageChannel, { reason: 'branding changed' });
    });
    await expect.poll(async () => (await (await statusPageResponse()).text()).includes('Acme status'), { timeout: 10_000 }).toBe(true);
    await saveBranding({ title: 'Service status' }, { actor: lead });
  });

  it('refuses an empty update and an unknown template, writing nothing', async () => {
    const { number } = await incident('Search down', 'SEV3');
    await expect(postStatusUpdate(number, { audience: 'public' }, { actor: lead })).rejects.toThrow(/Write the update/);
    await expect(postStatusUpdate(number, { audience: 'public', template: 'nope' }, { actor: lead })).rejects.toThrow(/There is no template “nope”; use one of initial, progress, resolved/);
    await expect(postStatusUpdate(number, { audience: 'everyone' as 'public', body: 'x' }, { actor: lead })).rejects.toThrow(/audience is internal/);
    expect(await db.statusUpdate.count({ where: { incident: { number } } })).toBe(0);
  });
});

describe('update cadence', () => {
  it('reminds the Communications Lead once when a SEV1 update is overdue, and not again for the same due time', async () => {
    await db.severity.update({ where: { key: 'SEV1' }, data: { updateCadenceMinutes: 1 } });
    try {
      const { number } = await incident('Payments failing');
      await assignRole(number, 'comms_lead', lead.email, {}, { actor: commander });
      const id = (await db.incident.findUniqueOrThrow({ where: { number } })).id;
      // Not due yet: nothing happens.
      expect((await checkOverdueUpdates(new Date())).filter((r) => r.number === number)).toEqual([]);
      const later = new Date(Date.now() + 2 * 60_000);
      const sent = (await checkOverdueUpdates(later)).filter((r) => r.number === number);
      expect(sent).toEqual([expect.objectContaining({ number, remind: { name: 'Cora Comms', email: lead.email } })]);
      expect((await checkOverdueUpdates(later)).filter((r) => r.number === number)).toEqual([]);
      const event = await db.timelineEvent.findFirstOrThrow({ where: { incidentId: id, kind: 'communication', body: { contains: 'was due' } } });
      expect(event.body).toMatch(/every 1 min for SEV1\)\. Reminder sent to Cora Comms \(Communications Lead\)\.$/);

      // An update resets the clock: the next reminder is for the next due time.
      await postStatusUpdate(number, { audience: 'public', template: 'progress' }, { actor: lead });
      expect((await checkOverdueUpdates(new Date())).filter((r) => r.number === number)).toEqual([]);
      expect((await checkOverdueUpdates(new Date(Date.now() + 3 * 60_000))).filter((r) => r.number === number)).toHaveLength(1);
      expect(await db.updateReminder.count({ where: { incidentId: id } })).toBe(2);
    } finally {
      await db.severity.update({ where: { key: 'SEV1' }, data: { updateCadenceMinutes: 30 } });
    }
  });

  it('two workers checking at once send one reminder', async () => {
    const { number } = await incident('Login broken', 'SEV2');
    const later = new Date(Date.now() + 3 * 3_600_000);
    const [a, b] = await Promise.all([checkOverdueUpdates(later), checkOverdueUpdates(later)]);
    expect([...a, ...b].filter((r) => r.number === number)).toHaveLength(1);
  });

  it('a check finds the incidents already reminded in its read and writes nothing for them', async () => {
    const numbers = await Promise.all(['Search slow', 'Emails late', 'CDN misses'].map(async (title) => (await incident(title, 'SEV3')).number));
    const later = new Date(Date.now() + 5 * 3_600_000);
    expect((await checkOverdueUpdates(later)).filter((r) => numbers.includes(r.number))).toHaveLength(3);
    // Another session holds a lock that any write to update_reminders waits for, but a read does
    // not. A check that tried each reminded incident's reminder again (a transaction each, every
    // minute, for every long-overdue open incident) would wait here until the test times out.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE update_reminders IN EXCLUSIVE MODE');
      expect(await checkOverdueUpdates(later)).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});

describe('overdue reminder, end to end', () => {
  it('a SEV1 with no update for longer than its cadence is overdue on the dashboard and its reminder reaches a local receiver', async () => {
    const received: { type?: string; incident?: { key?: string } }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body) as { type?: string });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await db.severity.update({ where: { key: 'SEV1' }, data: { updateCadenceMinutes: 1 } });
    try {
      await createChannel({ name: 'On-call hook', kind: 'webhook', target: `http://localhost:${(receiver.address() as AddressInfo).port}/hook`, events: ['update_overdue'], severities: ['SEV1'] }, { actor: commander });
      await startNotificationWorker();
      const { number, key } = await incident('Checkout down for everyone');
      await assignRole(number, 'comms_lead', lead.email, {}, { actor: commander });
      // Declared two minutes ago, no update since: with a 1-minute cadence it is overdue now.
      await db.incident.update({ where: { number }, data: { declaredAt: new Date(Date.now() - 2 * 60_000) } });
      const row = (await getDashboard(commander)).open.find((i) => i.number === number)!;
      expect(new Date(row.nextUpdateDueAt).getTime()).toBeLessThan(Date.now());

      expect((await checkOverdueUpdates()).filter((r) => r.number === number)).toHaveLength(1);
      const until = Date.now() + 15_000;
      while (!received.some((r) => r.type === 'incident.update_overdue' && r.incident?.key === key) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(received.filter((r) => r.type === 'incident.update_overdue' && r.incident?.key === key)).toHaveLength(1);
    } finally {
      await db.severity.update({ where: { key: 'SEV1' }, data: { updateCadenceMinutes: 30 } });
      receiver.close();
    }
  });
});
