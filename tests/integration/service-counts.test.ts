// service_counts on a real PostgreSQL: the incident list's service filter reads its choices from
// counts kept by triggers on incidents. Each test writes incidents the ways Sitrep and a person at
// psql do, then holds the counts to the ones worked out again from every incident's services.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { listServices } from '@/lib/incidents/queries';
import { addMember, declareIncident, updateIncident } from '@/lib/incidents/service';
import { createUser } from '@/lib/users/service';

let admin: Actor, dee: Actor, out: Actor;

async function person(email: string, name: string, role: Actor['role']): Promise<Actor> {
  const user = await createUser({ email, name, role }, { actor: null });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  admin = await person('ada@example.com', 'Ada Admin', 'admin');
  dee = await person('dee@example.com', 'Dee Declarer', 'responder');
  out = await person('out@example.com', 'Oz Outsider', 'responder');
});

beforeEach(async () => {
  await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
});

afterAll(async () => {
  await stopQueue();
  await db.$disconnect();
});

const by = (actor: Actor) => ({ actor });

type Count = { service: string; incidents: number; publicIncidents: number };

/** The counts as kept, leaving out services no incident names any longer. */
async function kept(): Promise<Count[]> {
  return db.$queryRaw<Count[]>`
    SELECT service, incidents, public_incidents AS "publicIncidents" FROM service_counts
    WHERE incidents <> 0 OR public_incidents <> 0 ORDER BY service`;
}

/** The counts worked out again from every incident. */
async function recounted(): Promise<Count[]> {
  return db.$queryRaw<Count[]>`
    SELECT s AS service, count(*)::int AS incidents, (count(*) FILTER (WHERE NOT i.private))::int AS "publicIncidents"
    FROM incidents i, LATERAL (SELECT DISTINCT unnest(i.services)) AS named(s)
    GROUP BY s ORDER BY s`;
}

async function expectExact(expected?: Count[]) {
  const counts = await kept();
  expect(counts).toEqual(await recounted());
  if (expected) expect(counts).toEqual(expected);
}

describe('service_counts', () => {
  it('counts declared incidents, public and private, and the filter offers each viewer what it may see', async () => {
    await declareIncident({ title: 'Checkout slow', severity: 'SEV3', services: ['checkout', 'payments'] }, by(out));
    const secret = await declareIncident({ title: 'Vault keys leaked', severity: 'SEV1', services: ['vault', 'checkout'], private: true }, by(dee));
    await expectExact([
      { service: 'checkout', incidents: 2, publicIncidents: 1 },
      { service: 'payments', incidents: 1, publicIncidents: 1 },
      { service: 'vault', incidents: 1, publicIncidents: 0 },
    ]);
    expect(await listServices(out)).toEqual(['checkout', 'payments']);
    expect(await listServices(dee)).toEqual(['checkout', 'payments', 'vault']);
    expect(await listServices(admin)).toEqual(['checkout', 'payments', 'vault']);
    expect(await listServices('installation')).toEqual(['checkout', 'payments', 'vault']);

    await addMember(secret.number, out.email, by(dee));
    expect(await listServices(out)).toEqual(['checkout', 'payments', 'vault']);
  });

  it('follows a change of services and of privacy, both ways, and an update that changes neither writes no count', async () => {
    const one = await declareIncident({ title: 'Search down', severity: 'SEV2', services: ['search'] }, by(dee));
    const two = await declareIncident({ title: 'Search slow', severity: 'SEV3', services: ['search', 'cdn'] }, by(dee));

    await updateIncident(one.number, { services: ['search', 'payments'] }, {}, by(dee));
    await expectExact([
      { service: 'cdn', incidents: 1, publicIncidents: 1 },
      { service: 'payments', incidents: 1, publicIncidents: 1 },
      { service: 'search', incidents: 2, publicIncidents: 2 },
    ]);

    await updateIncident(two.number, { private: true, reason: 'a customer is named' }, {}, by(dee));
    await expectExact([
      { service: 'cdn', incidents: 1, publicIncidents: 0 },
      { service: 'payments', incidents: 1, publicIncidents: 1 },
      { service: 'search', incidents: 2, publicIncidents: 1 },
    ]);
    expect(await listServices(out)).toEqual(['payments', 'search']);

    // Privacy and services in one change, then back to public.
    await updateIncident(two.number, { private: false, services: ['cdn'] }, {}, by(dee));
    await expectExact([
      { service: 'cdn', incidents: 1, publicIncidents: 1 },
      { service: 'payments', incidents: 1, publicIncidents: 1 },
      { service: 'search', incidents: 1, publicIncidents: 1 },
    ]);

    const versions = async () => db.$queryRaw<{ service: string; version: string }[]>`SELECT service, xmin::text AS version FROM service_counts ORDER BY service`;
    const before = await versions();
    await updateIncident(one.number, { status: 'identified', title: 'Search down in one region' }, {}, by(dee));
    await db.$executeRaw`UPDATE incidents SET summary = 'touched' WHERE number = ${two.number}`;
    expect(await versions()).toEqual(before);
  });

  it('stays exact through raw SQL: a statement over many rows, a repeated service, a delete and a truncate', async () => {
    for (const [i, services] of [['a', 'b'], ['b', 'c'], ['c'], []].entries()) {
      await declareIncident({ title: `Incident ${i}`, severity: 'SEV4', services }, by(dee));
    }
    await db.$executeRaw`UPDATE incidents SET private = NOT private`;
    await expectExact([
      { service: 'a', incidents: 1, publicIncidents: 0 },
      { service: 'b', incidents: 2, publicIncidents: 0 },
      { service: 'c', incidents: 2, publicIncidents: 0 },
    ]);
    await db.$executeRaw`UPDATE incidents SET services = ARRAY['d', 'd', 'a'] WHERE services = '{}'`;
    await expectExact([
      { service: 'a', incidents: 2, publicIncidents: 0 },
      { service: 'b', incidents: 2, publicIncidents: 0 },
      { service: 'c', incidents: 2, publicIncidents: 0 },
      { service: 'd', incidents: 1, publicIncidents: 0 },
    ]);
    await db.$executeRaw`DELETE FROM incidents WHERE 'b' = ANY (services)`;
    await expectExact([
      { service: 'a', incidents: 1, publicIncidents: 0 },
      { service: 'c', incidents: 1, publicIncidents: 0 },
      { service: 'd', incidents: 1, publicIncidents: 0 },
    ]);
    expect(await listServices(admin)).toEqual(['a', 'c', 'd']);
    expect(await listServices(out)).toEqual([]);

    await db.$executeRawUnsafe('TRUNCATE incidents CASCADE');
    expect(await db.$queryRaw`SELECT * FROM service_counts`).toEqual([]);
  });

  it('concurrent declares and service changes on the same services in opposite orders lose no count and deadlock nothing', async () => {
    const services = ['alpha', 'beta', 'gamma'];
    const declared = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const named = i % 2 ? [...services].reverse() : services.slice(0, 1 + (i % 3));
        return declareIncident({ title: `Storm ${i}`, severity: 'SEV3', services: named, private: i % 4 === 0 }, by(dee));
      }),
    );
    await expectExact();
    await Promise.all(
      declared.map((incident, i) =>
        updateIncident(incident.number, { services: i % 2 ? ['gamma', 'alpha'] : ['beta'], ...(i % 3 === 0 ? { private: i % 2 === 0, reason: 'review' } : {}) }, {}, by(dee)),
      ),
    );
    await expectExact();
    expect((await kept()).map((c) => [c.service, c.incidents])).toEqual([
      ['alpha', 12],
      ['beta', 12],
      ['gamma', 12],
    ]);
  });
});
