// The alert payload parsers against real payloads (a real Alertmanager's, see
// tests/fixtures/alerts/README.md), samples written from Grafana's and PagerDuty's documentation,
// and hostile input: missing fields, wrong types, huge values, 10,000 alerts in one batch.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertSourceKinds, MAX_ANNOTATION_VALUE, MAX_TITLE, parseTime, type AlertBatch, type AlertSourceKind } from '@/lib/alerts/payloads/common';
import { labelSetFingerprint } from '@/lib/alerts/payloads/fingerprint';
import { parseAlertPayload } from '@/lib/alerts/payloads/parse';
import { ValidationError, type FieldError } from '@/lib/platform/errors';

const fixtures = path.join(import.meta.dirname, '../fixtures/alerts');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));
const receivedAt = new Date('2026-11-30T13:00:00.000Z');
const parse = (kind: AlertSourceKind, body: unknown, options: { newDedupKey?: () => string } = {}): AlertBatch => parseAlertPayload(kind, body, { receivedAt, ...options });

/** The field errors of a refused payload. */
function refused(kind: AlertSourceKind, body: unknown): FieldError[] {
  try {
    parse(kind, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors;
  }
  throw new Error('expected the payload to be refused');
}

const amAlert = (overrides: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: 'HighLatency', instance: 'checkout-1' },
  annotations: { summary: 'p99 over 2 s' },
  startsAt: '2026-11-30T12:00:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: '',
  fingerprint: 'abc123',
  ...overrides,
});
const amPayload = (alerts: unknown[], overrides: Record<string, unknown> = {}) => ({
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'sitrep',
  alerts,
  ...overrides,
});

describe('Alertmanager (payloads a real Alertmanager 0.25 sent)', () => {
  it('reads a firing group of two alerts', () => {
    const batch = parse('alertmanager', fixture('alertmanager-firing.json'));
    expect(batch).toMatchObject({ kind: 'alertmanager', rejected: [], truncatedAlerts: 0 });
    expect(batch.alerts).toHaveLength(2);
    const [first, second] = batch.alerts;
    expect(first).toEqual({
      index: 0,
      fingerprint: 'b07719bbc6a6d091',
      status: 'firing',
      title: 'Checkout p99 latency over 2 s',
      severity: 'critical',
      service: 'checkout',
      labels: { alertname: 'HighLatency', instance: 'checkout-1:9090', job: 'checkout', service: 'checkout', severity: 'critical' },
      annotations: {
        description: 'p99 latency has been above 2 s for 5 minutes.',
        runbook_url: 'https://wiki.example.com/runbooks/HighLatency',
        summary: 'Checkout p99 latency over 2 s',
      },
      links: [
        { href: expect.stringMatching(/^http:\/\/prometheus\.example\.com:9090\/graph\?g0\.expr=/), text: 'Source' },
        { href: 'https://wiki.example.com/runbooks/HighLatency', text: 'Runbook' },
      ],
      // Go's nanoseconds, cut to JavaScript's milliseconds.
      startsAt: new Date('2026-11-30T12:51:45.460Z'),
      endsAt: null,
      groupKey: '{}:{alertname="HighLatency"}',
      generatorURL: expect.stringMatching(/^http:\/\/prometheus\.example\.com:9090\//),
    });
    expect(second).toMatchObject({ index: 1, labels: { instance: 'checkout-2:9090' }, fingerprint: '6bb5a7932ad9d74c' });
  });

  it('computes the fingerprint Alertmanager computed when a sender leaves it out', () => {
    const real = fixture('alertmanager-firing.json') as { alerts: { fingerprint: string }[] };
    const stripped = { ...real, alerts: real.alerts.map(({ fingerprint: _, ...alert }) => alert) };
    expect(parse('alertmanager', stripped).alerts.map((alert) => alert.fingerprint)).toEqual(real.alerts.map((alert) => alert.fingerprint));
    expect(labelSetFingerprint({})).toBe('cbf29ce484222325');
  });

  it('titles an alert without a summary by its alertname and keeps no link from an empty generatorURL', () => {
    const [alert] = parse('alertmanager', fixture('alertmanager-firing-single.json')).alerts;
    expect(alert).toMatchObject({ title: 'DiskFull', severity: 'warning', service: null, generatorURL: null, links: [] });
  });

  it('reads resolved alerts beside firing ones, and a resolved group', () => {
    const partly = parse('alertmanager', fixture('alertmanager-partly-resolved.json')).alerts;
    expect(partly.map((alert) => alert.status).sort()).toEqual(['firing', 'resolved']);
    const ended = partly.find((alert) => alert.status === 'resolved')!;
    expect(ended.endsAt).toBeInstanceOf(Date);
    expect(ended.endsAt!.getTime()).toBeGreaterThan(ended.startsAt.getTime());

    const resolved = parse('alertmanager', fixture('alertmanager-resolved.json')).alerts;
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ status: 'resolved', fingerprint: '6bb5a7932ad9d74c' });
  });

  it('says which payload version it reads', () => {
    expect(refused('alertmanager', amPayload([amAlert()], { version: '3' }))).toEqual([
      { path: 'version', message: 'Sitrep reads Alertmanager\'s webhook payload version "4" (Alertmanager 0.16 or later), not "3"' },
    ]);
  });

  it('names every invalid envelope field at once', () => {
    const errors = refused('alertmanager', { version: '4', status: 'burning', alerts: {} });
    expect(errors.map((e) => e.path).sort()).toEqual(['alerts', 'groupKey', 'status']);
    expect(errors.find((e) => e.path === 'alerts')!.message).toBe('alerts must be a list of alerts, not an object');
    expect(errors.find((e) => e.path === 'status')!.message).toBe('status is "firing" or "resolved", not "burning"');
  });

  it('refuses bodies that are not an object with a clear message', () => {
    for (const body of [null, 'text', 42, [amAlert()]]) {
      const errors = refused('alertmanager', body);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => e.message.length > 10)).toBe(true);
    }
    expect(refused('alertmanager', amPayload([]))).toEqual([{ path: 'alerts', message: 'alerts holds no alerts; send at least one' }]);
  });

  it('keeps the good alerts of a batch and reports each bad one with its index and every field error', () => {
    const batch = parse('alertmanager', amPayload([amAlert(), { annotations: 'nope' }, amAlert({ labels: { alertname: 'X', port: 8080 }, startsAt: 'yesterday', fingerprint: 'f2' })]));
    expect(batch.alerts.map((alert) => alert.index)).toEqual([0]);
    expect(batch.rejected).toEqual([
      {
        index: 1,
        errors: expect.arrayContaining([
          { path: 'alerts.1.status', message: 'status is "firing" or "resolved", and it is missing' },
          { path: 'alerts.1.labels', message: 'Labels are an object of strings, e.g. {"alertname": "HighLatency"}, and it is missing' },
          { path: 'alerts.1.annotations', message: 'Annotations are an object of strings, e.g. {"summary": "p99 latency over 2 s"}, not a string' },
          { path: 'alerts.1.startsAt', message: 'startsAt must be an ISO-8601 time such as 2026-11-30T14:02:00Z, and it is missing' },
        ]),
      },
      {
        index: 2,
        errors: [
          { path: 'alerts.2.labels.port', message: 'A label value must be a string, not a number' },
          { path: 'alerts.2.startsAt', message: 'startsAt “yesterday” is not an ISO-8601 time; send e.g. 2026-11-30T14:02:00Z' },
        ],
      },
    ]);
    expect(batch.rejected[0]!.errors).toHaveLength(4);
  });

  it('refuses a payload none of whose alerts can be read, listing them', () => {
    const errors = refused('alertmanager', amPayload([{ status: 'firing' }, { status: 'firing' }]));
    expect(errors.map((e) => e.path)).toEqual(['alerts.0.labels', 'alerts.0.startsAt', 'alerts.1.labels', 'alerts.1.startsAt']);
  });

  it('refuses a label too long to be an identifier, keeps a long annotation cut, and cuts a long title', () => {
    const huge = 'x'.repeat(1_000_000);
    const batch = parse(
      'alertmanager',
      amPayload([
        amAlert({ labels: { alertname: 'Huge', pod: huge } }),
        amAlert({ fingerprint: 'f2', annotations: { summary: huge, description: huge } }),
      ]),
    );
    expect(batch.rejected).toEqual([
      { index: 0, errors: [{ path: 'alerts.0.labels.pod', message: 'Labels identify an alert; keep each under 2,048 characters and put long text in an annotation' }] },
    ]);
    const [kept] = batch.alerts;
    expect(kept!.annotations.description).toHaveLength(MAX_ANNOTATION_VALUE);
    expect(kept!.annotations.description!.endsWith(' … [cut by Sitrep]')).toBe(true);
    expect(kept!.title).toHaveLength(MAX_TITLE);
  });

  it('refuses text PostgreSQL can’t store in the alert that carries it, not its neighbours', () => {
    const batch = parse('alertmanager', amPayload([amAlert({ labels: { alertname: 'a\u0000b' } }), amAlert({ fingerprint: 'f2', annotations: { summary: 'half \ud800 pair' } }), amAlert({ fingerprint: 'f3' })]));
    expect(batch.alerts.map((alert) => alert.fingerprint)).toEqual(['f3']);
    expect(batch.rejected.map((r) => r.errors)).toEqual([
      [{ path: 'alerts.0.labels.alertname', message: 'A label value can’t contain the NUL character (\\u0000); remove it' }],
      [{ path: 'alerts.1.annotations.summary', message: 'An annotation value can’t contain half of a UTF-16 surrogate pair on its own; send valid Unicode' }],
    ]);
  });

  it('refuses too many labels, empty and __proto__ label names', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`l${i}`, 'v']));
    const batch = parse('alertmanager', amPayload([amAlert({ labels: many }), amAlert({ labels: { '': 'v' } }), amAlert({ labels: JSON.parse('{"__proto__": "x"}') }), amAlert()]));
    expect(batch.rejected.map((r) => r.errors[0]!.message)).toEqual([
      'An alert carries at most 100 labels',
      'Label names can’t be empty',
      'A key can’t be named __proto__',
    ]);
    expect(batch.rejected.map((r) => r.errors[0]!.path)).toEqual(['alerts.0.labels', 'alerts.1.labels', 'alerts.2.labels.__proto__']);
  });

  it('falls back sensibly: Go zero time for startsAt, a resolved alert without endsAt, no labels to title by', () => {
    const [zeroStart, resolved] = parse('alertmanager', amPayload([amAlert({ startsAt: '0001-01-01T00:00:00Z' }), amAlert({ status: 'resolved', endsAt: undefined, fingerprint: 'f2' })])).alerts;
    expect(zeroStart!.startsAt).toEqual(receivedAt);
    expect(resolved!.endsAt).toEqual(receivedAt);
    const [bare] = parse('alertmanager', amPayload([amAlert({ labels: { job: 'node' }, annotations: {} })])).alerts;
    expect(bare!.title).toBe('Alert {job="node"}');
  });

  it('drops links that are not http(s) instead of rendering them', () => {
    const [alert] = parse('alertmanager', amPayload([amAlert({ generatorURL: 'javascript:alert(1)', annotations: { runbook_url: 'file:///etc/passwd', dashboard_url: 'https://grafana.example.com/d/x' } })])).alerts;
    expect(alert!.links).toEqual([{ href: 'https://grafana.example.com/d/x', text: 'Dashboard' }]);
    expect(alert!.generatorURL).toBeNull();
  });

  it('replaces a very long group key by its hash', () => {
    const [alert] = parse('alertmanager', amPayload([amAlert()], { groupKey: `{}:{${'x'.repeat(5_000)}}` })).alerts;
    expect(alert!.groupKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads 10,000 alerts in one payload, and refuses more with a message', () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) => amAlert({ labels: { alertname: 'Storm', instance: `host-${i}` }, fingerprint: `fp-${i}` }));
    const started = performance.now();
    const batch = parse('alertmanager', amPayload(alerts));
    const elapsed = performance.now() - started;
    expect(batch.alerts).toHaveLength(10_000);
    expect(new Set(batch.alerts.map((alert) => alert.fingerprint)).size).toBe(10_000);
    console.info(`alerts-payloads: 10,000 Alertmanager alerts parsed in ${elapsed.toFixed(0)} ms`);
    expect(refused('alertmanager', amPayload([...alerts, amAlert()]))).toEqual([{ path: 'alerts', message: 'Send at most 10,000 alerts in one payload; split larger batches' }]);
  });

  it('keeps a refusal of 10,000 bad alerts readable', () => {
    const errors = refused('alertmanager', amPayload(Array.from({ length: 10_000 }, () => ({ status: 'firing', labels: { a: 1 }, startsAt: 'now' }))));
    expect(errors).toHaveLength(201);
    expect(errors[0]).toEqual({ path: 'alerts.0.labels.a', message: 'A label value must be a string, not a number' });
    expect(errors.at(-1)!.message).toBe('19,800 more field errors in 10,000 invalid alerts; fix the ones listed and send again');
  });
});

describe('Grafana Alerting webhook', () => {
  it('reads a firing group with Grafana’s links and values', () => {
    const batch = parse('grafana', fixture('grafana-firing.json'));
    expect(batch.rejected).toEqual([]);
    const [first, second] = batch.alerts;
    expect(first).toMatchObject({
      fingerprint: '5b2c1e8f0a7d4e21',
      status: 'firing',
      title: 'Checkout error rate is 7.3%',
      severity: 'critical',
      service: 'checkout',
      startsAt: new Date('2026-11-30T12:02:10Z'),
      endsAt: null,
      groupKey: expect.stringContaining('alertname="Checkout error rate"'),
    });
    expect(first!.links.map((link) => link.text)).toEqual(['Source', 'Dashboard', 'Panel', 'Silence in Grafana', 'Runbook']);
    expect(JSON.parse(first!.annotations.values!)).toEqual({ A: 0.073, B: 1 });
    expect(first!.annotations.valueString).toContain("var='A'");
    // No summary: titled by the alertname; empty dashboard and panel URLs make no links.
    expect(second).toMatchObject({ fingerprint: '91a0d7c3e6b84f55', title: 'Checkout error rate', severity: 'warning', service: 'checkout-eu' });
    expect(second!.links.map((link) => link.text)).toEqual(['Source', 'Silence in Grafana']);
  });

  it('reads a resolved notification', () => {
    const [alert] = parse('grafana', fixture('grafana-resolved.json')).alerts;
    expect(alert).toMatchObject({ status: 'resolved', fingerprint: '5b2c1e8f0a7d4e21', endsAt: new Date('2026-11-30T12:20:10Z') });
  });

  it('explains that legacy Grafana alerting is not read', () => {
    const [error] = refused('grafana', { ruleName: 'CPU', state: 'alerting', evalMatches: [] });
    expect(error!.message).toMatch(/legacy alerting payload.*Grafana 8 and later/);
  });

  it('reports a bad values map on that alert only', () => {
    const body = fixture('grafana-firing.json') as { alerts: Record<string, unknown>[] };
    body.alerts[1]!.values = { A: 'high' };
    const batch = parse('grafana', body);
    expect(batch.alerts).toHaveLength(1);
    expect(batch.rejected).toEqual([{ index: 1, errors: [{ path: 'alerts.1.values.A', message: 'values are numbers (null for no data), not a string' }] }]);
  });
});

describe('PagerDuty Events API v2', () => {
  it('reads a trigger with its payload fields as labels, details as annotations, links and images', () => {
    const batch = parse('pagerduty', fixture('pagerduty-trigger.json'));
    expect(batch.dedupKey).toBe('db-replication-lag/db-2');
    expect(batch.alerts).toEqual([
      {
        index: 0,
        fingerprint: 'db-replication-lag/db-2',
        status: 'firing',
        title: 'Replication lag on db-2 is 94 s',
        severity: 'critical',
        service: 'payments',
        labels: { severity: 'critical', source: 'db-2.prod.example.com', component: 'postgres', group: 'payments-db', class: 'replication lag' },
        annotations: { 'lag seconds': '94', primary: 'db-1.prod.example.com', service: 'payments', summary: 'Replication lag on db-2 is 94 s' },
        links: [
          { href: 'https://zabbix.example.com/tr_events.php?triggerid=13491', text: 'Zabbix' },
          { href: 'https://wiki.example.com/runbooks/replication-lag', text: 'Runbook' },
          { href: 'https://grafana.example.com/d/db', text: 'Replication lag, last hour' },
        ],
        // PagerDuty's documented timestamp form, offset without a colon.
        startsAt: new Date('2026-11-30T12:58:03.117Z'),
        endsAt: null,
        groupKey: 'db-replication-lag/db-2',
        generatorURL: 'https://zabbix.example.com/tr_events.php?triggerid=13491',
      },
    ]);
  });

  it('generates a dedup key for a trigger without one, to answer with', () => {
    const batch = parse('pagerduty', fixture('pagerduty-trigger-without-dedup-key.json'), { newDedupKey: () => 'generated-1' });
    expect(batch.dedupKey).toBe('generated-1');
    expect(batch.alerts[0]).toMatchObject({ fingerprint: 'generated-1', groupKey: 'generated-1', title: 'Nightly backup failed', severity: 'warning' });
    expect(parse('pagerduty', fixture('pagerduty-trigger-without-dedup-key.json')).dedupKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads acknowledge and resolve events, which carry no payload', () => {
    expect(parse('pagerduty', fixture('pagerduty-acknowledge.json')).alerts[0]).toMatchObject({ status: 'acknowledged', title: null, fingerprint: 'db-replication-lag/db-2', endsAt: null });
    expect(parse('pagerduty', fixture('pagerduty-resolve.json')).alerts[0]).toMatchObject({ status: 'resolved', title: null, endsAt: receivedAt });
  });

  it('reads what Alertmanager’s own pagerduty_configs sent', () => {
    const trigger = parse('pagerduty', fixture('alertmanager-pagerduty-trigger.json'));
    expect(trigger.alerts[0]).toMatchObject({
      status: 'firing',
      title: '[FIRING:2] HighLatency (checkout checkout critical)',
      severity: 'error',
      labels: { severity: 'error', source: 'Alertmanager' },
      annotations: { num_firing: '2', num_resolved: '0' },
      links: [{ href: expect.stringMatching(/#\/alerts\?receiver=sitrep$/), text: 'Alertmanager' }],
    });
    const resolve = parse('pagerduty', fixture('alertmanager-pagerduty-resolve.json'));
    expect(resolve.alerts[0]).toMatchObject({ status: 'resolved', fingerprint: trigger.dedupKey });
  });

  it('names what each kind of event needs', () => {
    expect(refused('pagerduty', { routing_key: 'k', event_action: 'trigger' })).toEqual([{ path: 'payload', message: 'A trigger event needs a payload with summary, source and severity' }]);
    expect(refused('pagerduty', { routing_key: 'k', event_action: 'resolve' })).toEqual([{ path: 'dedup_key', message: 'An resolve event needs the dedup_key of the alert it changes' }]);
    const errors = refused('pagerduty', { event_action: 'explode', payload: { summary: '', source: 'x', severity: 'fatal', timestamp: 12 }, links: [{ href: 'javascript:alert(1)' }] });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: 'routing_key', message: 'routing_key must be a string, and it is missing' },
        { path: 'event_action', message: 'event_action is "trigger", "acknowledge" or "resolve", not "explode"' },
        { path: 'payload.summary', message: 'payload.summary is the alert’s title; it can’t be empty' },
        { path: 'payload.severity', message: 'payload.severity is one of critical, error, warning, info, not "fatal"' },
        { path: 'payload.timestamp', message: 'payload.timestamp must be an ISO-8601 time such as 2026-11-30T14:02:00Z, not a number' },
        { path: 'links.0.href', message: 'Links must be http(s) URLs, e.g. https://grafana.example.com/d/abc' },
      ]),
    );
    expect(refused('pagerduty', [])).toEqual([{ path: '', message: 'The body is one PagerDuty Events API v2 event: an object with routing_key, event_action and payload, not a list' }]);
  });
});

describe('generic alert JSON', () => {
  it('reads one alert; severity and service double as labels', () => {
    const batch = parse('generic', fixture('generic-firing.json'));
    expect(batch.alerts).toEqual([
      {
        index: 0,
        fingerprint: 'deploy-failed/checkout/4812',
        status: 'firing',
        title: 'Deploy 4812 of checkout failed its smoke test',
        severity: 'error',
        service: 'checkout',
        labels: { env: 'prod', pipeline: 'checkout-deploy', severity: 'error', service: 'checkout' },
        annotations: { step: 'smoke-test', exitCode: '1', log: 'GET /health answered 503' },
        links: [{ href: 'https://ci.example.com/pipelines/4812', text: 'Pipeline' }],
        startsAt: receivedAt,
        endsAt: null,
        groupKey: 'deploy-failed/checkout/4812',
        generatorURL: null,
      },
    ]);
  });

  it('resolves with the time it arrived', () => {
    expect(parse('generic', { dedupKey: 'k', status: 'resolved', title: 'Done' }).alerts[0]).toMatchObject({ status: 'resolved', endsAt: receivedAt });
  });

  it('names every missing or wrong field at once', () => {
    expect(refused('generic', { status: 'on fire', labels: ['a'], links: [{ href: 'ftp://x' }], details: 3 })).toEqual([
      { path: 'dedupKey', message: 'dedupKey must be a string, and it is missing' },
      { path: 'status', message: 'status is "firing" or "resolved", not "on fire"' },
      { path: 'title', message: 'title must be a string, and it is missing' },
      { path: 'labels', message: 'Labels are an object of strings, e.g. {"alertname": "HighLatency"}, not a list' },
      { path: 'details', message: 'details is a string or an object' },
      { path: 'links.0.href', message: 'Links must be http(s) URLs, e.g. https://grafana.example.com/d/abc' },
    ]);
  });

  it('reads a list as a batch, keeping the good alerts', () => {
    const batch = parse('generic', [{ dedupKey: 'a', status: 'firing', title: 'A' }, { dedupKey: '', status: 'firing', title: 'B' }, 'nonsense']);
    expect(batch.alerts.map((alert) => alert.fingerprint)).toEqual(['a']);
    expect(batch.rejected).toEqual([
      { index: 1, errors: [{ path: '1.dedupKey', message: 'dedupKey identifies the alert (a repeat with the same key updates it); it can’t be empty' }] },
      { index: 2, errors: [{ path: '2', message: 'An alert is an object with dedupKey, status and title, not a string' }] },
    ]);
  });
});

describe('free-form details', () => {
  it('keeps deeply nested details as readable text instead of overflowing the stack', () => {
    const event = { routing_key: 'k', event_action: 'trigger', payload: { summary: 'Deep', source: 'fuzzer', severity: 'info', custom_details: { tree: deeplyNested, n: 1 } } };
    const [alert] = parse('pagerduty', event).alerts;
    expect(alert!.annotations.tree).toBe(`${'['.repeat(20)}"…"${']'.repeat(20)}`);
    expect(alert!.annotations.n).toBe('1');
    const [generic] = parse('generic', { dedupKey: 'k', status: 'firing', title: 't', details: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i])) }).alerts;
    // More entries than annotations allow: kept whole, as one JSON annotation.
    expect(generic!.annotations.details!.startsWith('{"k0":0,"k1":1,')).toBe(true);
  });
});

describe('times', () => {
  it('reads RFC 3339 as Go, Grafana and PagerDuty write it', () => {
    expect(parseTime('2026-11-30T12:51:45.460952816Z')).toEqual(new Date('2026-11-30T12:51:45.460Z'));
    expect(parseTime('2026-11-30T13:02:10+01:00')).toEqual(new Date('2026-11-30T12:02:10Z'));
    expect(parseTime('2015-07-17T08:42:58.315+0000')).toEqual(new Date('2015-07-17T08:42:58.315Z'));
    expect(parseTime('0001-01-01T00:00:00Z')).toBeNull();
  });

  it('refuses what is not a time', () => {
    for (const text of ['2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-30T24:00:00Z', '2026-11-30', 'yesterday', '2026-11-30T12:00:00']) {
      expect(parseTime(text), text).toBeUndefined();
    }
  });
});

/** A few hundred KiB of brackets: fits a 1 MiB body, overflows any recursive walk. */
const deeplyNested: unknown = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000));
const DEEP = 'DEEP';

describe('any input', () => {
  const kindOf = (name: string): AlertSourceKind => (name.startsWith('alertmanager-pagerduty') ? 'pagerduty' : (name.split('-')[0] as AlertSourceKind));
  const samples = readdirSync(fixtures)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ kind: kindOf(name), body: fixture(name) }));

  /** Every path into a JSON value, so a mutation can land anywhere, deep fields included. */
  function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
    const here = [at];
    if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => paths(item, [...at, i])));
    if (value !== null && typeof value === 'object') return here.concat(Object.entries(value).flatMap(([key, item]) => paths(item, [...at, key])));
    return here;
  }
  function replaced(value: unknown, at: (string | number)[], replacement: unknown): unknown {
    if (at.length === 0) return replacement;
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let parent = copy;
    for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[at.at(-1)!] = replacement;
    return copy;
  }

  /** The parsers' promise to the ingest routes: normalised alerts, or a ValidationError; nothing else. */
  function checkOutcome(kind: AlertSourceKind, body: unknown) {
    let batch: AlertBatch;
    try {
      batch = parse(kind, body);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      expect(error.errors.length).toBeGreaterThan(0);
      return;
    }
    for (const alert of batch.alerts) {
      expect(Number.isNaN(alert.startsAt.getTime())).toBe(false);
      expect(alert.endsAt === null || !Number.isNaN(alert.endsAt.getTime())).toBe(true);
      expect(typeof alert.fingerprint).toBe('string');
      expect(Object.values(alert.labels).every((value) => typeof value === 'string')).toBe(true);
      expect(Object.values(alert.annotations).every((value) => typeof value === 'string')).toBe(true);
      expect(alert.links.every((link) => /^https?:\/\//.test(link.href))).toBe(true);
    }
  }

  it('reads random JSON as alerts or a ValidationError, never another exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...alertSourceKinds), fc.jsonValue(), (kind, body) => checkOutcome(kind, body)),
      { numRuns: 300 },
    );
  });

  it('survives any field of a real payload replaced by hostile JSON', () => {
    const hostile = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom('\u0000', '\ud800', '', ' ', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'javascript:alert(1)', '__proto__', -1, 1e308, 2 ** 53, [], {}, null, DEEP, { deep: DEEP }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), hostile, ({ kind, body }, pick, value) => {
        const all = paths(body);
        // The deep value is put in here, not generated: fast-check would overflow printing it.
        const deepened = value === DEEP ? deeplyNested : JSON.stringify(value) === '{"deep":"DEEP"}' ? { deep: deeplyNested } : value;
        checkOutcome(kind, replaced(body, all[pick % all.length]!, deepened));
      }),
      { numRuns: 1_000 },
    );
  });
});
