// PagerDuty Events API v2 (`POST /v2/enqueue`): one event per request, `trigger`, `acknowledge`
// or `resolve`, identified by its dedup_key. Anything that can send to PagerDuty (Alertmanager's
// pagerduty_configs with a `url`, Zabbix, Sentry, Datadog…) can send to Sitrep instead; the
// answer mirrors PagerDuty's `202 {status, message, dedup_key}`, and a trigger without a dedup_key
// gets a generated one (a UUID, as PagerDuty does) for the sender to resolve it with later.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  cut,
  detailsToAnnotations,
  hrefSchema,
  MAX_ANNOTATION_VALUE,
  MAX_LINKS,
  MAX_TITLE,
  notThis,
  payloadErrors,
  received,
  refusal,
  safeHref,
  storableText,
  timeSchema,
  type AlertBatch,
  type AlertLink,
  type IncomingAlertStatus,
  type ParseOptions,
} from '@/lib/alerts/payloads/common';

const pagerDutySeverities = ['critical', 'error', 'warning', 'info'] as const;

// Label-like payload fields: short identifiers routes can match on.
const shortText = (what: string, max = 255) => storableText(what).max(max, `Keep ${what} under ${max} characters`);

export const pagerDutyEventSchema = z
  .object({
    routing_key: storableText('routing_key').min(1, 'routing_key is the source’s token; it can’t be empty'),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve'], {
      error: (issue) => `event_action is "trigger", "acknowledge" or "resolve"${notThis(issue.input)}`,
    }),
    dedup_key: shortText('dedup_key').min(1, 'dedup_key can’t be empty; leave it out to have one generated').optional(),
    payload: z
      .object(
        {
          summary: storableText('payload.summary').trim().min(1, 'payload.summary is the alert’s title; it can’t be empty').max(MAX_TITLE, `Keep payload.summary under ${MAX_TITLE.toLocaleString('en')} characters (PagerDuty’s limit)`),
          source: shortText('payload.source', 1_024).min(1, 'payload.source names the affected system (a hostname or FQDN); it can’t be empty'),
          severity: z.enum(pagerDutySeverities, {
            error: (issue) => `payload.severity is one of critical, error, warning, info${notThis(issue.input)}`,
          }),
          timestamp: timeSchema('payload.timestamp').optional(),
          component: shortText('payload.component').optional(),
          group: shortText('payload.group').optional(),
          class: shortText('payload.class').optional(),
          custom_details: z.unknown().optional(),
        },
        { error: (issue) => `payload is an object with summary, source and severity${received(issue.input)}` },
      )
      .optional(),
    images: z
      .array(z.object({ src: hrefSchema, href: hrefSchema.optional(), alt: storableText('images.alt').optional() }), { error: 'images is a list of {src, href?, alt?}' })
      .max(MAX_LINKS, `Send at most ${MAX_LINKS} images`)
      .optional(),
    links: z
      .array(z.object({ href: hrefSchema, text: storableText('links.text').optional() }), { error: 'links is a list of {href, text?}' })
      .max(MAX_LINKS, `Send at most ${MAX_LINKS} links`)
      .optional(),
    client: storableText('client').optional(),
    client_url: storableText('client_url').optional(),
  }, { error: (issue) => `The body is one PagerDuty Events API v2 event: an object with routing_key, event_action and payload${received(issue.input)}` })
  .superRefine((event, ctx) => {
    if (event.event_action === 'trigger' && !event.payload) {
      ctx.addIssue({ code: 'custom', path: ['payload'], message: 'A trigger event needs a payload with summary, source and severity' });
    }
    if (event.event_action !== 'trigger' && !event.dedup_key) {
      ctx.addIssue({ code: 'custom', path: ['dedup_key'], message: `An ${event.event_action} event needs the dedup_key of the alert it changes` });
    }
  });
export type PagerDutyEvent = z.output<typeof pagerDutyEventSchema>;

const statusOf: Record<PagerDutyEvent['event_action'], IncomingAlertStatus> = { trigger: 'firing', acknowledge: 'acknowledged', resolve: 'resolved' };

export function parsePagerDutyEvent(body: unknown, options: ParseOptions): AlertBatch {
  const parsed = pagerDutyEventSchema.safeParse(body);
  if (!parsed.success) throw refusal(payloadErrors(parsed.error));
  const event = parsed.data;
  const dedupKey = event.dedup_key ?? (options.newDedupKey ?? randomUUID)();
  const payload = event.payload;

  // The payload's fields become labels, so routes and silences can match `source`, `severity`…
  const labels: Record<string, string> = {};
  if (payload) {
    labels.severity = payload.severity;
    labels.source = payload.source;
    if (payload.component) labels.component = payload.component;
    if (payload.group) labels.group = payload.group;
    if (payload.class) labels.class = payload.class;
  }
  const annotations = detailsToAnnotations(payload?.custom_details);
  if (payload && !('summary' in annotations)) annotations.summary = cut(payload.summary, MAX_ANNOTATION_VALUE);

  const links: AlertLink[] = [];
  const clientUrl = safeHref(event.client_url);
  if (clientUrl) links.push({ href: clientUrl, text: event.client?.trim() || 'Source' });
  for (const link of event.links ?? []) links.push({ href: safeHref(link.href)!, text: link.text?.trim() || link.href });
  for (const image of event.images ?? []) links.push({ href: safeHref(image.href ?? image.src)!, text: image.alt?.trim() || 'Image' });

  const status = statusOf[event.event_action];
  const service = typeof annotations.service === 'string' && annotations.service.length <= 80 ? annotations.service : null;
  return {
    kind: 'pagerduty',
    dedupKey,
    truncatedAlerts: 0,
    rejected: [],
    alerts: [
      {
        index: 0,
        fingerprint: dedupKey,
        status,
        title: payload?.summary ?? null,
        severity: payload?.severity ?? null,
        service,
        labels,
        annotations,
        links,
        startsAt: payload?.timestamp ?? options.receivedAt,
        endsAt: status === 'resolved' ? options.receivedAt : null,
        groupKey: dedupKey,
        generatorURL: clientUrl,
      },
    ],
  };
}
