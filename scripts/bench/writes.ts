// Timeline writes: 50 concurrent writers posting notes through the API (autocannon), beside the
// same concurrency of raw transactions through `pg` doing the least a note needs: take the next
// seq, `INSERT … RETURNING`, `NOTIFY`, commit (one statement, as appendTimelineEvent does it),
// without HTTP, authentication, validation or Prisma.
import autocannon from 'autocannon';
import pg from 'pg';
import type { App } from '../support/instances';
import { summarize, type Row } from './stats';

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
            await client.query('BEGIN');
            await client.query(
              `WITH counter AS (UPDATE incidents SET last_seq = last_seq + 1 WHERE id = $1 RETURNING id, last_seq),
                    inserted AS (INSERT INTO timeline_events (incident_id, seq, kind, body, occurred_at) SELECT id, last_seq, 'note', 'Raw note', now() FROM counter RETURNING *)
               SELECT inserted.*, pg_notify('sitrep_bench', json_build_object('eventId', inserted.id, 'seq', inserted.seq)::text) FROM inserted`,
              [incidentId],
            );
            await client.query('COMMIT');
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
      { name: `Timeline writes: throughput (${connections} writers, ${seconds} s)`, figure: apiThroughput, unit: 'req/s', limit: rawThroughput, limitLabel, goal: { minRatio: 0.4 } },
      { name: 'Timeline writes: p50 latency', figure: latency.p50, unit: 'ms', limit: rawLatency.p50, limitLabel: 'raw SQL', goal: null },
      { name: 'Timeline writes: p95 latency', figure: latency.p95, unit: 'ms', limit: rawLatency.p95, limitLabel: 'raw SQL p95', goal: { max: 50 } },
      { name: 'Timeline writes: p99 latency', figure: latency.p99, unit: 'ms', limit: rawLatency.p99, limitLabel: 'raw SQL', goal: null },
    ],
    detail: { acknowledged, stored, errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts, rawTransactions: raw.length },
  };
}
