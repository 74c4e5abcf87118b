// The routes Sitrep's web server answers beside Next (lib/platform/runtime/direct.ts): alert
// intake, posting a note through the API, and the live streams, each operation paired with its
// route module's handler. Loaded on
// demand: route modules reach Next's request storage, which must exist first in the web server.
import { directRoutes, type DirectRoute } from '@/lib/platform/runtime/direct';
import { alertsStreamOperation, ingestAlertmanagerOperation, ingestGenericOperation, ingestGrafanaOperation, ingestPagerDutyOperation } from '@/lib/alerts/operations';
import { dashboardStreamOperation } from '@/lib/incidents/operations';
import { pagesStreamOperation } from '@/lib/oncall/operations';
import { reviewStreamOperation } from '@/lib/postmortems/operations';
import { incidentStreamOperation, postNoteOperation } from '@/lib/timeline/operations';

/** The four alert intake routes (also served by tests/support/ingest-server.ts). */
export async function intakeRoutes(): Promise<DirectRoute[]> {
  const [alertmanager, grafana, generic, pagerduty] = await Promise.all([
    import('@/app/api/v1/alerts/ingest/alertmanager/route'),
    import('@/app/api/v1/alerts/ingest/grafana/route'),
    import('@/app/api/v1/alerts/ingest/generic/route'),
    import('@/app/api/v1/alerts/ingest/pagerduty/route'),
  ]);
  return directRoutes([
    [ingestAlertmanagerOperation, alertmanager.POST],
    [ingestGrafanaOperation, grafana.POST],
    [ingestGenericOperation, generic.POST],
    [ingestPagerDutyOperation, pagerduty.POST],
  ]);
}

/**
 * Posting a note through the API (chat bridges, bots, scripts): the busiest write there is, and
 * the request whose Next pipeline cost more than the write (a few milliseconds of the event loop
 * each, about 190 notes a second at most on two cores).
 */
export async function writeRoutes(): Promise<DirectRoute[]> {
  const timeline = await import('@/app/api/v1/incidents/[number]/timeline/route');
  return directRoutes([[postNoteOperation, timeline.POST]]);
}

/** The five live streams (SSE). */
export async function streamRoutes(): Promise<DirectRoute[]> {
  const [dashboard, incident, review, alerts, pages] = await Promise.all([
    import('@/app/api/v1/stream/route'),
    import('@/app/api/v1/incidents/[number]/stream/route'),
    import('@/app/api/v1/incidents/[number]/postmortem/stream/route'),
    import('@/app/api/v1/alerts/stream/route'),
    import('@/app/api/v1/pages/stream/route'),
  ]);
  return directRoutes([
    [dashboardStreamOperation, dashboard.GET],
    [incidentStreamOperation, incident.GET],
    [reviewStreamOperation, review.GET],
    [alertsStreamOperation, alerts.GET],
    [pagesStreamOperation, pages.GET],
  ]);
}
