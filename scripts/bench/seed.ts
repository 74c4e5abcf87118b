// The benchmark's data set: 2,000 incidents (a tenth still open), one of them with 5,000
// timeline events, 50 users and 20 runbooks. Bulk SQL where the volume is, the services where
// the shape matters (people, runbooks, the incidents the benchmark works on), and every
// invariant the app relies on kept: per-incident seq from 1 to last_seq, numbers from the
// sequence, a "declared" event on each timeline.
import pg from 'pg';
import { api, createUserWithToken, type App } from '../support/instances';

export const BENCH_USER = { email: 'bench@sitrep.local', password: 'sitrep-bench-password' };

export type Dataset = {
  token: string;
  /** The incident with 5,000 events. */
  big: number;
  /** Empty incidents the write and live measurements use. */
  writes: number;
  live: number;
};

const SERVICES = ['payments', 'checkout', 'search', 'auth', 'orders', 'cdn', 'email', 'billing'];

export async function seedBenchData(databaseUrl: string, app: App, say: (line: string) => void): Promise<Dataset> {
  const started = performance.now();
  const token = await createUserWithToken(databaseUrl, BENCH_USER.email, 'admin', { password: BENCH_USER.password });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let big = 0;
  let writes = 0;
  let live = 0;
  try {
    await client.query(
      `INSERT INTO users (email, name, role)
       SELECT 'responder' || g || '@sitrep.local', 'Responder ' || g, (CASE WHEN g % 10 = 0 THEN 'viewer' ELSE 'responder' END)::"AppRole"
         FROM generate_series(1, 49) g`,
    );
    const { createRunbooks } = await import('@/lib/runbooks/service');
    await createRunbooks(
      Array.from({ length: 20 }, (_, i) => ({
        title: `Runbook ${i + 1}: ${SERVICES[i % SERVICES.length]} recovery`,
        services: [SERVICES[i % SERVICES.length]!],
        phases: [
          { title: 'Assess', steps: [{ title: 'Check the dashboards' }, { title: 'Find the last deploy' }] },
          { title: 'Mitigate', steps: [{ title: 'Roll back' }, { title: 'Scale out' }, { title: 'Fail over' }] },
        ],
      })),
      { actor: null },
    );

    // 1,997 incidents over the past year; one in ten still open.
    await client.query(
      `WITH made AS (
         INSERT INTO incidents (title, severity_key, status, services, customer_impact, declared_at, acknowledged_at, mitigated_at, resolved_at, closed_at, last_seq)
         SELECT 'Incident ' || g || ': ' || (ARRAY['elevated 5xx', 'latency spike', 'queue backlog', 'login failures', 'stale search index'])[1 + g % 5],
                'SEV' || (1 + g % 4),
                (CASE WHEN g % 10 = 0 THEN (ARRAY['investigating', 'identified', 'monitoring'])[1 + (g / 10) % 3] WHEN g % 3 = 0 THEN 'closed' ELSE 'resolved' END)::"IncidentStatus",
                ARRAY[(ARRAY[${SERVICES.map((s) => `'${s}'`).join(', ')}])[1 + g % ${SERVICES.length}]],
                g % 4 = 0,
                now() - (g * interval '4 hours'),
                now() - (g * interval '4 hours') + interval '3 minutes',
                CASE WHEN g % 10 = 0 THEN NULL ELSE now() - (g * interval '4 hours') + interval '40 minutes' END,
                CASE WHEN g % 10 = 0 THEN NULL ELSE now() - (g * interval '4 hours') + interval '90 minutes' END,
                CASE WHEN g % 10 <> 0 AND g % 3 = 0 THEN now() - (g * interval '4 hours') + interval '2 days' END,
                1
           FROM generate_series(1, 1997) g
         RETURNING id, declared_at)
       INSERT INTO timeline_events (incident_id, seq, kind, occurred_at, body)
       SELECT id, 1, 'system', declared_at, 'Incident declared.' FROM made`,
    );

    // The three the benchmark works on, declared through the API like any other.
    const declare = async (title: string, severity: string) => {
      const answer = await api<{ number: number }>(app, token, 'POST', '/api/v1/incidents', { title, severity, services: ['payments'], customerImpact: true });
      if (answer.status !== 201) throw new Error(`Declaring “${title}” failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.number;
    };
    big = await declare('Payments API degraded for five hours (5,000 events)', 'SEV1');
    writes = await declare('Bench: timeline writes', 'SEV3');
    live = await declare('Bench: live fan-out', 'SEV3');

    // 5,000 events on the big one: mostly notes by 50 people, pinned and status events among them.
    await client.query(
      `WITH target AS (SELECT id, last_seq, declared_at FROM incidents WHERE number = $1),
            people AS (SELECT array_agg(id ORDER BY email) AS ids FROM users)
       INSERT INTO timeline_events (incident_id, seq, kind, actor_id, occurred_at, body, pinned)
       SELECT target.id, target.last_seq + g,
              (CASE WHEN g % 250 = 0 THEN 'status' ELSE 'note' END)::"TimelineKind",
              people.ids[1 + g % array_length(people.ids, 1)],
              target.declared_at - interval '5 hours' + g * interval '3 seconds',
              CASE WHEN g % 250 = 0 THEN 'Status check ' || g
                   ELSE 'Note ' || g || ': **p99** on \`payments-api\` is ' || (200 + g % 900) || ' ms; see [the dashboard](https://grafana.example.com/d/' || g || ').' END,
              g % 100 = 0
         FROM target, people, generate_series(1, 5000) g`,
      [big],
    );
    await client.query('UPDATE incidents SET last_seq = last_seq + 5000 WHERE number = $1', [big]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  say(`Seeded 2,000 incidents (5,000 events on INC-${big}), 50 users and 20 runbooks in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return { token, big, writes, live };
}
