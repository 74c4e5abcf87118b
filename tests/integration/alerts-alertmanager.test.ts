// A real Prometheus Alertmanager (Debian's prometheus-alertmanager) sending to Sitrep's ingest
// routes over real HTTP, with the dispatch worker running in this process: what Alertmanager
// groups is one alert group (one incident when its route declares), its repeats are counted, its
// resolved notifications resolve, and its pagerduty_configs integration works against Sitrep's
// PagerDuty-compatible endpoint. Waits are for conditions in the database, never for time.
// Skipped, saying why, where Alertmanager is not installed (.ci/run installs it).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDispatchWorker } from '@/lib/alerts/delivery';
import { createSource } from '@/lib/alerts/service';
import { db } from '@/lib/platform/db';
import { stopAllWorkers } from '@/lib/platform/delivery/worker';
import { createRunbook } from '@/lib/runbooks/service';
import { createUser } from '@/lib/users/service';
import { alertmanagerBinary, alertmanagerMissing, startAlertmanager, type PostableAlert, type RunningAlertmanager } from '../support/alertmanager';
import { startIngestServer, type IngestServer } from '../support/ingest-server';

const binary = alertmanagerBinary();
if (!binary) console.warn(`alerts-alertmanager: SKIPPED. ${alertmanagerMissing()}`);

/** Polls the database until `check` holds; the timeout is only a failsafe for a broken run. */
async function until<T>(description: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!binary)('a real Alertmanager sending to Sitrep', () => {
  let server: IngestServer;
  let alertmanager: RunningAlertmanager;
  let sourceId: string;
  let pagerDutySourceId: string;
  const unique = randomUUID().slice(0, 8);

  beforeAll(async () => {
    const admin = await createUser({ email: `am-${unique}@example.com`, name: 'Am Admin', role: 'admin' }, { actor: null });
    const by = { actor: { id: admin.id, email: admin.email, name: admin.name, role: admin.role } };
    await createRunbook({ title: `Replication lag ${unique}`, tags: [`ReplicationLag${unique}`], phases: [{ title: 'Diagnosis', steps: [{ title: 'Check pg_stat_replication' }] }] }, by);
    const source = await createSource(
      { name: `Alertmanager ${unique}`, kind: 'alertmanager', routes: [{ match: { team: 'db' }, severity: 'SEV2', declare: true }, { match: {} }] },
      by,
    );
    const pagerDuty = await createSource({ name: `Alertmanager via PagerDuty ${unique}`, kind: 'pagerduty', routes: [{ match: { severity: 'critical' }, declare: true }, { match: {} }] }, by);
    sourceId = source.id;
    pagerDutySourceId = pagerDuty.id;
    server = await startIngestServer();
    alertmanager = await startAlertmanager({
      webhookUrl: `${server.url}/api/v1/alerts/ingest/alertmanager`,
      bearerToken: source.token,
      pagerDutyUrl: `${server.url}/api/v1/alerts/ingest/pagerduty`,
      routingKey: pagerDuty.token,
      repeatInterval: '3s',
    });
    await startDispatchWorker();
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await server?.close();
    await stopAllWorkers();
  });

  it('groups, declares once with the runbook, counts repeats and resolves, with the timeline saying so', async () => {
    const name = `ReplicationLag${unique}`;
    const lag = (instance: string): PostableAlert => ({ labels: { alertname: name, instance, team: 'db', severity: 'critical' }, annotations: { summary: `Replication lag on ${instance}` } });
    const other: PostableAlert = { labels: { alertname: `QueueBacklog${unique}`, queue: 'emails' }, annotations: { summary: 'Email queue backlog' } };
    await alertmanager.postAlerts([lag('db-2'), lag('db-3'), other]);

    // Alertmanager groups by alertname: the two lag alerts arrive together, in one group.
    const alerts = await until('both lag alerts stored', async () => {
      const rows = await db.alert.findMany({ where: { sourceId, labels: { path: ['alertname'], equals: name } } });
      return rows.length === 2 && rows;
    });
    expect(new Set(alerts.map((alert) => alert.groupId)).size).toBe(1);
    const group = await until('the group routed and its incident declared', () => db.alertGroup.findFirst({ where: { id: alerts[0]!.groupId, incidentId: { not: null } } }));
    expect(group).toMatchObject({ routeIndex: 0, severityKey: 'SEV2', declare: true });
    const incident = await db.incident.findUniqueOrThrow({ where: { id: group.incidentId! }, include: { checklists: true } });
    expect(incident).toMatchObject({ severityKey: 'SEV2', title: expect.stringMatching(/^Replication lag on db-[23]$/) });
    expect(incident.checklists.map((checklist) => checklist.title)).toEqual([`Replication lag ${unique}`]);
    await until('both alerts linked', async () => (await db.alert.count({ where: { groupId: group.id, incidentId: incident.id } })) === 2);

    // The other alertname is a group of its own, routed by the catch-all: no incident.
    const backlog = await until('the backlog group routed', () => db.alertGroup.findFirst({ where: { sourceId, title: 'Email queue backlog', routedAt: { not: null } } }));
    expect(backlog).toMatchObject({ routeIndex: 1, incidentId: null });

    // Alertmanager repeats the group after repeat_interval: counted on the same alerts.
    await until('a repeat counted', async () => (await db.alert.count({ where: { groupId: group.id, count: { gte: 2 } } })) === 2, 45_000);
    expect(await db.alert.count({ where: { sourceId, labels: { path: ['alertname'], equals: name } } })).toBe(2);
    // Declared once: every group of this source that has an incident has this one (other files declare incidents of the same title).
    const declared = await db.alertGroup.findMany({ where: { sourceId, incidentId: { not: null } }, select: { incidentId: true } });
    expect(new Set(declared.map((row) => row.incidentId))).toEqual(new Set([incident.id]));

    // Ending them makes Alertmanager send them resolved.
    await alertmanager.resolveAlerts([lag('db-2'), lag('db-3')]);
    await until('both resolved', async () => (await db.alert.count({ where: { groupId: group.id, status: 'resolved' } })) === 2);
    const events = await until('the timeline says every alert resolved', async () => {
      const rows = await db.timelineEvent.findMany({ where: { incidentId: incident.id, kind: 'alert' }, orderBy: { seq: 'asc' } });
      return rows.some((event) => /Every alert linked/.test(event.body)) && rows;
    });
    expect(events[0]!.body).toMatch(/fired \(2 alerts\)/);
    expect(await db.alertGroup.findUniqueOrThrow({ where: { id: group.id } })).toMatchObject({ closedAt: expect.any(Date) });
  });

  it('takes what its pagerduty_configs integration sends, as Events API v2', async () => {
    const name = `DiskFull${unique}`;
    const alert: PostableAlert = { labels: { alertname: name, instance: 'db-9', severity: 'critical' }, annotations: { summary: 'Disk on db-9 is full' } };
    await alertmanager.postAlerts([alert]);
    // Alertmanager's default summary: "[FIRING:1] <alertname> (<labels>)".
    const stored = await until('the PagerDuty event stored', () => db.alert.findFirst({ where: { sourceId: pagerDutySourceId, status: 'firing', title: { contains: name } } }));
    // Its pagerduty_configs sends severity "error" unless configured otherwise.
    expect(stored).toMatchObject({ senderSeverity: 'error', severityKey: 'SEV2' });
    await alertmanager.resolveAlerts([alert]);
    await until('resolved through PagerDuty’s resolve event', () => db.alert.findFirst({ where: { id: stored.id, status: 'resolved' } }));
  });
});
