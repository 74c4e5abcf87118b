// Grafana Alerting's webhook contact point (Grafana 8 and later): Alertmanager's shape plus
// orgId, state, title, message, and per alert a fingerprint, values and links to the dashboard,
// the panel and a prefilled silence.
import { z } from 'zod';
import { alertmanagerAlertSchema, normalisePrometheusAlert } from '@/lib/alerts/payloads/alertmanager';
import {
  alertListSchema,
  boundedJson,
  compactGroupKey,
  cut,
  keepOrRefuse,
  MAX_ANNOTATION_VALUE,
  payloadErrors,
  readEach,
  received,
  refusal,
  safeHref,
  storableText,
  type AlertBatch,
  type AlertLink,
  type ParseOptions,
} from '@/lib/alerts/payloads/common';
import type { FieldError } from '@/lib/platform/errors';

export const grafanaAlertSchema = alertmanagerAlertSchema.extend({
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  silenceURL: z.string().optional(),
  imageURL: z.string().optional(),
  // The query results that made the rule fire, e.g. {"B": 44.2, "C": 1}; null when a query had no data.
  values: z
    .record(z.string(), z.number({ error: (issue) => `values are numbers (null for no data)${received(issue.input)}` }).nullable(), { error: 'values maps query names to numbers, e.g. {"B": 44.2}' })
    .nullable()
    .optional(),
  valueString: storableText('valueString').optional(),
});

export const grafanaPayloadSchema = z.object({
  receiver: z.string().optional(),
  status: z.enum(['firing', 'resolved'], { error: 'status is "firing" or "resolved"' }),
  orgId: z.number({ error: 'orgId is a number' }).int().optional(),
  groupKey: storableText('groupKey').min(1, 'groupKey can’t be empty'),
  truncatedAlerts: z.number({ error: 'truncatedAlerts is a number' }).int().min(0).optional(),
  version: z.string().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
  externalURL: z.string().optional(),
  alerts: alertListSchema('alerts'),
});

/** Grafana's pre-8 ("legacy") alerting sent a different payload; say so instead of listing missing fields. */
function legacyGrafana(body: unknown): FieldError[] | null {
  if (body === null || typeof body !== 'object' || 'alerts' in body) return null;
  if (!('ruleName' in body) && !('evalMatches' in body)) return null;
  return [
    {
      path: '',
      message: 'This is Grafana’s legacy alerting payload (ruleName, evalMatches). Sitrep reads Grafana Alerting (Grafana 8 and later): add a webhook contact point under Alerting → Contact points.',
    },
  ];
}

export function parseGrafanaPayload(body: unknown, options: ParseOptions): AlertBatch {
  const legacy = legacyGrafana(body);
  if (legacy) throw refusal(legacy);
  const envelope = grafanaPayloadSchema.safeParse(body);
  if (!envelope.success) throw refusal(payloadErrors(envelope.error));
  const groupKey = compactGroupKey(envelope.data.groupKey);
  const { alerts, rejected } = readEach(envelope.data.alerts, 'alerts', (item, index) => {
    const parsed = grafanaAlertSchema.safeParse(item);
    if (!parsed.success) return { ok: false, error: parsed.error };
    const alert = parsed.data;
    const links: AlertLink[] = [];
    for (const [href, text] of [
      [alert.dashboardURL, 'Dashboard'],
      [alert.panelURL, 'Panel'],
      [alert.silenceURL, 'Silence in Grafana'],
      [alert.imageURL, 'Image'],
    ] as const) {
      const safe = safeHref(href);
      if (safe) links.push({ href: safe, text });
    }
    const normalised = normalisePrometheusAlert(alert, index, groupKey, options, links);
    // Keep what the rule measured beside the alert's own annotations (which win on a clash).
    if (alert.values && Object.keys(alert.values).length > 0 && !('values' in normalised.annotations)) {
      normalised.annotations = { ...normalised.annotations, values: boundedJson(alert.values) };
    }
    if (alert.valueString && !('valueString' in normalised.annotations)) {
      normalised.annotations = { ...normalised.annotations, valueString: cut(alert.valueString, MAX_ANNOTATION_VALUE) };
    }
    return { ok: true, alert: normalised };
  });
  return keepOrRefuse({ kind: 'grafana', alerts, rejected, truncatedAlerts: envelope.data.truncatedAlerts ?? 0 });
}
