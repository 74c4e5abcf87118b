// The timeline's ordering under load (lib/timeline/service.ts): 50 writers post 20 notes each to
// one incident at once, through the same postNote the UI and the API call, while a reader pages
// through the timeline the way the SSE stream and `GET …/timeline?after=` do. Every note must be
// kept, seqs must be exactly 1..N, each writer's notes must be in the order it wrote them, and
// the reader, only ever asking for what is after the last seq it saw, must miss nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { declareIncident } from '@/lib/incidents/service';
import { listTimelineAfter } from '@/lib/timeline/queries';
import type { TimelineEventDto } from '@/lib/timeline/schema';
import { postNote } from '@/lib/timeline/service';
import { createUser } from '@/lib/users/service';

const WRITERS = 50;
const NOTES_EACH = 20;

let people: Actor[];

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  people = await Promise.all(
    Array.from({ length: 5 }, async (_, i) => {
      const user = await createUser({ email: `writer${i}@example.com`, name: `Writer ${i}`, role: 'responder' }, { actor: null });
      return { id: user.id, email: user.email, name: user.name, role: user.role };
    }),
  );
});

afterAll(async () => {
  await db.$disconnect();
});

it(`keeps all ${WRITERS * NOTES_EACH} notes of ${WRITERS} concurrent writers with gap-free seqs, each writer's order, and a reader that misses none`, async () => {
  const { number } = await declareIncident({ title: 'Load test', severity: 'SEV4' }, { actor: people[0]! });
  const { id: incidentId } = await db.incident.findUniqueOrThrow({ where: { number }, select: { id: true } });

  // A reader following the timeline while it is written: it asks only for seqs above the last
  // one it has, so a seq committed below that would be lost for good.
  let writing = true;
  const seen: number[] = [];
  const follow = async () => {
    let after = 0;
    const readPage = async () => {
      const page = await listTimelineAfter(incidentId, after, 1000);
      for (const event of page.items) seen.push(event.seq);
      after = page.items.at(-1)?.seq ?? after;
      return page.nextAfter;
    };
    while (writing) {
      await readPage();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    while ((await readPage()) !== null); // the rest, once every writer is done
  };
  const reader = follow();

  const started = Date.now();
  const written: TimelineEventDto[][] = await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const mine: TimelineEventDto[] = [];
      for (let i = 0; i < NOTES_EACH; i++) {
        mine.push(await postNote(number, { body: `writer ${writer} note ${i}` }, { actor: people[writer % people.length]! }));
      }
      return mine;
    }),
  ).finally(() => {
    writing = false;
  });
  await reader;
  const elapsed = Date.now() - started;

  const stored = await db.timelineEvent.findMany({ where: { incidentId }, orderBy: { seq: 'asc' }, select: { id: true, seq: true, kind: true, body: true } });
  const notes = stored.filter((event) => event.kind === 'note');

  // Every note kept, once.
  expect(notes).toHaveLength(WRITERS * NOTES_EACH);
  expect(new Set(notes.map((n) => n.body)).size).toBe(WRITERS * NOTES_EACH);

  // seqs exactly 1..N (declared, commander, one acknowledgement by the first note, the notes),
  // and the incident's counter agrees.
  expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
  expect(stored).toHaveLength(2 + 1 + WRITERS * NOTES_EACH);
  expect(stored.filter((e) => /^Acknowledged: first response by .+ \(posted a note\)\.$/.test(e.body))).toHaveLength(1);
  expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).lastSeq).toBe(stored.length);

  // Each writer's notes, by seq, are in the order it wrote them; and what postNote returned is what was stored.
  const seqOf = new Map(stored.map((e) => [e.id, e.seq]));
  for (let writer = 0; writer < WRITERS; writer++) {
    const mine = notes.filter((n) => n.body.startsWith(`writer ${writer} `)).map((n) => Number(n.body.split(' ').at(-1)));
    expect(mine, `writer ${writer}`).toEqual(Array.from({ length: NOTES_EACH }, (_, i) => i));
    const returned = written[writer]!;
    expect(returned.map((event) => seqOf.get(event.id))).toEqual(returned.map((event) => event.seq));
    expect(returned.map((event) => event.seq)).toEqual([...returned.map((event) => event.seq)].sort((a, b) => a - b));
  }

  // The reader saw every seq exactly once, in order: nothing was committed behind its back.
  expect(seen).toEqual(stored.map((e) => e.seq));

  expect(elapsed).toBeLessThan(30_000);
}, 60_000);
