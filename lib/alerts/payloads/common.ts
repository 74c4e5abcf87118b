// What every alert payload becomes, and the pieces its parsers share. Senders are machines we do
// not control, so the rules here lean towards keeping an alert (long descriptions are cut, links
// that are not http(s) are dropped) and refuse only what would make it wrong or unstorable (a
// label that is not a string, a time that is not a time). A refusal names the field and says what
// to send instead.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError, type FieldError } from '@/lib/platform/errors';

export const alertSourceKinds = ['alertmanager', 'grafana', 'pagerduty', 'generic'] as const;
export type AlertSourceKind = (typeof alertSourceKinds)[number];

/** What a sender can say about an alert. `silenced` is Sitrep's own verdict, never a sender's. */
export const incomingAlertStatuses = ['firing', 'acknowledged', 'resolved'] as const;
export type IncomingAlertStatus = (typeof incomingAlertStatuses)[number];

export type AlertLink = { href: string; text: string };

export type NormalisedAlert = {
  /** Position in the payload, so answers and errors can point back at it. */
  index: number;
  /** Identity within its source: Alertmanager/Grafana fingerprint, otherwise the dedup key. */
  fingerprint: string;
  status: IncomingAlertStatus;
  /**
   * annotations.summary, else labels.alertname (Alertmanager, Grafana); payload.summary
   * (PagerDuty); title (generic). Null only for a PagerDuty acknowledge/resolve without a payload:
   * such an event changes an alert that exists and never creates one.
   */
  title: string | null;
  /** The sender's own word (`critical`, `P2`, `SEV1`…); routing maps it to a Sitrep severity. */
  severity: string | null;
  service: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  links: AlertLink[];
  startsAt: Date;
  /** When the sender says the alert ended; null while it fires (Go's zero time counts as null). */
  endsAt: Date | null;
  /** Alerts sharing it form one alert group that pages once. */
  groupKey: string;
  generatorURL: string | null;
};

export type RejectedAlert = { index: number; errors: FieldError[] };

export type AlertBatch = {
  kind: AlertSourceKind;
  alerts: NormalisedAlert[];
  /** Alerts that could not be read; the good ones beside them are kept. */
  rejected: RejectedAlert[];
  /** Alerts the sender left out of this payload (Alertmanager's `max_alerts`). */
  truncatedAlerts: number;
  /** PagerDuty only: the dedup key to answer with (generated when the event had none). */
  dedupKey?: string;
};

export type ParseOptions = {
  /** When the payload arrived: the start of alerts that don't say, the end of resolved ones that don't. */
  receivedAt: Date;
  /** PagerDuty triggers without a dedup_key get one, like PagerDuty's own (a UUID). */
  newDedupKey?: () => string;
};

// Limits. Labels identify and route an alert, so a label longer than an identifier is a sender's
// mistake worth hearing about; annotations are prose (descriptions, stack traces) and are cut.
export const MAX_ALERTS_PER_PAYLOAD = 10_000;
export const MAX_LABELS = 100;
export const MAX_LABEL_NAME = 256;
export const MAX_LABEL_VALUE = 2_048;
export const MAX_ANNOTATIONS = 100;
export const MAX_ANNOTATION_VALUE = 16_384;
export const MAX_TITLE = 1_024;
export const MAX_GROUP_KEY = 1_024;
export const MAX_FINGERPRINT = 255;
export const MAX_LINKS = 50;
const MAX_URL = 2_048;
/** At most this many field errors in one refusal: enough to fix a payload, not a megabyte of JSON. */
const MAX_REPORTED_ERRORS = 200;

const count = (n: number) => n.toLocaleString('en');

/** Half of a UTF-16 surrogate pair on its own: JSON can carry one, PostgreSQL's jsonb refuses it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text PostgreSQL can store: no NUL, no lone surrogate. Checked per alert so one bad alert can't sink its batch. */
export function storableText(what: string) {
  return z.string({ error: (issue) => `${what} must be a string${received(issue.input)}` }).superRefine((text, ctx) => {
    if (text.includes('\u0000')) ctx.addIssue({ code: 'custom', message: `${what} can’t contain the NUL character (\\u0000); remove it` });
    else if (LONE_SURROGATE.test(text)) ctx.addIssue({ code: 'custom', message: `${what} can’t contain half of a UTF-16 surrogate pair on its own; send valid Unicode` });
  });
}

/** ", not "burning"": what the sender sent instead, shown briefly; never serialises a whole (possibly enormous) value. */
export function notThis(input: unknown): string {
  if (typeof input === 'string') return `, not ${JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input)}`;
  if (typeof input === 'number' || typeof input === 'boolean') return `, not ${String(input)}`;
  return received(input);
}

export function received(input: unknown): string {
  if (input === undefined) return ', and it is missing';
  if (input === null) return ', not null';
  if (Array.isArray(input)) return ', not a list';
  return `, not ${typeof input === 'object' ? 'an object' : `a ${typeof input}`}`;
}

/** Cuts prose to `max` characters, saying so, without splitting a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = ' … [cut by Sitrep]';
  let end = max - marker.length;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end) + marker;
}

/**
 * An object of strings (labels, annotations, matchers). A bad key is reported with the key's own
 * message, not the object's. JSON.parse makes `__proto__` an ordinary key, which zod skips
 * silently (copying it would set the prototype); it is refused by name instead of vanishing.
 */
export function stringRecord<K extends z.ZodType<string, string>, V extends z.ZodType>(key: K, value: V, what: (input: unknown) => string) {
  const record = z.record(key, value, {
    error: (issue) => (issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : what(issue.input)),
  });
  return z.preprocess((input, ctx) => {
    if (input !== null && typeof input === 'object' && Object.hasOwn(input, '__proto__')) {
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'A key can’t be named __proto__', input });
    }
    return input;
  }, record);
}

const labelName = storableText('A label name')
  .min(1, 'Label names can’t be empty')
  .max(MAX_LABEL_NAME, `Keep label names under ${count(MAX_LABEL_NAME)} characters`);

/** Prometheus-style labels: a flat object of strings. */
export const labelSetSchema = stringRecord(
  labelName,
  storableText('A label value').max(MAX_LABEL_VALUE, `Labels identify an alert; keep each under ${count(MAX_LABEL_VALUE)} characters and put long text in an annotation`),
  (input) => `Labels are an object of strings, e.g. {"alertname": "HighLatency"}${received(input)}`,
).refine((labels) => Object.keys(labels).length <= MAX_LABELS, `An alert carries at most ${MAX_LABELS} labels`);

/** Annotations: strings, cut when very long. */
export const annotationSetSchema = stringRecord(
  storableText('An annotation name').min(1, 'Annotation names can’t be empty').max(MAX_LABEL_NAME, `Keep annotation names under ${count(MAX_LABEL_NAME)} characters`),
  storableText('An annotation value').transform((value) => cut(value, MAX_ANNOTATION_VALUE)),
  (input) => `Annotations are an object of strings, e.g. {"summary": "p99 latency over 2 s"}${received(input)}`,
).refine((annotations) => Object.keys(annotations).length <= MAX_ANNOTATIONS, `An alert carries at most ${MAX_ANNOTATIONS} annotations`);

// RFC 3339 as Go, Grafana and PagerDuty write it: any number of fraction digits (Go writes
// nanoseconds), `Z` or an offset with or without its colon (PagerDuty's examples use `+0000`).
const TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Null for Go's zero time (`0001-01-01T00:00:00Z`), which Alertmanager sends as "no end yet". */
export function parseTime(text: string): Date | null | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = m as unknown as string[];
  if (year === '0001' && month === '01' && day === '01') return null;
  const y = Number(year), mo = Number(month), d = Number(day);
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function timeSchema(what: string) {
  return z.string({ error: (issue) => `${what} must be an ISO-8601 time such as 2026-11-30T14:02:00Z${received(issue.input)}` }).transform((text, ctx) => {
    const time = parseTime(text);
    if (time === undefined) {
      ctx.addIssue({ code: 'custom', message: `${what} “${text.slice(0, 60)}” is not an ISO-8601 time; send e.g. 2026-11-30T14:02:00Z` });
      return z.NEVER;
    }
    return time;
  });
}

/** An http(s) URL, or null: derived links (generatorURL, dashboards, runbook_url) are kept only when safe to render. */
export function safeHref(text: string | null | undefined): string | null {
  if (!text || text.length > MAX_URL) return null;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A link a sender lists on purpose: a bad one is an error it can fix, not something to drop quietly. */
export const hrefSchema = storableText('A link').refine((text) => safeHref(text) !== null, 'Links must be http(s) URLs, e.g. https://grafana.example.com/d/abc');

export const fingerprintSchema = storableText('fingerprint').min(1, 'fingerprint can’t be empty').max(MAX_FINGERPRINT, `Keep the fingerprint under ${MAX_FINGERPRINT} characters`);

/** Group keys become an index key; a very long one (Alertmanager routes with many group_by labels) is replaced by its SHA-256. */
export function compactGroupKey(groupKey: string): string {
  return groupKey.length <= MAX_GROUP_KEY ? groupKey : `sha256:${createHash('sha256').update(groupKey).digest('hex')}`;
}

/** API.md: annotations.summary, else labels.alertname; else the labels themselves, so nothing arrives untitled. */
export function titleFrom(annotations: Record<string, string>, labels: Record<string, string>, fingerprint: string): string {
  const summary = annotations.summary?.trim();
  if (summary) return cut(summary, MAX_TITLE);
  const name = labels.alertname?.trim();
  if (name) return cut(name, MAX_TITLE);
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return cut(pairs.length ? `Alert {${pairs.join(', ')}}` : `Alert ${fingerprint}`, MAX_TITLE);
}

/** The sender's severity as Prometheus-style rules label it. */
export function severityFrom(labels: Record<string, string>): string | null {
  return labels.severity?.trim() || labels.priority?.trim() || null;
}

/** Links found in a Prometheus-style alert's annotations. */
export function annotationLinks(annotations: Record<string, string>): AlertLink[] {
  const links: AlertLink[] = [];
  const runbook = safeHref(annotations.runbook_url);
  if (runbook) links.push({ href: runbook, text: 'Runbook' });
  const dashboard = safeHref(annotations.dashboard_url);
  if (dashboard) links.push({ href: dashboard, text: 'Dashboard' });
  return links;
}

/**
 * JSON text of a sender's free-form value, for an annotation: nesting below `depth` levels is
 * shown as "…" and the text stops growing past `max` characters. JSON.stringify would overflow
 * the stack on a body nested 100,000 levels deep (a few hundred KiB of brackets), which must be
 * a readable annotation, not a 500.
 */
export function boundedJson(value: unknown, max = MAX_ANNOTATION_VALUE, depth = 20): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  const write = (current: unknown, level: number): void => {
    if (current === null || typeof current !== 'object') return emit(JSON.stringify(current) ?? 'null');
    if (level >= depth) return emit('"…"');
    const entries: [string | null, unknown][] = Array.isArray(current) ? current.map((item) => [null, item]) : Object.entries(current);
    emit(Array.isArray(current) ? '[' : '{');
    for (const [i, [key, item]] of entries.entries()) {
      // Past the limit the rest would be cut anyway; stop walking it.
      if (length > max) break;
      if (i > 0) emit(',');
      if (key !== null) emit(`${JSON.stringify(key)}:`);
      write(item, level + 1);
    }
    emit(Array.isArray(current) ? ']' : '}');
  };
  write(value, 0);
  return cut(parts.join(''), max);
}

/** Flattens free-form details (PagerDuty custom_details, generic details) into annotations. */
export function detailsToAnnotations(details: unknown): Record<string, string> {
  if (details === undefined || details === null) return {};
  if (typeof details === 'string') return details ? { details: cut(details, MAX_ANNOTATION_VALUE) } : {};
  const entries = typeof details === 'object' && !Array.isArray(details) ? Object.entries(details) : [];
  if (entries.length === 0 || entries.length > MAX_ANNOTATIONS) return { details: boundedJson(details) };
  return Object.fromEntries(entries.map(([key, value]) => [cut(key, MAX_LABEL_NAME), typeof value === 'string' ? cut(value, MAX_ANNOTATION_VALUE) : boundedJson(value)]));
}

/** A path segment as people read it: a megabyte-long label name is shown by its start. */
const segment = (part: PropertyKey) => {
  const text = String(part);
  return text.length > 80 ? `${text.slice(0, 40)}…` : text;
};

function prefixed(prefix: string, error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(segment)].filter((part) => part !== '').join('.'),
    message: issue.message,
  }));
}

/** Zod errors of the whole payload, each path as the sender wrote it. */
export function payloadErrors(error: z.ZodError): FieldError[] {
  return prefixed('', error);
}

/**
 * Reads each alert of a batch on its own: a bad alert is reported with its index and every field
 * error, the good ones beside it are kept. `prefix` is where the list sits in the payload
 * (`alerts` for Alertmanager), so error paths can be pasted back into the sender's JSON.
 */
export function readEach<T>(
  items: unknown[],
  prefix: string,
  read: (item: unknown, index: number) => { ok: true; alert: T } | { ok: false; error: z.ZodError },
): { alerts: T[]; rejected: RejectedAlert[] } {
  const alerts: T[] = [];
  const rejected: RejectedAlert[] = [];
  items.forEach((item, index) => {
    const result = read(item, index);
    if (result.ok) alerts.push(result.alert);
    else {
      rejected.push({ index, errors: prefixed(prefix ? `${prefix}.${index}` : String(index), result.error) });
    }
  });
  return { alerts, rejected };
}

/** One refusal naming every field (up to a readable number of them). */
export function refusal(errors: FieldError[], rejectedAlerts?: number): ValidationError {
  if (errors.length <= MAX_REPORTED_ERRORS) return new ValidationError(errors);
  const shown = errors.slice(0, MAX_REPORTED_ERRORS);
  const more = rejectedAlerts ? `${count(errors.length - MAX_REPORTED_ERRORS)} more field errors in ${count(rejectedAlerts)} invalid alerts` : `${count(errors.length - MAX_REPORTED_ERRORS)} more field errors`;
  return new ValidationError([...shown, { path: '', message: `${more}; fix the ones listed and send again` }]);
}

/** The list of alerts a payload carries, checked for size before any alert is read. */
export function alertListSchema(what: string) {
  return z
    .array(z.unknown(), { error: (issue) => `${what} must be a list of alerts${received(issue.input)}` })
    .min(1, `${what} holds no alerts; send at least one`)
    .max(MAX_ALERTS_PER_PAYLOAD, `Send at most ${count(MAX_ALERTS_PER_PAYLOAD)} alerts in one payload; split larger batches`);
}

/** Throws when no alert of the batch could be read, so a wholly bad payload answers 422 with the reasons. */
export function keepOrRefuse<T extends { alerts: NormalisedAlert[]; rejected: RejectedAlert[] }>(batch: T): T {
  if (batch.alerts.length === 0 && batch.rejected.length > 0) throw refusal(batch.rejected.flatMap((r) => r.errors), batch.rejected.length);
  return batch;
}
