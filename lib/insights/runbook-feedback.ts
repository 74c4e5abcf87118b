// What the checklists made from a runbook say about it, aggregated in SQL over
// checklists_runbook_version_id_idx: which steps people skip (and why), which they add, which
// take longest, and which remediation actions they fire that no step links to. Steps are matched
// by title across versions, since a checklist copies the steps' text, not their ids.
import 'server-only';
import { db } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import type { RunbookFeedbackDto } from '@/lib/insights/schema';
import type { Suggestion } from '@/lib/insights/suggestions';
import { getRunbook } from '@/lib/runbooks/queries';
import { requireVisibleIncident, visibleToSql, type Viewer } from '@/lib/incidents/visibility';

/** How many entries each list keeps. */
const TOP = 10;

type Row = {
  checklists: number;
  skipped: RunbookFeedbackDto['skipped'] | null;
  added: RunbookFeedbackDto['added'] | null;
  slowest: RunbookFeedbackDto['slowest'] | null;
  outside: RunbookFeedbackDto['outsideActions'] | null;
};

export async function getRunbookFeedback(runbookId: string, viewer: Viewer): Promise<RunbookFeedbackDto> {
  const runbook = await db.runbook.findUnique({ where: { id: runbookId }, select: { id: true, title: true, latestVersion: true } });
  if (!runbook) throw new NotFoundError('That runbook does not exist.');
  const [row] = await db.$queryRaw<Row[]>`
    WITH lists AS (
      SELECT c.id, c.incident_id, c.attached_at, i.number
        FROM checklists c
        JOIN runbook_versions v ON v.id = c.runbook_version_id
        JOIN incidents i ON i.id = c.incident_id
       WHERE v.runbook_id = ${runbookId}::uuid AND ${visibleToSql(viewer, 'i')}
    ),
    items AS (
      SELECT it.*, l.number, l.attached_at, l.incident_id,
             -- How long the step took: from the tick before it on the same checklist (or from attaching).
             it.changed_at - coalesce(lag(it.changed_at) OVER (PARTITION BY it.checklist_id ORDER BY it.changed_at), l.attached_at) AS took
        FROM checklist_items it JOIN lists l ON l.id = it.checklist_id
       WHERE it.state <> 'open' OR it.ad_hoc
    ),
    steps AS (
      SELECT it.title, count(DISTINCT it.checklist_id) AS lists
        FROM checklist_items it JOIN lists l ON l.id = it.checklist_id
       WHERE NOT it.ad_hoc GROUP BY it.title
    ),
    added AS (
      SELECT a.title, a.phase, a.number, a.changed_at,
             -- The runbook step ticked last before the added one, else the last step of its phase.
             coalesce(
               (SELECT b.title FROM checklist_items b WHERE b.checklist_id = a.checklist_id AND NOT b.ad_hoc AND b.state <> 'open' AND b.changed_at <= a.changed_at ORDER BY b.changed_at DESC LIMIT 1),
               (SELECT b.title FROM checklist_items b WHERE b.checklist_id = a.checklist_id AND NOT b.ad_hoc AND b.phase = a.phase ORDER BY b.position DESC LIMIT 1)
             ) AS after_step
        FROM items a WHERE a.ad_hoc
    ),
    fired AS (
      SELECT d.action_id, ra.name, l.number
        FROM remediation_deliveries d
        JOIN lists l ON l.incident_id = d.incident_id
        JOIN remediation_actions ra ON ra.id = d.action_id
       WHERE d.created_at >= l.attached_at
         AND NOT EXISTS (SELECT 1 FROM checklist_items it WHERE it.checklist_id = l.id AND it.remediation_action_id = d.action_id)
    )
    SELECT
      (SELECT count(*)::int FROM lists) AS checklists,
      (SELECT json_agg(t) FROM (
         SELECT it.title AS "stepTitle", count(*)::int AS count, max(s.lists)::int AS "of",
                coalesce(array_agg(it.note ORDER BY it.changed_at DESC) FILTER (WHERE it.note IS NOT NULL AND it.note <> ''), '{}') AS notes,
                array_agg(DISTINCT it.number) AS incidents
           FROM items it JOIN steps s ON s.title = it.title
          WHERE it.state = 'skipped' AND NOT it.ad_hoc
          GROUP BY it.title ORDER BY count(*) DESC, it.title LIMIT ${TOP}) t) AS skipped,
      (SELECT json_agg(t) FROM (
         SELECT title, mode() WITHIN GROUP (ORDER BY phase) AS phase, count(*)::int AS count,
                array_agg(DISTINCT number) AS incidents,
                mode() WITHIN GROUP (ORDER BY after_step) AS "afterStep"
           FROM added GROUP BY title ORDER BY count(*) DESC, max(changed_at) DESC NULLS LAST LIMIT ${TOP}) t) AS added,
      (SELECT json_agg(t) FROM (
         SELECT title AS "stepTitle", round(EXTRACT(EPOCH FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY took)))::int AS "medianSeconds", count(*)::int AS samples
           FROM items WHERE state = 'done' AND NOT ad_hoc AND took IS NOT NULL
          GROUP BY title ORDER BY percentile_cont(0.5) WITHIN GROUP (ORDER BY took) DESC LIMIT 5) t) AS slowest,
      (SELECT json_agg(t) FROM (
         SELECT name AS action, action_id AS "actionId", count(*)::int AS count, array_agg(DISTINCT number) AS incidents
           FROM fired GROUP BY action_id, name ORDER BY count(*) DESC, name LIMIT ${TOP}) t) AS outside`;
  const r = row!;
  return {
    runbook: { id: runbook.id, title: runbook.title, version: runbook.latestVersion },
    checklists: r.checklists,
    skipped: r.skipped ?? [],
    added: r.added ?? [],
    slowest: r.slowest ?? [],
    outsideActions: r.outside ?? [],
  };
}

export type IncidentDeviation = { kind: 'skipped' | 'added' | 'outside'; text: string; note: string | null; suggestion: Suggestion | null };
export type IncidentDeviations = { runbook: { id: string; title: string }; deviations: IncidentDeviation[] }[];

/**
 * Where INC-`number` left its runbooks (the review's "Runbook steps" section, one by one): steps
 * skipped, steps added, remediation fired that no step links to; each with the edit it suggests
 * to the runbook's latest version, credited to this incident.
 */
export async function listIncidentDeviations(number: number, viewer: Viewer): Promise<IncidentDeviations> {
  const incident = await requireVisibleIncident(db, number, viewer, {
      id: true,
      checklists: { orderBy: { attachedAt: 'asc' }, include: { items: { orderBy: { position: 'asc' } }, runbookVersion: { select: { runbookId: true } } } },
  });
  const deliveries = await db.remediationDelivery.findMany({ where: { incidentId: incident.id }, include: { action: { select: { id: true, name: true } } }, orderBy: { createdAt: 'asc' } });
  const groups: IncidentDeviations = [];
  for (const checklist of incident.checklists) {
    const runbookId = checklist.runbookVersion?.runbookId;
    if (!runbookId) continue;
    const latest = await getRunbook(runbookId).catch(() => null);
    if (!latest) continue;
    const find = (title: string) => latest.phases.flatMap((p) => p.steps).find((s) => s.title === title) ?? null;
    const deviations: IncidentDeviation[] = [];
    for (const item of checklist.items) {
      if (item.state === 'skipped' && !item.adHoc) {
        const step = find(item.title);
        deviations.push({ kind: 'skipped', text: `Skipped “${item.title}”`, note: item.note, suggestion: step && !step.optional ? { suggest: 'optional', step: step.id, incident: number } : null });
      }
      if (item.adHoc) {
        const before = checklist.items
          .filter((b) => !b.adHoc && b.state !== 'open' && b.changedAt && item.changedAt && b.changedAt <= item.changedAt)
          .sort((a, b) => b.changedAt!.getTime() - a.changedAt!.getTime())[0];
        const anchor = before ?? checklist.items.filter((b) => !b.adHoc && b.phase === item.phase).at(-1);
        const after = anchor ? find(anchor.title) : null;
        const present = find(item.title);
        deviations.push({
          kind: 'added',
          text: `Added “${item.title}”${anchor ? ` after “${anchor.title}”` : ''}`,
          note: null,
          suggestion: present ? null : { suggest: 'add', title: item.title, phase: item.phase, ...(after ? { after: after.id } : {}), incident: number },
        });
      }
    }
    const linked = new Set(checklist.items.flatMap((i) => (i.remediationActionId ? [i.remediationActionId] : [])));
    const fired = new Map<string, string>();
    for (const d of deliveries) if (d.createdAt >= checklist.attachedAt && !linked.has(d.action.id)) fired.set(d.action.id, d.action.name);
    for (const [actionId, name] of fired) {
      const inRunbook = latest.phases.some((p) => p.steps.some((s) => s.remediationActionId === actionId));
      deviations.push({ kind: 'outside', text: `Fired “${name}” outside the runbook`, note: null, suggestion: inRunbook ? null : { suggest: 'action', action: actionId, title: `Run “${name}”`, incident: number } });
    }
    if (deviations.length) groups.push({ runbook: { id: runbookId, title: latest.title }, deviations });
  }
  return groups;
}
