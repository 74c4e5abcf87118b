// Demo data for embedded mode (and SITREP_DEMO=true): a small team so that a newcomer has
// something real to look at. Seeds once per database; later starts leave it alone.
import { db } from '@/lib/platform/db';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_SEEDED_KEY } from '@/lib/demo/credentials';
import type { Actor } from '@/lib/platform/auth/policy';
import { authenticateSource, storeAlerts } from '@/lib/alerts/ingest';
import { dispatchGroup } from '@/lib/alerts/dispatch';
import { createSilence, createSource, linkAlertToIncident, updateSource } from '@/lib/alerts/service';
import { attachRunbook, setItemState } from '@/lib/checklists/service';
import { postStatusUpdate } from '@/lib/communications/service';
import { addSme, assignRole, correctKeyTime, declareIncident, unassignRole, updateIncident } from '@/lib/incidents/service';
import { seedDemoHistory } from '@/lib/demo/history';
import { createRunbook } from '@/lib/runbooks/service';
import { editTimelineEvent, postNote } from '@/lib/timeline/service';
import { createUser } from '@/lib/users/service';
import { DateTime } from 'luxon';
import { env } from '@/lib/platform/env';
import { addContactMethod, addOverride, createPolicy, createSchedule } from '@/lib/oncall/service';
import type { UserInput } from '@/lib/users/schema';

export const demoUsers: UserInput[] = [
  { email: DEMO_ADMIN_EMAIL, name: 'Alex Rivera', role: 'admin', password: DEMO_PASSWORD },
  { email: 'priya@sitrep.local', name: 'Priya Shah', role: 'responder', password: DEMO_PASSWORD },
  { email: 'sam@sitrep.local', name: 'Sam Okafor', role: 'responder', password: DEMO_PASSWORD },
  { email: 'mei@sitrep.local', name: 'Mei Tanaka', role: 'responder', password: DEMO_PASSWORD },
  { email: 'jordan@sitrep.local', name: 'Jordan Lee', role: 'viewer', password: DEMO_PASSWORD },
];

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function seedDemoRunbooks(alex: Actor): Promise<{ rollback: string; database: string }> {
  const rollback = await createRunbook(
    {
      title: 'Roll back a bad deploy',
      description: 'When errors or latency jump right after a deploy, roll back first and investigate after.',
      tags: ['deploy', 'rollback'],
      services: ['checkout', 'api-gateway', 'search'],
      severities: ['SEV1', 'SEV2'],
      phases: [
        {
          title: 'Immediate actions',
          timeBudget: '0-5 minutes',
          steps: [
            { title: 'Confirm the deploy lines up with the errors', detail: 'Compare the deploy time with the first errors on the dashboard.', command: 'kubectl rollout history deploy/$SERVICE -n shop' },
            { title: 'Freeze further deploys', detail: 'Announce the freeze in #deploys.', command: null },
          ],
        },
        {
          title: 'Recovery',
          timeBudget: '5-15 minutes',
          steps: [
            { title: 'Roll back to the previous version', detail: '', command: 'kubectl rollout undo deploy/$SERVICE -n shop\nkubectl rollout status deploy/$SERVICE -n shop', expectedOutcome: 'All pods ready on the previous image' },
            { title: 'Watch the error rate for 5 minutes', detail: 'It should fall back under 0.5%.', command: null },
          ],
        },
        { title: 'Verification', timeBudget: null, steps: [{ title: 'Place a test order end to end', detail: 'Use the staging card 4242 4242 4242 4242.', command: null }] },
      ],
    },
    { actor: alex },
  );
  const database = await createRunbook(
    {
      title: 'Database failure',
      description: 'The primary database is down, read-only or corrupt.',
      tags: ['database', 'postgres'],
      services: ['database', 'checkout', 'reporting'],
      severities: ['SEV1'],
      phases: [
        {
          title: 'Immediate actions',
          timeBudget: '0-5 minutes',
          steps: [
            { title: 'Check the database status', detail: '', command: 'systemctl status postgresql\npg_isready -h db-primary' },
            { title: 'Check disk space', detail: 'A full disk makes PostgreSQL stop accepting writes.', command: 'df -h /var/lib/postgresql' },
          ],
        },
        {
          title: 'Recovery',
          timeBudget: 'Fix: < 15 min',
          steps: [
            { title: 'Fail over to the replica', detail: 'Only when the primary does not come back within 5 minutes.', command: 'patronictl failover --candidate db-replica-1' },
            { title: 'If all fails, restore from the last backup', detail: 'Announce the expected data loss window first.', command: null },
          ],
        },
      ],
    },
    { actor: alex },
  );
  return { rollback: rollback.id, database: database.id };
}

/** A command center in mid-incident, written through the same services people use. */
async function seedDemoIncidents(team: Record<string, Actor>): Promise<void> {
  const { alex, priya, sam, mei } = team as Record<'alex' | 'priya' | 'sam' | 'mei', Actor>;
  const runbooks = await seedDemoRunbooks(alex);
  // The past first, so that /insights, earlier incidents and runbook feedback have a history.
  await seedDemoHistory(team, runbooks);

  const checkout = await declareIncident(
    {
      title: 'Checkout API returning 502s',
      severity: 'SEV1',
      summary: 'About 40% of checkout requests fail with 502 from the gateway since the 14:02 deploy. Card payments cannot complete.',
      services: ['checkout', 'api-gateway'],
      customerImpact: true,
      startedAt: minutesAgo(34),
      detectedAt: minutesAgo(31),
    },
    { actor: alex },
  );
  const n1 = checkout.number;
  await postNote(n1, { body: 'Error rate on `api-gateway` jumped to **38%**; upstream `checkout` pods restarting in a loop (OOMKilled).', occurredAt: minutesAgo(30) }, { actor: priya });
  await assignRole(n1, 'tech_lead', priya.email, {}, { actor: alex });
  await assignRole(n1, 'comms_lead', mei.email, {}, { actor: alex });
  await updateIncident(n1, { status: 'identified', reason: 'checkout 2.14 doubled the cache size; pods exceed their memory limit' }, {}, { actor: priya });
  const rollback = await postNote(n1, { body: 'Rolling back checkout to 2.13:\n\n```\nkubectl rollout undo deploy/checkout -n shop\n```' }, { actor: priya });
  await editTimelineEvent(n1, rollback.id, { pinned: true }, { actor: alex });
  const checklist = await attachRunbook(n1, runbooks.rollback, { actor: priya });
  await setItemState(n1, checklist.id, checklist.items[0]!.id, { state: 'done' }, { actor: priya });
  await setItemState(n1, checklist.id, checklist.items[1]!.id, { state: 'skipped', note: 'no other deploys queued today' }, { actor: alex });
  await postStatusUpdate(n1, { audience: 'internal', template: 'internal' }, { actor: mei });
  await postStatusUpdate(n1, { audience: 'public', body: 'We are investigating failed payments at checkout. Some customers cannot complete orders. Next update by {{nextUpdate}}.' }, { actor: mei });

  const search = await declareIncident(
    { title: 'Search results 5× slower than usual', severity: 'SEV2', summary: 'p95 search latency at 4.8 s (normally 0.9 s).', services: ['search'], customerImpact: true },
    { actor: sam },
  );
  await postNote(search.number, { body: 'Elasticsearch heap at 92% on two of three nodes; a reindex job started at 13:40.' }, { actor: sam });
  await assignRole(search.number, 'tech_lead', sam.email, {}, { actor: sam });

  const reports = await declareIncident(
    { title: 'Nightly sales report missing for EU tenants', severity: 'SEV3', services: ['reporting'], customerImpact: false },
    { actor: mei },
  );
  await unassignRole(reports.number, 'commander', {}, { actor: mei });

  const dns = await declareIncident(
    { title: 'DNS resolution failures in eu-west', severity: 'SEV2', services: ['dns', 'edge'], customerImpact: true, startedAt: minutesAgo(26 * 60) },
    { actor: priya },
  );
  await updateIncident(dns.number, { status: 'monitoring', reason: 'failed over to the secondary resolver' }, {}, { actor: priya });
  await postStatusUpdate(dns.number, { audience: 'public', body: 'Some customers in Europe cannot reach our services. We have failed over to a secondary DNS resolver and are monitoring.' }, { actor: priya });
  await updateIncident(dns.number, { status: 'resolved', reason: 'primary resolver fixed and back in rotation' }, {}, { actor: priya });
  await postStatusUpdate(dns.number, { audience: 'public', template: 'resolved' }, { actor: priya });
  await correctKeyTime(dns.number, { field: 'detectedAt', value: minutesAgo(25 * 60 + 50), reason: 'first alert in the pager history' }, {}, { actor: priya });

  // A private incident: Mei, Priya (an expert) and admins see it; Sam and Jordan see only the
  // dashboard's "1 private incident open".
  const phishing = await declareIncident(
    {
      title: 'Phished credentials used on the admin console',
      severity: 'SEV2',
      summary: 'Two support accounts signed in to the admin console from an unknown network after a fake "payroll update" e-mail.',
      services: ['admin-console'],
      private: true,
      startedAt: minutesAgo(50),
    },
    { actor: mei },
  );
  await addSme(phishing.number, priya.email, { actor: mei });
  await postNote(phishing.number, { body: 'Both sessions revoked and the two passwords reset; checking the audit log for what they changed.' }, { actor: mei });

  await seedDemoAlerts(alex, priya, n1);
}

const DEMO_SOURCE = 'Prometheus production';

/** A Prometheus source with a few alerts in every state, sent through the same intake as real ones. */
async function seedDemoAlerts(alex: Actor, priya: Actor, checkoutNumber: number): Promise<void> {
  const { token } = await createSource(
    {
      name: DEMO_SOURCE,
      kind: 'alertmanager',
      routes: [
        { match: { severity: 'critical', env: 'prod' }, declare: true },
        { match: {}, declare: false },
      ],
    },
    { actor: alex },
  );
  const source = await authenticateSource(token, 'alertmanager');
  await createSilence({ matchers: { env: 'staging' }, endsAt: new Date(Date.now() + 4 * 3_600_000).toISOString(), comment: 'Load test on staging until the afternoon' }, { actor: priya });
  const alert = (labels: Record<string, string>, summary: string, startedMinutesAgo: number, status: 'firing' | 'resolved' = 'firing') => ({
    status,
    labels,
    annotations: { summary },
    startsAt: minutesAgo(startedMinutesAgo),
    endsAt: status === 'resolved' ? minutesAgo(5) : '0001-01-01T00:00:00Z',
    generatorURL: 'https://prometheus.example.com/graph',
  });
  const payload = (alertname: string, alerts: object[]) => ({ version: '4', groupKey: `{}:{alertname="${alertname}"}`, status: 'firing', receiver: 'sitrep', alerts });
  const errors = alert({ alertname: 'CheckoutErrorRate', service: 'checkout', env: 'prod', severity: 'critical' }, 'Checkout 5xx rate is 38%', 33);
  const stored = await storeAlerts(source, payload('CheckoutErrorRate', [errors]));
  // The responders linked it to the incident they had declared; Prometheus kept repeating it.
  await linkAlertToIncident(checkoutNumber, stored.result.alerts[0]!.id, { actor: priya });
  for (let repeat = 0; repeat < 6; repeat++) await storeAlerts(source, payload('CheckoutErrorRate', [errors]));
  await storeAlerts(
    source,
    payload('DiskSpaceLow', [
      alert({ alertname: 'DiskSpaceLow', instance: 'db-replica-2', service: 'database', env: 'prod', severity: 'warning' }, 'Disk on db-replica-2 is 91% full', 12),
      alert({ alertname: 'DiskSpaceLow', instance: 'db-replica-3', service: 'database', env: 'prod', severity: 'warning' }, 'Disk on db-replica-3 is 88% full', 9),
    ]),
  );
  await storeAlerts(source, payload('HighLatency', [alert({ alertname: 'HighLatency', service: 'search', env: 'staging', severity: 'critical' }, 'Search p95 over 3 s on staging', 20)]));
  const latency = alert({ alertname: 'SearchLatency', service: 'search', env: 'prod', severity: 'warning' }, 'Search p95 over 2 s', 95);
  await storeAlerts(source, payload('SearchLatency', [latency]));
  await storeAlerts(source, payload('SearchLatency', [{ ...latency, status: 'resolved', endsAt: minutesAgo(5) }]));
  // Route them now, under these routes, as the worker would at start: on-call, seeded next, gives
  // the routes an escalation policy for the alerts still to come, not for these.
  for (const dispatch of await db.alertDispatch.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' } })) {
    await dispatchGroup(dispatch.id, dispatch.attemptCount + 1);
  }
}

/**
 * On-call, so a newcomer sees who is on call at once: "Platform on-call" in Berlin time with a
 * weekly primary rotation and a business-hours layer on top, an override tomorrow afternoon, a
 * two-level policy shaped like the playbooks' escalation matrix (on-call for 5 min, then the
 * engineering lead), and an e-mail contact method for everyone who can be paged.
 */
async function seedDemoOnCall(team: Record<'alex' | 'priya' | 'sam' | 'mei', Actor>): Promise<void> {
  const { alex, priya, sam, mei } = team;
  // Targets are sealed with the installation key; without one (possible with SITREP_DEMO=true and
  // DATABASE_URL) the team simply has no contact methods and shows as unreachable.
  if (env.SITREP_ENCRYPTION_KEY) {
    for (const person of [alex, priya, sam, mei]) await addContactMethod(person.email, { kind: 'email', target: person.email, label: 'Work e-mail' }, { actor: alex });
  }
  const zone = 'Europe/Berlin';
  const local = DateTime.now().setZone(zone).startOf('day');
  const monday = local.minus({ weeks: 3 }).startOf('week');
  const schedule = await createSchedule(
    {
      name: 'Platform on-call',
      timeZone: zone,
      layers: [
        { name: 'Primary', participants: [priya.email, sam.email, mei.email], rotation: 'weekly', handoffTime: '09:00', handoffDay: 'monday', startDate: monday.toISODate()! },
        {
          name: 'Business hours',
          participants: [alex.email, priya.email],
          rotation: 'daily',
          handoffTime: '09:00',
          startDate: local.minus({ days: 14 }).toISODate()!,
          restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        },
      ],
    },
    { actor: alex },
  );
  const tomorrow = local.plus({ days: 1 });
  await addOverride(schedule.id, { email: sam.email, start: tomorrow.set({ hour: 14 }).toISO()!, end: tomorrow.set({ hour: 18 }).toISO()! }, { actor: alex });
  const policy = await createPolicy(
    {
      name: 'Platform escalation',
      repeat: 1,
      levels: [
        { delaySeconds: 300, targets: [{ schedule: schedule.id }] },
        { delaySeconds: 600, targets: [{ user: alex.email }] },
      ],
    },
    { actor: alex },
  );
  // The demo source's alerts now page this policy: critical production alerts declare and page,
  // production warnings page only. (The alerts seeded with the incidents came before on-call
  // existed, so they paged no one; the next ones do.)
  const source = await db.alertSource.findFirst({ where: { name: DEMO_SOURCE } });
  if (source) {
    await updateSource(
      source.id,
      {
        name: source.name,
        kind: source.kind,
        routes: [
          { match: { severity: 'critical', env: 'prod' }, policyId: policy.id, declare: true },
          { match: { env: 'prod' }, policyId: policy.id, declare: false },
          { match: {}, declare: false },
        ],
      },
      {},
      { actor: alex },
    );
  }
}

/** Returns true when it seeded, false when the database had demo data already. */
export async function seedDemoData(): Promise<boolean> {
  if (await db.setting.findUnique({ where: { key: DEMO_SEEDED_KEY } })) return false;
  const team: Record<string, Actor> = {};
  for (const input of demoUsers) {
    const user = (await db.user.findUnique({ where: { email: input.email } })) ?? (await createUser(input, { actor: null }));
    team[input.email.split('@')[0]!] = { id: user.id, email: user.email, name: user.name, role: user.role };
  }
  team.alex = team.admin!;
  // A seed interrupted half-way must not write the incidents twice on the next start.
  if ((await db.incident.count()) === 0) await seedDemoIncidents(team);
  if ((await db.schedule.count()) === 0) await seedDemoOnCall(team as Record<'alex' | 'priya' | 'sam' | 'mei', Actor>);
  await db.setting.create({ data: { key: DEMO_SEEDED_KEY, value: new Date().toISOString() } });
  return true;
}
