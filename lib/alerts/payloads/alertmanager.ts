// Prometheus Alertmanager's webhook payload, version 4 (Alertmanager 0.16 and later): one
// notification per alert group, carrying every alert of the group (firing and resolved).
// Fixtures a real Alertmanager sent live in tests/fixtures/alerts/.
import { z } from 'zod';
import {
  alertListSchema,
  annotationLinks,
  annotationSetSchema,
  compactGroupKey,
  fingerprintSchema,
  keepOrRefuse,
  labelSetSchema,
  notThis,
  payloadErrors,
  readEach,
  received,
  refusal,
  safeHref,
  severityFrom,
  storableText,
  timeSchema,
  titleFrom,
  type AlertBatch,
  type AlertLink,
  type NormalisedAlert,
  type ParseOptions,
} from '@/lib/alerts/payloads/common';
import { labelSetFingerprint } from '@/lib/alerts/payloads/fingerprint';

const statusSchema = z.enum(['firing', 'resolved'], { error: (issue) => `status is "firing" or "resolved"${notThis(issue.input)}` });

/** One alert as Alertmanager (and Grafana, which adds fields) sends it. */
export const alertmanagerAlertSchema = z.object(
  {
    status: statusSchema,
    labels: labelSetSchema,
    annotations: annotationSetSchema.optional(),
    startsAt: timeSchema('startsAt'),
    endsAt: timeSchema('endsAt').optional(),
    generatorURL: storableText('generatorURL').optional(),
    fingerprint: fingerprintSchema.optional(),
  },
  { error: (issue) => `Each alert is an object with status, labels and startsAt${received(issue.input)}` },
);
export type AlertmanagerAlert = z.output<typeof alertmanagerAlertSchema>;

/** The envelope: everything but the alerts, which are read one by one. */
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4', {
    error: (issue) =>
      `Sitrep reads Alertmanager's webhook payload version "4" (Alertmanager 0.16 or later)${notThis(issue.input)}`,
  }),
  groupKey: storableText('groupKey').min(1, 'groupKey can’t be empty'),
  truncatedAlerts: z.number({ error: 'truncatedAlerts is a number' }).int().min(0).optional(),
  status: statusSchema,
  receiver: z.string().optional(),
  externalURL: z.string().optional(),
  alerts: alertListSchema('alerts'),
});

/** Reads a Prometheus-style alert into the normalised shape; Grafana adds its own links. */
export function normalisePrometheusAlert(
  alert: AlertmanagerAlert,
  index: number,
  groupKey: string,
  options: ParseOptions,
  extraLinks: AlertLink[] = [],
): NormalisedAlert {
  const annotations = alert.annotations ?? {};
  const fingerprint = alert.fingerprint ?? labelSetFingerprint(alert.labels);
  const generatorURL = safeHref(alert.generatorURL);
  const links: AlertLink[] = [...(generatorURL ? [{ href: generatorURL, text: 'Source' }] : []), ...extraLinks, ...annotationLinks(annotations)];
  const endsAt = alert.endsAt ?? null;
  return {
    index,
    fingerprint,
    status: alert.status,
    title: titleFrom(annotations, alert.labels, fingerprint),
    severity: severityFrom(alert.labels),
    service: alert.labels.service?.trim() || null,
    labels: alert.labels,
    annotations,
    links: dedupeLinks(links),
    startsAt: alert.startsAt ?? options.receivedAt,
    // A resolved alert always has an end; Alertmanager sends one, a sloppy imitation may not.
    endsAt: alert.status === 'resolved' ? (endsAt ?? options.receivedAt) : endsAt,
    groupKey,
    generatorURL,
  };
}

function dedupeLinks(links: AlertLink[]): AlertLink[] {
  const seen = new Set<string>();
  return links.filter((link) => !seen.has(link.href) && seen.add(link.href));
}

export function parseAlertmanagerPayload(body: unknown, options: ParseOptions): AlertBatch {
  const envelope = alertmanagerPayloadSchema.safeParse(body);
  if (!envelope.success) throw refusal(payloadErrors(envelope.error));
  const groupKey = compactGroupKey(envelope.data.groupKey);
  const { alerts, rejected } = readEach(envelope.data.alerts, 'alerts', (item, index) => {
    const parsed = alertmanagerAlertSchema.safeParse(item);
    return parsed.success ? { ok: true, alert: normalisePrometheusAlert(parsed.data, index, groupKey, options) } : { ok: false, error: parsed.error };
  });
  return keepOrRefuse({ kind: 'alertmanager', alerts, rejected, truncatedAlerts: envelope.data.truncatedAlerts ?? 0 });
}
