// Copy-paste configuration for each kind of sender, shown on the source's settings page (with the
// token right after it is created or rotated, a placeholder otherwise) and in README. Pure text:
// values are written as JSON strings, which YAML reads as they are, so no token or URL can break
// out of its field. tests/integration/alerts-sender-config.test.ts checks the Alertmanager ones
// with Alertmanager's own `amtool check-config`.
import type { AlertSourceKind } from '@/lib/alerts/payloads/common';

export const TOKEN_PLACEHOLDER = '<the source token>';

export type SenderSnippet = { title: string; language: 'yaml' | 'shell' | 'text'; text: string; help: string };

const q = (value: string) => JSON.stringify(value);

/** `base` is Sitrep's public URL (SITREP_URL), e.g. https://sitrep.example.com. */
export function ingestUrl(base: string, kind: AlertSourceKind): string {
  return `${base.replace(/\/$/, '')}/api/v1/alerts/ingest/${kind}`;
}

export function alertmanagerReceiver(url: string, token: string): string {
  return [
    'receivers:',
    '  - name: sitrep',
    '    webhook_configs:',
    `      - url: ${q(url)}`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${q(token)}`,
  ].join('\n');
}

export function pagerDutyReceiver(url: string, token: string): string {
  return [
    'receivers:',
    '  - name: sitrep',
    '    pagerduty_configs:',
    `      - url: ${q(url)}`,
    `        routing_key: ${q(token)}`,
    '        send_resolved: true',
  ].join('\n');
}

export function grafanaContactPoint(url: string, token: string): string {
  return [
    'apiVersion: 1',
    'contactPoints:',
    '  - orgId: 1',
    '    name: sitrep',
    '    receivers:',
    '      - uid: sitrep',
    '        type: webhook',
    '        settings:',
    `          url: ${q(url)}`,
    '          httpMethod: POST',
    '          authorization_scheme: Bearer',
    `          authorization_credentials: ${q(token)}`,
  ].join('\n');
}

/** Shell-quoted for POSIX sh: single quotes, with any single quote closed, escaped and reopened. */
const sh = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/** A one-alert payload of the kind, for the curl example and as the Test route box's starting point. */
export function samplePayload(kind: AlertSourceKind, token = TOKEN_PLACEHOLDER): object {
  const bodies: Record<AlertSourceKind, object> = {
    generic: { dedupKey: 'checkout-5xx', status: 'firing', title: 'Checkout 5xx above 2%', severity: 'critical', service: 'checkout', labels: { env: 'prod' }, links: [{ href: 'https://grafana.example.com/d/checkout', text: 'Dashboard' }] },
    alertmanager: {
      version: '4',
      groupKey: '{}:{alertname="CheckoutErrors"}',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' }, annotations: { summary: 'Checkout 5xx above 2%' }, startsAt: '2026-11-30T14:02:00Z' }],
    },
    grafana: {
      status: 'firing',
      groupKey: '{}:{alertname="CheckoutErrors"}',
      alerts: [{ status: 'firing', labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' }, annotations: { summary: 'Checkout 5xx above 2%' }, startsAt: '2026-11-30T14:02:00Z', fingerprint: 'c0ffee0000000001' }],
    },
    pagerduty: { routing_key: token, event_action: 'trigger', dedup_key: 'checkout-5xx', payload: { summary: 'Checkout 5xx above 2%', source: 'checkout.prod', severity: 'critical' } },
  };
  return bodies[kind];
}

export function curlExample(url: string, token: string, kind: AlertSourceKind): string {
  const lines = [`curl -sS -X POST ${sh(url)}`];
  if (kind !== 'pagerduty') lines.push(`  -H ${sh(`Authorization: Bearer ${token}`)}`);
  lines.push(`  -H 'Content-Type: application/json'`, `  -d ${sh(JSON.stringify(samplePayload(kind, token)))}`);
  return lines.join(' \\\n');
}

/** What the settings page shows for a source of `kind`. */
export function senderSnippets(kind: AlertSourceKind, base: string, token = TOKEN_PLACEHOLDER): SenderSnippet[] {
  const url = ingestUrl(base, kind);
  const curl: SenderSnippet = { title: 'Try it with curl', language: 'shell', text: curlExample(url, token, kind), help: 'Posts one firing alert; the answer (202) lists what was stored.' };
  switch (kind) {
    case 'alertmanager':
      return [
        {
          title: 'Alertmanager receiver (alertmanager.yml)',
          language: 'yaml',
          text: alertmanagerReceiver(url, token),
          help: 'Add the receiver, and send alerts to it from your route (receiver: sitrep). Sitrep reads payload version 4 (Alertmanager 0.16 and later).',
        },
        curl,
      ];
    case 'grafana':
      return [
        {
          title: 'Grafana contact point (provisioning file)',
          language: 'yaml',
          text: grafanaContactPoint(url, token),
          help: 'Or in the UI: Alerting → Contact points → Add → Integration “Webhook”, this URL, HTTP method POST, and under Optional settings the Authorization header with scheme Bearer and the token as credentials.',
        },
        curl,
      ];
    case 'pagerduty':
      return [
        {
          title: 'Integration URL and routing key',
          language: 'text',
          text: `Events API v2 URL: ${url}\nIntegration (routing) key: ${token}`,
          help: 'Any tool that sends to PagerDuty’s Events API v2 (Zabbix, Sentry, Datadog…) can send here: replace PagerDuty’s URL with this one and use the token as the integration key.',
        },
        { title: 'Alertmanager pagerduty_configs', language: 'yaml', text: pagerDutyReceiver(url, token), help: 'Alertmanager’s PagerDuty integration, pointed at Sitrep.' },
        curl,
      ];
    case 'generic':
      return [{ ...curl, title: 'Post an alert with curl', help: 'One alert or a list; the same dedupKey updates it (count + 1) while it fires, and status "resolved" resolves it.' }];
  }
}
