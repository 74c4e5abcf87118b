// ALERT INTAKE: a sender's payload becomes stored alerts atomically, and the answer (202) means
// exactly that. Everything that follows (routing, pages, incidents, timeline events) is done by
// the dispatcher from the durable queue (dispatch.ts). A payload of firing alerts, what every
// storm sends, is ONE autocommitted statement that also records a dispatch row for each group
// that needs routing; the queue jobs for those rows follow at once, and a dispatch left without
// its job by a crash in between is queued by the dispatch worker's sweep. Payloads with resolves
// or acknowledgements take one interactive transaction, jobs included. Either way an acknowledged
// alert is never lost and never dispatched twice (the dispatch ledger records each attempt once).
//
// Rules the SQL below holds, with the database's help:
// - Identity: at most one unresolved alert per (source, fingerprint), by a partial unique index.
//   A firing alert is an INSERT … ON CONFLICT on that index: new, or a repeat (count + 1, last
//   seen, labels and annotations as now sent). Two instances storing the same alert at the same
//   moment store one; the second is counted as a repeat.
// - A resolve closes the unresolved alert; a firing after that is a new alert linked to the
//   previous one (previous_id). A firing notification of an episode its sender already resolved
//   (same startsAt, delivered late) is stale and changes nothing.
// - Groups: alerts sharing a group key while any of them is unresolved form one open group
//   (partial unique index); it closes when its last alert resolves.
// - Locks are taken in one order (groups by key, then alerts by fingerprint) so concurrent
//   payloads wait for each other instead of deadlocking; the rare deadlock left (an alert whose
//   group key changed) is retried.
import 'server-only';
import { createHash } from 'node:crypto';
import { linkRunbook, type RunbookCandidate } from '@/lib/alerts/runbook-link';
import { compileRoutes, defaultSeverityMapping, routeAlert, type CompiledRoute, type Route, type SeverityMapping } from '@/lib/alerts/routing';
import { parseAlertPayload } from '@/lib/alerts/payloads/parse';
import type { AlertBatch, AlertSourceKind, NormalisedAlert } from '@/lib/alerts/payloads/common';
import { silencedBy, type Silence } from '@/lib/alerts/silences';
import { enqueueDispatch } from '@/lib/alerts/dispatch';
import { alertsChannel, notifyAlerts } from '@/lib/alerts/live';
import type { AlertStatus, IngestResult } from '@/lib/alerts/schema';
import { db, writePool, type Tx } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { UnauthenticatedError, ValidationError } from '@/lib/platform/errors';
import { kindNames, MAX_INGEST_BYTES } from '@/lib/alerts/schema';
import { readJsonBody } from '@/lib/platform/http/body';
import { groupCommit } from '@/lib/platform/group-commit';

export const SOURCE_TOKEN_PREFIX = 'sitrep_alerts_';

export function hashSourceToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export type IngestSource = {
  id: string;
  name: string;
  kind: AlertSourceKind;
  version: number;
  routes: Route[];
  severityMapping: SeverityMapping | null;
};

/** Runs a statement and returns its rows: in an interactive transaction, or alone on the write pool. */
type Runner = <T>(text: string, values: unknown[]) => Promise<T[]>;

const inTransaction =
  (tx: Tx): Runner =>
  (text, values) =>
    tx.$queryRawUnsafe(text, ...values);

// Sent as an unnamed statement, so PostgreSQL plans it for its parameters and for the tables' size
// as they are now. A named one would keep the plan made when it was prepared: on a young
// installation, one that reads every alert of the source (it was empty then) on every request
// of the storm that fills it. Group commit makes the planning a cost per round, not per request.
const alone: Runner = async <T>(text: string, values: unknown[]) => (await writePool().query({ text, values })).rows as T[];

type SourceRow = Omit<IngestSource, 'routes' | 'severityMapping'> & { token_hash: string; routes: Route[]; severity_mapping: SeverityMapping | null };
type SilenceRow = { id: string; matchers: Record<string, string>; starts_at: string; ends_at: string; comment: string };

// The sources of the tokens asked for in one round, and the silences in force at any moment of it
// (between its earliest and latest request; each alert is checked against its own moment).
const AUTHENTICATE_SOURCES = `
  SELECT (SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'kind', s.kind::text, 'version', s.version, 'routes', s.routes,
                                            'severity_mapping', s.severity_mapping, 'token_hash', s.token_hash))
            FROM alert_sources s WHERE s.token_hash = ANY($1::text[])) AS sources,
         (SELECT json_agg(json_build_object('id', x.id, 'matchers', x.matchers, 'starts_at', x.starts_at, 'ends_at', x.ends_at, 'comment', x.comment))
            FROM alert_silences x WHERE x.starts_at <= $3 AND x.ends_at > $2) AS silences`;

type SourceLookup = { tokenHash: string; at: Date };
type SourceFound = { source: SourceRow | null; silences: ActiveSilence[] };

/**
 * Every intake request asks for its token's source: requests that arrive while a lookup runs are
 * looked up together in the next one (group commit), one round trip for a storm's many requests.
 */
const lookUpSources = groupCommit<SourceLookup, SourceFound>(
  async (_key, lookups) => {
    const times = lookups.map((lookup) => lookup.at.getTime());
    const [found] = await alone<{ sources: SourceRow[] | null; silences: SilenceRow[] | null }>(AUTHENTICATE_SOURCES, [
      [...new Set(lookups.map((lookup) => lookup.tokenHash))],
      new Date(Math.min(...times)),
      new Date(Math.max(...times)),
    ]);
    const byHash = new Map((found?.sources ?? []).map((source) => [source.token_hash, source]));
    const silences = (found?.silences ?? []).map((x) => ({ id: x.id, matchers: x.matchers, startsAt: new Date(x.starts_at), endsAt: new Date(x.ends_at), comment: x.comment }));
    return lookups.map((lookup) => ({ source: byHash.get(lookup.tokenHash) ?? null, silences }));
  },
  { maxWeight: 500, weight: () => 1 },
);

/**
 * The source a token belongs to, and the silences in force around `at`, in one round trip (every
 * request of a storm asks); 401 naming what to check when no source has the token.
 */
export async function authenticateSource(token: string | null, kind: AlertSourceKind, at = new Date()): Promise<IngestSource & { silences: ActiveSilence[] }> {
  if (!token) {
    throw new UnauthenticatedError(
      kind === 'pagerduty'
        ? 'Send the alert source’s token as routing_key in the event.'
        : 'Send the alert source’s token as `Authorization: Bearer <token>` or `?token=<token>`; Settings → Alert sources shows how for each sender.',
    );
  }
  const { source, silences } = await lookUpSources('sources', { tokenHash: hashSourceToken(token), at });
  if (!source) throw new UnauthenticatedError('This alert source token is unknown or was rotated; copy the current one from Settings → Alert sources.');
  if (source.kind !== kind) {
    throw new ValidationError([
      { path: '', message: `This token belongs to “${source.name}”, a ${kindNames[source.kind]} source; post to /api/v1/alerts/ingest/${source.kind} instead of /api/v1/alerts/ingest/${kind}` },
    ]);
  }
  return { id: source.id, name: source.name, kind: source.kind, version: source.version, routes: source.routes, severityMapping: source.severity_mapping, silences };
}

// ---- What every alert of a storm is checked against, read once and kept briefly ----------------

// Compiled routes per source version: regexes compile once, not once per payload.
const compiledBySource = new Map<string, { version: number; routes: CompiledRoute[] }>();

function routesOf(source: IngestSource): CompiledRoute[] {
  const cached = compiledBySource.get(source.id);
  if (cached?.version === source.version) return cached.routes;
  const routes = compileRoutes(source.routes);
  if (compiledBySource.size > 1_000) compiledBySource.clear();
  compiledBySource.set(source.id, { version: source.version, routes });
  return routes;
}

// The runbook library for linking, refreshed every RUNBOOKS_TTL_MS: a storm links thousands of
// alerts against it, and a runbook imported a few seconds ago may wait that long to be linked.
const RUNBOOKS_TTL_MS = 10_000;
let runbookCache: { at: number; list: Promise<RunbookCandidate[]> } | null = null;

export function runbookCandidates(now = Date.now()): Promise<RunbookCandidate[]> {
  if (!runbookCache || now - runbookCache.at > RUNBOOKS_TTL_MS) {
    const list = db.runbook
      .findMany({ where: { archivedAt: null }, orderBy: { updatedAt: 'desc' }, take: 5_000, select: { id: true, title: true, tags: true } })
      .then((rows) => rows.map((row): RunbookCandidate => ({ ...row, sourceUrl: null })));
    runbookCache = { at: now, list };
    list.catch(() => (runbookCache = null));
  }
  return runbookCache.list;
}

export type ActiveSilence = Silence & { id: string; comment: string };

/** Silences in force at `at`: every instance reads them, so a new silence takes effect at once everywhere. */
export async function activeSilences(at: Date): Promise<ActiveSilence[]> {
  const rows = await db.alertSilence.findMany({ where: { startsAt: { lte: at }, endsAt: { gt: at } }, select: { id: true, matchers: true, startsAt: true, endsAt: true, comment: true } });
  return rows.map((row) => ({ ...row, matchers: row.matchers as Record<string, string> }));
}

// ---- Storing ----------------------------------------------------------------------------------

type Row = {
  fingerprint: string;
  status: 'firing' | 'acknowledged' | 'silenced' | 'resolved';
  title: string | null;
  severity_key: string;
  sender_severity: string | null;
  service: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  links: { href: string; text: string }[];
  starts_at: string;
  ends_at: string | null;
  last_seen_at: string;
  count: number;
  group_key: string;
  group_title: string;
  group_id?: string;
  silence_id: string | null;
  runbook_id: string | null;
  runbook_url: string | null;
  acknowledged_at: string | null;
};

type Stored = { id: string; fingerprint: string; status: AlertStatus; created: boolean; group_id: string; incident_id: string | null };

/** One row per identity: a payload naming an alert twice counts both and keeps the later state. */
function collapse(rows: Row[]): Row[] {
  const byFingerprint = new Map<string, Row>();
  for (const row of rows) {
    const seen = byFingerprint.get(row.fingerprint);
    byFingerprint.set(row.fingerprint, seen ? { ...row, count: seen.count + row.count } : row);
  }
  return [...byFingerprint.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
}

function toRow(alert: NormalisedAlert, source: IngestSource, routes: CompiledRoute[], silences: (Silence & { id: string })[], runbooks: RunbookCandidate[], receivedAt: Date): Row {
  const decision = routeAlert(alert, routes, source.severityMapping ?? defaultSeverityMapping);
  const silence = alert.status === 'resolved' ? null : silencedBy(alert, silences, receivedAt);
  const runbook = alert.title === null ? null : linkRunbook(alert, runbooks);
  return {
    fingerprint: alert.fingerprint,
    status: alert.status === 'firing' && silence ? 'silenced' : alert.status,
    title: alert.title,
    severity_key: decision.severity,
    sender_severity: alert.severity,
    service: decision.service,
    labels: alert.labels,
    annotations: alert.annotations,
    links: alert.links,
    starts_at: alert.startsAt.toISOString(),
    ends_at: alert.endsAt?.toISOString() ?? null,
    last_seen_at: receivedAt.toISOString(),
    count: 1,
    group_key: alert.groupKey,
    group_title: alert.title ?? alert.fingerprint,
    silence_id: silence?.id ?? null,
    runbook_id: runbook?.runbook?.id ?? null,
    runbook_url: runbook?.url ?? null,
    acknowledged_at: alert.status === 'acknowledged' ? receivedAt.toISOString() : null,
  };
}

const RECORDSET = `jsonb_to_recordset($2::jsonb) AS i(
  fingerprint text, status text, title text, severity_key text, sender_severity text, service text,
  labels jsonb, annotations jsonb, links jsonb, starts_at timestamptz, ends_at timestamptz, last_seen_at timestamptz,
  count int, group_key text, group_title text, silence_id uuid, runbook_id uuid, runbook_url text, acknowledged_at timestamptz)`;

/**
 * A group needs the dispatcher when it has not been routed yet (it pages and may declare once) or
 * has an incident (new alerts are linked and said on its timeline). Repeats and new alerts of a
 * routed group without an incident need nothing more: it has paged already.
 */
const NEEDS_DISPATCH = (g: string) => `(${g}.routed_at IS NULL OR ${g}.incident_id IS NOT NULL OR ${g}.page_id IS NOT NULL)`;

type FiringResult = { stored: Stored[] | null; dispatches: string[] | null };

/**
 * Firing (or silenced, or acknowledged) alerts in ONE statement, the path every storm takes:
 * their groups opened or found (locked, in key order), the alerts inserted or counted as repeats
 * (locked, in fingerprint order), a dispatch for each group that needs one, and one NOTIFY per
 * incident touched. `old` reads what the alerts were before this statement (its snapshot), to tell
 * what changed; the groups' routing state comes from the upsert's RETURNING, which is the row as
 * locked, so a dispatch that committed while this statement waited for the lock is seen.
 *
 * Every look at existing alerts and groups is written as a lookup by identity (a correlated
 * subquery, or a LATERAL with LIMIT) rather than a join the planner may turn into a scan of all
 * the source's alerts: as an anti-join, the stale check once read every alert of the source on
 * each request (2,200 buffers after 7,000 alerts). alerts.test.ts checks the plan.
 */
export const UPSERT_FIRING = `WITH input AS (SELECT * FROM ${RECORDSET}),
     keys AS (SELECT DISTINCT ON (group_key) group_key, group_title FROM input ORDER BY group_key, fingerprint),
     grp AS (
       INSERT INTO alert_groups (source_id, group_key, title, last_alert_at)
       SELECT $1::uuid, k.group_key, left(k.group_title, 500), $3::timestamptz FROM keys k ORDER BY k.group_key
       ON CONFLICT (source_id, group_key) WHERE closed_at IS NULL DO UPDATE SET last_alert_at = GREATEST(alert_groups.last_alert_at, EXCLUDED.last_alert_at)
       RETURNING id, group_key, routed_at, incident_id, page_id),
     old AS (SELECT i.fingerprint, (SELECT a.status::text FROM alerts a WHERE a.source_id = $1::uuid AND a.fingerprint = i.fingerprint AND a.resolved_at IS NULL) AS status FROM input i),
     up AS (
       INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, sender_severity, service, labels, annotations, links,
                           starts_at, ends_at, last_seen_at, count, previous_id, silence_id, runbook_id, runbook_url, acknowledged_at, created_at, updated_at)
       SELECT $1::uuid, g.id, i.fingerprint, i.status::"AlertStatus", i.title, i.severity_key, i.sender_severity, i.service, i.labels, i.annotations, i.links,
              i.starts_at, i.ends_at, i.last_seen_at, i.count,
              (SELECT p.id FROM alerts p WHERE p.source_id = $1::uuid AND p.fingerprint = i.fingerprint ORDER BY p.created_at DESC LIMIT 1),
              i.silence_id, i.runbook_id, i.runbook_url, i.acknowledged_at, i.last_seen_at, i.last_seen_at
         FROM input i JOIN grp g ON g.group_key = i.group_key
         -- A late firing notification of an episode its sender already resolved changes nothing.
         LEFT JOIN LATERAL (SELECT true AS stale FROM alerts s WHERE s.source_id = $1::uuid AND s.fingerprint = i.fingerprint
                               AND s.resolved_at IS NOT NULL AND s.resolved_by_id IS NULL AND s.starts_at = i.starts_at LIMIT 1) late ON true
        WHERE late.stale IS NULL
        ORDER BY i.fingerprint
       ON CONFLICT (source_id, fingerprint) WHERE resolved_at IS NULL DO UPDATE SET
         count = alerts.count + EXCLUDED.count,
         last_seen_at = GREATEST(alerts.last_seen_at, EXCLUDED.last_seen_at),
         title = EXCLUDED.title,
         labels = EXCLUDED.labels,
         annotations = EXCLUDED.annotations,
         links = EXCLUDED.links,
         severity_key = EXCLUDED.severity_key,
         sender_severity = EXCLUDED.sender_severity,
         service = EXCLUDED.service,
         runbook_id = EXCLUDED.runbook_id,
         runbook_url = EXCLUDED.runbook_url,
         -- People's acknowledgement stands; otherwise a silence that started or ended since counts.
         status = CASE WHEN alerts.status = 'acknowledged' OR EXCLUDED.status = 'acknowledged' THEN 'acknowledged'::"AlertStatus" ELSE EXCLUDED.status END,
         silence_id = CASE WHEN alerts.status = 'acknowledged' OR EXCLUDED.status = 'acknowledged' THEN alerts.silence_id ELSE EXCLUDED.silence_id END,
         acknowledged_at = COALESCE(alerts.acknowledged_at, EXCLUDED.acknowledged_at),
         updated_at = EXCLUDED.updated_at
       RETURNING id, fingerprint, status::text AS status, (xmax = 0) AS created, group_id, incident_id),
     changed AS (SELECT up.group_id FROM up LEFT JOIN old ON old.fingerprint = up.fingerprint WHERE up.created OR old.status IS DISTINCT FROM up.status),
     disp AS (
       INSERT INTO alert_dispatches (group_id)
       SELECT c.group_id FROM (SELECT DISTINCT group_id FROM changed) c LEFT JOIN grp g ON g.id = c.group_id
        WHERE CASE WHEN g.id IS NOT NULL THEN ${NEEDS_DISPATCH('g')}
                   ELSE COALESCE((SELECT ${NEEDS_DISPATCH('ag')} FROM alert_groups ag WHERE ag.id = c.group_id), false) END
        ORDER BY 1
       ON CONFLICT (group_id) WHERE status = 'pending' AND attempt_count = 0 DO NOTHING
       RETURNING id),
     notified AS (SELECT pg_notify('${alertsChannel.name}', json_build_object('incidentId', t.incident_id)::text) FROM (SELECT DISTINCT incident_id FROM up) t)
     SELECT (SELECT json_agg(json_build_object('id', id, 'fingerprint', fingerprint, 'status', status, 'created', created, 'group_id', group_id, 'incident_id', incident_id)) FROM up) AS stored,
            (SELECT json_agg(id) FROM disp) AS dispatches,
            (SELECT count(*) FROM notified) AS notified`;

async function upsertFiring(run: Runner, sourceId: string, rows: Row[], at: Date): Promise<FiringResult> {
  const [result] = await run<FiringResult>(UPSERT_FIRING, [sourceId, JSON.stringify(rows), at]);
  return result ?? { stored: null, dispatches: null };
}

/** Locks the open groups of these keys (resolves need no new group), in key order. */
async function lockOpenGroups(tx: Tx, sourceId: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.$queryRawUnsafe(`SELECT id FROM alert_groups WHERE source_id = $1::uuid AND group_key = ANY($2::text[]) AND closed_at IS NULL ORDER BY group_key FOR UPDATE`, sourceId, [...new Set(keys)]);
}

/** PagerDuty acknowledge events: they change an unresolved alert and never create one. */
async function acknowledgeExisting(tx: Tx, sourceId: string, rows: Row[]): Promise<Stored[]> {
  if (rows.length === 0) return [];
  return tx.$queryRawUnsafe<Stored[]>(
    `UPDATE alerts a SET status = 'acknowledged', acknowledged_at = COALESCE(a.acknowledged_at, i.acknowledged_at),
            last_seen_at = GREATEST(a.last_seen_at, i.last_seen_at), updated_at = i.last_seen_at
       FROM ${RECORDSET}
      WHERE a.source_id = $1::uuid AND a.fingerprint = i.fingerprint AND a.resolved_at IS NULL
     RETURNING a.id, a.fingerprint, a.status::text AS status, false AS created, a.group_id, a.incident_id`,
    sourceId,
    JSON.stringify(rows),
  );
}

/** Resolves: closes the unresolved alert of each identity. */
async function resolveExisting(tx: Tx, sourceId: string, rows: Row[], at: Date): Promise<Stored[]> {
  if (rows.length === 0) return [];
  return tx.$queryRawUnsafe<Stored[]>(
    `UPDATE alerts a SET status = 'resolved', resolved_at = $3::timestamptz, resolved_by_id = NULL, ends_at = COALESCE(i.ends_at, $3::timestamptz),
            last_seen_at = GREATEST(a.last_seen_at, i.last_seen_at), updated_at = $3::timestamptz
       FROM ${RECORDSET}
      WHERE a.source_id = $1::uuid AND a.fingerprint = i.fingerprint AND a.resolved_at IS NULL
     RETURNING a.id, a.fingerprint, 'resolved' AS status, false AS created, a.group_id, a.incident_id`,
    sourceId,
    JSON.stringify(rows),
    at,
  );
}

/**
 * Resolves of alerts with nothing unresolved to close: the latest alert of the identity when
 * there is one (a repeat of the resolve), else the alert is stored as it ended, in a closed group
 * of its own, so an episode Sitrep never saw firing still shows in the history.
 */
async function resolveUnknown(tx: Tx, sourceId: string, rows: Row[], at: Date): Promise<Stored[]> {
  const stored: Stored[] = [];
  for (const row of rows) {
    // Serialises the check-then-insert of one identity across instances (no unique index covers resolved alerts).
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, `alert:${sourceId}:${row.fingerprint}`);
    const [latest] = await tx.$queryRawUnsafe<Stored[]>(
      `SELECT id, fingerprint, status::text AS status, false AS created, group_id, incident_id FROM alerts WHERE source_id = $1::uuid AND fingerprint = $2 ORDER BY created_at DESC LIMIT 1`,
      sourceId,
      row.fingerprint,
    );
    if (latest) {
      stored.push(latest);
      continue;
    }
    if (row.title === null) continue; // a PagerDuty resolve of an alert never triggered: nothing to show
    const [group] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO alert_groups (source_id, group_key, title, last_alert_at, closed_at) VALUES ($1::uuid, $2, left($3, 500), $4::timestamptz, $4::timestamptz) RETURNING id`,
      sourceId,
      row.group_key,
      row.group_title,
      at,
    );
    const [created] = await tx.$queryRawUnsafe<Stored[]>(
      `INSERT INTO alerts (source_id, group_id, fingerprint, status, title, severity_key, sender_severity, service, labels, annotations, links,
                           starts_at, ends_at, last_seen_at, resolved_at, runbook_id, runbook_url, dispatched_status, created_at, updated_at)
       SELECT $1::uuid, $3::uuid, i.fingerprint, 'resolved', i.title, i.severity_key, i.sender_severity, i.service, i.labels, i.annotations, i.links,
              i.starts_at, COALESCE(i.ends_at, $4::timestamptz), i.last_seen_at, $4::timestamptz, i.runbook_id, i.runbook_url, 'resolved', $4::timestamptz, $4::timestamptz
         FROM ${RECORDSET}
       RETURNING id, fingerprint, status::text AS status, true AS created, group_id, incident_id`,
      sourceId,
      JSON.stringify([row]),
      group!.id,
      at,
    );
    stored.push(created!);
  }
  return stored;
}

/** Closes the groups among `ids` whose every alert has resolved; returns their ids. */
async function closeFinishedGroups(tx: Tx, ids: string[], at: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const sorted = [...new Set(ids)].sort();
  // Lock first, then look: the look is a new statement, so it sees alerts that a transaction we
  // waited for filed into the group.
  await tx.$queryRawUnsafe(`SELECT id FROM alert_groups WHERE id = ANY($1::uuid[]) AND closed_at IS NULL ORDER BY id FOR UPDATE`, sorted);
  const closed = await tx.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE alert_groups g SET closed_at = $2::timestamptz WHERE g.id = ANY($1::uuid[]) AND g.closed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.group_id = g.id AND a.resolved_at IS NULL) RETURNING id`,
    sorted,
    at,
  );
  return closed.map((group) => group.id);
}

/** A dispatch for each group with something to act on; a group with one still waiting gets no second. */
async function requestDispatch(tx: Tx, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const created = await tx.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO alert_dispatches (group_id) SELECT g.id FROM alert_groups g WHERE g.id = ANY($1::uuid[]) AND ${NEEDS_DISPATCH('g')} ORDER BY 1
     ON CONFLICT (group_id) WHERE status = 'pending' AND attempt_count = 0 DO NOTHING RETURNING id`,
    [...new Set(groupIds)].sort(),
  );
  return created.map((row) => row.id);
}

const RETRYABLE = /deadlock detected|could not serialize access|40P01|40001/;

/** Runs a transaction again (twice at most) when PostgreSQL broke a deadlock by aborting it. */
export async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 3 || !RETRYABLE.test(String((error as Error)?.message ?? error))) throw error;
    }
  }
}

/** Late firing notifications skipped as stale answer with the alert they were about. */
async function staleAnswers(client: Pick<Tx, '$queryRawUnsafe'>, sourceId: string, firing: Row[], stored: Stored[]): Promise<Stored[]> {
  const storedNow = new Set(stored.map((alert) => alert.fingerprint));
  const stale = firing.filter((row) => !storedNow.has(row.fingerprint));
  if (stale.length === 0) return [];
  return client.$queryRawUnsafe<Stored[]>(
    `SELECT DISTINCT ON (fingerprint) id, fingerprint, status::text AS status, false AS created, group_id, incident_id FROM alerts
      WHERE source_id = $1::uuid AND fingerprint = ANY($2::text[]) ORDER BY fingerprint, created_at DESC`,
    sourceId,
    stale.map((row) => row.fingerprint),
  );
}

/**
 * The path every storm takes (firing alerts only): ONE autocommitted statement stores the alerts
 * and the dispatch rows of the groups that need one, so the 202 needs no interactive transaction.
 * Their queue jobs follow, each one statement of its own. A crash between the two leaves a
 * dispatch without a job, which the dispatch worker's sweep queues within seconds (delivery.ts):
 * the dispatch row, not its job, is what makes the alert's routing durable.
 *
 * Payloads of one source that arrive while its previous statement runs go together in the next
 * one (group commit): a storm costs the database one statement per round, not per request, and
 * each request is still answered only once the statement holding its alerts has committed.
 */
type FiringPayload = { rows: Row[]; receivedAt: Date };
type StoredAnswer = { stored: Stored[] };

const MAX_ALERTS_PER_STATEMENT = 1_000;

const storeFiringTogether = groupCommit<FiringPayload, StoredAnswer>(storeFiringRound, { maxWeight: MAX_ALERTS_PER_STATEMENT, weight: (payload) => payload.rows.length });

function storeFiring(sourceId: string, firing: Row[], receivedAt: Date): Promise<StoredAnswer> {
  return firing.length ? storeFiringTogether(sourceId, { rows: firing, receivedAt }) : Promise.resolve({ stored: [] });
}

async function storeFiringRound(sourceId: string, payloads: FiringPayload[]): Promise<StoredAnswer[]> {
  // An alert named by several payloads is stored once, counted once per payload, with the latest state.
  const rows = collapse(payloads.flatMap((payload) => payload.rows));
  const at = new Date(Math.max(...payloads.map((payload) => payload.receivedAt.getTime())));
  const upserted = await withRetry(() => upsertFiring(alone, sourceId, rows, at));
  const stored = upserted.stored ?? [];
  stored.push(...(await staleAnswers(db, sourceId, rows, stored)));
  const dispatches = upserted.dispatches ?? [];
  if (dispatches.length) {
    try {
      // Each job is one statement on its own (with its NOTIFY): nothing else needs to commit with it.
      for (const dispatchId of dispatches) await enqueueDispatch(db, { dispatchId, attempt: 1 });
    } catch (error) {
      // The alerts are stored and their dispatches recorded: the sweep queues them.
      log.warn('alert dispatch not queued; the dispatch sweep will queue it', { dispatches: dispatches.length, error: (error as Error).message });
    }
  }
  // Each payload is answered with its own alerts; an alert new in this statement is new to the first payload that named it.
  const byFingerprint = new Map(stored.map((alert) => [alert.fingerprint, alert]));
  const answered = new Set<string>();
  return payloads.map((payload) => ({
    stored: payload.rows.flatMap((row) => {
      const alert = byFingerprint.get(row.fingerprint);
      if (!alert) return [];
      if (answered.has(alert.fingerprint)) return [{ ...alert, created: false }];
      answered.add(alert.fingerprint);
      return [alert];
    }),
  }));
}

/** Payloads with acknowledgements or resolves: everything in one interactive transaction, with the dispatch jobs. */
function storeInTransaction(sourceId: string, firing: Row[], acknowledgements: Row[], resolves: Row[], receivedAt: Date): Promise<StoredAnswer> {
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const stored: Stored[] = [];
      const dispatches: string[] = [];
      const upserted = firing.length ? await upsertFiring(inTransaction(tx), sourceId, firing, receivedAt) : { stored: null, dispatches: null };
      stored.push(...(upserted.stored ?? []));
      dispatches.push(...(upserted.dispatches ?? []));
      const storedKeys = new Set(firing.map((row) => row.group_key));
      await lockOpenGroups(tx, sourceId, resolves.map((row) => row.group_key).filter((key) => !storedKeys.has(key)));
      const acknowledged = await acknowledgeExisting(tx, sourceId, acknowledgements);
      const resolved = await resolveExisting(tx, sourceId, resolves, receivedAt);
      const resolvedNow = new Set(resolved.map((alert) => alert.fingerprint));
      const unknown = await resolveUnknown(tx, sourceId, resolves.filter((row) => !resolvedNow.has(row.fingerprint)), receivedAt);
      await closeFinishedGroups(tx, resolved.map((alert) => alert.group_id), receivedAt);
      dispatches.push(...(await requestDispatch(tx, [...acknowledged, ...resolved].map((alert) => alert.group_id))));
      const others = [...acknowledged, ...resolved, ...unknown];
      if (others.length) await notifyAlerts(tx, others.map((alert) => alert.incident_id));
      stored.push(...others);
      stored.push(...(await staleAnswers(tx, sourceId, firing, stored)));
      for (const dispatchId of dispatches) await enqueueDispatch(tx, { dispatchId, attempt: 1 });
      return { stored };
    }),
  );
}

export type StoredBatch = { batch: AlertBatch; result: IngestResult };

/**
 * Stores a parsed payload for `source` atomically (one statement or one transaction) and returns what became of each alert.
 * Throws a ValidationError (422) when no alert of the payload can be read. `silences` are those in
 * force, when the caller read them with the source already.
 */
export async function storeAlerts(source: IngestSource, body: unknown, receivedAt = new Date(), options: { silences?: ActiveSilence[] } = {}): Promise<StoredBatch> {
  const batch = parseAlertPayload(source.kind, body, { receivedAt });
  const [silences, runbooks] = await Promise.all([options.silences ?? activeSilences(receivedAt), runbookCandidates()]);
  const routes = routesOf(source);
  const rows = collapse(batch.alerts.map((alert) => toRow(alert, source, routes, silences, runbooks, receivedAt)));
  const firing = rows.filter((row) => row.status !== 'resolved' && row.title !== null);
  const acknowledgements = rows.filter((row) => row.status === 'acknowledged' && row.title === null);
  const resolves = rows.filter((row) => row.status === 'resolved');

  const { stored } = acknowledgements.length || resolves.length ? await storeInTransaction(source.id, firing, acknowledgements, resolves, receivedAt) : await storeFiring(source.id, firing, receivedAt);

  const byFingerprint = new Map(stored.map((alert) => [alert.fingerprint, alert]));
  const answered = new Set<string>();
  const alerts: IngestResult['alerts'] = [];
  for (const alert of batch.alerts) {
    const row = byFingerprint.get(alert.fingerprint);
    if (!row || answered.has(alert.fingerprint)) continue;
    answered.add(alert.fingerprint);
    alerts.push({ id: row.id, fingerprint: row.fingerprint, status: row.status, created: row.created });
  }
  return { batch, result: { alerts, rejected: batch.rejected, truncatedAlerts: batch.truncatedAlerts } };
}

// ---- The HTTP side of intake ------------------------------------------------------------------

function bearer(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? new URL(request.url).searchParams.get('token');
}

/**
 * One ingest request: the source's token (401), the body within 1 MiB (413, checked before it is
 * buffered) and JSON (400), the payload (422 when no alert can be read), then the one transaction.
 * Answers what the sender expects: PagerDuty's own answer for PagerDuty events.
 */
export async function receiveAlerts(kind: AlertSourceKind, request: Request): Promise<unknown> {
  const receivedAt = new Date();
  if (kind === 'pagerduty') {
    const body = await readJsonBody(request, MAX_INGEST_BYTES);
    const routingKey = body !== null && typeof body === 'object' && typeof (body as { routing_key?: unknown }).routing_key === 'string' ? (body as { routing_key: string }).routing_key : null;
    const source = await authenticateSource(routingKey ?? bearer(request), kind, receivedAt);
    const { batch } = await storeAlerts(source, body, receivedAt, { silences: source.silences });
    return { status: 'success', message: 'Event processed', dedup_key: batch.dedupKey };
  }
  const source = await authenticateSource(bearer(request), kind, receivedAt);
  const body = await readJsonBody(request, MAX_INGEST_BYTES);
  return (await storeAlerts(source, body, receivedAt, { silences: source.silences })).result;
}
