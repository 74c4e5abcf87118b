// The kinds of alert source as people read them. Apart from the payload parsers (which need Node),
// so forms in the browser can list them.
import type { AlertSourceKind } from '@/lib/alerts/payloads/common';

export const kindNames: Record<AlertSourceKind, string> = {
  alertmanager: 'Prometheus Alertmanager',
  grafana: 'Grafana Alerting',
  pagerduty: 'PagerDuty Events API v2 (any tool that sends to PagerDuty)',
  generic: 'Generic JSON',
};

export const sourceKindOptions = Object.keys(kindNames) as AlertSourceKind[];
