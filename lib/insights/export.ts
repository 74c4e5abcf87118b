// The incidents behind the insights figures as CSV: one row per incident in the filters (or
// only those a figure counts), each with its times and how definitions.ts judged it. Read in
// pages of PAGE incidents by number and streamed, so a year of 100,000 incidents never sits in
// memory; csv-stringify quotes every field that needs it and neutralises cells a spreadsheet
// would run as a formula (a title starting with "=").
import 'server-only';
import { stringify } from 'csv-stringify/sync';
import { db } from '@/lib/platform/db';
import { incidentKey } from '@/lib/incidents/schema';
import {
  impactMinutes,
  isOverdue,
  responseTarget,
  reviewCompletion,
  timeToAcknowledge,
  timeToDetect,
  timeToMitigate,
  timeToResolve,
  updateCadence,
  type IncidentFacts,
} from '@/lib/insights/definitions';
import { scopeCondition } from '@/lib/insights/queries';
import type { CsvFigure, InsightsFilter } from '@/lib/insights/schema';
import { publicUrl } from '@/lib/platform/urls';
import type { Viewer } from '@/lib/incidents/visibility';

const PAGE = 1_000;

export const csvColumns = [
  'key',
  'title',
  'severity',
  'status',
  'services',
  'customer_impact',
  'started_at',
  'detected_at',
  'declared_at',
  'acknowledged_at',
  'mitigated_at',
  'resolved_at',
  'closed_at',
  'time_to_detect_s',
  'time_to_acknowledge_s',
  'time_to_mitigate_s',
  'time_to_resolve_s',
  'impact_min',
  'response_target_min',
  'response_target',
  'updates_on_time',
  'updates_due',
  'review_status',
  'review_published_at',
  'review',
  'action_items_open',
  'action_items_done',
  'action_items_overdue',
  'alerts',
  'started_from_alert',
  'pages',
  'url',
] as const;

type Row = {
  number: number;
  title: string;
  severity_key: string;
  status: string;
  services: string[];
  customer_impact: boolean;
  started_at: Date | null;
  detected_at: Date | null;
  declared_at: Date;
  acknowledged_at: Date | null;
  paged_at: Date | null;
  mitigated_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  target: number;
  cadence: number;
  review_required: boolean;
  review_status: string | null;
  published_at: Date | null;
  updates: Date[] | null;
  items: { status: 'open' | 'done'; due: string | null }[] | null;
  alerts: number;
  from_alert: boolean;
  pages: number;
};

async function readPage(filter: InsightsFilter, viewer: Viewer, afterNumber: number): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT i.number, i.title, i.severity_key, i.status::text AS status, i.services, i.customer_impact,
           i.started_at, i.detected_at, i.declared_at, i.acknowledged_at, i.paged_at, i.mitigated_at, i.resolved_at, i.closed_at,
           s.response_target_minutes AS target, s.update_cadence_minutes AS cadence, s.review_required,
           p.status::text AS review_status, CASE WHEN p.status = 'published' THEN p.published_at END AS published_at,
           (SELECT array_agg(u.posted_at ORDER BY u.posted_at) FROM status_updates u WHERE u.incident_id = i.id) AS updates,
           (SELECT json_agg(json_build_object('status', a.status, 'due', to_char(a.due_date, 'YYYY-MM-DD'))) FROM action_items a WHERE a.incident_id = i.id) AS items,
           al.alerts, al.from_alert,
           (SELECT count(*)::int FROM pages pg WHERE pg.incident_id = i.id) AS pages
      FROM incidents i
      JOIN severities s ON s.key = i.severity_key
      LEFT JOIN postmortems p ON p.incident_id = i.id
      -- definitions.ts alertsPerIncident: firings linked, and whether one fired by the declaration.
      CROSS JOIN LATERAL (SELECT count(*)::int AS alerts, coalesce(bool_or(LEAST(a.starts_at, a.created_at) <= i.declared_at), false) AS from_alert
                            FROM alerts a WHERE a.incident_id = i.id) al
     WHERE ${scopeCondition(filter, viewer)} AND i.number > ${afterNumber}
     ORDER BY i.number
     LIMIT ${PAGE}`;
}

const iso = (date: Date | null) => date?.toISOString() ?? '';

/** One CSV record for an incident, or null when `figure` does not count it. */
export function csvRecord(row: Row, figure: CsvFigure | undefined, now: Date): (string | number)[] | null {
  const facts: IncidentFacts = {
    startedAt: row.started_at,
    detectedAt: row.detected_at,
    declaredAt: row.declared_at,
    acknowledgedAt: row.acknowledged_at,
    pagedAt: row.paged_at,
    mitigatedAt: row.mitigated_at,
    resolvedAt: row.resolved_at,
  };
  const ttd = timeToDetect(facts);
  const tta = timeToAcknowledge(facts);
  const ttm = timeToMitigate(facts);
  const ttr = timeToResolve(facts);
  const response = responseTarget(facts, row.target, now);
  const updates = updateCadence(facts, row.updates ?? [], row.cadence, now);
  const review = reviewCompletion({ resolvedAt: row.resolved_at, reviewRequired: row.review_required }, row.published_at, now);
  const items = row.items ?? [];
  const counted: Record<CsvFigure, boolean> = {
    incidents: true,
    mttd: ttd !== null,
    mtta: tta !== null,
    mttm: ttm !== null,
    mttr: ttr !== null,
    responseTarget: response !== 'pending',
    updateCadence: updates.total > 0,
    reviews: review === 'on_time' || review === 'late' || review === 'missing',
    actionItems: items.length > 0,
    alerts: row.alerts > 0,
    pages: row.pages > 0,
  };
  if (figure && !counted[figure]) return null;
  return [
    incidentKey(row.number),
    row.title,
    row.severity_key,
    row.status,
    row.services.join('; '),
    row.customer_impact ? 'yes' : 'no',
    iso(row.started_at),
    iso(row.detected_at),
    iso(row.declared_at),
    iso(row.acknowledged_at),
    iso(row.mitigated_at),
    iso(row.resolved_at),
    iso(row.closed_at),
    ttd ?? '',
    tta ?? '',
    ttm ?? '',
    ttr ?? '',
    impactMinutes(facts, now),
    row.target,
    response,
    updates.onTime,
    updates.total,
    row.review_status ?? 'none',
    iso(row.published_at),
    review,
    items.filter((a) => a.status === 'open').length,
    items.filter((a) => a.status === 'done').length,
    items.filter((a) => isOverdue({ status: a.status, dueDate: a.due }, now)).length,
    row.alerts,
    row.from_alert ? 'yes' : 'no',
    row.pages,
    publicUrl(`/incidents/${row.number}`),
  ];
}

/** The CSV as a byte stream: a header row, then one row per incident, oldest number first. */
export function incidentsCsv(filter: InsightsFilter, viewer: Viewer, figure: CsvFigure | undefined, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let first = true;
  // Pull-based: the next page is read only when the client has taken the previous one.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const rows = await readPage(filter, viewer, after);
      const records = rows.flatMap((row) => { const record = csvRecord(row, figure, now); return record ? [record] : []; });
      const text = stringify(records, { header: first, columns: [...csvColumns], escape_formulas: true });
      first = false;
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length < PAGE) controller.close();
      else after = rows.at(-1)!.number;
    },
  });
}
