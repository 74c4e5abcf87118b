// Timeline writes, two ways: 50 writers on one incident posting notes through the API (autocannon)
// as fast as they are answered, and a realistic open-loop load over 20 incidents. Each is beside
// the same load of raw transactions through `pg` doing the least a note needs: take the next seq,
// `INSERT … RETURNING`, `NOTIFY`, commit (one statement, as appendTimelineEvent does it), without
// HTTP, authentication, validation or Prisma.
import autocannon from 'autocannon';
import pg from 'pg';
import type { App } from '../support/instances';
import { summarize, type Row } from './stats';

/** The least a note needs, in one transaction: the next seq, the event, its NOTIFY. */
async function rawNote(client: pg.PoolClient, incidentId: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(
    `WITH counter AS (UPDATE incidents SET last_seq = last_seq + 1 WHERE id = $1 RETURNING id, last_seq),
          inserted AS (INSERT INTO timeline_events (incident_id, seq, kind, body, occurred_at) SELECT id, last_seq, 'note', 'Raw note', now() FROM counter RETURNING *)
     SELECT inserted.*, pg_notify('sitrep_bench', json_build_object('eventId', inserted.id, 'seq', inserted.seq)::text) FROM inserted`,
    [incidentId],
  );
  await client.query('COMMIT');
}

export async function measureWrites(options: { app: App; databaseUrl: string; token: string; incident: number; seconds: number; connections: number }): Promise<{ rows: Row[]; detail: Record<string, unknown> }> {
  const { app, databaseUrl, token, incident, seconds, connections } = options;
  let n = 0;
  const latencies: number[] = [];
  const result = await autocannon({
    url: `${app.url}/api/v1/incidents/${incident}/timeline`,
    connections,
    duration: seconds,
    setupClient: (client) => client.on('response', (_status: number, _bytes: number, responseTime: number) => latencies.push(responseTime)),
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ body: `Load note ${++n}: checking the payments-api error budget` }) }),
      },
    ],
  });
  const acknowledged = result['2xx'];
  const apiThroughput = acknowledged / seconds;

  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  let stored = 0;
  const raw: number[] = [];
  try {
    const { rows } = await pool.query<{ id: string }>('SELECT id FROM incidents WHERE number = $1', [incident]);
    const incidentId = rows[0]!.id;
    stored = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM timeline_events WHERE incident_id = $1 AND kind = 'note' AND body LIKE 'Load note %'`, [incidentId])).rows[0]!.n);
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < deadline) {
            const started = performance.now();
            await rawNote(client, incidentId);
            raw.push(performance.now() - started);
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const rawThroughput = raw.length / seconds;
  const rawLatency = summarize(raw);
  const latency = summarize(latencies);
  const limitLabel = `raw SQL, ${connections} connections`;
  return {
    rows: [
      { name: `Timeline writes: throughput (${connections} writers on one incident, ${seconds} s)`, figure: apiThroughput, unit: 'req/s', limit: rawThroughput, limitLabel, goal: { minRatio: 0.4 } },
      { name: `Timeline writes (${connections} writers on one incident): p50`, figure: latency.p50, unit: 'ms', limit: rawLatency.p50, limitLabel: 'raw SQL', goal: null },
      { name: `Timeline writes (${connections} writers on one incident): p95`, figure: latency.p95, unit: 'ms', limit: rawLatency.p95, limitLabel: 'raw SQL p95', goal: null },
    ],
    detail: { acknowledged, stored, errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts, rawTransactions: raw.length },
  };
}

/**
 * Timeline writes at a realistic load: `incidents` incidents with `writers` people each, every
 * person posting a note every `1000 / perSecond` ms (open loop: a note leaves on schedule whether or
 * not the last one was answered), beside the same schedule of raw transactions through `pg`.
 */
export async function measureWritesAtRate(options: { app: App; databaseUrl: string; token: string; incidents: number[]; writers: number; perSecond: number; seconds: number }): Promise<{ rows: Row[]; detail: Record<string, unknown> }> {
  const { app, databaseUrl, token, incidents, writers, perSecond, seconds } = options;
  const people = incidents.flatMap((incident) => Array.from({ length: writers }, (_, writer) => ({ incident, writer })));
  const period = 1000 / perSecond;
  const rate = people.length * perSecond;

  /** Runs `send` for every person on schedule, each person's first note offset so the load is even. */
  const onSchedule = async (send: (person: (typeof people)[number], n: number) => Promise<boolean>) => {
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      people.map(async (person, index) => {
        const inFlight: Promise<void>[] = [];
        for (let n = 0; n < seconds * perSecond; n++) {
          const due = started + (index / people.length) * period + n * period;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const at = performance.now();
          const outcome = send(person, n).catch(() => false);
          inFlight.push(
            outcome.then((ok) => {
              if (ok) latencies.push(performance.now() - at);
              else failed++;
            }),
          );
        }
        await Promise.all(inFlight);
      }),
    );
    return { latency: summarize(latencies), failed };
  };

  const api = await onSchedule(async ({ incident, writer }, n) => {
    const response = await fetch(`${app.url}/api/v1/incidents/${incident}/timeline`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: `Rate note ${writer}.${n}: p99 on checkout is back under 300 ms` }),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    return response.status === 201;
  });

  const pool = new pg.Pool({ connectionString: databaseUrl, max: people.length });
  let raw: Awaited<ReturnType<typeof onSchedule>>;
  try {
    const ids = new Map((await pool.query<{ number: number; id: string }>('SELECT number, id FROM incidents WHERE number = ANY($1)', [incidents])).rows.map((row) => [row.number, row.id]));
    // Every connection opened before the clock starts, as the app's pool is warm by now: opening
    // a hundred at once would queue the first second of notes behind backend start-up.
    const warm = await Promise.all(people.map(() => pool.connect()));
    for (const client of warm) client.release();
    raw = await onSchedule(async ({ incident }) => {
      const client = await pool.connect();
      try {
        await rawNote(client, ids.get(incident)!);
        return true;
      } finally {
        client.release();
      }
    });
  } finally {
    await pool.end();
  }
  const load = `${incidents.length} incidents × ${writers} writers × ${perSecond} notes/s`;
  return {
    rows: [{ name: `Timeline writes (${load}): p95`, figure: api.latency.p95, unit: 'ms', limit: raw.latency.p95, limitLabel: 'raw SQL p95', goal: { max: 50 } }],
    detail: { rate, api, raw },
  };
}
