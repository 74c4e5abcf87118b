import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/policy';
import { db } from '@/lib/db';
import { InvalidTransitionError, PreconditionFailedError, ValidationError } from '@/lib/errors';
import { assignRole, correctKeyTime, declareIncident, unassignRole, updateIncident } from '@/lib/incidents/service';
import { postNote } from '@/lib/timeline/service';
import { createUser } from '@/lib/users/service';

let ana: Actor;
let ben: Actor;
let cat: Actor;

async function actor(email: string, name: string): Promise<Actor> {
  const user = await createUser({ email, name, role: 'responder' }, { actor: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  ana = await actor('ana@example.com', 'Ana Ops');
  ben = await actor('ben@example.com', 'Ben Dev');
  cat = await actor('cat@example.com', 'Cat Comms');
});

beforeEach(async () => {
  await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
});

afterAll(async () => {
  await db.$disconnect();
});

const events = async (number: number) =>
  db.timelineEvent.findMany({ where: { incident: { number } }, orderBy: { seq: 'asc' }, select: { seq: true, kind: true, body: true, data: true } });

describe('declaring', () => {
  it('numbers the incident, makes the declarer commander, and writes the events with it', async () => {
    const incident = await declareIncident({ title: 'Checkout is down', severity: 'sev1', services: ['checkout', 'checkout'] }, { actor: ana });
    expect(incident.key).toBe(`INC-${incident.number}`);
    expect(incident).toMatchObject({ severity: 'SEV1', status: 'investigating', services: ['checkout'], version: 1 });
    expect(incident.roles.commander).toEqual({ email: ana.email, name: ana.name });
    expect((await events(incident.number)).map((e) => [e.seq, e.kind])).toEqual([
      [1, 'system'],
      [2, 'role'],
    ]);
  });

  it('names the allowed severities when given an unknown one, and writes nothing', async () => {
    const error = await declareIncident({ title: 'Anything', severity: 'SEV5' }, { actor: ana }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: 'severity', message: 'SEV5 is not a severity; use SEV1–SEV4' }]);
    expect(await db.incident.count()).toBe(0);
    expect(await db.timelineEvent.count()).toBe(0);
  });

  it('lets the declarer hand command to someone else at once', async () => {
    const incident = await declareIncident({ title: 'DNS failing', severity: 'SEV2', commanderEmail: 'BEN@example.com' }, { actor: ana });
    expect(incident.roles.commander?.email).toBe(ben.email);
  });
});

describe('status lifecycle', () => {
  it('records key times, refuses closing an open incident with the allowed moves, and needs a reason to reopen', async () => {
    const { number } = await declareIncident({ title: 'Queue backlog', severity: 'SEV3' }, { actor: ana });
    const monitoring = await updateIncident(number, { status: 'monitoring' }, {}, { actor: ana });
    expect(monitoring.times.mitigatedAt).not.toBeNull();
    expect(monitoring.times.acknowledgedAt).not.toBeNull(); // the first responder action

    await expect(updateIncident(number, { status: 'closed' }, {}, { actor: ana })).rejects.toThrow(
      new InvalidTransitionError(`INC-${number} is monitoring; it can move to investigating, identified or resolved, not closed. An incident is closed only once it is resolved.`),
    );
    const resolved = await updateIncident(number, { status: 'resolved' }, {}, { actor: ana });
    expect(resolved.times.resolvedAt).not.toBeNull();
    const closed = await updateIncident(number, { status: 'closed' }, {}, { actor: ana });
    expect(closed.times.closedAt).not.toBeNull();

    await expect(updateIncident(number, { status: 'investigating' }, {}, { actor: ana })).rejects.toBeInstanceOf(ValidationError);
    const reopened = await updateIncident(number, { status: 'investigating', reason: 'errors are back' }, {}, { actor: ana });
    expect(reopened).toMatchObject({ status: 'investigating', times: { resolvedAt: null, closedAt: null } });
    expect(reopened.times.mitigatedAt).toBe(monitoring.times.mitigatedAt);
    const statusEvents = (await events(number)).filter((e) => e.kind === 'status');
    expect(statusEvents.at(-1)!.body).toBe('Ana Ops reopened INC-' + number + ' as investigating: errors are back');
  });

  it('treats the current status again as a no-op without a new version', async () => {
    const { number } = await declareIncident({ title: 'Noise', severity: 'SEV4' }, { actor: ana });
    const again = await updateIncident(number, { status: 'investigating' }, {}, { actor: ana });
    expect(again.version).toBe(1);
  });

  it('refuses a change against a stale version and says who changed it', async () => {
    const { number, version } = await declareIncident({ title: 'Login errors', severity: 'SEV2' }, { actor: ana });
    await updateIncident(number, { severity: 'SEV1', reason: 'all regions' }, { ifVersion: version }, { actor: ben });
    const error = await updateIncident(number, { status: 'resolved' }, { ifVersion: version }, { actor: cat }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as Error).message).toMatch(new RegExp(`^INC-${number} was changed by Ben Dev a moment ago \\(you had version 1, it is now 2\\)`));
    expect((await db.incident.findUniqueOrThrow({ where: { number } })).status).toBe('investigating');
  });

  it('keeps key-time corrections on the timeline', async () => {
    const { number } = await declareIncident({ title: 'Slow search', severity: 'SEV3' }, { actor: ana });
    const corrected = await correctKeyTime(number, { field: 'startedAt', value: '2026-11-22T14:02:00Z', reason: 'first errors in the logs' }, {}, { actor: ana });
    expect(corrected.times.startedAt).toBe('2026-11-22T14:02:00.000Z');
    const last = (await events(number)).at(-1)!;
    expect(last.body).toContain('corrected “Started” from unset to 2026-11-22 14:02 UTC: first errors in the logs');
  });
});

describe('roles', () => {
  it('holds one person per primary role: the database refuses a second holder', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    const incident = await db.incident.findUniqueOrThrow({ where: { number } });
    await expect(db.$executeRaw`INSERT INTO incident_roles (incident_id, role, user_id) VALUES (${incident.id}::uuid, 'commander', ${ben.id}::uuid)`).rejects.toThrow();
  });

  it('keeps one holder and a consistent history when handoffs race', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    await Promise.all([
      assignRole(number, 'tech_lead', ben.email, {}, { actor: ana }),
      assignRole(number, 'tech_lead', cat.email, {}, { actor: ana }),
      assignRole(number, 'tech_lead', ana.email, {}, { actor: ana }),
    ]);
    const incident = await db.incident.findUniqueOrThrow({ where: { number }, include: { roles: true, roleHolds: true } });
    expect(incident.roles.filter((r) => r.role === 'tech_lead')).toHaveLength(1);
    const holds = incident.roleHolds.filter((h) => h.role === 'tech_lead').sort((a, b) => a.until.getTime() - b.until.getTime());
    expect(holds).toHaveLength(2);
    // Each finished hold ends where the next began: no overlaps, no gaps.
    expect(holds[1]!.since.getTime()).toBe(holds[0]!.until.getTime());
  });

  it('records a handoff with the outgoing holder and the time', async () => {
    const { number } = await declareIncident({ title: 'Payments', severity: 'SEV1' }, { actor: ana });
    const handed = await assignRole(number, 'commander', ben.email, {}, { actor: ana });
    expect(handed.roles.commander?.email).toBe(ben.email);
    const hold = await db.incidentRoleHold.findFirstOrThrow({ where: { incident: { number }, role: 'commander' } });
    expect(hold.userId).toBe(ana.id);
    expect((await events(number)).filter((e) => e.kind === 'role').at(-1)!.body).toBe('Ana Ops handed Incident Commander from Ana Ops to Ben Dev.');
    const cleared = await unassignRole(number, 'commander', {}, { actor: ana });
    expect(cleared.roles.commander).toBeNull();
  });
});

describe('timeline under concurrent writers', () => {
  it('keeps all 1000 notes of 50 writers × 20, with unique gap-free seqs and each writer’s order', async () => {
    const { number } = await declareIncident({ title: 'Load test', severity: 'SEV4' }, { actor: ana });
    const writers = 50;
    const perWriter = 20;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) await postNote(number, { body: `writer ${w} note ${i}` }, { actor: ana });
      }),
    );
    const notes = (await events(number)).filter((e) => e.kind === 'note');
    expect(notes).toHaveLength(writers * perWriter);
    const all = await events(number);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    for (let w = 0; w < writers; w++) {
      const mine = notes.filter((n) => n.body.startsWith(`writer ${w} `)).map((n) => Number(n.body.split(' ').at(-1)));
      expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
    }
  }, 60_000);
});
