// The per-incident facts /insights reads (migration 20261202094135_insight_facts): PostgreSQL
// keeps each incident's update counts as its status updates are written, moved, re-timed and
// deleted, and as its severity, its severity's cadence or its declaration change. Each test
// compares the kept columns with the facts worked out from the rows themselves by
// definitions.ts; the last shows two transactions posting at once both count.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/platform/db';
import { updateCadence } from '@/lib/insights/definitions';

const now = new Date('2026-03-20T12:00:00Z');
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  await db.$executeRawUnsafe(`UPDATE severities SET update_cadence_minutes = v.c FROM (VALUES ('SEV1', 30), ('SEV2', 60), ('SEV3', 240), ('SEV4', 1440)) AS v(k, c) WHERE key = v.k`);
});

afterAll(async () => {
  await db.$executeRawUnsafe(`UPDATE severities SET update_cadence_minutes = v.c FROM (VALUES ('SEV1', 30), ('SEV2', 60), ('SEV3', 240), ('SEV4', 1440)) AS v(k, c) WHERE key = v.k`);
});

async function incident(severity: string, declared: string) {
  return db.incident.create({ data: { title: `Facts ${severity} ${declared}`, severityKey: severity, declaredAt: at(declared), startedAt: at(declared) } });
}

async function post(incidentId: string, hhmm: string) {
  return db.statusUpdate.create({ data: { incidentId, audience: 'internal', body: 'update', incidentStatus: 'investigating', postedAt: at(hhmm) } });
}

/** The kept columns beside what definitions.ts makes of the incident's rows as they are now. */
async function factsOf(id: string) {
  const row = await db.incident.findUniqueOrThrow({ where: { id }, include: { severity: true, statusUpdates: true } });
  const cadence = updateCadence(row, row.statusUpdates.map((u) => u.postedAt), row.severity.updateCadenceMinutes, now);
  const last = row.statusUpdates.map((u) => u.postedAt.getTime()).sort((a, b) => b - a)[0];
  return {
    kept: {
      posted: row.updatesPosted,
      onTime: row.updatesOnTime,
      lastUpdateAt: row.lastUpdateAt?.getTime() ?? null,
    },
    expected: {
      posted: row.statusUpdates.length,
      // updateCadence's total adds one for a missed last cadence: the on-time count is its own.
      onTime: cadence.onTime,
      lastUpdateAt: last ?? null,
    },
  };
}

async function expectKept(id: string, expected: Partial<Awaited<ReturnType<typeof factsOf>>['expected']>) {
  const facts = await factsOf(id);
  expect(facts.kept).toEqual(facts.expected);
  expect(facts.kept).toMatchObject(expected);
}

describe('update facts', () => {
  it('count each update as it is posted, in any order, and as it is re-timed or deleted', async () => {
    // SEV2: 60 minutes. Declared 10:00; 10:30 on time, 12:00 late (90 after 10:30), 12:40 on time.
    const inc = await incident('SEV2', '10:00');
    await expectKept(inc.id, { posted: 0, onTime: 0, lastUpdateAt: null });
    await post(inc.id, '12:00');
    await expectKept(inc.id, { posted: 1, onTime: 0 }); // 120 after the declaration
    await post(inc.id, '10:30'); // back-dated: now before 12:00, which stays late
    const last = await post(inc.id, '12:40');
    await expectKept(inc.id, { posted: 3, onTime: 2, lastUpdateAt: at('12:40').getTime() });
    await db.statusUpdate.update({ where: { id: last.id }, data: { postedAt: at('14:00') } });
    await expectKept(inc.id, { posted: 3, onTime: 1, lastUpdateAt: at('14:00').getTime() });
    await db.statusUpdate.update({ where: { id: last.id }, data: { body: 'edited text' } });
    await expectKept(inc.id, { posted: 3, onTime: 1 });
    await db.statusUpdate.delete({ where: { id: last.id } });
    await expectKept(inc.id, { posted: 2, onTime: 1, lastUpdateAt: at('12:00').getTime() });
    await db.statusUpdate.deleteMany({ where: { incidentId: inc.id } });
    await expectKept(inc.id, { posted: 0, onTime: 0, lastUpdateAt: null });
  });

  it('follow updates moved to another incident, as a merge moves them', async () => {
    const duplicate = await incident('SEV1', '09:00');
    const survivor = await incident('SEV1', '09:00');
    await post(duplicate.id, '09:20');
    await post(duplicate.id, '09:40');
    await post(survivor.id, '10:30');
    await db.statusUpdate.updateMany({ where: { incidentId: duplicate.id }, data: { incidentId: survivor.id } });
    await expectKept(duplicate.id, { posted: 0, onTime: 0 });
    await expectKept(survivor.id, { posted: 3, onTime: 2 });
  });

  it('are recounted when the incident changes severity or declaration time, or its severity’s cadence changes', async () => {
    const inc = await incident('SEV1', '10:00'); // 30 minutes
    await post(inc.id, '10:45');
    await post(inc.id, '11:30');
    await expectKept(inc.id, { onTime: 0 });
    await db.incident.update({ where: { id: inc.id }, data: { severityKey: 'SEV2' } }); // 60 minutes
    await expectKept(inc.id, { onTime: 2 });
    await db.incident.update({ where: { id: inc.id }, data: { declaredAt: at('09:00') } }); // first now 105 after
    await expectKept(inc.id, { onTime: 1 });
    await db.severity.update({ where: { key: 'SEV2' }, data: { updateCadenceMinutes: 120 } });
    await expectKept(inc.id, { onTime: 2 });
    await db.severity.update({ where: { key: 'SEV2' }, data: { updateCadenceMinutes: 60 } });
    await expectKept(inc.id, { onTime: 1 });
  });

  it('lose nothing when two transactions post to one incident at the same moment', async () => {
    const inc = await incident('SEV2', '10:00');
    const first = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const second = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await Promise.all([first.connect(), second.connect()]);
    const insert = `INSERT INTO status_updates (incident_id, audience, body, incident_status, posted_at) VALUES ($1, 'internal', 'update', 'investigating', $2)`;
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await first.query(insert, [inc.id, at('10:30')]);
      // The second writer's facts wait for the first's lock; once it commits, they count both.
      const waiting = second.query(insert, [inc.id, at('11:00')]);
      const blocked = await Promise.race([waiting.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 300))]);
      expect(blocked).toBe(true);
      await first.query('COMMIT');
      await waiting;
      await second.query('COMMIT');
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
    await expectKept(inc.id, { posted: 2, onTime: 2, lastUpdateAt: at('11:00').getTime() });
  });
});
