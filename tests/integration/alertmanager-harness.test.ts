// The real-Alertmanager harness, checked against a local HTTP receiver: what Alertmanager itself
// sends (payload version 4, the bearer token, grouping, resolved notifications) is what the
// Alertmanager parser reads, and the committed fixtures still look like it. Skipped, saying
// why, where Debian's prometheus-alertmanager is not installed (.ci/run installs it).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAlertmanagerPayload } from '@/lib/alerts/payloads/alertmanager';
import { labelSetFingerprint } from '@/lib/alerts/payloads/fingerprint';
import { alertmanagerBinary, alertmanagerMissing, startAlertmanager, startAlertReceiver, type AlertReceiver, type Delivery, type PostableAlert, type RunningAlertmanager } from '../support/alertmanager';

const TOKEN = `sitrep-test-${randomUUID()}`;
const WAIT = { timeoutMs: 20_000 };
const binary = alertmanagerBinary();
if (!binary) console.warn(`alertmanager-harness: SKIPPED. ${alertmanagerMissing()}`);

type Payload = { version: string; status: string; groupKey: string; alerts: { status: string; labels: Record<string, string>; fingerprint: string; endsAt: string }[] };
const payload = (delivery: Delivery) => delivery.body as Payload;
const forAlertname = (name: string) => (delivery: Delivery) => delivery.path === '/webhook' && payload(delivery).groupKey.includes(`alertname="${name}"`);
const unique = (name: string) => `${name}${randomUUID().slice(0, 8)}`;

describe.skipIf(!binary)('a real Alertmanager sending to a local receiver', () => {
  let receiver: AlertReceiver;
  let alertmanager: RunningAlertmanager;

  beforeAll(async () => {
    receiver = await startAlertReceiver();
    alertmanager = await startAlertmanager({ webhookUrl: `${receiver.url}/webhook`, bearerToken: TOKEN });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await receiver?.close();
  });

  it('sends a firing group as payload version 4 with the bearer token, two alerts of one alertname in one payload', async () => {
    const latency = unique('HighLatency');
    const disk = unique('DiskFull');
    const alerts: PostableAlert[] = [
      { labels: { alertname: latency, instance: 'checkout-1', severity: 'critical' }, annotations: { summary: 'p99 over 2 s' }, generatorURL: 'http://prometheus.example.com/graph' },
      { labels: { alertname: latency, instance: 'checkout-2', severity: 'critical' }, annotations: { summary: 'p99 over 2 s' } },
      { labels: { alertname: disk, instance: 'db-1', severity: 'warning' } },
    ];
    await alertmanager.postAlerts(alerts);

    const group = await receiver.waitFor(forAlertname(latency), { ...WAIT, description: `${latency} group` });
    expect(group.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(group.headers['user-agent']).toMatch(/^Alertmanager\//);
    expect(payload(group)).toMatchObject({ version: '4', status: 'firing' });
    expect(payload(group).alerts.map((alert) => alert.labels.instance).sort()).toEqual(['checkout-1', 'checkout-2']);

    // The other alertname is a group of its own, never mixed into the first.
    const lone = await receiver.waitFor(forAlertname(disk), { ...WAIT, description: `${disk} group` });
    expect(payload(lone).alerts.map((alert) => alert.labels.alertname)).toEqual([disk]);
    expect(receiver.deliveries.filter(forAlertname(latency)).every((d) => payload(d).alerts.every((alert) => alert.labels.alertname === latency))).toBe(true);

    // The parser reads what Alertmanager sent, and computes the fingerprint Alertmanager computed.
    const batch = parseAlertmanagerPayload(group.body, { receivedAt: group.receivedAt });
    expect(batch.rejected).toEqual([]);
    expect(batch.alerts).toHaveLength(2);
    for (const alert of batch.alerts) {
      expect(alert.fingerprint).toBe(labelSetFingerprint(alert.labels));
      expect(alert).toMatchObject({ status: 'firing', title: 'p99 over 2 s', severity: 'critical', endsAt: null, groupKey: payload(group).groupKey });
    }
    expect(batch.alerts.find((alert) => alert.labels.instance === 'checkout-1')?.links).toEqual([{ href: 'http://prometheus.example.com/graph', text: 'Source' }]);
  });

  it('sends an ended alert with status "resolved"', async () => {
    const name = unique('QueueBacklog');
    const alert: PostableAlert = { labels: { alertname: name, queue: 'emails' }, annotations: { summary: 'Email queue backlog over 10,000' } };
    await alertmanager.postAlerts([alert]);
    const firing = await receiver.waitFor(forAlertname(name), { ...WAIT, description: `${name} firing` });
    expect(payload(firing).alerts[0]).toMatchObject({ status: 'firing', endsAt: '0001-01-01T00:00:00Z' });

    await alertmanager.resolveAlerts([alert]);
    const resolved = await receiver.waitFor((d) => forAlertname(name)(d) && payload(d).status === 'resolved', { ...WAIT, description: `${name} resolved` });
    expect(resolved.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(payload(resolved).alerts).toHaveLength(1);
    expect(payload(resolved).alerts[0]!.fingerprint).toBe(payload(firing).alerts[0]!.fingerprint);

    const [parsed] = parseAlertmanagerPayload(resolved.body, { receivedAt: resolved.receivedAt }).alerts;
    expect(parsed!.status).toBe('resolved');
    expect(parsed!.endsAt!.getTime()).toBeGreaterThanOrEqual(parsed!.startsAt.getTime());
  });

  it('still sends payloads shaped like the committed fixtures', async () => {
    const name = unique('FixtureShape');
    await alertmanager.postAlerts([{ labels: { alertname: name }, annotations: { summary: 'shape check' }, generatorURL: 'http://prometheus.example.com/graph' }]);
    const live = payload(await receiver.waitFor(forAlertname(name), { ...WAIT, description: `${name} group` }));
    const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/alerts/alertmanager-firing.json'), 'utf8')) as Payload;
    const keys = (value: object) => Object.keys(value).sort();
    expect(keys(live)).toEqual(keys(fixture));
    expect(keys(live.alerts[0]!)).toEqual(keys(fixture.alerts[0]!));
  });
});

describe.skipIf(!binary)('the harness', () => {
  it('stops Alertmanager cleanly: its port closes', async () => {
    const receiver = await startAlertReceiver();
    const alertmanager = await startAlertmanager({ webhookUrl: `${receiver.url}/webhook`, bearerToken: TOKEN });
    try {
      expect((await fetch(`${alertmanager.url}/-/ready`)).status).toBe(200);
    } finally {
      await alertmanager.stop();
      await receiver.close();
    }
    await expect(fetch(`${alertmanager.url}/-/ready`)).rejects.toThrow();
  });
});
