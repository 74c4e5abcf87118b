// Timeline search (lib/timeline/queries.ts listTimelinePage) over the words PostgreSQL stores with
// each event (`search`, a generated column): English stemming and prefixes find a note, the words
// follow an edit, and another incident's notes never show.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { declareIncident } from '@/lib/incidents/service';
import { listTimelinePage } from '@/lib/timeline/queries';
import { editTimelineEvent, postNote } from '@/lib/timeline/service';
import { createUser } from '@/lib/users/service';

let person: Actor;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  const user = await createUser({ email: 'searcher@example.com', name: 'Sam Searcher', role: 'responder' }, { actor: null });
  person = { id: user.id, email: user.email, name: user.name, role: user.role };
});

afterAll(async () => {
  await db.$disconnect();
});

it('finds notes by stemmed words and prefixes, follows edits, and stays inside its incident', async () => {
  const { number } = await declareIncident({ title: 'Checkout errors', severity: 'SEV2' }, { actor: person });
  const { number: other } = await declareIncident({ title: 'Another one', severity: 'SEV4' }, { actor: person });
  const { id: incidentId } = await db.incident.findUniqueOrThrow({ where: { number }, select: { id: true } });
  const failover = await postNote(number, { body: 'Started the database failover to the standby region' }, { actor: person });
  await postNote(number, { body: 'Error rate back under 1% after the rollback' }, { actor: person });
  await postNote(other, { body: 'Database failover drill, unrelated' }, { actor: person });

  const search = async (q: string) => (await listTimelinePage(incidentId, { q, limit: 50 })).items.map((event) => event.body);
  expect(await search('failovers')).toEqual(['Started the database failover to the standby region']); // stemmed
  expect(await search('datab')).toEqual(['Started the database failover to the standby region']); // a prefix
  expect(await search('rollback rate')).toEqual(['Error rate back under 1% after the rollback']); // every word
  expect(await search('drill')).toEqual([]); // the other incident's note

  await editTimelineEvent(number, failover.id, { body: 'Started the cache flush instead' }, { actor: person });
  expect(await search('failover')).toEqual([]);
  expect(await search('flush')).toEqual(['Started the cache flush instead']);
});
