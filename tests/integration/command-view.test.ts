// Issue #16's server side on a real PostgreSQL and real HTTP handlers: merging a duplicate into
// the incident that carries on, the duplicate check before declaring, resolving with the
// resolution update in the same transaction (and /status never saying "Investigating" after a
// resolution), attachments (type decided by the bytes, size cap, served like the incident), and
// the command view's counters.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addContactMethod } from '@/lib/oncall/service';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { ConflictError, ValidationError } from '@/lib/platform/errors';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { forgetPublicStatus, getPublicStatus, RESOLVED_NOTICE } from '@/lib/communications/status-page';
import { postStatusUpdate } from '@/lib/communications/service';
import { getCommandView } from '@/lib/incidents/command-view';
import { findPossibleDuplicates, getIncident } from '@/lib/incidents/queries';
import { addMember, addSme, assignRole, declareIncident, mergeIncident, updateIncident } from '@/lib/incidents/service';
import { listAttachments } from '@/lib/attachments/queries';
import { storeAttachment } from '@/lib/attachments/service';
import { MAX_ATTACHMENT_BYTES } from '@/lib/attachments/schema';
import { postNote } from '@/lib/timeline/service';
import { generatePostmortem } from '@/lib/postmortems/service';
import { mentionNotifications } from '@/lib/timeline/delivery';
import { runAttempt } from '@/lib/platform/delivery/worker';
import { createApiToken } from '@/lib/tokens/service';
import { createUser } from '@/lib/users/service';
import { GET as getAttachmentRoute } from '@/app/api/v1/incidents/[number]/attachments/[id]/route';
import { POST as uploadRoute } from '@/app/api/v1/incidents/[number]/attachments/route';
import { POST as mergeRoute } from '@/app/api/v1/incidents/[number]/merge/route';
import { GET as duplicatesRoute } from '@/app/api/v1/incidents/duplicates/route';
import { searchPeople } from '@/lib/users/queries';
import { GET as peopleRoute } from '@/app/api/v1/people/route';
import { GET as runbooksRoute } from '@/app/api/v1/runbooks/route';
import { createRunbook } from '@/lib/runbooks/service';
import { suggestRunbooks } from '@/lib/runbooks/queries';
import { updateUser } from '@/lib/users/service';

vi.hoisted(() => {
  process.env.SITREP_URL = 'http://sitrep.test';
});

let ana: Actor, ben: Actor, cat: Actor, out: Actor;
let anaToken: string, outToken: string;

async function person(email: string, name: string, role: Actor['role']): Promise<Actor> {
  const user = await createUser({ email, name, role }, { actor: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

const by = (actor: Actor) => ({ actor });

// The smallest valid PNG (1×1, transparent).
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
function call(handler: Handler, token: string, init: { method?: string; path: string; body?: BodyInit; json?: unknown; params?: Record<string, string> }) {
  return handler(
    new Request(`http://sitrep.test${init.path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    }),
    { params: Promise.resolve(init.params ?? {}) },
  );
}

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  ana = await person('ana.cv@example.com', 'Ana Ops', 'responder');
  ben = await person('ben.cv@example.com', 'Ben Dev', 'responder');
  cat = await person('cat.cv@example.com', 'Cat Comms', 'responder');
  out = await person('out.cv@example.com', 'Oz Outsider', 'responder');
  anaToken = (await createApiToken({ email: ana.email, name: 'test' }, { actor: null })).token;
  outToken = (await createApiToken({ email: out.email, name: 'test' }, { actor: null })).token;
});

afterAll(async () => {
  await stopQueue();
  await db.$disconnect();
});

describe('the duplicate check', () => {
  it('finds an open incident on the same service with a title in other words, and hides private ones from outsiders', async () => {
    const open = await declareIncident({ title: 'Checkout API returning 502s', severity: 'SEV2', services: ['checkout'] }, by(ana));
    const secret = await declareIncident({ title: 'Checkout 502 errors from the vault', severity: 'SEV2', services: ['checkout'], private: true }, by(ana));
    const found = await findPossibleDuplicates({ title: '502 errors on checkout', services: ['checkout'] }, ana);
    expect(found.map((d) => d.key)).toContain(open.key);
    expect(found.find((d) => d.key === open.key)!.sharedServices).toEqual(['checkout']);
    expect((await findPossibleDuplicates({ title: '502 errors on checkout', services: ['checkout'] }, out)).map((d) => d.key)).not.toContain(secret.key);
    expect(await findPossibleDuplicates({ title: 'Search index is stale', services: ['search'] }, ana)).toEqual([]);

    const response = await call(duplicatesRoute, anaToken, { path: `/api/v1/incidents/duplicates?title=${encodeURIComponent('502 errors on checkout')}&services=checkout` });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: { key: string }[] }).items.map((d) => d.key)).toContain(open.key);
  });
});

describe('merging a duplicate', () => {
  it('moves timeline, updates and people to the survivor, closes the duplicate pointing at it, and shows one card on /status', async () => {
    const survivor = await declareIncident({ title: 'Payments failing', severity: 'SEV1', services: ['payments'] }, by(ana));
    const duplicate = await declareIncident({ title: 'Payment errors', severity: 'SEV2', services: ['payments', 'checkout'] }, by(ben));
    await assignRole(duplicate.number, 'tech_lead', ben.email, {}, by(ben));
    await assignRole(duplicate.number, 'commander', cat.email, {}, by(ben));
    await addSme(duplicate.number, out.email, by(ben));
    await postNote(duplicate.number, { body: 'Seeing card declines at 40%' }, by(ben));
    await postStatusUpdate(survivor.number, { audience: 'public', body: 'We are looking into failing payments.' }, by(ana));
    await postStatusUpdate(duplicate.number, { audience: 'public', body: 'Some payments fail.' }, by(ben));
    forgetPublicStatus();
    expect((await getPublicStatus()).incidents.filter((i) => i.title.startsWith('Payment'))).toHaveLength(2);
    const before = await db.timelineEvent.count({ where: { incident: { number: duplicate.number } } });

    const response = await call(mergeRoute, anaToken, { method: 'POST', path: `/api/v1/incidents/${duplicate.number}/merge`, json: { into: survivor.key, reason: 'same outage' }, params: { number: String(duplicate.number) } });
    expect(response.status).toBe(200);
    const answered = (await response.json()) as { key: string; services: string[]; roles: Record<string, { email: string } | null> };
    expect(answered.key).toBe(survivor.key);
    expect(answered.services).toEqual(['payments', 'checkout']);
    // The commander seat was taken on the survivor (Ana declared it); the free Tech Lead seat was not.
    expect(answered.roles.commander?.email).toBe(ana.email);
    expect(answered.roles.tech_lead?.email).toBe(ben.email);

    const dup = await getIncident(duplicate.number, ana);
    expect(dup.status).toBe('closed');
    expect(dup.mergedInto).toEqual({ number: survivor.number, key: survivor.key });
    const survivorEvents = await db.timelineEvent.findMany({ where: { incident: { number: survivor.number } }, orderBy: { seq: 'asc' } });
    const seqs = survivorEvents.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(survivorEvents.filter((e) => (e.data as { mergedFrom?: string }).mergedFrom === duplicate.key)).toHaveLength(before);
    expect(survivorEvents.some((e) => e.body === 'Seeing card declines at 40%')).toBe(true);
    expect(survivorEvents.at(-1)!.body).toMatch(new RegExp(`^Ana Ops merged ${duplicate.key} \\(“Payment errors”\\) into ${survivor.key}: same outage It brought \\d+ timeline events, 1 status update, and Ben Dev as Tech Lead, Cat Comms as a subject-matter expert, Oz Outsider as a subject-matter expert\\.$`));
    expect(await db.statusUpdate.count({ where: { incident: { number: survivor.number } } })).toBe(2);
    expect(await db.incidentRole.count({ where: { incident: { number: duplicate.number } } })).toBe(0);

    forgetPublicStatus();
    const cards = (await getPublicStatus()).incidents.filter((i) => i.title.startsWith('Payment'));
    expect(cards.map((c) => c.key)).toEqual([survivor.key]);
    expect(cards[0]!.updates.map((u) => u.body)).toEqual(['Some payments fail.', 'We are looking into failing payments.']);

    // The duplicate takes no more changes, nor a second merge.
    await expect(updateIncident(duplicate.number, { severity: 'SEV1' }, {}, by(ana))).rejects.toBeInstanceOf(ConflictError);
    await expect(mergeIncident(duplicate.number, { into: survivor.number }, by(ana))).rejects.toThrow(`${duplicate.key} was already merged into another incident.`);
  });

  it('refuses what would lose or leak something, naming what to do', async () => {
    const a = await declareIncident({ title: 'Disk full', severity: 'SEV3' }, by(ana));
    const secret = await declareIncident({ title: 'Disk full on the HSM', severity: 'SEV3', private: true }, by(ana));
    await addMember(secret.number, ben.email, by(ana));
    const self = await mergeIncident(a.number, { into: a.key }, by(ana)).catch((e: unknown) => e);
    expect(self).toBeInstanceOf(ValidationError);
    expect((self as ValidationError).errors).toEqual([{ path: 'into', message: `${a.key} can't be merged into itself; choose the incident that carries on` }]);
    const bad = await mergeIncident(a.number, { into: 'twelve' }, by(ana)).catch((e: unknown) => e);
    expect((bad as ValidationError).errors).toEqual([{ path: 'into', message: 'Name the incident to merge into, e.g. 12 or INC-12' }]);
    await expect(mergeIncident(secret.number, { into: a.number }, by(ana))).rejects.toThrow(`${secret.key} is private and ${a.key} is not; make ${a.key} private first`);
    // An outsider can't merge what they can't see: the same 404 as a missing incident.
    const response = await call(mergeRoute, outToken, { method: 'POST', path: `/api/v1/incidents/${secret.number}/merge`, json: { into: a.number }, params: { number: String(secret.number) } });
    expect(response.status).toBe(404);

    // Private into private: the people added to see the duplicate may see the survivor.
    const secret2 = await declareIncident({ title: 'HSM disk', severity: 'SEV3', private: true }, by(ana));
    await mergeIncident(secret.number, { into: secret2.number }, by(ana));
    expect(await db.incidentMember.count({ where: { incident: { number: secret2.number }, userId: ben.id } })).toBe(1);
  });
});

describe('resolving', () => {
  it('posts the resolution update in the same transaction, so /status says resolved at once', async () => {
    const incident = await declareIncident({ title: 'Login slow', severity: 'SEV2', services: ['auth'] }, by(ana));
    await postStatusUpdate(incident.number, { audience: 'public', body: 'Logins are slow; we are investigating.' }, by(ana));
    const resolved = await updateIncident(incident.number, { status: 'resolved', update: { audience: 'public', template: 'resolved' } }, {}, by(ana));
    expect(resolved.status).toBe('resolved');
    forgetPublicStatus();
    const card = (await getPublicStatus()).incidents.find((i) => i.key === incident.key)!;
    expect(card.status).toBe('resolved');
    expect(card.updates[0]).toMatchObject({ status: 'resolved' });
    expect(card.updates[0]!.body).toMatch(/^The issue has been resolved/);
  });

  it('changes nothing when the update is refused (an empty update)', async () => {
    const incident = await declareIncident({ title: 'Queue lag', severity: 'SEV3' }, by(ana));
    await expect(updateIncident(incident.number, { status: 'resolved', update: { audience: 'internal', body: '   ' } }, {}, by(ana))).rejects.toBeInstanceOf(ValidationError);
    expect((await getIncident(incident.number, ana)).status).toBe('investigating');
  });

  it('never leaves a resolved incident reading as investigating on /status when nobody posted the resolution', async () => {
    const incident = await declareIncident({ title: 'Search down', severity: 'SEV2', services: ['search'] }, by(ana));
    await postStatusUpdate(incident.number, { audience: 'public', body: 'Search is down; next update in 30 minutes.' }, by(ana));
    await updateIncident(incident.number, { status: 'resolved' }, {}, by(ana));
    forgetPublicStatus();
    const card = (await getPublicStatus()).incidents.find((i) => i.key === incident.key)!;
    expect(card.updates.map((u) => [u.status, u.body])).toEqual([
      ['resolved', RESOLVED_NOTICE],
      ['investigating', 'Search is down; next update in 30 minutes.'],
    ]);
  });
});

describe('attachments', () => {
  it('decides the type from the bytes, caps the size, and serves files only to who may see the incident', async () => {
    const incident = await declareIncident({ title: 'Dashboard blank', severity: 'SEV3' }, by(ana));
    const upload = await call(uploadRoute, anaToken, { method: 'POST', path: `/api/v1/incidents/${incident.number}/attachments?filename=screen.png`, body: PNG, params: { number: String(incident.number) } });
    expect(upload.status).toBe(201);
    const image = (await upload.json()) as { id: string; contentType: string; image: boolean; markdown: string; url: string };
    expect(image).toMatchObject({ contentType: 'image/png', image: true });
    expect(image.markdown).toBe(`[![screen.png](${image.url})](${image.url})`);

    // HTML named .png is not an image: it is kept, and served only as a download.
    const fake = await storeAttachment(incident.number, { bytes: new TextEncoder().encode('<html><script>alert(1)</script></html>'), filename: '../../evil.png' }, by(ana));
    expect(fake).toMatchObject({ contentType: 'application/octet-stream', image: false, filename: 'evil.png' });
    const served = await call(getAttachmentRoute, anaToken, { path: fake.url, params: { number: String(incident.number), id: fake.id } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="evil.png"/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const shown = await call(getAttachmentRoute, anaToken, { path: image.url, params: { number: String(incident.number), id: image.id } });
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(shown.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(PNG);

    const tooBig = await call(uploadRoute, anaToken, { method: 'POST', path: `/api/v1/incidents/${incident.number}/attachments`, body: new Uint8Array(MAX_ATTACHMENT_BYTES + 1), params: { number: String(incident.number) } });
    expect(tooBig.status).toBe(413);
    await expect(storeAttachment(incident.number, { bytes: new Uint8Array() }, by(ana))).rejects.toBeInstanceOf(ValidationError);
    expect((await listAttachments({ id: (await db.incident.findUniqueOrThrow({ where: { number: incident.number } })).id, number: incident.number })).map((a) => a.filename)).toEqual(['screen.png', 'evil.png']);

    // A private incident's files are a 404 to an outsider, as the incident is.
    await updateIncident(incident.number, { private: true }, {}, by(ana));
    const hidden = await call(getAttachmentRoute, outToken, { path: image.url, params: { number: String(incident.number), id: image.id } });
    expect(hidden.status).toBe(404);
    const refused = await call(uploadRoute, outToken, { method: 'POST', path: `/api/v1/incidents/${incident.number}/attachments`, body: PNG, params: { number: String(incident.number) } });
    expect(refused.status).toBe(404);
  });
});

describe('attachments in the review', () => {
  it('are kept with the review: listed in it and closing its export, images inline at absolute addresses', async () => {
    const incident = await declareIncident({ title: 'Blank dashboard', severity: 'SEV3' }, by(ana));
    const shot = await storeAttachment(incident.number, { bytes: PNG, filename: 'blank [1].png' }, by(ana));
    const log = await storeAttachment(incident.number, { bytes: new TextEncoder().encode('502 Bad Gateway'), filename: 'nginx.log' }, by(ana));
    const { review } = await generatePostmortem(incident.number, {}, by(ana));
    expect(review.attachments.map((a) => [a.filename, a.image])).toEqual([
      ['blank [1].png', true],
      ['nginx.log', false],
    ]);
    const url = (id: string) => `http://sitrep.test/api/v1/incidents/${incident.number}/attachments/${id}`;
    expect(review.markdown).toContain(`## Attachments\n\n- [![blank  1 .png](${url(shot.id)})](${url(shot.id)})\n- [nginx.log](${url(log.id)})\n`);
  });
});

describe('the command view', () => {
  it('says how each closed panel stands; roles are offered only to people who can work incidents', async () => {
    const viewer = await person('vic.cv@example.com', 'Vic Viewer', 'viewer');
    const incident = await declareIncident({ title: 'Cache cold', severity: 'SEV3', services: ['cache'] }, by(ana));
    const view = (await getCommandView(incident.number, ana))!;
    expect(view.counters).toMatchObject({ checklist: null, deliveries: { pending: 0, retrying: 0, failed: 0, succeeded: 0 }, actionItemsOpen: 0, updates: 0 });
    // People are searched as they are typed: roles and expert seats among those who can work incidents, mentions among everyone.
    expect((await searchPeople({ q: 'vic', can: 'work' })).map((p) => p.email)).not.toContain(viewer.email);
    expect((await searchPeople({ q: 'vic' })).map((p) => p.email)).toContain(viewer.email);
    expect(view.nextUpdateDueAt).not.toBeNull();
    expect(view.responseDueAt).not.toBeNull();
  });
});

describe('the pickers', () => {
  it('find people by any word of their name or email, names that start with it first, never a disabled person', async () => {
    const zed = await person('zed.cv@example.com', 'Zed Benson', 'responder');
    const gone = await person('bengone.cv@example.com', 'Ben Gone', 'responder');
    await updateUser({ userId: gone.id, disabled: true }, { actor: null });
    const names = async (q: string, can?: 'work') => (await searchPeople({ q, can })).map((p) => p.name);
    expect(await names('ben')).toEqual(['Ben Dev', 'Zed Benson']);
    expect(await names('BEN dev')).toEqual(['Ben Dev']);
    expect(await names('zed.cv@')).toEqual([zed.name]);
    expect(await names('nobody-like-this')).toEqual([]);
    expect((await searchPeople({ limit: 2 })).length).toBe(2);

    const response = await call(peopleRoute, anaToken, { path: '/api/v1/people?q=ben&can=work&limit=5' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [{ email: ben.email, name: 'Ben Dev' }, { email: zed.email, name: 'Zed Benson' }] });
    const bad = await call(peopleRoute, anaToken, { path: '/api/v1/people?can=admin&limit=500' });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((e) => e.message).sort()).toEqual(["can is 'work' (people who can work incidents) or left out", 'limit is at most 50']);
  });

  it('suggest the runbooks that fit the incident, best first, and search the rest of the library with a limit', async () => {
    const step = { phases: [{ title: 'Act', steps: [{ title: 'Look' }] }] };
    await createRunbook({ title: 'Ledger replay', services: ['ledger'], ...step }, by(ana));
    await createRunbook({ title: 'Ledger lag', services: ['ledger'], tags: ['queue'], severities: ['SEV2'], ...step }, by(ana));
    await createRunbook({ title: 'Any SEV2', severities: ['SEV2'], ...step }, by(ana));
    await createRunbook({ title: 'Unrelated', services: ['dns'], ...step }, by(ana));
    const titles = (await suggestRunbooks({ services: ['ledger', 'queue'], severity: 'SEV2' })).map((r) => r.title);
    expect(titles).toEqual(['Ledger lag', 'Ledger replay', 'Any SEV2']);
    expect((await suggestRunbooks({ services: ['ledger'], severity: 'SEV4' }, 1)).map((r) => r.title)).toEqual(['Ledger lag']);

    const response = await call(runbooksRoute, anaToken, { path: '/api/v1/runbooks?q=ledger&limit=1' });
    expect(((await response.json()) as { items: { title: string }[] }).items.map((r) => r.title)).toEqual(['Ledger lag']);
  });
});

describe('@mentions', () => {
  it('tell each person mentioned once, never the author, nobody outside a private incident, nothing in code', async () => {
    const incident = await declareIncident({ title: 'Token leak', severity: 'SEV2', private: true }, by(ana));
    await addMember(incident.number, ben.email, by(ana));
    const note = await postNote(incident.number, { body: '@ben.cv and @Ben.CV and @out.cv, look; @ana.cv too; not `@cat.cv`' }, by(ana));
    const rows = await db.mentionNotification.findMany({ where: { eventId: note.id }, include: { user: { select: { email: true } } } });
    expect(rows.map((r) => r.user.email)).toEqual([ben.email]);
    expect(rows[0]!.subject).toBe(`[${incident.key}] Ana Ops mentioned you: Token leak`);
    expect(rows[0]!.body).toContain(`http://sitrep.test/incidents/${incident.number}`);

    // Sent over SMTP; without SITREP_SMTP_URL the attempt fails and says what to set.
    await runAttempt(mentionNotifications, { mentionId: rows[0]!.id, attempt: 1 });
    const after = await db.mentionNotification.findUniqueOrThrow({ where: { id: rows[0]!.id } });
    expect(after.attemptCount).toBe(1);
    expect(after.status).toBe('failed');
    expect(after.lastError).toMatch(/SITREP_SMTP_URL/);
  });

  it('reach a person with a contact method through it (the first they want, signed, once), not by e-mail', async () => {
    const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '::', resolve));
    try {
      const base = `http://localhost:${(receiver.address() as AddressInfo).port}`;
      const hook = await addContactMethod(cat.email, { kind: 'webhook', target: `${base}/cat/hook`, label: 'Phone gateway' }, { actor: cat });
      await addContactMethod(cat.email, { kind: 'ntfy', target: `${base}/ntfy/cat`, delaySeconds: 120 }, { actor: cat });
      const incident = await declareIncident({ title: 'Queue backlog', severity: 'SEV3' }, by(ana));
      const note = await postNote(incident.number, { body: '@cat.cv can you draft the customer update?' }, by(ana));
      const [row] = await db.mentionNotification.findMany({ where: { eventId: note.id } });
      await runAttempt(mentionNotifications, { mentionId: row!.id, attempt: 1 });
      // The same attempt run again (a redelivered job) sends nothing more.
      await runAttempt(mentionNotifications, { mentionId: row!.id, attempt: 1 });

      expect(received.map((r) => r.path)).toEqual(['/cat/hook']);
      const [sent] = received;
      const payload = new Webhook(hook.signingSecret!).verify(sent!.body, {
        'webhook-id': String(sent!.headers['webhook-id']),
        'webhook-timestamp': String(sent!.headers['webhook-timestamp']),
        'webhook-signature': String(sent!.headers['webhook-signature']),
      });
      expect(payload).toEqual({
        type: 'note.mentioned',
        incident: { number: incident.number, key: incident.key, title: 'Queue backlog' },
        user: { email: cat.email },
        by: 'Ana Ops',
        note: '@cat.cv can you draft the customer update?',
        url: `http://sitrep.test/incidents/${incident.number}`,
      });
      expect(await db.mentionNotification.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
