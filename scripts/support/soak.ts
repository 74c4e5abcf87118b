// The soak's mixed load, shared by the survival test (tests/survival/soak.test.ts), which then
// checks that nothing was lost, and by the bench, which reads the server's memory after it: 20
// clients on 4 incidents for 60 s posting notes, ticking checklist steps, saving review sections
// (read-modify-write, a stale save refused and retried) and changing the status.
import { summarize } from '../bench/stats';
import { api, type App } from './instances';

export type SoakIncident = { number: number; item: { checklistId: string; itemIds: string[] }; section: string };

type Review = { version: number; sections: { key: string; body: string }[] };
type Checklist = { id: string; items: { id: string }[] };

const OPEN_STATUSES = ['investigating', 'identified', 'monitoring'] as const;

/** Declares `count` SEV2 incidents, each with a five-step checklist and a review to edit. */
export async function setUpSoak(app: App, token: string, count: number): Promise<SoakIncident[]> {
  const expectStatus = (what: string, answer: { status: number; body: unknown }, status: number) => {
    if (answer.status !== status) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  };
  const runbook = await api<{ id: string }>(app, token, 'POST', '/api/v1/runbooks', {
    title: `Soak runbook ${Date.now()}`,
    phases: [{ title: 'Mitigate', steps: [{ title: 'Step 1' }, { title: 'Step 2' }, { title: 'Step 3' }, { title: 'Step 4' }, { title: 'Step 5' }] }],
  });
  expectStatus('Creating the soak runbook', runbook, 201);
  const incidents: SoakIncident[] = [];
  for (let i = 0; i < count; i++) {
    const declared = await api<{ number: number }>(app, token, 'POST', '/api/v1/incidents', { title: `Soak incident ${i + 1}`, severity: 'SEV2' });
    expectStatus('Declaring a soak incident', declared, 201);
    const number = declared.body.number;
    const checklist = await api<Checklist>(app, token, 'POST', `/api/v1/incidents/${number}/checklists`, { runbookId: runbook.body.id });
    expectStatus('Attaching the soak runbook', checklist, 201);
    const review = await api<Review>(app, token, 'POST', `/api/v1/incidents/${number}/postmortem`);
    expectStatus('Starting a review', review, 201);
    incidents.push({ number, item: { checklistId: checklist.body.id, itemIds: checklist.body.items.map((item) => item.id) }, section: review.body.sections.at(-1)!.key });
  }
  return incidents;
}

/** What the clients were told: every answer counted, and what each acknowledged change was. */
export type SoakRecord = {
  latencies: number[];
  /** "note 201", "section save 412"… */
  counts: Record<string, number>;
  serverErrors: string[];
  /** Answers no client should get: a section save neither saved nor refused as stale. */
  unexpected: string[];
  notes: { number: number; id: string; seq: number }[];
  /** Checklist item id → the last state acknowledged to the one client that ticks it. */
  lastItemState: Map<string, string>;
  /** Incident number → the review lines acknowledged as saved. */
  sectionLines: Map<number, string[]>;
  /** Incident number → every acknowledged status change. */
  statusChanges: Map<number, { version: number; status: string }[]>;
};

/** Runs `clients` clients against `incidents` for `ms`; each client owns one checklist step (clients ≤ 5 × incidents). */
export async function runSoak(app: App, token: string, incidents: SoakIncident[], options: { clients: number; ms: number }): Promise<SoakRecord> {
  const record: SoakRecord = { latencies: [], counts: {}, serverErrors: [], unexpected: [], notes: [], lastItemState: new Map(), sectionLines: new Map(), statusChanges: new Map() };
  const call = async <T>(op: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const started = performance.now();
    const result = await api<T>(app, token, method, path, body, headers);
    record.latencies.push(performance.now() - started);
    record.counts[`${op} ${result.status}`] = (record.counts[`${op} ${result.status}`] ?? 0) + 1;
    if (result.status >= 500) record.serverErrors.push(`${method} ${path} → ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
    return result;
  };

  const deadline = Date.now() + options.ms;
  const client = async (c: number) => {
    const incident = incidents[c % incidents.length]!;
    // Each client owns one checklist step, so "the last state it was told about" is well defined.
    const itemId = incident.item.itemIds[Math.floor(c / incidents.length)]!;
    for (let i = 0; Date.now() < deadline; i++) {
      const roll = Math.random();
      if (roll < 0.45) {
        const note = await call<{ id: string; seq: number }>('note', 'POST', `/api/v1/incidents/${incident.number}/timeline`, { body: `client ${c} note ${i}` });
        if (note.status === 201) record.notes.push({ number: incident.number, id: note.body.id, seq: note.body.seq });
      } else if (roll < 0.65) {
        const state = Math.random() < 0.5 ? 'done' : 'open';
        const tick = await call('tick', 'PATCH', `/api/v1/incidents/${incident.number}/checklists/${incident.item.checklistId}/items/${itemId}`, { state });
        if (tick.status === 200) record.lastItemState.set(itemId, state);
      } else if (roll < 0.85) {
        // Read-modify-write of a section all the incident's clients edit; a stale save is
        // refused (412) and retried from a fresh read.
        const line = `client ${c} line ${i}`;
        for (let attempt = 0; attempt < 5; attempt++) {
          const review = await call<Review>('review read', 'GET', `/api/v1/incidents/${incident.number}/postmortem`);
          const current = review.body.sections.find((s) => s.key === incident.section)!.body;
          const saved = await call('section save', 'PATCH', `/api/v1/incidents/${incident.number}/postmortem/sections/${incident.section}`, { body: `${current}\n${line}` }, { 'if-match': `"${review.body.version}"` });
          if (saved.status === 200) {
            record.sectionLines.set(incident.number, [...(record.sectionLines.get(incident.number) ?? []), line]);
            break;
          }
          if (saved.status !== 412) {
            record.unexpected.push(`section save of ${incident.number} → ${saved.status}`);
            break;
          }
        }
      } else {
        const status = OPEN_STATUSES[Math.floor(Math.random() * OPEN_STATUSES.length)]!;
        const changed = await call<{ version: number; status: string }>('status', 'PATCH', `/api/v1/incidents/${incident.number}`, { status });
        if (changed.status === 200) record.statusChanges.set(incident.number, [...(record.statusChanges.get(incident.number) ?? []), changed.body]);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return record;
}

/** "8592 requests in 60 s (143/s), p50 129 ms, p95 246 ms, p99 325 ms; note 201: 2170, …" */
export function describeSoak(record: SoakRecord, ms: number): string {
  const { n, p50, p95, p99 } = summarize(record.latencies);
  const counts = Object.entries(record.counts)
    .sort()
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ');
  return `${n} requests in ${ms / 1000} s (${Math.round(n / (ms / 1000))}/s), p50 ${Math.round(p50)} ms, p95 ${Math.round(p95)} ms, p99 ${Math.round(p99)} ms; ${counts}`;
}
