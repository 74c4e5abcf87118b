// The post-incident review on a real PostgreSQL: generated from a scripted incident, edited by
// eight clients at once without losing an acknowledged word, regenerated without touching
// edited text, and published.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { addChecklistItem, attachRunbook, setItemState } from '@/lib/checklists/service';
import { db } from '@/lib/platform/db';
import { ConflictError, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import { assignRole, declareIncident, updateIncident } from '@/lib/incidents/service';
import { getPostmortem, listActionItems, listRevisions } from '@/lib/postmortems/queries';
import { createActionItem, generatePostmortem, restoreRevision, saveSection, setPostmortemStatus, updateActionItem } from '@/lib/postmortems/service';
import { createRunbook } from '@/lib/runbooks/service';
import { postNote } from '@/lib/timeline/service';
import { createUser } from '@/lib/users/service';

let ic: Actor;
let tech: Actor;
let number: number;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, runbooks, remediation_actions CASCADE');
  const a = await createUser({ email: 'ines@example.com', name: 'Ines Commander', role: 'responder' }, { actor: null });
  const b = await createUser({ email: 'theo@example.com', name: 'Theo Tech', role: 'responder' }, { actor: null });
  ic = { id: a.id, email: a.email, name: a.name, role: a.role };
  tech = { id: b.id, email: b.email, name: b.name, role: b.role };

  // A scripted incident: started and detected before it was declared, escalated, a runbook with
  // a skipped and an added step, a pinned note, a remediation delivery, mitigated and resolved.
  const started = new Date(Date.now() - 3 * 3_600_000);
  const incident = await declareIncident(
    { title: 'Orders API returns 500', severity: 'SEV2', summary: 'Orders API failed for EU customers after a config push.', services: ['orders'], customerImpact: true, startedAt: started.toISOString(), detectedAt: new Date(started.getTime() + 12 * 60_000).toISOString() },
    { actor: ic },
  );
  number = incident.number;
  await assignRole(number, 'tech_lead', tech.email, {}, { actor: ic });
  await updateIncident(number, { severity: 'SEV1', reason: 'all EU orders failing' }, {}, { actor: ic });
  await postNote(number, { body: 'Config push 4411 changed the DB pool size to 0', pinned: true }, { actor: tech });
  await postNote(number, { body: 'just a chatty note that is not a key event' }, { actor: tech });
  const runbook = await createRunbook({ title: 'Config rollback', phases: [{ title: 'Recover', steps: [{ title: 'Revert the config push' }, { title: 'Flush the CDN' }] }] }, { actor: ic });
  const checklist = await attachRunbook(number, runbook.id, { actor: ic });
  await setItemState(number, checklist.id, checklist.items[0]!.id, { state: 'done' }, { actor: tech });
  await setItemState(number, checklist.id, checklist.items[1]!.id, { state: 'skipped', note: 'CDN was not involved' }, { actor: tech });
  await addChecklistItem(number, checklist.id, { title: 'Restart the orders workers' }, { actor: tech });
  const action = await db.remediationAction.create({ data: { name: 'Restart orders', url: 'https://automation.example.com/restart', headers: [], signingSecret: 'x', parameters: [] } });
  const incidentId = (await db.incident.findUniqueOrThrow({ where: { number } })).id;
  await db.remediationDelivery.create({ data: { actionId: action.id, incidentId, requestedById: tech.id, body: '{}', status: 'succeeded', attemptCount: 2, completedAt: new Date() } });
  await updateIncident(number, { status: 'monitoring' }, {}, { actor: ic });
  await updateIncident(number, { status: 'resolved' }, {}, { actor: ic });
});

afterAll(async () => {
  await db.$disconnect();
});

describe('generate', () => {
  it('writes every section from the incident’s real data', async () => {
    const { review, created } = await generatePostmortem(number, {}, { actor: ic });
    expect(created).toBe(true);
    expect(review.status).toBe('draft');
    const keys = review.sections.map((s) => s.key);
    for (const key of ['summary', 'impact', 'timeline', 'root_cause', 'resolution', 'what_went_well', 'what_went_wrong', 'action_items', 'lessons_learned', 'key_times', 'responders', 'runbooks', 'remediation', 'communications']) {
      expect(keys, key).toContain(key);
    }
    const body = (key: string) => review.sections.find((s) => s.key === key)!.body;
    expect(body('summary')).toContain('Orders API failed for EU customers after a config push.');
    expect(body('key_times')).toMatch(/\| Started \| \d{4}-\d\d-\d\d \d\d:\d\d UTC \|/);
    expect(body('key_times')).toContain('- **Time to detect:** 12 min');
    expect(body('key_times')).toMatch(/- \d{4}-.+ UTC: SEV2 → SEV1 by Ines Commander \(all EU orders failing\)/);
    expect(body('responders')).toContain('| Incident Commander | Ines Commander |');
    expect(body('responders')).toContain('| Tech Lead | Theo Tech |');
    expect(body('timeline')).toContain('Config push 4411 changed the DB pool size to 0');
    expect(body('timeline')).not.toContain('chatty note');
    expect(body('runbooks')).toContain('**Config rollback**: 1 done, 1 skipped, 1 added, 0 not done.');
    expect(body('runbooks')).toContain('- Skipped: Flush the CDN (CDN was not involved) by Theo Tech');
    expect(body('runbooks')).toContain('- Added during the incident: Restart the orders workers (open)');
    expect(body('remediation')).toMatch(/\| Restart orders \| Theo Tech \| succeeded \| 2 \|/);
    expect(review.markdown).toMatch(/^# Post-incident review: INC-\d+ Orders API returns 500\n\n## Summary\n/);
    // Sections people write start empty with their prompt beside them: no hint is text, none is exported.
    const rootCause = review.sections.find((s) => s.key === 'root_cause')!;
    expect(rootCause).toMatchObject({ body: '', prompt: expect.stringMatching(/^What caused it/) });
    expect(review.markdown).not.toContain('## Root cause');
    expect(review.markdown).not.toMatch(/What caused it|Describe who was affected|write this section/);
    expect(review.markdown).not.toContain('not reached');
    await expect(generatePostmortem(number, {}, { actor: ic })).rejects.toBeInstanceOf(ConflictError);
  });

  it('regenerates only the generated sections nobody edited', async () => {
    const before = (await getPostmortem(number, 'installation'))!;
    await saveSection(number, 'summary', { body: 'Our own words about the summary.' }, before.version, { actor: ic });
    await updateIncident(number, { summary: 'A new summary in the incident.' }, {}, { actor: ic });
    await createActionItem(number, { title: 'Validate pool size in config CI', ownerEmail: tech.email }, { actor: ic });
    const { review } = await generatePostmortem(number, { regenerate: true }, { actor: ic });
    expect(review.sections.find((s) => s.key === 'summary')!.body).toBe('Our own words about the summary.');
    expect(review.sections.find((s) => s.key === 'action_items')!.body).toContain('| Validate pool size in config CI | Theo Tech |');
  });
});

describe('no lost words', () => {
  it('eight clients saving one section at once: every acknowledged save is in the final text, every stale one was refused', async () => {
    const clients = Array.from({ length: 8 }, (_, i) => i);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    // Each client reads, appends its own line, and saves with the version it read; refused
    // clients retry from a fresh read (at most 10 times), like the editor's merge does.
    await Promise.all(
      clients.map(async (i) => {
        const line = `Line from client ${i}.`;
        for (let attempt = 0; attempt < 10; attempt++) {
          const review = (await getPostmortem(number, 'installation'))!;
          const current = review.sections.find((s) => s.key === 'root_cause')!.body;
          try {
            await saveSection(number, 'root_cause', { body: `${current}\n${line}` }, review.version, { actor: i % 2 ? ic : tech });
            acknowledged.push(line);
            return;
          } catch (error) {
            if (!(error instanceof PreconditionFailedError)) throw error;
            refused.push(line);
          }
        }
      }),
    );
    const final = (await getPostmortem(number, 'installation'))!.sections.find((s) => s.key === 'root_cause')!.body;
    expect(acknowledged).toHaveLength(8);
    for (const line of acknowledged) expect(final).toContain(line);
    expect(refused.length).toBeGreaterThan(0); // they really raced
    // Every refused save left no trace: the revisions are exactly the acknowledged saves.
    const revisions = await listRevisions(number, 'root_cause', 'installation');
    expect(revisions.length).toBe(1 + 8);
  });

  it('edits to different sections never conflict; a stale one names who saved first', async () => {
    const review = (await getPostmortem(number, 'installation'))!;
    await saveSection(number, 'what_went_well', { body: 'Paging worked.' }, review.version, { actor: ic });
    await saveSection(number, 'what_went_wrong', { body: 'The config change had no canary.' }, review.version, { actor: tech });
    await expect(saveSection(number, 'what_went_well', { body: 'Overwrite' }, review.version, { actor: tech })).rejects.toThrow(/^Ines Commander saved “What went well” \(version \d+\) after the version you started from/);
    const after = (await getPostmortem(number, 'installation'))!;
    expect(after.sections.find((s) => s.key === 'what_went_well')!.body).toBe('Paging worked.');
    expect(after.sections.find((s) => s.key === 'what_went_wrong')!.body).toBe('The config change had no canary.');
  });

  it('restores an earlier revision as a new save', async () => {
    const revisions = await listRevisions(number, 'what_went_well', 'installation');
    const first = revisions.at(-1)!;
    const review = (await getPostmortem(number, 'installation'))!;
    const restored = await restoreRevision(number, 'what_went_well', first.id, review.version, { actor: ic });
    expect(restored.sections.find((s) => s.key === 'what_went_well')!.body).toBe(first.body);
    expect((await listRevisions(number, 'what_went_well', 'installation')).length).toBe(revisions.length + 1);
  });
});

describe('publish and action items', () => {
  it('publishing names the empty sections: a warning for any, a refusal for root cause and action items when the severity requires a review', async () => {
    const fresh = await declareIncident({ title: 'Search is slow', severity: 'SEV2' }, { actor: ic });
    await updateIncident(fresh.number, { status: 'resolved' }, {}, { actor: ic });
    const { review } = await generatePostmortem(fresh.number, {}, { actor: ic });
    expect(review.gaps).toMatchObject({ reviewRequired: true, missing: ['Root cause and contributing factors', 'Action items (none yet)'] });
    expect(review.gaps.empty).toEqual(['Root cause and contributing factors', 'Resolution', 'What went well', 'What went wrong', 'Lessons learned']);
    const refused = await setPostmortemStatus(fresh.number, { status: 'published' }, { actor: ic }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toBe(`${fresh.key} is SEV2: its review is published once it says why it happened and what follows. Still empty: Root cause and contributing factors; Action items (none yet).`);
    expect((refused as ValidationError).errors.map((e) => e.path)).toEqual(['sections.root_cause', 'actionItems']);
    expect((await getPostmortem(fresh.number, ic))!.status).toBe('draft');

    await saveSection(fresh.number, 'root_cause', { body: 'An index was dropped by a migration.' }, review.version, { actor: ic });
    await createActionItem(fresh.number, { title: 'Check index changes in review' }, { actor: ic });
    const published = await setPostmortemStatus(fresh.number, { status: 'published' }, { actor: ic });
    expect(published.status).toBe('published');
    // Still a warning for what nobody wrote, and none of it is in the export.
    expect(published.gaps).toMatchObject({ missing: [], empty: ['Resolution', 'What went well', 'What went wrong', 'Lessons learned'] });
    expect(published.markdown).not.toContain('## Resolution');

    // A severity without the requirement publishes with empty sections.
    const minor = await declareIncident({ title: 'Typo on the pricing page', severity: 'SEV4' }, { actor: ic });
    await generatePostmortem(minor.number, {}, { actor: ic });
    expect((await setPostmortemStatus(minor.number, { status: 'published' }, { actor: ic })).status).toBe('published');
  });

  it('a published review is read-only until reopened; action items are listed as mine and overdue', async () => {
    await setPostmortemStatus(number, { status: 'in_review' }, { actor: ic });
    // A SEV1 closes only once its review is published.
    await expect(updateIncident(number, { status: 'closed' }, {}, { actor: ic })).rejects.toThrow(/is SEV1: it closes once its post-incident review is published \(the review is in review\)/);
    const published = await setPostmortemStatus(number, { status: 'published' }, { actor: ic });
    expect((await updateIncident(number, { status: 'closed' }, {}, { actor: ic })).status).toBe('closed');
    expect(published.publishedAt).not.toBeNull();
    await expect(saveSection(number, 'lessons_learned', { body: 'late' }, published.version, { actor: ic })).rejects.toThrow(/published and read-only/);
    await setPostmortemStatus(number, { status: 'draft' }, { actor: ic });

    const id = await createActionItem(number, { title: 'Add a canary for config pushes', ownerEmail: tech.email, dueDate: '2020-01-01' }, { actor: ic });
    expect((await listActionItems('installation', { ownerId: tech.id })).map((i) => i.title)).toContain('Add a canary for config pushes');
    expect((await listActionItems('installation', { overdue: true })).find((i) => i.id === id)).toMatchObject({ overdue: true });
    await updateActionItem(id, { status: 'done' }, { actor: tech });
    expect((await listActionItems('installation', { overdue: true })).find((i) => i.id === id)).toBeUndefined();
    await expect(createActionItem(number, { title: 'Nobody owns this', ownerEmail: 'ghost@example.com' }, { actor: ic })).rejects.toThrow(/ghost@example.com is not an active Sitrep user/);
  });
});
