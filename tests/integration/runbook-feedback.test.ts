// Runbooks that learn, on a real PostgreSQL: three incidents work through checklists of one
// runbook (skipping, adding steps, firing an action no step links to); the feedback counts them,
// a suggestion becomes a new version credited to its incident, and the checklist copies "optional".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { addChecklistItem, attachRunbook, setItemState } from '@/lib/checklists/service';
import { declareIncident } from '@/lib/incidents/service';
import { getRunbookFeedback, listIncidentDeviations } from '@/lib/insights/runbook-feedback';
import { applySuggestion, suggestEdits } from '@/lib/insights/suggestions';
import { getRunbook, listRunbookVersions } from '@/lib/runbooks/queries';
import { createRunbook, updateRunbook } from '@/lib/runbooks/service';
import { createUser } from '@/lib/users/service';

let me: Actor;
let runbookId: string;
let actionId: string;
const incidents: number[] = [];

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, runbooks, remediation_actions CASCADE');
  const user = await createUser({ email: 'rae@example.com', name: 'Rae Responder', role: 'responder' }, { actor: null });
  me = { id: user.id, email: user.email, name: user.name, role: user.role };
  runbookId = (
    await createRunbook(
      { title: 'Roll back a bad deploy', phases: [{ title: 'Immediate', steps: [{ title: 'Confirm the deploy' }, { title: 'Freeze deploys' }] }, { title: 'Recovery', steps: [{ title: 'Roll back' }, { title: 'Watch errors' }] }] },
      { actor: me },
    )
  ).id;
  actionId = (await db.remediationAction.create({ data: { name: 'Restart checkout', url: 'https://automation.example.com/restart', headers: [], signingSecret: 'x', parameters: [] } })).id;

  for (let n = 0; n < 3; n++) {
    const incident = await declareIncident({ title: `Deploy broke checkout ${n}`, severity: 'SEV2', services: ['checkout'] }, { actor: me });
    incidents.push(incident.number);
    const checklist = await attachRunbook(incident.number, runbookId, { actor: me });
    const [confirm, freeze, rollback, watch] = checklist.items;
    await setItemState(incident.number, checklist.id, confirm!.id, { state: 'done' }, { actor: me });
    if (n < 2) await setItemState(incident.number, checklist.id, freeze!.id, { state: 'skipped', note: n === 0 ? 'no deploys queued' : 'already frozen' }, { actor: me });
    await setItemState(incident.number, checklist.id, rollback!.id, { state: 'done' }, { actor: me });
    const added = await addChecklistItem(incident.number, checklist.id, { title: 'Purge the CDN', phase: 'Recovery' }, { actor: me });
    await setItemState(incident.number, checklist.id, added.items.at(-1)!.id, { state: 'done' }, { actor: me });
    await setItemState(incident.number, checklist.id, watch!.id, { state: 'done' }, { actor: me });
    // The roll back took 20 minutes, everything else one: times set as they would have been.
    const attachedAt = new Date('2026-03-02T10:00:00Z');
    await db.checklist.update({ where: { id: checklist.id }, data: { attachedAt } });
    const minutes: Record<string, number> = { 'Confirm the deploy': 1, 'Freeze deploys': 2, 'Roll back': 22, 'Purge the CDN': 23, 'Watch errors': 24 };
    for (const item of await db.checklistItem.findMany({ where: { checklistId: checklist.id } })) {
      if (minutes[item.title] !== undefined) await db.checklistItem.update({ where: { id: item.id }, data: { changedAt: new Date(attachedAt.getTime() + minutes[item.title]! * 60_000) } });
    }
    const incidentId = (await db.incident.findUniqueOrThrow({ where: { number: incident.number } })).id;
    if (n > 0) await db.remediationDelivery.create({ data: { actionId, incidentId, body: '{}', status: 'succeeded', createdAt: new Date('2026-03-02T10:30:00Z') } });
  }
});

afterAll(async () => {
  await db.$disconnect();
});

describe('runbook feedback', () => {
  it('counts skipped, added and slow steps and actions fired outside the runbook', async () => {
    const feedback = await getRunbookFeedback(runbookId, 'installation');
    expect(feedback.checklists).toBe(3);
    expect(feedback.skipped).toEqual([{ stepTitle: 'Freeze deploys', count: 2, of: 3, notes: expect.arrayContaining(['no deploys queued', 'already frozen']), incidents: incidents.slice(0, 2) }]);
    expect(feedback.added).toEqual([{ title: 'Purge the CDN', phase: 'Recovery', count: 3, incidents, afterStep: 'Roll back' }]);
    expect(feedback.slowest[0]).toEqual({ stepTitle: 'Roll back', medianSeconds: 20 * 60, samples: 3 });
    expect(feedback.outsideActions).toEqual([{ action: 'Restart checkout', actionId, count: 2, incidents: incidents.slice(1) }]);
  });

  it('turns a suggestion into a new version credited to its incident, and checklists copy optional steps', async () => {
    const runbook = await getRunbook(runbookId);
    const views = suggestEdits(runbook, await getRunbookFeedback(runbookId, 'installation'));
    expect(views.map((v) => v.suggestion.suggest)).toEqual(['add', 'optional', 'action']);
    let phases = runbook.phases;
    for (const view of views.slice(0, 2)) phases = applySuggestion(phases, view.suggestion, () => crypto.randomUUID())!.phases;
    const applied = applySuggestion(runbook.phases, views[0]!.suggestion, () => crypto.randomUUID())!;
    await updateRunbook(runbookId, { ...runbook, phases }, { ifVersion: 1, fromIncident: applied.incident }, { actor: me });
    const [latest] = await listRunbookVersions(runbookId);
    expect(latest).toMatchObject({ version: 2, fromIncident: incidents[2] });
    const saved = await getRunbook(runbookId);
    expect(saved.phases[1]!.steps.map((s) => s.title)).toEqual(['Roll back', 'Purge the CDN', 'Watch errors']);
    expect(saved.phases[0]!.steps[1]).toMatchObject({ title: 'Freeze deploys', optional: true });

    const next = await declareIncident({ title: 'Deploy broke checkout again', severity: 'SEV3', services: ['checkout'] }, { actor: me });
    const checklist = await attachRunbook(next.number, runbookId, { actor: me });
    expect(checklist.items.find((i) => i.title === 'Freeze deploys')!.optional).toBe(true);
    await expect(updateRunbook(runbookId, { ...runbook, phases }, { fromIncident: 999_999 }, { actor: me })).rejects.toThrow('INC-999999 does not exist');
  });

  it('lists one incident’s deviations, each with its suggestion', async () => {
    const [group] = await listIncidentDeviations(incidents[1]!, me);
    expect(group!.runbook.id).toBe(runbookId);
    expect(group!.deviations.map((d) => [d.kind, d.text, d.suggestion?.suggest ?? null])).toEqual([
      // Freeze deploys is optional since version 2, and Purge the CDN is in it: nothing left to suggest for those.
      ['skipped', 'Skipped “Freeze deploys”', null],
      ['added', 'Added “Purge the CDN” after “Roll back”', null],
      ['outside', 'Fired “Restart checkout” outside the runbook', 'action'],
    ]);
  });
});
