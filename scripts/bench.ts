// `npm run bench [-- --quick]`: Sitrep's speed against the production build (`next start`) on an
// embedded PostgreSQL with a seeded data set, each figure beside its physical limit measured in
// the same run (raw SQL through `pg`, a raw LISTEN/NOTIFY, a direct HTTP request), because
// absolute times vary from machine to machine. Prints a table and writes bench/results.json.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { leaveShutdownSignalsToCaller } from '@/lib/platform/runtime/embedded-postgres';
import { ensureChecklist, interactionRows, measureInBrowser, measureInteractions, signedInBrowser, type Session } from './bench/browser';
import { measureBareFanOut, measureFanOut, measureListenNotify, measureManyStreams } from './bench/live';
import { commandViewQueries, dashboardQueries, measurePage, measureQueries, openListQueries } from './bench/pages';
import { ingestRows, measureAlertToPage, measureBareIntake, measureDispatchDelay, measureIngestAtRate, measureIngestCapacity, measureRawUpsert, measureStoringIntake } from './bench/alerts';
import { javascriptRow } from './bench/javascript';
import { INSIGHTS_INCIDENTS, measureInsights, seedInsightsData } from './bench/insights';
import { measureOnCall } from './bench/oncall';
import { measureRemediation } from './bench/remediation';
import { BENCH_USER, seedBenchData } from './bench/seed';
import { LARGE, measureLarge, seedLargeData } from './bench/large';
import { PLAN_LOG_FLAGS, ServerOutput } from './bench/plans';
import { busyReasons, printTable, ratioOf, sample, summarize, verdict, type Row } from './bench/stats';
import { measureWrites, measureWritesAtRate } from './bench/writes';
import { ensureBuild, root } from './support/build';
import { api, startApp, startPostgres, type App, type Postgres } from './support/instances';
import { describeSoak, runSoak, setUpSoak } from './support/soak';

const quick = process.argv.includes('--quick');
// `--only alerts,oncall` runs those sections and prints their rows without writing bench/results.json.
const SECTIONS = ['pages', 'remediation', 'oncall', 'alerts', 'writes', 'live', 'browser', 'insights', 'soak'] as const;
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? new Set((process.argv[onlyIndex + 1] ?? '').split(',').filter(Boolean)) : null;
for (const name of only ?? []) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only ${name}: the sections are ${SECTIONS.join(', ')}`);
const runs = (section: (typeof SECTIONS)[number]) => !only || only.has(section);
// `--scale large`: the pages measured again on three years of data (bench/large.ts); writes bench/results-large.json.
const scaleIndex = process.argv.indexOf('--scale');
const scale = scaleIndex > 0 ? process.argv[scaleIndex + 1] : 'default';
if (scale !== 'default' && scale !== 'large') throw new Error(`--scale ${scale}: the scales are default and large`);
const large = scale === 'large';
const plan = quick
  ? { writeSeconds: 5, posts: 20, pageViews: 10, postmortems: 3, fires: 10, browserRuns: 1, soakSeconds: 10 }
  : { writeSeconds: 20, posts: 100, pageViews: 50, postmortems: 10, fires: 50, browserRuns: 3, soakSeconds: 60 };
const say = (line: string) => console.log(`[bench] ${line}`);

/** RSS of a process and its descendants (next start forks next-server), in MB. */
function rssMb(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = (() => {
      try {
        return readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        return null;
      }
    })();
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let kb = 0;
  const visit = (p: number) => {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // exited meanwhile
    }
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return kb / 1024;
}

async function main(): Promise<void> {
  const started = performance.now();
  // Read before anything of ours runs: the build below would raise it.
  const atStart = { loadAverage: os.loadavg()[0]!, cores: os.cpus().length };
  say(`${quick ? 'Quick' : 'Full'} run on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`);
  ensureBuild({ ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }, { anyKey: true, say });

  let postgres: Postgres | null = null;
  const serverOutput = new ServerOutput();
  const apps: App[] = [];
  let session: Session | null = null;
  let pool: pg.Pool | null = null;
  const cleanup = async () => {
    await session?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await Promise.all(apps.map((app) => app.stop()));
    await postgres?.destroy();
  };
  leaveShutdownSignalsToCaller();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: cleaning up…`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    postgres = await startPostgres({ name: 'bench', durable: true, ...(large ? { postgresFlags: PLAN_LOG_FLAGS, output: serverOutput.write } : {}) });
    // The delivery worker runs in the web server, as in a default installation.
    const a = await startApp({ databaseUrl: postgres.url, name: 'A' });
    apps.push(a);
    const data = await seedBenchData(postgres.url, a, say);
    pool = new pg.Pool({ connectionString: postgres.url, max: 20 });
    session = await signedInBrowser(a.url, BENCH_USER);
    const rows: Row[] = [];
    const detail: Record<string, unknown> = {};

    if (large) {
      say(`The large data set (${LARGE.incidents.toLocaleString('en')} incidents, ${LARGE.events.toLocaleString('en')} events)…`);
      const largeData = await seedLargeData(pool, say);
      detail.dataset = largeData;
      rows.push(...(await measureLarge(a, session, pool, data, largeData, plan, say, detail, serverOutput)));
    }

    if (!large && runs('pages')) {
      say('Pages…');
      const command = await measurePage(`${a.url}/incidents/${data.big}`, session.cookie, plan.pageViews);
      const commandSql = await measureQueries(pool, commandViewQueries(data.big), plan.pageViews);
      rows.push(
        { name: 'Command view (5,000 events): TTFB p95', figure: command.ttfb.p95, unit: 'ms', limit: commandSql.p95, limitLabel: 'its SQL p95', goal: { max: 150 } },
        { name: 'Command view (5,000 events): full HTML p95', figure: command.full.p95, unit: 'ms', limit: commandSql.p95, limitLabel: 'its SQL p95', goal: { max: 150 } },
      );
      const dashboard = await measurePage(`${a.url}/`, session.cookie, plan.pageViews);
      const dashboardSql = await measureQueries(pool, dashboardQueries(), plan.pageViews);
      rows.push({ name: 'Dashboard (2,000 incidents): full HTML p95', figure: dashboard.full.p95, unit: 'ms', limit: dashboardSql.p95, limitLabel: 'its SQL p95', goal: { max: 150 } });
      const list = await measurePage(`${a.url}/incidents?status=open`, session.cookie, plan.pageViews);
      const listSql = await measureQueries(pool, openListQueries(), plan.pageViews);
      rows.push({ name: '/incidents?status=open: full HTML p95', figure: list.full.p95, unit: 'ms', limit: listSql.p95, limitLabel: 'its SQL p95', goal: { max: 150 } });
      detail.pages = { command, commandSql, dashboard, dashboardSql, list, listSql };

      say('Post-mortem generation…');
      const first = await api(a, data.token, 'POST', `/api/v1/incidents/${data.big}/postmortem`);
      if (first.status !== 201) throw new Error(`Generating the review answered ${first.status}: ${JSON.stringify(first.body)}`);
      const generation = summarize(
        await sample(plan.postmortems, async () => {
          const again = await api(a, data.token, 'POST', `/api/v1/incidents/${data.big}/postmortem?regenerate=true`);
          if (again.status !== 200) throw new Error(`Regenerating the review answered ${again.status}`);
        }, 1),
      );
      const eventsSql = await measureQueries(pool, [[`SELECT e.*, u.name FROM timeline_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.incident_id = (SELECT id FROM incidents WHERE number = $1) ORDER BY e.seq`, [data.big]]], plan.postmortems);
      rows.push({ name: 'Post-mortem generation (5,000 events): max', figure: generation.max, unit: 'ms', limit: eventsSql.p50, limitLabel: 'reading its events', goal: { max: 300 } });
      detail.postmortem = { generation, eventsSql };
    }

    if (!large && runs('remediation')) {
      say('Remediation…');
      const remediation = await measureRemediation({ app: a, token: data.token, incident: data.writes, fires: plan.fires });
      rows.push(
        { name: 'Remediation fire: click-to-202 p95', figure: remediation.fire.p95, unit: 'ms', limit: remediation.direct.p95, limitLabel: 'a plain HTTP POST', goal: { max: 100 } },
        { name: 'Remediation: 202-to-receiver p95', figure: remediation.delivery.p95, unit: 'ms', limit: remediation.direct.p95, limitLabel: 'a plain HTTP POST', goal: { max: 250 } },
      );
      detail.remediation = remediation;
    }

    if (!large && runs('oncall')) {
      say('On-call and paging…');
      const oncall = await measureOnCall({ app: a, token: data.token, databaseUrl: postgres.url, pages: 200, triggers: plan.fires, say });
      rows.push(
        { name: 'Page: trigger-to-first-notification p95', figure: oncall.firstNotification.p95, unit: 'ms', limit: oncall.direct.p95, limitLabel: 'a plain HTTP POST', goal: { max: 500 } },
        { name: `Escalation: due-to-notification p95, ${oncall.openPages} pages open`, figure: oncall.escalation.p95, unit: 'ms', limit: oncall.escalationFloor.p95, limitLabel: 'a bare pg-boss job', goal: { max: 2000 } },
        { name: 'Who is on call: 50 schedules × 14 days, p95', figure: oncall.whoIsOnCall.p95, unit: 'ms', limit: oncall.whoIsOnCallSql.p95, limitLabel: 'its SQL p95', goal: { max: 50 } },
      );
      detail.oncall = oncall;
    }

    if (!large && runs('alerts')) {
      say('Alerts in…');
      const intake = await api<{ token: string }>(a, data.token, 'POST', '/api/v1/alert-sources', { name: 'Bench storm', kind: 'alertmanager', routes: [{ match: {} }] });
      if (intake.status !== 201) throw new Error(`Creating the alert source answered ${intake.status}: ${JSON.stringify(intake.body)}`);
      const alertSeconds = quick ? 5 : 15;
      const capacity = await measureIngestCapacity(a.url, intake.body.token, { prefix: 'Cap', connections: 10, seconds: alertSeconds });
      const rawUpsert = await measureRawUpsert(postgres.url, { connections: 10, seconds: alertSeconds });
      const bareIntake = await measureBareIntake({ connections: 10, seconds: alertSeconds });
      const storingIntake = await measureStoringIntake(postgres.url, { connections: 10, seconds: alertSeconds });
      const atRate = await measureIngestAtRate(a.url, intake.body.token, { prefix: 'Rate', rate: 200, seconds: alertSeconds });
      const batched = await measureIngestAtRate(a.url, intake.body.token, { prefix: 'Batch', rate: 200, seconds: alertSeconds, perRequest: 5 });
      const routed = await measureDispatchDelay(postgres.url, 'Rate');
      const alertPages = await measureAlertToPage(a, data.token, { samples: plan.fires });
      rows.push(...ingestRows(capacity, rawUpsert, bareIntake, storingIntake, atRate, batched, routed, alertPages));
      detail.alerts = { capacity, rawUpsert, bareIntake, storingIntake, atRate, batched, routed, alertPages };
    }

    if (!large && runs('writes')) {
      say(`Timeline writes (${plan.writeSeconds} s through the API, then ${plan.writeSeconds} s of raw SQL)…`);
      const writes = await measureWrites({ app: a, databaseUrl: postgres.url, token: data.token, incident: data.writes, seconds: plan.writeSeconds, connections: 50 });
      rows.push(...writes.rows);
      detail.writes = writes.detail;
      say(`Timeline writes at a realistic load (${plan.writeSeconds} s through the API, then the same schedule in raw SQL)…`);
      const open = (await pool.query<{ number: number }>(`SELECT number FROM incidents WHERE status NOT IN ('resolved', 'closed') AND number NOT IN ($1, $2, $3) ORDER BY number LIMIT 20`, [data.big, data.writes, data.live])).rows.map((row) => row.number);
      const atRate = await measureWritesAtRate({ app: a, databaseUrl: postgres.url, token: data.token, incidents: open, writers: 5, perSecond: 2, seconds: plan.writeSeconds });
      rows.push(...atRate.rows);
      detail.writesAtRate = atRate.detail;
      // Requests still in flight when autocannon stops may commit unanswered: stored ≥ acknowledged.
      if ((writes.detail.stored as number) < (writes.detail.acknowledged as number)) say(`LOST WRITES: ${writes.detail.acknowledged} notes acknowledged but only ${writes.detail.stored} stored.`);
    }

    if (!large && runs('live')) {
      say('Live fan-out…');
      const roundTrip = await measureListenNotify(postgres.url, plan.posts);
      const fanOut = await measureFanOut({ writer: a, streamer: a, token: data.token, incident: data.live, subscribers: 50, posts: plan.posts });
      rows.push(
        { name: 'Live fan-out to 50 streams: p50', figure: fanOut.p50, unit: 'ms', limit: roundTrip.p50, limitLabel: 'LISTEN/NOTIFY p50', goal: null },
        { name: 'Live fan-out to 50 streams: p95', figure: fanOut.p95, unit: 'ms', limit: roundTrip.p95, limitLabel: 'LISTEN/NOTIFY p95', goal: { max: 100 } },
      );
      const b = await startApp({ databaseUrl: postgres.url, name: 'B' });
      apps.push(b);
      const fanOutTwo = await measureFanOut({ writer: a, streamer: b, token: data.token, incident: data.live, subscribers: 50, posts: plan.posts });
      rows.push({ name: 'Live fan-out, two instances: p95', figure: fanOutTwo.p95, unit: 'ms', limit: roundTrip.p95, limitLabel: 'LISTEN/NOTIFY p95', goal: { max: 150 } });
      // #21: 2,000 streams on one instance (all on one incident, so every event goes to each).
      const many = await measureManyStreams({
        app: a,
        token: data.token,
        incident: data.live,
        streams: 2_000,
        posts: Math.min(plan.posts, 30),
        rss: () => rssMb(a.child.pid!),
        page: () => measurePage(`${a.url}/incidents/${data.big}`, session!.cookie, Math.min(plan.pageViews, 30)).then((timing) => timing.full),
      });
      // Its limit: a bare node:http server writing one event to as many streams, the same clients.
      const bare = await measureBareFanOut({ streams: 2_000, posts: Math.min(plan.posts, 30) });
      rows.push(
        { name: 'Live fan-out to 2,000 streams on one instance: p50', figure: many.fanOut.p50, unit: 'ms', limit: bare.p50, limitLabel: 'a bare node:http server, p50', goal: null },
        { name: 'Live fan-out to 2,000 streams on one instance: p95', figure: many.fanOut.p95, unit: 'ms', limit: bare.p95, limitLabel: 'a bare node:http server, the same clients', goal: { max: 100 } },
        { name: '…server RSS growth with the 2,000 streams open', figure: many.rssOpen - many.rssBefore, unit: 'MB', limit: null, goal: { max: 150 }, detail: `${many.rssBefore} → ${many.rssOpen} MB` },
        { name: '…command view (5,000 events) full HTML p95 while they are open', figure: many.pageOpen.p95, unit: 'ms', limit: many.pageBefore.p95, limitLabel: 'the same page just before', goal: { max: 150 } },
      );
      detail.live = { roundTrip, fanOut, fanOutTwo, many, bare };
    }

    if (!large && runs('browser')) {
      say('Browser…');
      for (const [label, pagePath] of [
        ['Dashboard', '/'],
        ['Command view', `/incidents/${data.big}`],
      ] as const) {
        const figures = await measureInBrowser(session, pagePath, plan.browserRuns);
        rows.push(
          { name: `${label}: LCP`, figure: figures.lcp, unit: 'ms', limit: null, goal: { max: 1000 } },
          { name: `${label}: total blocking time`, figure: figures.tbt, unit: 'ms', limit: null, goal: null },
          { name: `${label}: JavaScript, gzipped`, figure: figures.jsGzipKb, unit: 'KB', limit: null, goal: { max: 200 }, detail: `${figures.jsFiles} files` },
        );
        detail[`browser ${label}`] = figures;
      }
      await ensureChecklist(a, data.token, data.big);
      const inp = await measureInteractions(session, `/incidents/${data.big}`, plan.browserRuns);
      rows.push(...interactionRows('Command view', inp, plan.browserRuns));
      detail['browser interactions'] = inp;
      const javascript = javascriptRow(path.join(root, '.next'));
      rows.push(javascript.row);
      detail.javascript = javascript.detail;
    }

    if (!large && runs('insights')) {
      say(`Insights over ${INSIGHTS_INCIDENTS.toLocaleString('en')} more incidents…`);
      const seeded = performance.now();
      await seedInsightsData(pool, quick ? INSIGHTS_INCIDENTS / 10 : INSIGHTS_INCIDENTS);
      say(`Seeded the insights history in ${((performance.now() - seeded) / 1000).toFixed(1)} s.`);
      const insights = await measureInsights(a.url, session.cookie, pool, plan.pageViews);
      const label = quick ? '10,000' : '100,000';
      rows.push(
        { name: `Insights (${label} incidents, 90 days, computed): full HTML p95`, figure: insights.ninety.p95, unit: 'ms', limit: insights.ninetySql.p95, limitLabel: 'scanning its rows', goal: { max: 300 } },
        { name: `Insights (${label} incidents, 365 days, computed): full HTML p95`, figure: insights.year.p95, unit: 'ms', limit: insights.yearSql.p95, limitLabel: 'scanning its rows', goal: { max: 300 } },
        { name: `Insights (${label} incidents, 365 days, one incident changed before each view): full HTML p95`, figure: insights.yearChanged.p95, unit: 'ms', limit: insights.yearSql.p95, limitLabel: 'scanning its rows', goal: { max: 300 } },
        { name: `Insights (${label} incidents, 365 days): first view, rolling the year up`, figure: insights.firstYear, unit: 'ms', limit: null, goal: null },
        { name: `Insights (${label} incidents, 90 days, same view within the minute): full HTML p95`, figure: insights.ninetyCached.full.p95, unit: 'ms', limit: null, goal: null },
      );
      const insightsBrowser = await measureInBrowser(session, '/insights', plan.browserRuns);
      rows.push({ name: 'Insights: JavaScript, gzipped', figure: insightsBrowser.jsGzipKb, unit: 'KB', limit: null, goal: { max: 200 }, detail: `${insightsBrowser.jsFiles} files` });
      detail.insights = { ...insights, browser: insightsBrowser };
    }

    if (runs('soak')) {
      // #21's memory goal: a fresh instance's RSS after the survival soak's mixed load
      // (scripts/support/soak.ts: 20 clients on 4 incidents posting notes, ticking steps, saving
      // review sections, changing the status), on this run's data.
      say(`Soak: ${plan.soakSeconds} s of mixed load on a fresh instance…`);
      const soak = await startApp({ databaseUrl: postgres.url, name: 'soak' });
      apps.push(soak);
      const soakIncidents = await setUpSoak(soak, data.token, 4);
      const before = rssMb(soak.child.pid!);
      const record = await runSoak(soak, data.token, soakIncidents, { clients: 20, ms: plan.soakSeconds * 1000 });
      const after = rssMb(soak.child.pid!);
      say(`Soak: RSS ${Math.round(before)} → ${Math.round(after)} MB; ${describeSoak(record, plan.soakSeconds * 1000)}`);
      if (record.serverErrors.length) throw new Error(`The soak met server errors: ${record.serverErrors.slice(0, 3).join('; ')}`);
      rows.push({
        name: `Server RSS after the ${plan.soakSeconds} s soak (a fresh instance)`,
        figure: after,
        unit: 'MB',
        limit: null,
        goal: { max: 400 },
        detail: `${Math.round(before)} MB before it; ${record.latencies.length} requests`,
      });
      detail.soak = { rssBefore: before, rssAfter: after, load: describeSoak(record, plan.soakSeconds * 1000) };
      await soak.stop();
      apps.splice(apps.indexOf(soak), 1);
    }

    const memory = apps.map((app) => ({ app: app.name, rssMb: rssMb(app.child.pid!) }));
    rows.push({ name: 'Server RSS after the run (instance A)', figure: memory[0]!.rssMb, unit: 'MB', limit: null, goal: null });
    detail.memory = memory;

    const seconds = (performance.now() - started) / 1000;
    const file = path.join(root, 'bench', `results${large ? '-large' : ''}${quick ? '-quick' : ''}.json`);
    const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
    const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[]; machine?: { cpus: number; cpu: string | null } }) : null;
    // Raw limits are compared with the previous run only on the same kind of machine: another
    // CPU's limits differ by design, and would mark every run after a move BUSY for good.
    const sameMachine = earlier?.machine?.cpu === machine.cpu && earlier?.machine?.cpus === machine.cpus;
    if (earlier && !sameMachine) say(`The previous ${path.basename(file)} was measured on ${earlier.machine?.cpus ?? '?'} × ${earlier.machine?.cpu ?? 'an unknown CPU'}; its limits are not compared with this machine's, only the load average is checked.`);
    const busy = busyReasons(atStart, rows, sameMachine ? earlier!.rows : null);
    console.log();
    printTable(rows, busy.length > 0);
    console.log();
    if (busy.length) {
      say('The machine was busy, so no figure is reported as a PASS (BUSY instead) and results.json is left as it was:');
      for (const reason of busy) say(`  ${reason}.`);
    }
    const writes = detail.writes as { acknowledged: number; stored: number } | undefined;
    say(`${quick ? 'Quick' : 'Full'} run finished in ${seconds.toFixed(0)} s${writes ? `; of ${writes.acknowledged} acknowledged notes ${writes.stored} are stored (in-flight ones at the end may commit unanswered)` : ''}.`);
    // The plans go into their own report, not into results.json.
    const plansText = detail.plansReport;
    delete detail.plansReport;
    if (only || busy.length) {
      // A partial run or a busy machine: the table above, results.json untouched; the plans (which
      // don't depend on the machine's load) are still worth reading.
      if (typeof plansText === 'string') {
        const aside = path.join(os.tmpdir(), 'sitrep-plans-large.md');
        writeFileSync(aside, plansText);
        say(`The page plans are in ${aside}.`);
      }
      return;
    }

    const results = {
      date: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      scale,
      machine,
      durationSeconds: Math.round(seconds),
      rows: rows.map((row) => ({ ...row, ratio: ratioOf(row), verdict: verdict(row) || null })),
      detail,
    };
    mkdirSync(path.join(root, 'bench'), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    say(`Wrote ${path.relative(root, file)}.`);
    if (typeof plansText === 'string') {
      const report = path.join(root, 'bench', `plans-large${quick ? '-quick' : ''}.md`);
      writeFileSync(report, plansText);
      say(`Wrote ${path.relative(root, report)}.`);
    }
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
