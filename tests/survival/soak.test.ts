// Survival, short soak: 60 s of mixed load from 20 clients on one `next start` (notes, status
// changes, checklist ticks, review section saves), with a live stream per incident. At the end
// the checks of the earlier issues still hold: no 5xx, every acknowledged note stored once and
// streamed, timelines gap-free, each checklist step in the state last acknowledged, every
// acknowledged review line kept, each incident in the status its last committed change set.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createUserWithToken, openSse, startApp, startPostgres, type App, type Postgres, type SseClient } from '../../scripts/support/instances';
import { describeSoak, runSoak, setUpSoak, type SoakIncident } from '../../scripts/support/soak';

const SOAK_MS = Number(process.env.SITREP_SOAK_SECONDS ?? 60) * 1_000;
const CLIENTS = 20;
const INCIDENTS = 4;

type Review = { version: number; sections: { key: string; body: string }[] };

let postgres: Postgres;
let app: App;
let token: string;
let incidents: SoakIncident[] = [];
const streams: SseClient[] = [];

beforeAll(async () => {
  postgres = await startPostgres({ name: 'soak' });
  token = await createUserWithToken(postgres.url, 'soak@example.com', 'admin');
  app = await startApp({ databaseUrl: postgres.url, name: 'soak' });
  incidents = await setUpSoak(app, token, INCIDENTS);
  for (const incident of incidents) streams.push(openSse(`${app.url}/api/v1/incidents/${incident.number}/stream`, { token, lastEventId: '0' }));
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await app?.stop();
  await postgres?.destroy();
});

it(`holds for ${SOAK_MS / 1000} s of mixed load from ${CLIENTS} clients`, { timeout: SOAK_MS + 90_000 }, async () => {
  const record = await runSoak(app, token, incidents, { clients: CLIENTS, ms: SOAK_MS });
  const { serverErrors, notes, lastItemState, sectionLines, statusChanges } = record;

  expect(serverErrors, 'no 5xx').toEqual([]);
  expect(record.unexpected, 'a section save is saved or refused as stale').toEqual([]);

  const db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  try {
    // Every acknowledged note stored once; every timeline numbered 1..last_seq without a gap.
    const { rows: stored } = await db.query<{ id: string }>('SELECT id FROM timeline_events WHERE id = ANY($1::uuid[])', [notes.map((n) => n.id)]);
    expect(stored.length).toBe(notes.length);
    const { rows: gaps } = await db.query(
      `SELECT i.number, i.last_seq, count(e.id)::int AS events, count(DISTINCT e.seq)::int AS seqs, max(e.seq) AS max_seq
         FROM incidents i JOIN timeline_events e ON e.incident_id = i.id
        GROUP BY i.id HAVING count(e.id) <> i.last_seq OR count(DISTINCT e.seq) <> i.last_seq OR max(e.seq) <> i.last_seq`,
    );
    expect(gaps, 'timelines with a gap or a duplicate seq').toEqual([]);

    // Checklist steps are in the state last acknowledged to their owner.
    for (const incident of incidents) {
      const checklists = await api<{ items: { items: { id: string; state: string }[] }[] }>(app, token, 'GET', `/api/v1/incidents/${incident.number}/checklists`);
      for (const item of checklists.body.items.flatMap((checklist) => checklist.items)) {
        if (lastItemState.has(item.id)) expect(item.state, `step ${item.id}`).toBe(lastItemState.get(item.id));
      }
      // Every acknowledged review line is in the section.
      const review = await api<Review>(app, token, 'GET', `/api/v1/incidents/${incident.number}/postmortem`);
      const body = review.body.sections.find((s) => s.key === incident.section)!.body;
      const missing = (sectionLines.get(incident.number) ?? []).filter((line) => !body.split('\n').includes(line));
      expect(missing, `review lines lost on ${incident.number}`).toEqual([]);
      // The status is the one of the last committed change (highest version).
      const changes = statusChanges.get(incident.number) ?? [];
      if (changes.length) {
        const last = changes.reduce((a, b) => (b.version > a.version ? b : a));
        const now = await api<{ status: string }>(app, token, 'GET', `/api/v1/incidents/${incident.number}`);
        expect(now.body.status).toBe(last.status);
      }
    }
  } finally {
    await db.end();
  }

  // Every acknowledged note reached the incident's live stream.
  for (const [index, incident] of incidents.entries()) {
    const stream = streams[index]!;
    const streamed = new Set(stream.events.filter((e) => e.event === 'timeline').map((e) => Number(e.id)));
    const expected = notes.filter((n) => n.number === incident.number).map((n) => n.seq);
    const deadline = Date.now() + 10_000;
    while (expected.some((seq) => !streamed.has(seq)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const e of stream.events) if (e.event === 'timeline') streamed.add(Number(e.id));
    }
    expect(expected.filter((seq) => !streamed.has(seq)), `notes missing from the stream of ${incident.number}`).toEqual([]);
  }

  console.log(`[survival] soak: ${describeSoak(record, SOAK_MS)}`);
});
