// One entry point for every kind of alert source: the ingest routes and the "Test route" box
// both read a payload through here.
import { parseAlertmanagerPayload } from '@/lib/alerts/payloads/alertmanager';
import type { AlertBatch, AlertSourceKind, ParseOptions } from '@/lib/alerts/payloads/common';
import { parseGenericPayload } from '@/lib/alerts/payloads/generic';
import { parseGrafanaPayload } from '@/lib/alerts/payloads/grafana';
import { parsePagerDutyEvent } from '@/lib/alerts/payloads/pagerduty';

const parsers: Record<AlertSourceKind, (body: unknown, options: ParseOptions) => AlertBatch> = {
  alertmanager: parseAlertmanagerPayload,
  grafana: parseGrafanaPayload,
  pagerduty: parsePagerDutyEvent,
  generic: parseGenericPayload,
};

/**
 * Reads a parsed JSON body of the given kind into normalised alerts. Throws a ValidationError
 * (API: 422) naming every invalid field when the payload as a whole is unusable or none of its
 * alerts is; otherwise the batch lists the good alerts and, separately, each rejected one with
 * its index and field errors.
 */
export function parseAlertPayload(kind: AlertSourceKind, body: unknown, options: ParseOptions): AlertBatch {
  return parsers[kind](body, options);
}
