// Everything the command view of one incident shows, read in one round of parallel queries and
// shaped for the page: the incident, its roles and targets, the newest page of its timeline,
// checklists and the runbooks to attach, remediation (the actions linked to this incident
// first), communications (with when the next update is due and who owes it), action items,
// related incidents and what earlier ones on its services left open, for a private incident its members, and the counters each closed panel
// shows ("Checklist 7/12", "1 retrying"). The page only composes what this returns; an incident
// the actor may not see is null, as a missing one.
import 'server-only';
import type { Actor } from '@/lib/platform/auth/policy';
import { can } from '@/lib/platform/auth/policy';
import { listIncidentAlerts } from '@/lib/alerts/queries';
import { listChecklists } from '@/lib/checklists/queries';
import { nextUpdateDue } from '@/lib/communications/due';
import { listIncidentUpdates, listTemplates } from '@/lib/communications/queries';
import { isOpen } from '@/lib/incidents/lifecycle';
import { listRelatedIncidents as listEarlierIncidents } from '@/lib/insights/related';
import { findIncidentRef, getCommandViewExtras, getIncident, listMembers, listMergeTargets, listRelatedIncidents } from '@/lib/incidents/queries';
import { listActionItems } from '@/lib/postmortems/queries';
import { listActions, listIncidentDeliveries } from '@/lib/remediation/queries';
import { rankActions } from '@/lib/remediation/relevance';
import { countRunbooks, suggestRunbooks, tagsOfRunbooks } from '@/lib/runbooks/queries';
import { listSeverities } from '@/lib/severities/queries';
import { listTimelinePage } from '@/lib/timeline/queries';

/** How many timeline events the page renders at first; older ones load on scroll. */
const FIRST_TIMELINE_PAGE = 100;

export async function getCommandView(number: number, actor: Actor) {
  const ref = await findIncidentRef(number, actor);
  if (!ref) return null;
  const [incident, extras, timeline, severities, checklists, runbookCount, remediationActions, deliveries, updates, templates, actionItems, members, alerts, mergeTargets, happenedBefore] = await Promise.all([
    getIncident(number, actor),
    getCommandViewExtras(number),
    listTimelinePage(ref.id, { limit: FIRST_TIMELINE_PAGE }),
    listSeverities(),
    listChecklists(ref.id),
    countRunbooks(),
    listActions(actor, { firableBy: actor }),
    listIncidentDeliveries(ref.id, actor),
    listIncidentUpdates(ref.id, { take: 20 }),
    listTemplates(),
    listActionItems(actor, { incidentId: ref.id }),
    ref.private ? listMembers(number, actor) : Promise.resolve(null),
    listIncidentAlerts(ref.id, actor),
    listMergeTargets(number, actor),
    listEarlierIncidents(number, actor),
  ]);
  if (!extras) return null;
  const attached = new Set(checklists.flatMap((c) => (c.runbook ? [c.runbook.id] : [])));
  const [related, suggested, attachedTags] = await Promise.all([
    listRelatedIncidents({ id: ref.id, services: incident.services, mergedIntoId: extras.mergedIntoId }, actor),
    suggestRunbooks({ services: incident.services, severity: incident.severity }, 8 + attached.size),
    tagsOfRunbooks([...attached]),
  ]);
  const lastUpdate = updates[0] ? new Date(updates[0].postedAt) : null;
  const owner = extras.roles.find((r) => r.role === 'comms_lead')?.holder ?? extras.roles.find((r) => r.role === 'commander')?.holder;
  const items = checklists.flatMap((c) => c.items);
  const deliveriesBy = (status: (typeof deliveries)[number]['status']) => deliveries.filter((d) => d.status === status).length;
  return {
    incident,
    ...extras,
    timeline,
    severities,
    // People and the rest of the runbook library are searched as they are typed (SearchPicker,
    // /api/v1/people and /api/v1/runbooks), not shipped with the page.
    checklists,
    /** The runbooks that fit this incident and aren't attached yet, best first (at most 8). */
    suggestedRunbooks: suggested.filter((r) => !attached.has(r.id)).slice(0, 8).map(({ id, title, version }) => ({ id, title, version })),
    /** How many runbooks there are to attach (the library, less those attached). */
    attachableRunbooks: Math.max(runbookCount - attached.size, 0),
    remediationActions,
    /** The actions linked to this incident (its runbook steps, services, runbooks' tags) first, each saying why. */
    remediation: rankActions(remediationActions, incident, { steps: items, tags: attachedTags }),
    deliveries,
    updates,
    templates,
    actionItems,
    /** Who may see it and why; null while the incident is public. */
    members,
    /** Alerts linked to the incident (the card keeps them live itself). */
    alerts,
    related,
    /** "It happened before" (insights): earlier incidents on its services, their root cause and open follow-ups. */
    happenedBefore,
    mergeTargets,
    nextUpdateDueAt: isOpen(incident.status) ? nextUpdateDue(lastUpdate, new Date(incident.times.declaredAt), extras.severity.updateCadenceMinutes).toISOString() : null,
    /** When the response target is missed if nobody acknowledges; null once acknowledged or closed. */
    responseDueAt: isOpen(incident.status) && !incident.times.acknowledgedAt ? new Date(new Date(incident.times.declaredAt).getTime() + extras.severity.responseTargetMinutes * 60_000).toISOString() : null,
    /** The Communications Lead (or, without one, the commander) owes the next update. */
    youOweTheUpdate: owner?.email === actor.email,
    /** What each closed panel says about itself. */
    counters: {
      checklist: items.length ? { done: items.filter((i) => i.state !== 'open').length, total: items.length } : null,
      deliveries: { pending: deliveriesBy('pending'), retrying: deliveriesBy('retrying'), failed: deliveriesBy('failed'), succeeded: deliveriesBy('succeeded') },
      actionItemsOpen: actionItems.filter((i) => i.status === 'open').length,
      updates: updates.length,
      related: related.length,
    },
    canWrite: can(actor, 'incidents.work'),
  };
}

export type CommandView = NonNullable<Awaited<ReturnType<typeof getCommandView>>>;
