// Sitrep's own alert JSON for scripts and tools without a better format (API.md):
// `{dedupKey, status: "firing"|"resolved", title, severity?, service?, labels?, details?, links?}`.
// A list of such objects is read as a batch, each alert on its own.
import { z } from 'zod';
import {
  alertListSchema,
  compactGroupKey,
  detailsToAnnotations,
  hrefSchema,
  keepOrRefuse,
  labelSetSchema,
  MAX_FINGERPRINT,
  MAX_LINKS,
  MAX_TITLE,
  notThis,
  payloadErrors,
  readEach,
  received,
  refusal,
  safeHref,
  storableText,
  timeSchema,
  type AlertBatch,
  type NormalisedAlert,
  type ParseOptions,
} from '@/lib/alerts/payloads/common';

export const genericAlertSchema = z.object(
  {
    dedupKey: storableText('dedupKey')
      .trim()
      .min(1, 'dedupKey identifies the alert (a repeat with the same key updates it); it can’t be empty')
      .max(MAX_FINGERPRINT, `Keep dedupKey under ${MAX_FINGERPRINT} characters`),
    status: z.enum(['firing', 'resolved'], {
      error: (issue) => `status is "firing" or "resolved"${notThis(issue.input)}`,
    }),
    title: storableText('title').trim().min(1, 'Give the alert a title').max(MAX_TITLE, `Keep the title under ${MAX_TITLE.toLocaleString('en')} characters`),
    severity: storableText('severity').trim().min(1, 'severity can’t be empty; leave it out instead').max(40, 'Keep severity under 40 characters, e.g. "critical" or "SEV2"').optional(),
    service: storableText('service').trim().min(1, 'service can’t be empty; leave it out instead').max(80, 'Keep service names under 80 characters').optional(),
    labels: labelSetSchema.optional(),
    // Free text, or an object whose values are kept as text.
    details: z.union([storableText('details'), z.record(z.string(), z.unknown())], { error: 'details is a string or an object' }).optional(),
    links: z
      .array(z.object({ href: hrefSchema, text: storableText('links.text').max(200, 'Keep link texts under 200 characters').optional() }), {
        error: 'links is a list of {href, text?}',
      })
      .max(MAX_LINKS, `Send at most ${MAX_LINKS} links`)
      .optional(),
    startsAt: timeSchema('startsAt').optional(),
  },
  { error: (issue) => `An alert is an object with dedupKey, status and title${received(issue.input)}` },
);

function normaliseGeneric(alert: z.output<typeof genericAlertSchema>, index: number, options: ParseOptions): NormalisedAlert {
  // severity and service double as labels (unless the sender set those labels), so routes and
  // silences match them like they match an Alertmanager alert's.
  const labels = { ...alert.labels };
  if (alert.severity && labels.severity === undefined) labels.severity = alert.severity;
  if (alert.service && labels.service === undefined) labels.service = alert.service;
  return {
    index,
    fingerprint: alert.dedupKey,
    status: alert.status,
    title: alert.title,
    severity: alert.severity ?? null,
    service: alert.service ?? null,
    labels,
    annotations: detailsToAnnotations(alert.details),
    links: (alert.links ?? []).map((link) => ({ href: safeHref(link.href)!, text: link.text?.trim() || link.href })),
    startsAt: alert.startsAt ?? options.receivedAt,
    endsAt: alert.status === 'resolved' ? options.receivedAt : null,
    groupKey: compactGroupKey(alert.dedupKey),
    generatorURL: null,
  };
}

export function parseGenericPayload(body: unknown, options: ParseOptions): AlertBatch {
  if (Array.isArray(body)) {
    const list = alertListSchema('The list').safeParse(body);
    if (!list.success) throw refusal(payloadErrors(list.error));
    const { alerts, rejected } = readEach(list.data, '', (item, index) => {
      const parsed = genericAlertSchema.safeParse(item);
      return parsed.success ? { ok: true, alert: normaliseGeneric(parsed.data, index, options) } : { ok: false, error: parsed.error };
    });
    return keepOrRefuse({ kind: 'generic', alerts, rejected, truncatedAlerts: 0 });
  }
  const parsed = genericAlertSchema.safeParse(body);
  if (!parsed.success) throw refusal(payloadErrors(parsed.error));
  return { kind: 'generic', alerts: [normaliseGeneric(parsed.data, 0, options)], rejected: [], truncatedAlerts: 0 };
}
