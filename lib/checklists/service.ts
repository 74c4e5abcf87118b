// Checklists: a runbook version attached to an incident becomes items people tick, skip (with a
// note) or reopen. Each change locks its item, records who and when, and writes a `checklist`
// timeline event in the same transaction, so every screen sees it through the live stream.
import 'server-only';
import { db, type Tx } from '@/lib/platform/db';
import { NotFoundError, parseInput } from '@/lib/platform/errors';
import { adHocItemSchema, itemStateSchema, type AdHocItemInput, type ChecklistDto, type ItemStateInput } from '@/lib/checklists/schema';
import { incidentKey } from '@/lib/incidents/schema';
import type { RunbookPhase } from '@/lib/runbooks/schema';
import { appendTimelineEvent, findIncidentForWrite } from '@/lib/timeline/append';
import { acknowledgeOnFirstAction } from '@/lib/incidents/acknowledge';
import type { ChangedBy } from '@/lib/platform/auth/policy';
import { loadChecklist } from '@/lib/checklists/queries';

type StoredStep = RunbookPhase['steps'][number] & { id: string };

export async function attachRunbook(number: number, runbookId: string, by: ChangedBy): Promise<ChecklistDto> {
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number, by);
    return loadChecklist(tx, await attachRunbookIn(tx, incident, runbookId, by));
  });
}

/**
 * Attaches inside the caller's transaction (an incident declared from an alert gets its runbook
 * in the same commit); `why` ends the timeline line, e.g. "for alert “Disk full”". Returns the checklist id.
 */
export async function attachRunbookIn(tx: Tx, incident: { id: string; acknowledgedAt: Date | null }, runbookId: string, by: ChangedBy, why?: string): Promise<string> {
  const runbook = await tx.runbook.findUnique({ where: { id: runbookId } });
  if (!runbook || runbook.archivedAt) throw new NotFoundError('That runbook does not exist or is archived.');
  const version = await tx.runbookVersion.findUniqueOrThrow({ where: { runbookId_version: { runbookId, version: runbook.latestVersion } } });
  const phases = version.phases as (RunbookPhase & { steps: StoredStep[] })[];
  const checklist = await tx.checklist.create({
    data: { incidentId: incident.id, runbookVersionId: version.id, title: version.title, attachedById: by.actor?.id ?? null },
  });
  let position = 0;
  const items = phases.flatMap((phase) =>
    phase.steps.map((step) => ({
      checklistId: checklist.id,
      position: position++,
      phase: phase.title,
      title: step.title,
      detail: step.detail ?? '',
      command: step.command ?? null,
      expectedOutcome: step.expectedOutcome ?? null,
      remediationActionId: step.remediationActionId ?? null,
      optional: step.optional ?? false,
    })),
  );
  if (items.length) await tx.checklistItem.createMany({ data: items });
  await appendTimelineEvent(tx, incident.id, {
    kind: 'checklist',
    actorId: by.actor?.id ?? null,
    body: `${by.actor?.name ?? 'Sitrep'} attached the runbook “${version.title}” (version ${version.version}, ${items.length} steps)${why ? ` ${why}` : ''}.`,
    data: { checklistId: checklist.id, runbookId, version: version.version, attached: true },
  });
  await acknowledgeOnFirstAction(tx, incident, by.actor, `attached the runbook “${version.title}”`);
  return checklist.id;
}

async function itemForWrite(tx: Tx, incidentId: string, checklistId: string, itemId: string) {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    SELECT i.id FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
    WHERE i.id = ${itemId}::uuid AND c.id = ${checklistId}::uuid AND c.incident_id = ${incidentId}::uuid FOR UPDATE OF i`;
  if (!locked) throw new NotFoundError('That checklist item does not exist on this incident.');
  return tx.checklistItem.findUniqueOrThrow({ where: { id: itemId } });
}

const verbs = { done: 'checked', skipped: 'skipped', open: 'reopened' } as const;

export async function setItemState(number: number, checklistId: string, itemId: string, input: ItemStateInput, by: ChangedBy): Promise<ChecklistDto> {
  const change = parseInput(itemStateSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number, by);
    const item = await itemForWrite(tx, incident.id, checklistId, itemId);
    // Without a note the item keeps the one it has (a note on a done step survives unticking),
    // except that reopening a skipped step drops the reason it was skipped for.
    const keep = change.note === undefined && !(item.state === 'skipped' && change.state !== 'skipped');
    const note = keep ? item.note : change.note || null;
    const noteChanged = change.note !== undefined && note !== item.note;
    if (item.state === change.state && !noteChanged) return loadChecklist(tx, checklistId);
    await tx.checklistItem.update({ where: { id: itemId }, data: { state: change.state, note, changedById: by.actor?.id ?? null, changedAt: new Date() } });
    await appendTimelineEvent(tx, incident.id, {
      kind: 'checklist',
      actorId: by.actor?.id ?? null,
      body: `${by.actor?.name ?? 'Sitrep'} ${item.state === change.state ? 'added a note to' : verbs[change.state]} “${item.title}”${noteChanged && note ? `: ${note}` : '.'}`,
      data: { checklistId, itemId, from: item.state, to: change.state, note },
    });
    await acknowledgeOnFirstAction(tx, incident, by.actor, `${verbs[change.state]} “${item.title}”`);
    return loadChecklist(tx, checklistId);
  });
}

/** A step the responders discovered: added to the incident's checklist and marked as ad hoc. */
export async function addChecklistItem(number: number, checklistId: string, input: AdHocItemInput, by: ChangedBy): Promise<ChecklistDto> {
  const item = parseInput(adHocItemSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number, by);
    const [checklist] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM checklists WHERE id = ${checklistId}::uuid AND incident_id = ${incident.id}::uuid FOR UPDATE`;
    if (!checklist) throw new NotFoundError(`${incidentKey(number)} has no such checklist.`);
    const last = await tx.checklistItem.aggregate({ where: { checklistId }, _max: { position: true } });
    await tx.checklistItem.create({
      data: { checklistId, position: (last._max.position ?? -1) + 1, phase: item.phase, title: item.title, detail: item.detail, command: item.command, adHoc: true, addedById: by.actor?.id ?? null },
    });
    await appendTimelineEvent(tx, incident.id, {
      kind: 'checklist',
      actorId: by.actor?.id ?? null,
      body: `${by.actor?.name ?? 'Sitrep'} added the step “${item.title}” to the checklist.`,
      data: { checklistId, added: item.title },
    });
    return loadChecklist(tx, checklistId);
  });
}

/** A merged duplicate's checklists go with it to the incident it was merged into (in the merge's transaction). */
export async function moveChecklists(tx: Tx, fromIncidentId: string, toIncidentId: string): Promise<number> {
  return (await tx.checklist.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } })).count;
}
