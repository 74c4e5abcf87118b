// Survival, short soak: 60 s of mixed load from 20 clients on one `next start` (notes, status
// changes, checklist ticks, review section saves), with a live stream per incident. At the end
// the checks of the earlier issues still hold: no 5xx, every acknowledged note stored once and
// streamed, timelines gap-free, each checklist step in the state last acknowledged, every
// acknowledged review line kept, each incident in the status its last committed change set.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createUserWithToken, openSse, startApp, startPostgres, type App, type Postgres, type SseClient } from '../../scripts/support/instances';

const SOAK_MS = Number(process.env.SITREP_SOAK_SECONDS ?? 60) * 1_000;
const CLIENTS = 20;
const INCIDENTS = 4;
const OPEN_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

type Review = { version: number; sections: { key: string; body: string }[] };
type Checklist = { id: string; items: { id: string }[] };

let postgres: Postgres;
let app: App;
let token: string;
const incidents: { number: number; item: { checklistId: string; itemIds: string[] }; section: string; stream?: SseClient }[] = [];

beforeAll(async () => {
  postgres = await startPostgres({ name: 'soak' });
  token = await createUserWithToken(postgres.url, 'soak@example.com', 'admin');
  app = await startApp({ databaseUrl: postgres.url, name: 'soak' });
  const runbook = await api<{ id: string }>(app, token, 'POST', '/api/v1/runbooks', {
    title: 'Soak runbook',
    phases: [{ title: 'Mitigate', steps: [{ title: 'Step 1' }, { title: 'Step 2' }, { title: 'Step 3' }, { title: 'Step 4' }, { title: 'Step 5' }] }],
  });
  expect(runbook.status).toBe(201);
  for (let i = 0; i < INCIDENTS; i++) {
    const declared = await api<{ number: number }>(app, token, 'POST', '/api/v1/incidents', { title: `Soak incident ${i + 1}`, severity: 'SEV2' });
    const number = declared.body.number;
    const checklist = await api<Checklist>(app, token, 'POST', `/api/v1/incidents/${number}/checklists`, { runbookId: runbook.body.id });
    expect(checklist.status).toBe(201);
    const review = await api<Review>(app, token, 'POST', `/api/v1/incidents/${number}/postmortem`);
    expect(review.status).toBe(201);
    incidents.push({
      number,
      item: { checklistId: checklist.body.id, itemIds: checklist.body.items.map((item) => item.id) },
      section: review.body.sections.at(-1)!.key,
      stream: openSse(`${app.url}/api/v1/incidents/${number}/stream`, { token, lastEventId: '0' }),
    });
  }
});

afterAll(async () => {
  for (const incident of incidents) incident.stream?.close();
  await app?.stop();
  await postgres?.destroy();
});

it(`holds for ${SOAK_MS / 1000} s of mixed load from ${CLIENTS} clients`, { timeout: SOAK_MS + 90_000 }, async () => {
  const serverErrors: string[] = [];
  const latencies: number[] = [];
  const counts: Record<string, number> = {};
  const notes: { number: number; id: string; seq: number }[] = [];
  const lastItemState = new Map<string, string>(); // item id → last acknowledged state
  const sectionLines = new Map<number, string[]>(); // incident → acknowledged lines
  const statusChanges = new Map<number, { version: number; status: string }[]>();

  const call = async <T>(op: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const started = performance.now();
    const result = await api<T>(app, token, method, path, body, headers);
    latencies.push(performance.now() - started);
    counts[`${op} ${result.status}`] = (counts[`${op} ${result.status}`] ?? 0) + 1;
    if (result.status >= 500) serverErrors.push(`${method} ${path} → ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
    return result;
  };

  const deadline = Date.now() + SOAK_MS;
  const client = async (c: number) => {
    const incident = incidents[c % INCIDENTS]!;
    // Each client owns one checklist step, so "the last state it was told about" is well defined.
    const itemId = incident.item.itemIds[Math.floor(c / INCIDENTS)]!;
    for (let i = 0; Date.now() < deadline; i++) {
      const roll = Math.random();
      if (roll < 0.45) {
        const note = await call<{ id: string; seq: number }>('note', 'POST', `/api/v1/incidents/${incident.number}/timeline`, { body: `client ${c} note ${i}` });
        if (note.status === 201) notes.push({ number: incident.number, id: note.body.id, seq: note.body.seq });
      } else if (roll < 0.65) {
        const state = Math.random() < 0.5 ? 'done' : 'open';
        const tick = await call('tick', 'PATCH', `/api/v1/incidents/${incident.number}/checklists/${incident.item.checklistId}/items/${itemId}`, { state });
        if (tick.status === 200) lastItemState.set(itemId, state);
      } else if (roll < 0.85) {
        // Read-modify-write of a section all five clients of this incident edit; a stale save
        // is refused (412) and retried from a fresh read.
        const line = `client ${c} line ${i}`;
        for (let attempt = 0; attempt < 5; attempt++) {
          const review = await call<Review>('review read', 'GET', `/api/v1/incidents/${incident.number}/postmortem`);
          const current = review.body.sections.find((s) => s.key === incident.section)!.body;
          const saved = await call('section save', 'PATCH', `/api/v1/incidents/${incident.number}/postmortem/sections/${incident.section}`, { body: `${current}\n${line}` }, { 'if-match': `"${review.body.version}"` });
          if (saved.status === 200) {
            sectionLines.set(incident.number, [...(sectionLines.get(incident.number) ?? []), line]);
            break;
          }
          expect(saved.status, 'a section save is saved or refused as stale').toBe(412);
        }
      } else {
        const status = OPEN_STATUSES[Math.floor(Math.random() * OPEN_STATUSES.length)]!;
        const changed = await call<{ version: number; status: string }>('status', 'PATCH', `/api/v1/incidents/${incident.number}`, { status });
        if (changed.status === 200) statusChanges.set(incident.number, [...(statusChanges.get(incident.number) ?? []), changed.body]);
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

  expect(serverErrors, 'no 5xx').toEqual([]);

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
  for (const incident of incidents) {
    const streamed = new Set(incident.stream!.events.filter((e) => e.event === 'timeline').map((e) => Number(e.id)));
    const expected = notes.filter((n) => n.number === incident.number).map((n) => n.seq);
    const deadline = Date.now() + 10_000;
    while (expected.some((seq) => !streamed.has(seq)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const e of incident.stream!.events) if (e.event === 'timeline') streamed.add(Number(e.id));
    }
    expect(expected.filter((seq) => !streamed.has(seq)), `notes missing from the stream of ${incident.number}`).toEqual([]);
  }

  latencies.sort((a, b) => a - b);
  const p = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  console.log(
    `[survival] soak: ${latencies.length} requests in ${SOAK_MS / 1000} s (${Math.round(latencies.length / (SOAK_MS / 1000))}/s), p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms; ` +
      Object.entries(counts)
        .sort()
        .map(([key, value]) => `${key}: ${value}`)
        .join(', '),
  );
});
