// Private incidents on a real PostgreSQL: the visibility rule in both its forms (Prisma and SQL)
// against who should see what; every listing that shows incidents or something of one, for a
// member and a non-member; the writes a non-member is refused exactly as for a missing incident;
// membership coming and going; the streams; the notification channels and the status page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { ValidationError } from '@/lib/platform/errors';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { forgetPublicStatus, getPublicStatus } from '@/lib/communications/status-page';
import { draftUpdate, postStatusUpdate } from '@/lib/communications/service';
import { getCommandView } from '@/lib/incidents/command-view';
import { findIncidentRef, getDashboard, getIncident, listIncidents, listMembers, listServices, resolveIncident } from '@/lib/incidents/queries';
import {
  acknowledgeIncident,
  addMember,
  addSme,
  assignRole,
  correctKeyTime,
  declareIncident,
  removeMember,
  removeSme,
  unassignRole,
  updateIncident,
} from '@/lib/incidents/service';
import { dashboardStream, untilHidden } from '@/lib/incidents/stream';
import { canSee, countHiddenIncidents, visibleToSql, visibleWhere, type Viewer } from '@/lib/incidents/visibility';
import { incidentsCsv } from '@/lib/insights/export';
import { getInsights, listServiceChoices } from '@/lib/insights/queries';
import { findRelatedIncidents } from '@/lib/insights/related';
import { getServiceOverview } from '@/lib/insights/service-overview';
import { listIncidentNotifications } from '@/lib/notifications/queries';
import { createChannel } from '@/lib/notifications/service';
import { getActionItem, getPostmortem, listActionItems, listRevisions } from '@/lib/postmortems/queries';
import { createActionItem, generatePostmortem, updateActionItem } from '@/lib/postmortems/service';
import { getDelivery } from '@/lib/remediation/queries';
import { createAction, fireRemediation, resendDelivery } from '@/lib/remediation/service';
import { editTimelineEvent, postNote } from '@/lib/timeline/service';
import { timelineStream } from '@/lib/timeline/stream';
import { timelineChannel } from '@/lib/timeline/live';
import { incidentsChannel } from '@/lib/incidents/live';
import { subscribe } from '@/lib/platform/live/listener';
import { createUser } from '@/lib/users/service';

type Person = Actor;
let admin: Person, dee: Person, rol: Person, sme: Person, mem: Person, out: Person, vic: Person, other: Person;

async function person(email: string, name: string, role: Actor['role']): Promise<Person> {
  const user = await createUser({ email, name, role }, { actor: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, notification_channels, remediation_actions CASCADE');
  admin = await person('ada@example.com', 'Ada Admin', 'admin');
  dee = await person('dee@example.com', 'Dee Declarer', 'responder');
  rol = await person('rol@example.com', 'Rol Lead', 'responder');
  sme = await person('sme@example.com', 'Sam Expert', 'responder');
  mem = await person('mem@example.com', 'Mo Member', 'responder');
  out = await person('out@example.com', 'Oz Outsider', 'responder');
  vic = await person('vic@example.com', 'Vi Viewer', 'viewer');
  other = await person('oli@example.com', 'Oli Other', 'responder');
});

afterAll(async () => {
  await stopQueue();
  await db.$executeRawUnsafe('TRUNCATE notification_channels, remediation_actions CASCADE');
  await db.$disconnect();
});

const by = (actor: Person) => ({ actor });

/** A private SEV1 declared by Dee, with Rol as Tech Lead, Sam as expert and Mo added. */
async function breach(title = 'Vault credentials leaked') {
  const incident = await declareIncident({ title, severity: 'SEV1', summary: 'Keys found on a paste site', services: ['vault'], private: true }, by(dee));
  await assignRole(incident.number, 'tech_lead', rol.email, {}, by(dee));
  await addSme(incident.number, sme.email, by(dee));
  await addMember(incident.number, mem.email, by(dee));
  return incident;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to fail'),
    (error: unknown) => error,
  );
}

/** What a missing incident answers: the thrown error's class and words, with the number swapped for the one asked. */
async function missingAnswer(call: (number: number) => Promise<unknown>, asked: number) {
  const missing = 999_999;
  const error = await failure(call(missing));
  return { type: (error as Error).constructor.name, message: (error as Error).message.replaceAll(`INC-${missing}`, `INC-${asked}`) };
}

async function answer(promise: Promise<unknown>) {
  const error = await failure(promise);
  return { type: (error as Error).constructor.name, message: (error as Error).message };
}

describe('the rule', () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
  });

  it('gives the same answer in Prisma and in SQL, and it is: everyone sees public ones, members and admins private ones', async () => {
    const open = await declareIncident({ title: 'Checkout slow', severity: 'SEV3' }, by(out));
    const secret = await breach();
    const alone = await declareIncident({ title: 'HR matter', severity: 'SEV4', private: true }, by(dee));
    const all = [open.number, secret.number, alone.number];
    const expected: [string, Viewer, number[]][] = [
      ['the installation', 'installation', all],
      ['an admin', admin, all],
      ['the declarer', dee, all],
      ['a role holder', rol, [open.number, secret.number]],
      ['an expert', sme, [open.number, secret.number]],
      ['someone added', mem, [open.number, secret.number]],
      ['a responder who is no member', out, [open.number]],
      ['a viewer', vic, [open.number]],
    ];
    for (const [who, viewer, numbers] of expected) {
      const prisma = (await db.incident.findMany({ where: visibleWhere(viewer), select: { number: true }, orderBy: { number: 'asc' } })).map((i) => i.number);
      const sql = (await db.$queryRaw<{ number: number }[]>`SELECT number FROM incidents WHERE ${visibleToSql(viewer)} ORDER BY number`).map((i) => i.number);
      const aliased = (await db.$queryRaw<{ number: number }[]>`SELECT i.number FROM incidents i WHERE ${visibleToSql(viewer, 'i')} ORDER BY i.number`).map((i) => i.number);
      expect({ who, prisma, sql, aliased }).toEqual({ who, prisma: numbers, sql: numbers, aliased: numbers });
      const ids = await db.incident.findMany({ select: { id: true, number: true } });
      for (const incident of ids) expect(await canSee(viewer, incident.id), `${who} / INC-${incident.number}`).toBe(numbers.includes(incident.number));
    }
    expect(await countHiddenIncidents(out, {})).toBe(2);
    expect(await countHiddenIncidents(rol, {})).toBe(1);
    expect(await countHiddenIncidents(admin, {})).toBe(0);
  });

  it('answers a non-member exactly as a missing incident, and a member with the incident', async () => {
    const secret = await breach();
    const n = secret.number;
    for (const outsider of [out, vic]) {
      expect(await findIncidentRef(n, outsider)).toBeNull();
      expect(await getCommandView(n, outsider)).toBeNull();
      expect(await answer(resolveIncident(n, outsider))).toEqual(await missingAnswer((m) => resolveIncident(m, outsider), n));
      expect(await answer(getIncident(n, outsider))).toEqual(await missingAnswer((m) => getIncident(m, outsider), n));
      expect(await answer(listMembers(n, outsider))).toEqual(await missingAnswer((m) => listMembers(m, outsider), n));
      expect(await answer(resolveIncident(n, outsider))).toEqual({ type: 'NotFoundError', message: `INC-${n} does not exist.` });
    }
    for (const member of [admin, dee, rol, sme, mem]) {
      expect((await getIncident(n, member)).private).toBe(true);
      expect((await getCommandView(n, member))!.members!.map((m) => m.email)).toEqual([dee.email, rol.email, sme.email, mem.email]);
    }
    expect(await listMembers(n, mem)).toEqual([
      { email: dee.email, name: dee.name, reasons: ['declarer', 'commander'], addedBy: null },
      { email: rol.email, name: rol.name, reasons: ['tech_lead'], addedBy: null },
      { email: sme.email, name: sme.name, reasons: ['sme'], addedBy: null },
      { email: mem.email, name: mem.name, reasons: ['added'], addedBy: { email: dee.email, name: dee.name } },
    ]);
  });
});

describe('every listing', () => {
  let open: Awaited<ReturnType<typeof declareIncident>>;
  let secret: Awaited<ReturnType<typeof declareIncident>>;
  let resolvedSecret: Awaited<ReturnType<typeof declareIncident>>;

  beforeAll(async () => {
    await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
    open = await declareIncident({ title: 'Checkout slow', severity: 'SEV1', services: ['checkout'] }, by(out));
    secret = await breach();
    resolvedSecret = await declareIncident({ title: 'Badge reader tampered', severity: 'SEV2', services: ['facilities'], private: true }, by(dee));
    await updateIncident(resolvedSecret.number, { status: 'resolved' }, {}, by(dee));
  });

  it('the incident list and its text search', async () => {
    const numbers = async (viewer: Viewer, q?: string) => (await listIncidents({ limit: 50, q }, viewer)).items.map((i) => i.number);
    expect(await numbers(out)).toEqual([open.number]);
    expect(await numbers(vic, 'vault')).toEqual([]);
    expect(await numbers(vic, 'paste site')).toEqual([]);
    expect(await numbers(mem, 'vault')).toEqual([secret.number]);
    expect(await numbers(dee)).toEqual([resolvedSecret.number, secret.number, open.number]);
    expect(await numbers(admin)).toEqual([resolvedSecret.number, secret.number, open.number]);
    // A page boundary counts only what the viewer may see: no short page, no cursor naming a hidden number.
    const first = await listIncidents({ limit: 1 }, out);
    expect(first).toMatchObject({ items: [{ number: open.number }], nextCursor: null });
  });

  it('the services filter names no service only a private incident has', async () => {
    expect(await listServices(out)).toEqual(['checkout']);
    expect(await listServices(sme)).toEqual(['checkout', 'vault']);
    expect(await listServices(admin)).toEqual(['checkout', 'facilities', 'vault']);
  });

  it('the dashboard counts the open private incident it hides and shows nothing else of it', async () => {
    const outsider = await getDashboard(out);
    expect(outsider.open.map((i) => i.number)).toEqual([open.number]);
    expect(outsider.hiddenOpen).toBe(1);
    expect(outsider.countsBySeverity.find((c) => c.key === 'SEV1')!.open).toBe(1);
    expect(outsider.recentlyResolved).toEqual([]);
    expect(JSON.stringify(outsider)).not.toMatch(/Vault|Badge|vault|facilities/);
    expect(JSON.stringify(outsider)).not.toContain(`INC-${secret.number}`);

    const member = await getDashboard(rol);
    expect(member.open.map((i) => ({ number: i.number, private: i.private }))).toEqual([
      { number: open.number, private: false },
      { number: secret.number, private: true },
    ]);
    expect(member.hiddenOpen).toBe(0);
    expect(member.mine).toEqual([{ number: secret.number, key: `INC-${secret.number}`, title: secret.title, roles: ['tech_lead'] }]);
    expect((await getDashboard(dee)).recentlyResolved.map((r) => r.number)).toEqual([resolvedSecret.number]);
    expect((await getDashboard(admin)).hiddenOpen).toBe(0);
  });

  it('action items: mine, overdue and the incident’s own; an owner must be able to see the incident', async () => {
    const id = await createActionItem(secret.number, { title: 'Rotate every vault token', ownerEmail: mem.email, dueDate: '2020-01-01' }, by(dee));
    const publicId = await createActionItem(open.number, { title: 'Add a checkout canary', ownerEmail: out.email, dueDate: '2020-01-01' }, by(out));
    const titles = (items: { title: string }[]) => items.map((i) => i.title).sort();
    expect(titles(await listActionItems(out, { overdue: true }))).toEqual(['Add a checkout canary']);
    expect(titles(await listActionItems(vic, { overdue: true }))).toEqual(['Add a checkout canary']);
    expect(titles(await listActionItems(mem, { overdue: true }))).toEqual(['Add a checkout canary', 'Rotate every vault token']);
    expect(titles(await listActionItems(mem, { ownerId: mem.id }))).toEqual(['Rotate every vault token']);
    expect(await getActionItem(id, out)).toBeNull();
    expect(await getActionItem(publicId, out)).not.toBeNull();
    // Reassigning the private item to someone who could not see it is refused with what to do.
    const refused = await failure(updateActionItem(id, { ownerEmail: out.email }, by(dee)));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([{ path: 'ownerEmail', message: `${out.email} is not a member of the private INC-${secret.number} and would not see this item; add them as a member first` }]);
    // A non-member editing it is told it does not exist, as for an unknown id.
    expect(await answer(updateActionItem(id, { status: 'done' }, by(out)))).toEqual(await answer(updateActionItem('00000000-0000-4000-8000-000000000000', { status: 'done' }, by(out))));
  });

  it('the review, its revisions and its export', async () => {
    await generatePostmortem(secret.number, {}, by(dee));
    expect(await getPostmortem(secret.number, out)).toBeNull();
    expect(await listRevisions(secret.number, 'summary', out)).toEqual([]);
    const review = await getPostmortem(secret.number, mem);
    expect(review!.markdown).toContain('Vault credentials leaked');
    expect((await listRevisions(secret.number, 'summary', mem)).length).toBe(1);
  });

  it('remediation deliveries', async () => {
    const { action } = await createAction({ name: 'Revoke vault tokens', url: 'http://localhost:9/revoke' }, by(admin));
    const delivery = await fireRemediation(secret.number, { actionId: action.id }, by(rol));
    expect(await getDelivery(delivery.id, out)).toBeNull();
    expect((await getDelivery(delivery.id, rol))!.incident.number).toBe(secret.number);
    expect(await answer(resendDelivery(delivery.id, {}, by(out)))).toEqual({ type: 'NotFoundError', message: 'That delivery does not exist.' });
  });

  it('an incident’s notifications', async () => {
    expect(await listIncidentNotifications(secret.number, out)).toBeNull();
    expect(await listIncidentNotifications(secret.number, sme)).toEqual([]);
  });

  it('insights: the figures, their CSV and service filter, earlier incidents and a service’s page', async () => {
    const now = new Date(Date.now() + 60_000);
    const filter = { range: 'custom' as const, from: new Date(now.getTime() - 86_400_000), to: now, severity: null, service: null, groupBy: 'week' as const };
    const counted = async (viewer: Viewer) => (await getInsights(filter, viewer, now)).totals.incidents;
    expect(await counted(out)).toBe(1);
    expect(await counted(vic)).toBe(1);
    expect(await counted(mem)).toBe(2);
    expect(await counted(dee)).toBe(3);
    expect(await counted(admin)).toBe(3);
    expect(await listServiceChoices(filter, out)).toEqual(['checkout']);
    expect(await listServiceChoices(filter, admin)).toEqual(['checkout', 'facilities', 'vault']);
    const csv = async (viewer: Viewer) => new Response(incidentsCsv(filter, viewer, undefined, now)).text();
    expect(await csv(out)).not.toMatch(/Vault|Badge/);
    expect(await csv(mem)).toContain('Vault credentials leaked');
    const related = async (viewer: Viewer) => (await findRelatedIncidents(['vault', 'checkout', 'facilities'], now, viewer)).map((r) => r.title).sort();
    expect(await related(out)).toEqual(['Checkout slow']);
    expect(await related(admin)).toEqual(['Badge reader tampered', 'Checkout slow', 'Vault credentials leaked']);
    const vault = await getServiceOverview('vault', out, now);
    expect(vault.insights.totals.incidents).toBe(0);
    expect(vault.recent).toEqual([]);
    expect(vault.openFollowUps).toEqual([]);
    expect((await getServiceOverview('vault', sme, now)).recent.map((r) => r.number)).toEqual([secret.number]);
  });
});

describe('writes by a non-member', () => {
  it('are refused exactly as for a missing incident, and write nothing', async () => {
    await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
    const secret = await breach();
    const note = await postNote(secret.number, { body: 'Token scope confirmed' }, by(dee));
    const before = await db.timelineEvent.count();
    const writes: [string, (n: number) => Promise<unknown>][] = [
      ['postNote', (n) => postNote(n, { body: 'hello' }, by(out))],
      ['editTimelineEvent', (n) => editTimelineEvent(n, note.id, { pinned: true }, by(out))],
      ['updateIncident', (n) => updateIncident(n, { status: 'identified' }, {}, by(out))],
      ['acknowledgeIncident', (n) => acknowledgeIncident(n, by(out))],
      ['correctKeyTime', (n) => correctKeyTime(n, { field: 'startedAt', value: null, reason: 'test' }, {}, by(out))],
      ['assignRole', (n) => assignRole(n, 'scribe', out.email, {}, by(out))],
      ['unassignRole', (n) => unassignRole(n, 'tech_lead', {}, by(out))],
      ['addSme', (n) => addSme(n, out.email, by(out))],
      ['removeSme', (n) => removeSme(n, sme.email, by(out))],
      ['addMember', (n) => addMember(n, out.email, by(out))],
      ['removeMember', (n) => removeMember(n, mem.email, by(out))],
      ['postStatusUpdate', (n) => postStatusUpdate(n, { audience: 'internal', body: 'hi' }, by(out))],
      ['draftUpdate', (n) => draftUpdate(n, 'initial', out)],
      ['createActionItem', (n) => createActionItem(n, { title: 'Something' }, by(out))],
      ['generatePostmortem', (n) => generatePostmortem(n, {}, by(out))],
    ];
    for (const [name, write] of writes) {
      expect({ name, ...(await answer(write(secret.number))) }).toEqual({ name, ...(await missingAnswer(write, secret.number)) });
    }
    expect(await db.timelineEvent.count()).toBe(before);
    expect((await getIncident(secret.number, admin)).version).toBe(secret.version + 3);
  });
});

describe('membership', () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
  });

  it('comes with a role, an expert seat or being added, and goes with them', async () => {
    const secret = await breach();
    const n = secret.number;
    const sees = async (who: Person) => (await findIncidentRef(n, who)) !== null;
    expect(await sees(out)).toBe(false);

    await addSme(n, out.email, by(dee));
    expect(await sees(out)).toBe(true);
    await removeSme(n, out.email, by(dee));
    expect(await sees(out)).toBe(false);

    await addMember(n, out.email, by(mem));
    expect(await sees(out)).toBe(true);
    const members = await removeMember(n, out.email, by(dee));
    expect(members.map((m) => m.email)).not.toContain(out.email);
    expect(await sees(out)).toBe(false);

    // A hand-off takes the old holder's access with the role.
    await assignRole(n, 'tech_lead', other.email, {}, by(dee));
    expect(await sees(rol)).toBe(false);
    expect(await sees(other)).toBe(true);

    // A viewer can be a member too.
    await addMember(n, vic.email, by(dee));
    expect(await sees(vic)).toBe(true);

    const events = await db.timelineEvent.findMany({ where: { incidentId: (await resolveIncident(n, admin)).id, kind: 'role' }, orderBy: { seq: 'asc' }, select: { body: true, data: true } });
    expect(events.filter((e) => (e.data as { member?: string }).member).map((e) => e.body)).toEqual([
      'Dee Declarer added Mo Member as a member: they can see this private incident.',
      'Mo Member added Oz Outsider as a member: they can see this private incident.',
      'Dee Declarer removed Oz Outsider as a member.',
      'Dee Declarer added Vi Viewer as a member: they can see this private incident.',
    ]);
  });

  it('says why someone cannot simply be removed', async () => {
    const secret = await breach();
    const n = secret.number;
    expect(await answer(removeMember(n, rol.email, by(dee)))).toEqual({
      type: 'ConflictError',
      message: `Rol Lead is a member of INC-${n} because of: Tech Lead; unassign the role or remove them as an expert to take their access away.`,
    });
    expect(await answer(removeMember(n, dee.email, by(dee)))).toEqual({
      type: 'ConflictError',
      message: `Dee Declarer is a member of INC-${n} because of: declared it, Incident Commander; the person who declared an incident always stays a member.`,
    });
    expect(await answer(removeMember(n, out.email, by(dee)))).toEqual({ type: 'NotFoundError', message: `Oz Outsider is not a member of INC-${n}.` });
    // Added and an expert: the addition goes, the seat keeps them a member.
    await addMember(n, sme.email, by(dee));
    expect((await removeMember(n, sme.email, by(dee))).find((m) => m.email === sme.email)!.reasons).toEqual(['sme']);
  });

  it('making an incident private keeps whoever did it in, and making it public opens it again', async () => {
    const incident = await declareIncident({ title: 'Odd logins from one ASN', severity: 'SEV2' }, by(dee));
    const n = incident.number;
    expect(await findIncidentRef(n, vic)).not.toBeNull();
    const made = await updateIncident(n, { private: true, reason: 'looks like credential stuffing' }, {}, by(out));
    expect(made.private).toBe(true);
    expect(await findIncidentRef(n, out)).not.toBeNull();
    expect(await findIncidentRef(n, vic)).toBeNull();
    expect((await listMembers(n, out)).find((m) => m.email === out.email)!.reasons).toEqual(['added']);
    const event = await db.timelineEvent.findFirst({ where: { incidentId: (await resolveIncident(n, out)).id, kind: 'system', pinned: true }, orderBy: { seq: 'desc' } });
    expect(event!.body).toBe(`Oz Outsider made INC-${n} private: only its members and admins can see it (Oz Outsider became a member): looks like credential stuffing`);
    await updateIncident(n, { private: false }, {}, by(dee));
    expect(await findIncidentRef(n, vic)).not.toBeNull();
  });
});

describe('shared places', () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe('TRUNCATE incidents, notification_channels CASCADE');
  });

  it('channels hear that a private incident was declared, raised and resolved, with its severity, and nothing else', async () => {
    const kinds = ['slack', 'teams', 'webhook'] as const;
    for (const kind of kinds) {
      await createChannel({ name: `${kind} all`, kind, target: `http://localhost:9/${kind}`, events: ['declared', 'severity_raised', 'status_changed', 'update_posted', 'resolved'] }, by(admin));
    }
    const secret = await declareIncident({ title: 'Vault credentials leaked', severity: 'SEV2', summary: 'Keys found on a paste site', services: ['vault'], private: true }, by(dee));
    await updateIncident(secret.number, { status: 'identified' }, {}, by(dee));
    await postStatusUpdate(secret.number, { audience: 'internal', body: 'Rotating the vault root token now' }, by(dee));
    await updateIncident(secret.number, { severity: 'SEV1' }, {}, by(dee));
    await updateIncident(secret.number, { status: 'resolved' }, {}, by(dee));
    const rows = await db.notification.findMany({ where: { incidentId: (await resolveIncident(secret.number, admin)).id }, orderBy: [{ createdAt: 'asc' }, { subject: 'asc' }], include: { channel: true } });
    expect(rows.map((r) => `${r.channel.kind}: ${r.subject}`).sort()).toEqual(
      [
        '[SEV2] A private incident was declared',
        '[SEV1] A private incident was raised to SEV1 (was SEV2)',
        '[SEV1] A private incident was resolved',
      ].flatMap((subject) => kinds.map((kind) => `${kind}: ${subject}`)).sort(),
    );
    for (const row of rows) {
      for (const secretWord of ['Vault', 'vault', 'paste site', `INC-${secret.number}`, `/incidents/${secret.number}`, 'Dee', `"number":${secret.number}`]) {
        expect(row.body, `${row.channel.kind} ${row.subject}`).not.toContain(secretWord);
      }
    }
    expect(JSON.parse(rows.find((r) => r.channel.kind === 'webhook')!.body)).toMatchObject({ type: 'incident.declared', incident: { private: true, severity: 'SEV2' } });

    // The same channels announce a public incident in full.
    const open = await declareIncident({ title: 'Checkout slow', severity: 'SEV3' }, by(dee));
    const announced = await db.notification.findMany({ where: { incidentId: (await resolveIncident(open.number, admin)).id } });
    expect(announced.map((r) => r.subject)).toEqual(kinds.map(() => `[SEV3] INC-${open.number} declared: Checkout slow`));
  });

  it('the status page never shows a private incident: no public update, and one made private drops off', async () => {
    const secret = await declareIncident({ title: 'Vault credentials leaked', severity: 'SEV1', private: true }, by(dee));
    expect(await answer(postStatusUpdate(secret.number, { audience: 'public', body: 'We are investigating' }, by(dee)))).toEqual({
      type: 'ConflictError',
      message: `INC-${secret.number} is private, so it cannot be on the public status page. Post an internal update, or make the incident public first.`,
    });
    const open = await declareIncident({ title: 'Login errors', severity: 'SEV2' }, by(dee));
    await postStatusUpdate(open.number, { audience: 'public', body: 'Some logins fail; we are on it.' }, by(dee));
    forgetPublicStatus();
    expect((await getPublicStatus()).incidents.map((i) => i.key)).toEqual([`INC-${open.number}`]);
    await updateIncident(open.number, { private: true, reason: 'turns out to be an attack' }, {}, by(dee));
    forgetPublicStatus();
    expect((await getPublicStatus()).incidents).toEqual([]);
  });
});

// ---- the live streams ----

type SseEvent = { event: string; data: unknown };

/** Reads Server-Sent Events off a Response body; `next()` resolves with the next event, or null once the stream ended. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<SseEvent | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) return { event, data: data ? JSON.parse(data) : null };
          continue; // a comment (connected, ping)
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe('live streams', () => {
  beforeEach(async () => {
    await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
  });

  it('the dashboard stream never names a private incident to a non-member, and says only that something changed', async () => {
    const secret = await breach();
    const open = await declareIncident({ title: 'Checkout slow', severity: 'SEV3' }, by(dee));
    const [secretId, openId] = [(await resolveIncident(secret.number, admin)).id, (await resolveIncident(open.number, admin)).id];
    const stopListening = await listening();
    const stop = new AbortController();
    try {
      const outsider = sseReader(dashboardStream(out, stop.signal));
      const member = sseReader(dashboardStream(mem, stop.signal));
      await postNote(secret.number, { body: 'Found the leaked key in a CI log' }, by(dee)); // its timeline only
      await updateIncident(secret.number, { status: 'identified' }, {}, by(dee)); // the incident itself
      await postNote(open.number, { body: 'Cache warmed' }, by(dee)); // a public change both must see, last
      const untilOpen = async (reader: ReturnType<typeof sseReader>) => {
        const seen: SseEvent[] = [];
        for (let event = await reader.next(); event; event = await reader.next()) {
          seen.push(event);
          if ((event.data as { incidentId?: string }).incidentId === openId) break;
        }
        return seen;
      };
      const seenByOutsider = await untilOpen(outsider);
      expect(JSON.stringify(seenByOutsider)).not.toContain(secretId);
      expect(JSON.stringify(seenByOutsider)).not.toContain(`"number":${secret.number}`);
      expect(seenByOutsider).toEqual([
        { event: 'incident', data: {} },
        { event: 'incident', data: { incidentId: openId } },
      ]);
      const seenByMember = await untilOpen(member);
      expect(seenByMember.filter((e) => (e.data as { incidentId?: string }).incidentId === secretId)).toHaveLength(3);
    } finally {
      stop.abort();
      stopListening();
    }
  });

  it('an incident’s stream ends when its viewer stops being a member', async () => {
    const secret = await breach();
    const id = (await resolveIncident(secret.number, sme)).id;
    const stopListening = await listening();
    const request = new AbortController();
    const stream = sseReader(await timelineStream(id, untilHidden(id, sme, request.signal), 0));
    try {
      // Catch-up from seq 0 proves the stream is subscribed (it subscribes before it reads).
      expect((await stream.next())!.event).toBe('timeline');
      await removeSme(secret.number, sme.email, by(dee));
      let ended = false;
      for (let event = await stream.next(); ; event = await stream.next()) {
        if (event === null) {
          ended = true;
          break;
        }
      }
      expect(ended).toBe(true);
    } finally {
      request.abort();
      stopListening();
    }
  });
});

/**
 * This process's LISTEN connection listening to both channels: a stream made afterwards attaches
 * its handlers as it is created, so nothing committed after that is missed. Returns unsubscribe.
 */
async function listening(): Promise<() => void> {
  const stops = await Promise.all([subscribe(incidentsChannel, null, () => undefined), subscribe(timelineChannel, null, () => undefined)]);
  return () => stops.forEach((stopOne) => stopOne());
}
