// What the database decides about incidents: numbering, one transaction per change and its
// timeline events, the status lifecycle and key times, stale versions, and one holder per role.
// The timeline under many concurrent writers is in timeline-concurrency.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { fieldErrorsFromZod, ForbiddenError, InvalidTransitionError, NotFoundError, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import { declareIncidentRequestSchema } from '@/lib/incidents/operations';
import { editTimelineEvent, postNote } from '@/lib/timeline/service';
import { addSme, assignRole, correctKeyTime, declareIncident, removeSme, unassignRole, updateIncident } from '@/lib/incidents/service';
import { createUser } from '@/lib/users/service';

let ana: Actor;
let ben: Actor;
let cat: Actor;
let team: Actor[];

async function responder(email: string, name: string): Promise<Actor> {
  const user = await createUser({ email, name, role: 'responder' }, { actor: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  ana = await responder('ana@example.com', 'Ana Ops');
  ben = await responder('ben@example.com', 'Ben Dev');
  cat = await responder('cat@example.com', 'Cat Comms');
  team = [ana, ben, cat, await responder('dan@example.com', 'Dan Data'), await responder('eve@example.com', 'Eve Edge'), await responder('fay@example.com', 'Fay Front')];
});

beforeEach(async () => {
  // Cascades to roles, role history, experts, timeline events and their revisions; severities stay.
  await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
});

afterAll(async () => {
  await db.$disconnect();
});

const events = async (number: number) =>
  db.timelineEvent.findMany({ where: { incident: { number } }, orderBy: { seq: 'asc' }, select: { seq: true, kind: true, body: true, data: true } });

/** The ids of the transactions that last wrote the incident's row, its events and its role rows. */
async function writingTransactions(number: number) {
  const [incident] = await db.$queryRaw<{ id: string; xmin: string }[]>`SELECT id, xmin::text FROM incidents WHERE number = ${number}`;
  const eventTxs = await db.$queryRaw<{ seq: number; xmin: string }[]>`
    SELECT seq, xmin::text FROM timeline_events WHERE incident_id = ${incident!.id}::uuid ORDER BY seq`;
  const roleTxs = await db.$queryRaw<{ role: string; xmin: string }[]>`SELECT role::text, xmin::text FROM incident_roles WHERE incident_id = ${incident!.id}::uuid`;
  return { incident: incident!.xmin, events: eventTxs, roles: roleTxs };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to fail'),
    (error: unknown) => error,
  );
}

describe('declaring', () => {
  it('numbers the incident, makes the declarer commander, and writes its events in the same transaction', async () => {
    const first = await declareIncident({ title: 'Checkout is down', severity: 'sev1', services: ['checkout', 'checkout'] }, { actor: ana });
    const second = await declareIncident({ title: 'Search is slow', severity: 'SEV3' }, { actor: ana });
    expect(second.number).toBe(first.number + 1);
    expect(first.key).toBe(`INC-${first.number}`);
    expect(first).toMatchObject({ severity: 'SEV1', status: 'investigating', services: ['checkout'], version: 1 });
    expect(first.roles).toEqual({ commander: { email: ana.email, name: ana.name }, tech_lead: null, comms_lead: null, scribe: null });
    expect(await events(first.number)).toEqual([
      { seq: 1, kind: 'system', body: `Ana Ops declared INC-${first.number} as SEV1: Checkout is down`, data: { declared: true, severity: 'SEV1' } },
      { seq: 2, kind: 'role', body: 'Ana Ops took command as Incident Commander.', data: { role: 'commander', to: ana.email } },
    ]);
    // One transaction wrote the incident, both events and the commander's role: Postgres stamps
    // each row with the id of the transaction that wrote it.
    const written = await writingTransactions(first.number);
    expect(new Set([...written.events.map((e) => e.xmin), ...written.roles.map((r) => r.xmin)])).toEqual(new Set([written.incident]));
  });

  it('names the severities there are when given an unknown one, and writes nothing', async () => {
    const error = await failure(declareIncident({ title: 'Anything', severity: 'SEV5' }, { actor: ana }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: 'severity', message: 'SEV5 is not a severity; use SEV1–SEV4' }]);
    expect((error as ValidationError).status).toBe(422);
    expect(await db.incident.count()).toBe(0);
    expect(await db.timelineEvent.count()).toBe(0);
  });

  it('gives command to the person chosen, and refuses someone who is not a user', async () => {
    const incident = await declareIncident({ title: 'DNS failing', severity: 'SEV2', commanderEmail: 'BEN@example.com' }, { actor: ana });
    expect(incident.roles.commander).toEqual({ email: ben.email, name: ben.name });
    expect((await events(incident.number)).at(-1)!.body).toBe('Ana Ops made Ben Dev Incident Commander.');

    const error = await failure(declareIncident({ title: 'DNS failing', severity: 'SEV2', commanderEmail: 'nobody@example.com' }, { actor: ana }));
    expect((error as ValidationError).errors).toEqual([{ path: 'commanderEmail', message: 'No user has the email nobody@example.com' }]);
    expect(await db.incident.count()).toBe(1);
  });
});

describe('status lifecycle', () => {
  it('records key times, refuses closing an open incident naming the allowed moves, and needs a reason to reopen', async () => {
    const { number } = await declareIncident({ title: 'Queue backlog', severity: 'SEV3' }, { actor: ana });
    const monitoring = await updateIncident(number, { status: 'monitoring' }, {}, { actor: ana });
    expect(monitoring.times.mitigatedAt).not.toBeNull();
    expect(monitoring.times.acknowledgedAt).not.toBeNull(); // the first responder action
    expect(monitoring.times.resolvedAt).toBeNull();

    const refused = await failure(updateIncident(number, { status: 'closed' }, {}, { actor: ana }));
    expect(refused).toBeInstanceOf(InvalidTransitionError);
    expect((refused as InvalidTransitionError).status).toBe(409);
    expect((refused as Error).message).toBe(
      `INC-${number} is monitoring; it can move to investigating, identified or resolved, not closed. An incident is closed only once it is resolved.`,
    );

    // Back to identified and to monitoring again: mitigated stays the first time.
    await updateIncident(number, { status: 'identified' }, {}, { actor: ana });
    const again = await updateIncident(number, { status: 'monitoring' }, {}, { actor: ana });
    expect(again.times.mitigatedAt).toBe(monitoring.times.mitigatedAt);

    const resolved = await updateIncident(number, { status: 'resolved' }, {}, { actor: ana });
    expect(resolved.times.resolvedAt).not.toBeNull();
    expect(resolved.times.closedAt).toBeNull();
    const closed = await updateIncident(number, { status: 'closed' }, {}, { actor: ana });
    expect(closed.times).toMatchObject({ resolvedAt: resolved.times.resolvedAt });
    expect(closed.times.closedAt).not.toBeNull();

    const noReason = await failure(updateIncident(number, { status: 'investigating', reason: '  ' }, {}, { actor: ana }));
    expect(noReason).toBeInstanceOf(ValidationError);
    expect((noReason as ValidationError).errors).toEqual([{ path: 'reason', message: `Reopening INC-${number} (now closed) needs a reason: say what happened.` }]);
    expect((await db.incident.findUniqueOrThrow({ where: { number } })).status).toBe('closed');

    const reopened = await updateIncident(number, { status: 'investigating', reason: 'errors are back' }, {}, { actor: ana });
    expect(reopened).toMatchObject({ status: 'investigating', times: { resolvedAt: null, closedAt: null, mitigatedAt: monitoring.times.mitigatedAt } });
    const statusEvents = (await events(number)).filter((e) => e.kind === 'status');
    expect(statusEvents.map((e) => [(e.data as { from: string }).from, (e.data as { to: string }).to])).toEqual([
      ['investigating', 'monitoring'],
      ['monitoring', 'identified'],
      ['identified', 'monitoring'],
      ['monitoring', 'resolved'],
      ['resolved', 'closed'],
      ['closed', 'investigating'],
    ]);
    expect(statusEvents.at(-1)!.body).toBe(`Ana Ops reopened INC-${number} as investigating: errors are back`);
  });

  it('marks an incident that skips to resolved as mitigated then too', async () => {
    const { number } = await declareIncident({ title: 'Blip', severity: 'SEV4' }, { actor: ana });
    const resolved = await updateIncident(number, { status: 'resolved' }, {}, { actor: ana });
    expect(resolved.times.mitigatedAt).toBe(resolved.times.resolvedAt);
  });

  it('writes a change and its event in one transaction', async () => {
    const { number } = await declareIncident({ title: 'Login errors', severity: 'SEV2' }, { actor: ana });
    await updateIncident(number, { status: 'identified', severity: 'SEV1', reason: 'all regions' }, {}, { actor: ben });
    const written = await writingTransactions(number);
    const changeEvents = written.events.filter((e) => e.seq > 2); // after the declaration's two
    expect(changeEvents.length).toBe(3); // severity, status, acknowledged
    expect(new Set(changeEvents.map((e) => e.xmin))).toEqual(new Set([written.incident]));
  });

  it('treats the current status again as a no-op without a new version', async () => {
    const { number } = await declareIncident({ title: 'Noise', severity: 'SEV4' }, { actor: ana });
    const again = await updateIncident(number, { status: 'investigating' }, {}, { actor: ana });
    expect(again.version).toBe(1);
    expect(await events(number)).toHaveLength(2);
  });

  it('refuses a change against a stale version, says who changed it, and writes nothing', async () => {
    const { number, version } = await declareIncident({ title: 'Login errors', severity: 'SEV2' }, { actor: ana });
    const changed = await updateIncident(number, { severity: 'SEV1', reason: 'all regions' }, { ifVersion: version }, { actor: ben });
    expect(changed.version).toBe(version + 1);
    const before = await events(number);

    const error = await failure(updateIncident(number, { status: 'resolved' }, { ifVersion: version }, { actor: cat }));
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as PreconditionFailedError).status).toBe(412);
    expect((error as Error).message).toMatch(new RegExp(`^INC-${number} was changed by Ben Dev (?:just now|<1 min ago) \\(you had version 1, it is now 2\\)`));
    expect((await db.incident.findUniqueOrThrow({ where: { number } })).status).toBe('investigating');
    expect(await events(number)).toEqual(before);

    // With the current version the same change goes through.
    expect((await updateIncident(number, { status: 'resolved' }, { ifVersion: changed.version }, { actor: cat })).status).toBe('resolved');
  });

  it('refuses an unknown severity on update, and an unknown incident by its key', async () => {
    const { number } = await declareIncident({ title: 'Login errors', severity: 'SEV2' }, { actor: ana });
    const error = await failure(updateIncident(number, { severity: 'SEV5' }, {}, { actor: ana }));
    expect((error as ValidationError).errors).toEqual([{ path: 'severity', message: 'SEV5 is not a severity; use SEV1–SEV4' }]);
    await expect(updateIncident(number + 100, { status: 'resolved' }, {}, { actor: ana })).rejects.toThrow(new NotFoundError(`INC-${number + 100} does not exist.`));
  });
});

describe('key-time corrections', () => {
  it('changes the time and keeps the correction, with its reason, on the timeline', async () => {
    const { number, version } = await declareIncident({ title: 'Slow search', severity: 'SEV3' }, { actor: ana });
    const corrected = await correctKeyTime(number, { field: 'startedAt', value: '2026-11-22T14:02:00Z', reason: 'first errors in the logs' }, { ifVersion: version }, { actor: ana });
    expect(corrected.times.startedAt).toBe('2026-11-22T14:02:00.000Z');
    expect(corrected.version).toBe(version + 1);
    const last = (await events(number)).at(-1)!;
    expect(last).toMatchObject({
      kind: 'system',
      body: 'Ana Ops corrected “Started” from unset to 2026-11-22 14:02 UTC: first errors in the logs',
      data: { correction: 'startedAt', from: null, to: '2026-11-22T14:02:00.000Z', reason: 'first errors in the logs' },
    });

    await expect(correctKeyTime(number, { field: 'startedAt', value: null, reason: 'was wrong' }, { ifVersion: version }, { actor: ben })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    const cleared = await correctKeyTime(number, { field: 'startedAt', value: null, reason: 'was wrong' }, {}, { actor: ben });
    expect(cleared.times.startedAt).toBeNull();
    expect((await events(number)).at(-1)!.body).toBe('Ben Dev corrected “Started” from 2026-11-22 14:02 UTC to unset: was wrong');
  });
});

describe('roles', () => {
  it('are held only by people who can work incidents: a viewer is refused by name and app role, and nothing is written', async () => {
    const viewer = await createUser({ email: `viewer-${Date.now()}@example.com`, name: 'Vic Viewer', role: 'viewer' }, { actor: null });
    const incident = await declareIncident({ title: 'Cache stampede', severity: 'SEV3' }, { actor: ana });
    const before = await events(incident.number);
    const refused = await failure(assignRole(incident.number, 'scribe', viewer.email, {}, { actor: ana }));
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).status).toBe(422);
    expect((refused as ValidationError).errors).toEqual([
      { path: 'email', message: `Vic Viewer (${viewer.email}) is a viewer in Sitrep and cannot be Scribe; only responders and admins work incidents (an admin can change their app role in Settings → Users)` },
    ]);
    await expect(addSme(incident.number, viewer.email, { actor: ana })).rejects.toThrow(/is a viewer in Sitrep and cannot be a subject-matter expert/);
    await expect(declareIncident({ title: 'Another', severity: 'SEV3', commanderEmail: viewer.email }, { actor: ana })).rejects.toThrow(/is a viewer in Sitrep and cannot take command/);
    expect(await events(incident.number)).toEqual(before);
  });

  it('says on the timeline why an incident was acknowledged: the first response and what it was', async () => {
    const incident = await declareIncident({ title: 'Queue stuck', severity: 'SEV2' }, { actor: ana });
    const assigned = await assignRole(incident.number, 'tech_lead', ben.email, {}, { actor: ana });
    expect(assigned.times.acknowledgedAt).not.toBeNull();
    expect((await events(incident.number)).at(-1)!.body).toBe('Acknowledged: first response by Ana Ops (made Ben Dev Tech Lead).');
  });

  it('holds one person per primary role: the database itself refuses a second holder', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    const incident = await db.incident.findUniqueOrThrow({ where: { number } });
    await expect(
      db.$executeRaw`INSERT INTO incident_roles (incident_id, role, user_id) VALUES (${incident.id}::uuid, 'commander', ${ben.id}::uuid)`,
    ).rejects.toThrow(/23505|duplicate key/);
    expect(await db.incidentRole.findMany({ where: { incidentId: incident.id }, select: { role: true, userId: true } })).toEqual([{ role: 'commander', userId: ana.id }]);
  });

  it('leaves exactly one holder and an unbroken history when assignments race', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    await Promise.all(team.map((person) => assignRole(number, 'tech_lead', person.email, {}, { actor: ana })));

    const incident = await db.incident.findUniqueOrThrow({ where: { number }, include: { roles: true, roleHolds: true } });
    const holders = incident.roles.filter((r) => r.role === 'tech_lead');
    expect(holders).toHaveLength(1);
    const holds = incident.roleHolds.filter((h) => h.role === 'tech_lead').sort((a, b) => a.until.getTime() - b.until.getTime());
    expect(holds).toHaveLength(team.length - 1);
    // Each finished hold ends where the next began, and the last ends where the current one began.
    const tenures = [...holds.map((h) => ({ userId: h.userId, since: h.since.getTime(), until: h.until.getTime() })), { userId: holders[0]!.userId, since: holders[0]!.since.getTime(), until: Infinity }];
    for (let i = 1; i < tenures.length; i++) expect(tenures[i]!.since).toBe(tenures[i - 1]!.until);
    expect(new Set(tenures.map((t) => t.userId)).size).toBe(team.length);

    // The timeline tells the same story: each handoff starts from the previous holder.
    const roleEvents = (await events(number)).filter((e) => e.kind === 'role' && (e.data as { role: string }).role === 'tech_lead');
    const moves = roleEvents.map((e) => e.data as { from: string | null; to: string });
    expect(moves).toHaveLength(team.length);
    expect(moves[0]!.from).toBeNull();
    for (let i = 1; i < moves.length; i++) expect(moves[i]!.from).toBe(moves[i - 1]!.to);
    expect(moves.at(-1)!.to).toBe(team.find((p) => p.id === holders[0]!.userId)!.email);
  });

  it('lets only one of two handoffs made from the same version through', async () => {
    const { number, version } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    const results = await Promise.allSettled([
      assignRole(number, 'commander', ben.email, { ifVersion: version }, { actor: ben }),
      assignRole(number, 'commander', cat.email, { ifVersion: version }, { actor: cat }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
    expect(await db.incidentRoleHold.count({ where: { incident: { number } } })).toBe(1);
  });

  it('records a handoff with the outgoing holder and their tenure, and an unassignment too', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    const took = await db.incidentRole.findFirstOrThrow({ where: { incident: { number }, role: 'commander' } });
    const handed = await assignRole(number, 'commander', ben.email, {}, { actor: ana });
    expect(handed.roles.commander).toEqual({ email: ben.email, name: ben.name });
    const now = await db.incidentRole.findFirstOrThrow({ where: { incident: { number }, role: 'commander' } });
    const hold = await db.incidentRoleHold.findFirstOrThrow({ where: { incident: { number }, role: 'commander' } });
    expect(hold).toMatchObject({ userId: ana.id, since: took.since, until: now.since });
    const handoff = (await events(number)).filter((e) => e.kind === 'role').at(-1)!;
    expect(handoff).toMatchObject({ body: 'Ana Ops handed Incident Commander from Ana Ops to Ben Dev.', data: { role: 'commander', from: ana.email, to: ben.email, handoff: true } });

    // Assigning the holder again changes nothing.
    expect((await assignRole(number, 'commander', ben.email, {}, { actor: ana })).version).toBe(handed.version);

    const cleared = await unassignRole(number, 'commander', {}, { actor: ana });
    expect(cleared.roles.commander).toBeNull();
    const holds = await db.incidentRoleHold.findMany({ where: { incident: { number }, role: 'commander' }, orderBy: { until: 'asc' } });
    expect(holds.map((h) => h.userId)).toEqual([ana.id, ben.id]);
    expect((await events(number)).at(-1)!.body).toBe('Ana Ops removed Ben Dev as Incident Commander; the role is unfilled.');
  });

  it('adds and removes subject-matter experts, including one whose account was disabled since', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    await addSme(number, 'Ben@Example.com', { actor: ana });
    const twice = await addSme(number, ben.email, { actor: ana });
    expect(twice.smes).toEqual([{ email: ben.email, name: ben.name }]);

    await db.user.update({ where: { id: ben.id }, data: { disabledAt: new Date() } });
    try {
      expect((await removeSme(number, ben.email, { actor: ana })).smes).toEqual([]);
    } finally {
      await db.user.update({ where: { id: ben.id }, data: { disabledAt: null } });
    }
    await expect(removeSme(number, ben.email, { actor: ana })).rejects.toThrow(new NotFoundError(`Ben Dev is not a subject-matter expert on INC-${number}.`));
  });
});

describe('validation', () => {
  it('lists every invalid field at once, including those the database decides', async () => {
    const result = await declareIncidentRequestSchema.safeParseAsync({ title: '', severity: 'SEV9', startedAt: '2026-01-02T00:00:00Z', detectedAt: '2026-01-01T00:00:00Z' });
    expect(result.success).toBe(false);
    const byPath = Object.fromEntries(fieldErrorsFromZod(result.error!).map((e) => [e.path, e.message]));
    expect(byPath).toEqual({
      title: 'Give the incident a title of at least 3 characters',
      severity: 'SEV9 is not a severity; use SEV1–SEV4',
      detectedAt: 'The incident was detected before it started; check both times',
    });
    expect((await declareIncidentRequestSchema.safeParseAsync({ title: 'Fine title', severity: 'sev2' })).success).toBe(true);
  });
});

describe('notes', () => {
  it('lets only the author, the commander and admins change what a note says, names who did, and lets anyone pin', async () => {
    const declared = await declareIncident({ title: 'Search is slow', severity: 'SEV3' }, { actor: ana }); // Ana commands
    const note = await postNote(declared.number, { body: 'Ben: reindexing shard 3' }, { actor: ben });

    // Cat is a responder, not the author nor the commander: she may pin, not rewrite.
    await expect(editTimelineEvent(declared.number, note.id, { body: 'Cat says otherwise' }, { actor: cat })).rejects.toThrow(ForbiddenError);
    expect((await editTimelineEvent(declared.number, note.id, { pinned: true }, { actor: cat })).pinned).toBe(true);

    const byAuthor = await editTimelineEvent(declared.number, note.id, { body: 'Ben: reindexing shards 3 and 4' }, { actor: ben });
    expect(byAuthor.editedBy).toEqual({ email: ben.email, name: ben.name });
    const byCommander = await editTimelineEvent(declared.number, note.id, { body: 'Ben: reindexing shards 3–4 (done)' }, { actor: ana });
    expect(byCommander).toMatchObject({ actor: { email: ben.email }, editedBy: { email: ana.email } });
    const admin = { ...cat, role: 'admin' as const };
    expect((await editTimelineEvent(declared.number, note.id, { body: 'tidied' }, { actor: admin })).editedBy).toEqual({ email: cat.email, name: cat.name });
    // Every earlier text is kept, with who replaced it.
    const revisions = await db.timelineEventRevision.findMany({ where: { eventId: note.id }, orderBy: { editedAt: 'asc' }, select: { body: true, editedById: true } });
    expect(revisions.map((r) => r.body)).toEqual(['Ben: reindexing shard 3', 'Ben: reindexing shard 3', 'Ben: reindexing shards 3 and 4', 'Ben: reindexing shards 3–4 (done)']);
  });
});
