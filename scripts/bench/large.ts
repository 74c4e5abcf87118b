// `npm run bench -- --scale large`: the data of a team that has kept Sitrep for three years, on top
// of the default data set (seed.ts): 100,000 incidents in all (a realistic mix of severities,
// statuses, services, commanders, status updates, reviews and follow-ups), 1,000,000 timeline
// events with one incident of 50,000, 500 users, 1,000 runbooks, 100,000 alerts and 20,000
// pages. Bulk SQL, one statement per table, keeping every invariant the app relies on
// (per-incident seq from 1 to last_seq, numbers from the sequence, a "declared" event first).
import path from 'node:path';
import type pg from 'pg';
import { root } from '../support/build';
import { api, type App } from '../support/instances';
import { ensureChecklist, interactionRows, measureInBrowser, measureInteractions, type Session } from './browser';
import { measureComputed, measureFirstView } from './insights';
import { javascriptRow } from './javascript';
import { commandViewQueries, dashboardQueries, measurePage, measureQueries, type PageTiming } from './pages';
import type { Dataset } from './seed';
import { plansReport, takePlans, type ServerOutput } from './plans';
import { sample, summarize, type Row, type Summary } from './stats';

export const LARGE = { incidents: 100_000, events: 1_000_000, hugeEvents: 50_000, users: 500, runbooks: 1_000, alerts: 100_000, pages: 20_000 };

const SERVICES = ['payments', 'checkout', 'search', 'auth', 'orders', 'cdn', 'email', 'billing', 'database', 'api-gateway', 'notifications', 'inventory'];
const servicesSql = `ARRAY[${SERVICES.map((s) => `'${s}'`).join(', ')}]`;

export type LargeDataset = { huge: number; incidents: number; events: number };

/** Adds the large data set to a database already holding the default one (seed.ts). */
export async function seedLargeData(pool: pg.Pool, say: (line: string) => void): Promise<LargeDataset> {
  const started = performance.now();
  const step = async (label: string, sql: string, values: unknown[] = []) => {
    const at = performance.now();
    const result = await pool.query(sql, values);
    say(`  ${label}: ${(result.rowCount ?? 0).toLocaleString('en')} rows in ${((performance.now() - at) / 1000).toFixed(1)} s`);
    return result;
  };
  const [{ n: existingIncidents }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents')).rows as [{ n: number }];
  const [{ n: existingEvents }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM timeline_events')).rows as [{ n: number }];
  const [{ n: existingUsers }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows as [{ n: number }];
  const [{ n: existingRunbooks }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM runbooks')).rows as [{ n: number }];

  await step(
    'users',
    `INSERT INTO users (email, name, role)
     SELECT 'person' || g || '@sitrep.local', 'Person ' || g, (CASE WHEN g % 12 = 0 THEN 'viewer' WHEN g % 50 = 0 THEN 'admin' ELSE 'responder' END)::"AppRole"
       FROM generate_series(1, $1::int) g`,
    [LARGE.users - existingUsers],
  );
  await step(
    'runbooks',
    `WITH made AS (
       INSERT INTO runbooks (title, tags, services)
       SELECT 'Runbook ' || g || ': ' || (${servicesSql})[1 + g % ${SERVICES.length}] || ' ' || (ARRAY['outage', 'latency', 'failover', 'restore', 'rollback'])[1 + g % 5],
              ARRAY[(ARRAY['storage', 'network', 'deploy', 'database', 'security'])[1 + g % 5]], ARRAY[(${servicesSql})[1 + g % ${SERVICES.length}]]
         FROM generate_series(1, $1::int) g
       RETURNING id, title, tags, services)
     INSERT INTO runbook_versions (runbook_id, version, title, tags, services, phases)
     SELECT id, 1, title, tags, services,
            '[{"title": "Assess", "steps": [{"title": "Check the dashboards"}, {"title": "Find the last deploy"}]}, {"title": "Mitigate", "steps": [{"title": "Roll back"}, {"title": "Fail over"}]}]'::jsonb
       FROM made`,
    [LARGE.runbooks - existingRunbooks],
  );

  // Three years of incidents, most resolved or closed, a few still open; each with a commander
  // and between 2 and 19 events, so the table holds about a million with the huge one below.
  const more = LARGE.incidents - existingIncidents - 1;
  const perIncident = Math.round((LARGE.events - LARGE.hugeEvents - existingEvents) / more);
  await step(
    'incidents',
    `INSERT INTO incidents (title, severity_key, status, services, customer_impact, started_at, detected_at, declared_at, acknowledged_at, mitigated_at, resolved_at, closed_at, last_seq)
     SELECT 'Past incident ' || g || ': ' || (ARRAY['elevated 5xx', 'latency spike', 'queue backlog', 'login failures', 'stale index', 'disk full', 'certificate expired'])[1 + g % 7],
            'SEV' || (1 + (g * 7) % 4),
            (CASE WHEN g % 2000 = 0 THEN 'investigating' WHEN g % 3 = 0 THEN 'closed' ELSE 'resolved' END)::"IncidentStatus",
            ARRAY[(${servicesSql})[1 + g % ${SERVICES.length}]] || CASE WHEN g % 4 = 0 THEN ARRAY[(${servicesSql})[1 + (g / 4) % ${SERVICES.length}]] ELSE '{}'::text[] END,
            g % 5 = 0,
            declared - interval '20 minutes', declared - interval '10 minutes', declared, declared + interval '4 minutes',
            CASE WHEN g % 2000 = 0 THEN NULL ELSE declared + interval '1 minute' * (10 + g % 120) END,
            CASE WHEN g % 2000 = 0 THEN NULL ELSE declared + interval '1 minute' * (30 + g % 600) END,
            CASE WHEN g % 2000 <> 0 AND g % 3 = 0 THEN declared + interval '3 days' END,
            1 + (g % ($2::int * 2 - 2))
       FROM (SELECT g, now() - interval '3 years' + interval '3 years' * (g::float8 / $1::int) AS declared FROM generate_series(1, $1::int) g) d`,
    [more, perIncident],
  );
  await step(
    'commanders',
    `INSERT INTO incident_roles (incident_id, role, user_id, since)
     SELECT i.id, 'commander', p.ids[1 + i.number % array_length(p.ids, 1)], i.declared_at
       FROM incidents i, (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE role <> 'viewer') p
      WHERE i.title LIKE 'Past incident %'`,
  );
  await step(
    'timeline events',
    `INSERT INTO timeline_events (incident_id, seq, kind, actor_id, occurred_at, body, pinned)
     SELECT i.id, s, (CASE WHEN s = 1 THEN 'system' WHEN s % 7 = 0 THEN 'status' ELSE 'note' END)::"TimelineKind",
            CASE WHEN s = 1 THEN NULL ELSE p.ids[1 + (i.number + s) % array_length(p.ids, 1)] END,
            i.declared_at + interval '1 minute' * (s - 1),
            CASE WHEN s = 1 THEN 'Incident declared.' WHEN s % 7 = 0 THEN 'Status check ' || s
                 ELSE 'Note ' || s || ' on ' || i.services[1] || ': ' || (ARRAY['rolled back the deploy', 'error rate back under 1%', 'paging the database on-call', 'failover started', 'customers report timeouts at checkout', 'cache hit ratio dropped'])[1 + (i.number + s) % 6] END,
            s % 40 = 0
       FROM incidents i, (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE role <> 'viewer') p, generate_series(1, i.last_seq) s
      WHERE i.title LIKE 'Past incident %'`,
  );
  await step(
    'status updates',
    `INSERT INTO status_updates (incident_id, audience, body, incident_status, posted_at)
     SELECT i.id, (CASE WHEN n = 2 THEN 'public' ELSE 'internal' END)::"UpdateAudience", 'We are looking into ' || i.services[1] || '.', 'investigating', i.declared_at + interval '15 minutes' * n
       FROM incidents i, generate_series(1, 2) n WHERE i.title LIKE 'Past incident %'`,
  );
  await step(
    'reviews',
    `INSERT INTO postmortems (incident_id, status, published_at)
     SELECT id, (CASE WHEN number % 5 = 0 THEN 'draft' ELSE 'published' END)::"PostmortemStatus", CASE WHEN number % 5 = 0 THEN NULL ELSE resolved_at + interval '3 days' END
       FROM incidents WHERE title LIKE 'Past incident %' AND severity_key IN ('SEV1', 'SEV2') AND resolved_at IS NOT NULL`,
  );
  await step(
    'action items',
    `INSERT INTO action_items (incident_id, title, status, due_date, created_at, completed_at)
     SELECT id, 'Follow-up of INC-' || number, (CASE WHEN number % 3 = 0 THEN 'open' ELSE 'done' END)::"ActionItemStatus",
            (declared_at + interval '14 days')::date, declared_at + interval '1 day', CASE WHEN number % 3 = 0 THEN NULL ELSE declared_at + interval '5 days' END
       FROM incidents WHERE title LIKE 'Past incident %' AND number % 5 = 0`,
  );
  await step(
    'alerts',
    `WITH src AS (INSERT INTO alert_sources (name, kind, token_hash, token_hint)
                  VALUES ('Three years of alerts', 'alertmanager', gen_random_uuid()::text, 'past') RETURNING id),
          grp AS (INSERT INTO alert_groups (source_id, group_key, title, created_at, closed_at)
                  SELECT id, 'past alerts', 'Past alerts', now() - interval '3 years', now() FROM src RETURNING id, source_id),
          -- Half the alerts belong to an incident (the first 50,000 past ones), half to none.
          linked AS (SELECT row_number() OVER (ORDER BY number) AS k, id, declared_at, severity_key, services[1] AS service
                       FROM incidents WHERE title LIKE 'Past incident %' ORDER BY number LIMIT $1::int / 2)
     INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, service, labels, starts_at, ends_at, last_seen_at, count, incident_id, resolved_at, created_at, updated_at)
     SELECT grp.source_id, grp.id, 'past-' || g, 'resolved', name || ' on ' || service, severity_key, service, jsonb_build_object('alertname', name),
            at, at + interval '30 minutes', at, 1 + g % 30, incident_id, at + interval '30 minutes', at, at
       FROM grp, (
         SELECT g, (ARRAY['HighErrorRate', 'HighLatency', 'QueueBacklog', 'DiskFull', 'CertExpiring', 'ReplicaLag'])[1 + g % 6] AS name,
                l.id AS incident_id, coalesce(l.severity_key, 'SEV' || (1 + g % 4)) AS severity_key, coalesce(l.service, (${servicesSql})[1 + g % ${SERVICES.length}]) AS service,
                coalesce(l.declared_at - interval '2 minutes', now() - interval '3 years' * random()) AS at
           FROM generate_series(1, $1::int) g LEFT JOIN linked l ON l.k = g) a`,
    [LARGE.alerts],
  );
  await step(
    'pages',
    `INSERT INTO pages (title, status, target, policy, incident_id, source, acknowledged_at, resolved_at, level_at, created_at, updated_at)
     SELECT i.title, 'resolved', jsonb_build_object('kind', 'policy', 'name', 'Primary'), '{"levels": []}'::jsonb, i.id, 'bench',
            i.declared_at + interval '3 minutes', i.resolved_at, i.declared_at, i.declared_at, coalesce(i.resolved_at, i.declared_at)
       FROM incidents i WHERE i.title LIKE 'Past incident %' AND i.resolved_at IS NOT NULL ORDER BY i.number DESC LIMIT $1::int`,
    [LARGE.pages],
  );

  // The one incident of 50,000 events: a day-long outage worked by a hundred people.
  const hugeRow = await step(
    'the 50,000-event incident',
    `WITH made AS (
       INSERT INTO incidents (title, severity_key, status, services, customer_impact, declared_at, acknowledged_at, last_seq)
       VALUES ('Region-wide outage, worked for a day (50,000 events)', 'SEV1', 'identified', ARRAY['payments', 'checkout', 'database'], true, now() - interval '26 hours', now() - interval '26 hours' + interval '2 minutes', $1::int)
       RETURNING id, number, declared_at),
     people AS (SELECT array_agg(id ORDER BY email) AS ids FROM (SELECT id, email FROM users WHERE role <> 'viewer' ORDER BY email LIMIT 100) u),
     events AS (
       INSERT INTO timeline_events (incident_id, seq, kind, actor_id, occurred_at, body, pinned)
       SELECT made.id, s, (CASE WHEN s = 1 THEN 'system' WHEN s % 500 = 0 THEN 'status' ELSE 'note' END)::"TimelineKind",
              CASE WHEN s = 1 THEN NULL ELSE people.ids[1 + s % array_length(people.ids, 1)] END,
              made.declared_at + interval '1.8 seconds' * s,
              CASE WHEN s = 1 THEN 'Incident declared.' ELSE 'Note ' || s || ': **p99** on \`payments-api\` is ' || (200 + s % 900) || ' ms; see [the dashboard](https://grafana.example.com/d/' || s || ').' END,
              s % 1000 = 0
         FROM made, people, generate_series(1, $1::int) s
       RETURNING 1)
     SELECT made.number, (SELECT count(*) FROM events) AS events FROM made`,
    [LARGE.hugeEvents],
  );
  const huge = Number(hugeRow.rows[0].number);
  await step('commander of the huge one', `INSERT INTO incident_roles (incident_id, role, user_id) SELECT i.id, 'commander', (SELECT id FROM users WHERE role = 'admin' ORDER BY email LIMIT 1) FROM incidents i WHERE i.number = $1`, [huge]);
  const analyzed = performance.now();
  // VACUUM as well as ANALYZE: a million freshly inserted rows would otherwise have autovacuum
  // reading and writing them during the measurements (a limit once came out 4× slower for it),
  // and the visibility map it sets is what a database that has lived three years has.
  await pool.query('VACUUM (ANALYZE)');
  say(`  VACUUM (ANALYZE) in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`);
  const [{ incidents, events }] = (await pool.query<{ incidents: number; events: number }>('SELECT (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM timeline_events) AS events')).rows as [
    { incidents: number; events: number },
  ];
  say(`Seeded the large data set (${incidents.toLocaleString('en')} incidents, ${events.toLocaleString('en')} events) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return { huge, incidents, events };
}

/** The number of the first incident on page `page` (1-based) of /incidents with `filter`, newest first, 50 a page: the cursor the page before hands out. */
export async function cursorOfPage(pool: pg.Pool, where: string, page: number): Promise<number | null> {
  if (page <= 1) return null;
  const { rows } = await pool.query<{ number: number }>(`SELECT number FROM incidents i WHERE ${where} ORDER BY number DESC OFFSET $1 LIMIT 1`, [(page - 1) * 50 - 1]);
  return rows[0]?.number ?? null;
}

export type ListTiming = { label: string; first: PageTiming; fiftieth: PageTiming; sql: Summary };

/** /incidents with a filter: the first page and the 50th (by its cursor), beside the SQL of one page. */
export async function measureIncidentList(baseUrl: string, cookie: string, pool: pg.Pool, times: number, list: { label: string; query: Record<string, string>; where: string }): Promise<ListTiming> {
  const query = new URLSearchParams(list.query);
  const first = await measurePage(`${baseUrl}/incidents?${query}`, cookie, times);
  const cursor = await cursorOfPage(pool, list.where, 50);
  if (cursor === null) throw new Error(`/incidents?${query} has fewer than 50 pages at this scale`);
  const fiftieth = await measurePage(`${baseUrl}/incidents?${new URLSearchParams({ ...list.query, cursor: String(cursor) })}`, cookie, times);
  const sql = await measureQueries(pool, [[`SELECT i.* FROM incidents i WHERE ${list.where} AND number < $1 ORDER BY number DESC LIMIT 51`, [cursor]]], times);
  return { label: list.label, first, fiftieth, sql };
}

type Plan = { pageViews: number; browserRuns: number };

/**
 * Every figure #21 holds the large data set to, each beside its floor measured in the same run:
 * the pages' own SQL, or a scan of the rows a figure reads.
 */
export async function measureLarge(
  app: App,
  session: Session,
  pool: pg.Pool,
  data: Dataset,
  largeData: LargeDataset,
  plan: Plan,
  say: (line: string) => void,
  detail: Record<string, unknown>,
  output: ServerOutput,
): Promise<Row[]> {
  const rows: Row[] = [];
  const events = largeData.events.toLocaleString('en');
  const incidents = largeData.incidents.toLocaleString('en');

  say('Command views…');
  for (const [label, number, goal] of [
    ['5,000 events', data.big, 120],
    [`${LARGE.hugeEvents.toLocaleString('en')} events`, largeData.huge, 150],
  ] as const) {
    const page = await measurePage(`${app.url}/incidents/${number}`, session.cookie, plan.pageViews);
    const sql = await measureQueries(pool, commandViewQueries(number), plan.pageViews);
    rows.push({ name: `Command view (${label}, ${events} stored): full HTML p95`, figure: page.full.p95, unit: 'ms', limit: sql.p95, limitLabel: 'its SQL p95', goal: { max: goal } });
    detail[`command view ${label}`] = { page, sql };
  }

  say('Dashboard…');
  const dashboard = await measurePage(`${app.url}/`, session.cookie, plan.pageViews);
  const dashboardSql = await measureQueries(pool, dashboardQueries(), plan.pageViews);
  rows.push({ name: `Dashboard (${incidents} incidents): full HTML p95`, figure: dashboard.full.p95, unit: 'ms', limit: dashboardSql.p95, limitLabel: 'its SQL p95', goal: { max: 120 } });
  detail.dashboard = { dashboard, dashboardSql };

  say('Incident lists…');
  const lists: { label: string; query: Record<string, string>; where: string }[] = [
    { label: 'all', query: { status: 'all' }, where: 'true' },
    { label: 'resolved, SEV2', query: { status: 'resolved', severity: 'SEV2' }, where: `status = 'resolved' AND severity_key = 'SEV2'` },
    { label: 'service checkout', query: { status: 'all', service: 'checkout' }, where: `services @> ARRAY['checkout']` },
  ];
  for (const list of lists) {
    const timing = await measureIncidentList(app.url, session.cookie, pool, plan.pageViews, list);
    rows.push(
      { name: `/incidents (${incidents}, ${list.label}): first page, full HTML p95`, figure: timing.first.full.p95, unit: 'ms', limit: timing.sql.p95, limitLabel: 'one page of SQL', goal: { max: 120 } },
      { name: `/incidents (${incidents}, ${list.label}): 50th page, full HTML p95`, figure: timing.fiftieth.full.p95, unit: 'ms', limit: timing.sql.p95, limitLabel: 'one page of SQL', goal: { max: 120 } },
    );
    detail[`list ${list.label}`] = timing;
  }

  say('Timeline search…');
  const searches = await sample(plan.pageViews, async () => {
    const answer = await api<{ items: unknown[] }>(app, data.token, 'GET', `/api/v1/incidents/${largeData.huge}/timeline/search?q=check`);
    if (answer.status !== 200) throw new Error(`Timeline search answered ${answer.status}`);
  });
  const searchSql = await measureQueries(pool, [[`SELECT id FROM timeline_events WHERE incident_id = (SELECT id FROM incidents WHERE number = $1) ORDER BY seq DESC LIMIT 51`, [largeData.huge]]], plan.pageViews);
  rows.push({ name: `Timeline search, 50,000-event incident (${events} stored): p95`, figure: summarize(searches).p95, unit: 'ms', limit: searchSql.p95, limitLabel: 'a page of its events', goal: { max: 200 } });
  detail.search = { searches: summarize(searches), searchSql };

  say('Insights over three years…');
  const firstThreeYears = await measureFirstView(app.url, session.cookie, 3 * 365);
  const threeYears = await measureComputed(app.url, session.cookie, 3 * 365, Math.min(plan.pageViews, 10));
  const threeYearsSql = await measureQueries(pool, [[`SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - started_at) FROM incidents WHERE declared_at >= now() - interval '3 years'`, []]], Math.min(plan.pageViews, 10));
  rows.push(
    { name: `Insights (${incidents} incidents, three years, computed): full HTML p95`, figure: threeYears.p95, unit: 'ms', limit: threeYearsSql.p95, limitLabel: 'scanning its rows', goal: { max: 300 } },
    { name: `Insights (${incidents} incidents, three years): first view, rolling them up`, figure: firstThreeYears, unit: 'ms', limit: null, goal: null },
  );
  detail.insights = { firstThreeYears, threeYears, threeYearsSql };

  say('Browser…');
  for (const [label, pagePath] of [
    [`Dashboard (${incidents} incidents)`, '/'],
    [`Command view (${LARGE.hugeEvents.toLocaleString('en')} events)`, `/incidents/${largeData.huge}`],
  ] as const) {
    const figures = await measureInBrowser(session, pagePath, plan.browserRuns);
    rows.push(
      { name: `${label}: LCP`, figure: figures.lcp, unit: 'ms', limit: null, goal: { max: 800 } },
      { name: `${label}: JavaScript, gzipped`, figure: figures.jsGzipKb, unit: 'KB', limit: null, goal: { max: 150 }, detail: `${figures.jsFiles} files` },
    );
    detail[`browser ${label}`] = figures;
  }
  await ensureChecklist(app, data.token, largeData.huge);
  const inp = await measureInteractions(session, `/incidents/${largeData.huge}`, plan.browserRuns);
  rows.push(...interactionRows(`Command view (${LARGE.hugeEvents.toLocaleString('en')} events)`, inp, plan.browserRuns));
  detail['browser interactions'] = inp;
  const javascript = javascriptRow(path.join(root, '.next'));
  rows.push(javascript.row);
  detail.javascript = javascript.detail;

  say('Plans of every page (auto_explain)…');
  const page = (label: string, pagePath: string) => ({
    label,
    view: async () => {
      const response = await fetch(`${app.url}${pagePath}`, { headers: { cookie: session.cookie }, redirect: 'manual' });
      await response.text();
      if (response.status !== 200) throw new Error(`${pagePath} answered ${response.status}`);
    },
  });
  const listCursor = async (where: string) => String(await cursorOfPage(pool, where, 50));
  const threeYearsAgo = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString();
  const taken = await takePlans(pool, output, [
    page('Command view (5,000 events)', `/incidents/${data.big}`),
    page(`Command view (${LARGE.hugeEvents.toLocaleString('en')} events)`, `/incidents/${largeData.huge}`),
    page('Dashboard', '/'),
    page('/incidents, all, first page', '/incidents?status=all'),
    page('/incidents, all, 50th page', `/incidents?status=all&cursor=${await listCursor('true')}`),
    page('/incidents, resolved SEV2, 50th page', `/incidents?status=resolved&severity=SEV2&cursor=${await listCursor(`status = 'resolved' AND severity_key = 'SEV2'`)}`),
    page('/incidents, service checkout, 50th page', `/incidents?status=all&service=checkout&cursor=${await listCursor(`services @> ARRAY['checkout']`)}`),
    {
      label: 'Timeline search, 50,000-event incident',
      view: async () => {
        const answer = await api<{ items: unknown[] }>(app, data.token, 'GET', `/api/v1/incidents/${largeData.huge}/timeline/search?q=check`);
        if (answer.status !== 200) throw new Error(`Timeline search answered ${answer.status}`);
      },
    },
    page('Insights, three years', `/insights?${new URLSearchParams({ range: 'custom', from: threeYearsAgo, to: new Date().toISOString(), groupBy: 'month' })}`),
  ]);
  const scans = taken.flatMap((page) => page.seqScans.map((scan) => ({ page: page.label, ...scan })));
  for (const scan of scans) say(`  sequential scan of ${scan.table} (${scan.rows.toLocaleString('en')} rows) on ${scan.page}: ${scan.query.replace(/\s+/g, ' ').slice(0, 160)}`);
  rows.push({
    name: `Page plans (${incidents} incidents, ${events} events): sequential scans of incidents or timeline_events`,
    figure: scans.length,
    unit: 'scans',
    limit: null,
    goal: { max: 0 },
    detail: scans.length ? [...new Set(scans.map((scan) => scan.page))].join('; ') : undefined,
  });
  detail.plans = taken.map((page) => ({ page: page.label, statements: page.statements.length, ms: page.statements.reduce((sum, s) => sum + s.ms, 0), seqScans: page.seqScans }));
  detail.plansReport = plansReport(taken, `${incidents} incidents, ${events} events`);
  return rows;
}
