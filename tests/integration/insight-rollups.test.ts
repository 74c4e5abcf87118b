// /insights' daily roll-ups (lib/insights/rollups.ts, migration 20261204172247_insight_rollups):
// the figures read from rolled-up days must equal the figures counted live from every incident,
// for every viewer and filter, after every kind of change a day's figures depend on. Each change
// below is followed by that comparison, so a change the triggers failed to mark (a lost
// invalidation) shows up as a difference. The last tests hold a writer's transaction open while
// a view rolls its day up: the view must not wait for it, and must not lose its change.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/platform/db';
import { COUNTED_PERCENTILES_MAX_DAYS, getInsights } from '@/lib/insights/queries';
import type { InsightsFilter } from '@/lib/insights/schema';
import type { Viewer } from '@/lib/incidents/visibility';

const now = new Date('2026-03-20T12:00:00Z');
const range = (from: string, to: string, extra: Partial<InsightsFilter> = {}): InsightsFilter => ({
  range: 'custom',
  from: new Date(from),
  to: new Date(to),
  groupBy: 'week',
  severity: null,
  service: null,
  ...extra,
});
// Whole days, partial days at both ends, a severity, and a range that ends today (never rolled up).
const filters = [
  range('2026-02-01T00:00:00Z', '2026-03-16T00:00:00Z'),
  range('2026-02-03T07:30:00Z', '2026-03-14T18:45:00Z', { groupBy: 'month' }),
  range('2026-02-01T00:00:00Z', '2026-03-20T12:01:00Z', { severity: 'SEV2' }),
];

let member: Viewer;
let outsider: Viewer;
let pgClient: pg.Client;

/** Every filter, for the installation, a member of the private incidents and an outsider: rolled up equals live. */
async function expectRolledUpEqualsLive() {
  for (const viewer of ['installation', member, outsider] as Viewer[]) {
    for (const filter of filters) {
      const rolled = await getInsights(filter, viewer, now);
      const live = await getInsights(filter, viewer, now, { rollups: false });
      expect(rolled, `${JSON.stringify(filter)} for ${typeof viewer === 'string' ? viewer : viewer.role}`).toEqual(live);
    }
  }
}

const oneId = async (where: string, offset = 0) =>
  (await db.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM incidents WHERE ${where} ORDER BY declared_at, number LIMIT 1 OFFSET ${offset}`))[0]!.id;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, alert_sources CASCADE');
  await db.$executeRawUnsafe(`UPDATE severities SET response_target_minutes = v.t, update_cadence_minutes = v.c, review_required = v.r
    FROM (VALUES ('SEV1', 15, 30, true), ('SEV2', 30, 60, true), ('SEV3', 120, 240, false), ('SEV4', 1440, 1440, false)) AS v(k, t, c, r) WHERE key = v.k`);
  const [m, o] = await Promise.all([
    db.user.create({ data: { email: 'rollup-member@example.com', name: 'Member', role: 'responder' } }),
    db.user.create({ data: { email: 'rollup-outsider@example.com', name: 'Outsider', role: 'responder' } }),
  ]);
  member = { id: m.id, role: 'responder' };
  outsider = { id: o.id, role: 'responder' };
  // 240 incidents over 2026-02-01 … 2026-03-20 (every few hours), every shape the figures read:
  // with and without start, detection, acknowledgement, mitigation, resolution; open ones whose
  // figures move with the clock; one in twelve private (the member declared them).
  await db.$executeRaw`
    INSERT INTO incidents (title, severity_key, status, services, private, declared_by_id, started_at, detected_at, declared_at, acknowledged_at, mitigated_at, resolved_at, paged_at)
    SELECT 'Rollup ' || g, 'SEV' || (1 + g % 4), (CASE WHEN g % 9 = 0 THEN 'investigating' ELSE 'resolved' END)::"IncidentStatus",
           CASE g % 4 WHEN 0 THEN ARRAY['checkout'] WHEN 1 THEN ARRAY['search'] WHEN 2 THEN ARRAY['checkout', 'api'] ELSE ARRAY['payments'] END,
           g % 12 = 0, CASE WHEN g % 12 = 0 THEN ${m.id}::uuid END,
           CASE WHEN g % 7 = 0 THEN NULL ELSE d - interval '1 minute' * (5 + g % 30) END,
           CASE WHEN g % 5 = 0 THEN NULL ELSE d - interval '1 minute' * (g % 5) END,
           d,
           CASE WHEN g % 9 = 0 AND g % 2 = 0 THEN NULL ELSE d + interval '1 minute' * (g % 40) END,
           CASE WHEN g % 9 = 0 THEN NULL WHEN g % 11 = 0 THEN NULL ELSE d + interval '1 minute' * (20 + g % 90) END,
           CASE WHEN g % 9 = 0 THEN NULL ELSE d + interval '1 minute' * (120 + g * 7 % 600) END,
           CASE WHEN g % 6 = 0 THEN d - interval '3 minutes' END
      FROM (SELECT g, timestamptz '2026-02-01 01:00Z' + interval '4 hours 47 minutes' * g AS d FROM generate_series(0, 239) g) s`;
  await db.$executeRaw`
    INSERT INTO status_updates (incident_id, audience, body, incident_status, posted_at)
    SELECT id, 'internal', 'Update', 'identified', declared_at + interval '1 minute' * n * (15 + number % 50)
      FROM incidents, generate_series(1, 1 + number % 3) n`;
  await db.$executeRaw`
    INSERT INTO postmortems (incident_id, status, published_at)
    SELECT id, (CASE WHEN number % 5 = 0 THEN 'draft' ELSE 'published' END)::"PostmortemStatus",
           CASE WHEN number % 5 = 0 THEN NULL ELSE resolved_at + interval '1 day' * (number % 11) END
      FROM incidents WHERE severity_key IN ('SEV1', 'SEV2') AND resolved_at IS NOT NULL AND number % 3 <> 0`;
  await db.$executeRaw`
    INSERT INTO action_items (incident_id, title, status, due_date, created_at, completed_at)
    SELECT id, 'Follow-up ' || number, (CASE WHEN number % 2 = 0 THEN 'open' ELSE 'done' END)::"ActionItemStatus",
           CASE WHEN number % 3 = 0 THEN NULL ELSE (declared_at + interval '1 day' * (number % 30))::date END,
           declared_at + interval '1 hour', CASE WHEN number % 2 = 0 THEN NULL ELSE declared_at + interval '2 days' END
      FROM incidents WHERE number % 4 = 0`;
  await db.$executeRaw`
    WITH src AS (INSERT INTO alert_sources (name, kind, token_hash, token_hint) VALUES ('Rollup alerts', 'alertmanager', 'rollup-test', 'roll') RETURNING id),
         grp AS (INSERT INTO alert_groups (source_id, group_key, title, created_at, closed_at) SELECT id, 'rollup', 'Rollup', now(), now() FROM src RETURNING id, source_id)
    INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, labels, starts_at, ends_at, last_seen_at, count, incident_id, resolved_at, created_at, updated_at)
    SELECT grp.source_id, grp.id, 'fp-' || i.number || '-' || n, 'resolved', 'Alert ' || n, i.severity_key, jsonb_build_object('alertname', 'Rule' || n),
           i.declared_at + interval '1 minute' * (n * 7 - 10), i.declared_at + interval '1 hour', i.declared_at, n, i.id, i.declared_at + interval '1 hour',
           i.declared_at + interval '1 minute' * (n * 5 - 8), i.declared_at
      FROM grp, incidents i, generate_series(1, 1 + i.number % 3) n WHERE i.number % 3 = 0`;
  pgClient = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await pgClient.connect();
});

afterAll(async () => {
  await pgClient?.end();
  await db.$executeRawUnsafe(`UPDATE severities SET response_target_minutes = v.t, update_cadence_minutes = v.c, review_required = v.r
    FROM (VALUES ('SEV1', 15, 30, true), ('SEV2', 30, 60, true), ('SEV3', 120, 240, false), ('SEV4', 1440, 1440, false)) AS v(k, t, c, r) WHERE key = v.k`);
});

describe('insights roll-ups', () => {
  it('give the live figures, rolling up only past whole days and only public incidents', async () => {
    await expectRolledUpEqualsLive();
    const [days] = await db.$queryRaw<{ days: number; first: string; last: string; private_rows: number }[]>`
      SELECT count(*)::int AS days, min(day)::text AS first, max(day)::text AS last,
             (SELECT count(*) FROM insight_rollups r WHERE r.incidents > (SELECT count(*) FROM incidents i WHERE NOT i.private AND (i.declared_at AT TIME ZONE 'UTC')::date = r.day AND i.severity_key = r.severity_key))::int AS private_rows
        FROM insight_rollup_days`;
    // 2026-02-01 … 2026-03-19: today (the 20th) is never rolled up.
    expect(days).toEqual({ days: 47, first: '2026-02-01', last: '2026-03-19', private_rows: 0 });
  });

  it('follow every change to an incident the figures read', async () => {
    const changes = [
      `UPDATE incidents SET acknowledged_at = declared_at + interval '3 minutes' WHERE id = $1`,
      `UPDATE incidents SET mitigated_at = declared_at + interval '1 hour', resolved_at = declared_at + interval '2 hours', status = 'resolved' WHERE id = $1`,
      `UPDATE incidents SET severity_key = 'SEV4' WHERE id = $1`,
      `UPDATE incidents SET services = ARRAY['search', 'payments'] WHERE id = $1`,
      `UPDATE incidents SET private = NOT private WHERE id = $1`,
      `UPDATE incidents SET declared_at = declared_at - interval '5 days' WHERE id = $1`,
      `UPDATE incidents SET started_at = NULL, detected_at = NULL WHERE id = $1`,
      `UPDATE incidents SET paged_at = declared_at - interval '20 minutes' WHERE id = $1`,
      `DELETE FROM incidents WHERE id = $1`,
    ];
    for (const [n, change] of changes.entries()) {
      // A different incident each time, spread over the range (the first is open and unacknowledged).
      const id = await oneId(n === 0 ? 'acknowledged_at IS NULL AND NOT private' : 'TRUE', n * 23);
      await db.$executeRawUnsafe(change, id);
      await expectRolledUpEqualsLive();
    }
    // A back-dated incident declared into a day already rolled up.
    await db.$executeRaw`INSERT INTO incidents (title, severity_key, services, declared_at, started_at) VALUES ('Back-dated', 'SEV1', ARRAY['checkout'], '2026-02-10T10:00Z', '2026-02-10T09:00Z')`;
    await expectRolledUpEqualsLive();
    // Its status updates: PostgreSQL recounts the incident's update facts, which marks the day.
    await db.$executeRaw`INSERT INTO status_updates (incident_id, audience, body, incident_status, posted_at)
      SELECT id, 'internal', 'late', 'identified', '2026-02-10T13:00Z' FROM incidents WHERE title = 'Back-dated'`;
    await expectRolledUpEqualsLive();
  });

  it('follow reviews, follow-ups and linked alerts', async () => {
    const changes = [
      `INSERT INTO postmortems (incident_id, status, published_at)
        SELECT id, 'published', resolved_at + interval '2 days' FROM incidents i
         WHERE severity_key IN ('SEV1', 'SEV2') AND resolved_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM postmortems p WHERE p.incident_id = i.id)
         ORDER BY number LIMIT 1`,
      `UPDATE postmortems SET published_at = published_at + interval '20 days' WHERE id = (SELECT id FROM postmortems WHERE status = 'published' ORDER BY id LIMIT 1)`,
      `UPDATE postmortems SET status = 'published', published_at = now() WHERE id = (SELECT id FROM postmortems WHERE status = 'draft' ORDER BY id LIMIT 1)`,
      `DELETE FROM postmortems WHERE id = (SELECT id FROM postmortems ORDER BY id DESC LIMIT 1)`,
      `UPDATE action_items SET status = 'done', completed_at = now() WHERE id = (SELECT id FROM action_items WHERE status = 'open' ORDER BY id LIMIT 1)`,
      `UPDATE action_items SET due_date = '2026-02-02' WHERE id = (SELECT id FROM action_items WHERE status = 'open' ORDER BY id LIMIT 1)`,
      `INSERT INTO action_items (incident_id, title, created_at) SELECT id, 'New follow-up', declared_at + interval '1 day' FROM incidents WHERE declared_at < '2026-03-10' AND NOT private ORDER BY declared_at DESC LIMIT 1`,
      `DELETE FROM action_items WHERE id = (SELECT id FROM action_items ORDER BY id DESC LIMIT 1)`,
      `UPDATE alerts SET incident_id = NULL WHERE id = (SELECT id FROM alerts WHERE incident_id IS NOT NULL ORDER BY id LIMIT 1)`,
      `UPDATE alerts SET incident_id = (SELECT id FROM incidents ORDER BY number DESC OFFSET 5 LIMIT 1) WHERE id = (SELECT id FROM alerts WHERE incident_id IS NOT NULL ORDER BY id DESC LIMIT 1)`,
      `UPDATE alerts SET starts_at = starts_at - interval '1 day' WHERE id = (SELECT id FROM alerts WHERE incident_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 3)`,
      `DELETE FROM alerts WHERE id = (SELECT id FROM alerts WHERE incident_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 4)`,
    ];
    for (const change of changes) {
      expect(await db.$executeRawUnsafe(change), change).toBe(1);
      await expectRolledUpEqualsLive();
    }
  });

  it('restate every day when a severity’s targets change', async () => {
    await db.$executeRaw`UPDATE severities SET response_target_minutes = 5, update_cadence_minutes = 20, review_required = false WHERE key = 'SEV1'`;
    await expectRolledUpEqualsLive();
    await db.$executeRaw`UPDATE severities SET review_required = true WHERE key = 'SEV3'`;
    await expectRolledUpEqualsLive();
  });

  it('neither wait for a writer nor lose its change, whether or not its day was already stale', async () => {
    for (const alreadyStale of [false, true]) {
      await expectRolledUpEqualsLive();
      const id = await oneId(`NOT private AND declared_at >= '${alreadyStale ? '2026-02-20' : '2026-03-05'}'`);
      if (alreadyStale) await db.$executeRaw`UPDATE incidents SET detected_at = declared_at - interval '1 minute' WHERE id = ${id}::uuid`;
      await pgClient.query('BEGIN');
      await pgClient.query(`UPDATE incidents SET acknowledged_at = declared_at + interval '44 minutes', resolved_at = declared_at + interval '9 hours' WHERE id = $1`, [id]);
      // The view rolls the day up while the writer holds its mark: it must answer, with the figures before the change.
      const before = await Promise.race([
        getInsights(filters[0]!, 'installation', now),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the view waited for the writer')), 20_000)),
      ]);
      expect(before).toEqual(await getInsights(filters[0]!, 'installation', now, { rollups: false }));
      await pgClient.query('COMMIT');
      await expectRolledUpEqualsLive();
    }
  });

  it('give the same medians whether counted (ranges up to COUNTED_PERCENTILES_MAX_DAYS) or sorted (longer ones)', async () => {
    const counted = await getInsights(filters[0]!, 'installation', now);
    // Every incident is declared within the shorter range, so both cover the same spans.
    const sorted = await getInsights(range('2024-06-01T00:00:00Z', '2026-03-16T00:00:00Z'), 'installation', now);
    expect((filters[0]!.to.getTime() - filters[0]!.from.getTime()) / 86_400_000).toBeLessThanOrEqual(COUNTED_PERCENTILES_MAX_DAYS);
    expect((new Date(sorted.to).getTime() - new Date(sorted.from).getTime()) / 86_400_000).toBeGreaterThan(COUNTED_PERCENTILES_MAX_DAYS);
    const pick = (i: typeof counted) => ({ mttd: i.totals.mttd, mtta: i.totals.mtta, mttm: i.totals.mttm, mttr: i.totals.mttr, incidents: i.totals.incidents });
    expect(pick(sorted)).toEqual(pick(counted));
    const weeks = new Map(counted.series.map((s) => [s.period, s.mttr]));
    for (const s of sorted.series.filter((s) => weeks.has(s.period))) expect(s.mttr, s.period).toEqual(weeks.get(s.period));
  });

  it('roll up again the days forgotten by a roll-up that crashed halfway', async () => {
    // The first transaction forgot the stale days; the second, which rolls them up, never ran.
    await db.$executeRaw`UPDATE incidents SET resolved_at = resolved_at + interval '1 day' WHERE id = (SELECT id FROM incidents WHERE resolved_at IS NOT NULL ORDER BY number LIMIT 1)`;
    await db.$executeRaw`WITH marks AS (DELETE FROM insight_stale_days RETURNING day) DELETE FROM insight_rollup_days WHERE day IN (SELECT day FROM marks)`;
    await expectRolledUpEqualsLive();
  });
});
