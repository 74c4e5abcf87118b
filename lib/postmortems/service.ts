// The post-incident review: generated from the incident, then edited section by section.
// No lost words: a save names the document version it was based on; it is refused (412) when
// *its* section changed after that version, so two people editing different sections never
// conflict and the second of two people editing the same section is shown both texts.
import 'server-only';
import { recordAudit } from '@/lib/audit/service';
import { db } from '@/lib/platform/db';
import { ConflictError, NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import { defaultTemplateSections, generateSections, parseReviewTemplate, reviewGaps, type TemplateSection } from '@/lib/postmortems/generate';
import { loadReviewData } from '@/lib/postmortems/load';
import { getPostmortem } from '@/lib/postmortems/queries';
import {
  actionItemInputSchema,
  actionItemPatchSchema,
  sectionSaveSchema,
  statusChangeSchema,
  type ActionItemInput,
  type ActionItemPatch,
  type PostmortemDto,
  type PostmortemStatus,
} from '@/lib/postmortems/schema';
import { notifyReview } from '@/lib/postmortems/live';
import { appendTimelineEvent } from '@/lib/timeline/append';
import { canSee, requireVisibleIncident, viewerOf, visibleTo } from '@/lib/incidents/visibility';
import type { ChangedBy } from '@/lib/platform/auth/policy';

type Tx = Prisma.TransactionClient;

/** The incident whose review is written; a 404 when there is none or the writer may not see it. */
function incidentFor(tx: Tx, number: number, by: ChangedBy) {
  return requireVisibleIncident(tx, number, viewerOf(by), { id: true, number: true, severityKey: true, status: true, private: true, severity: { select: { reviewRequired: true } } });
}

/** The template for this severity: an admin's template that names it, else the default. */
async function templateFor(tx: Tx, severity: string): Promise<{ id: string | null; sections: TemplateSection[] }> {
  const template = await tx.postmortemTemplate.findFirst({ where: { severities: { has: severity } }, orderBy: { updatedAt: 'desc' } });
  const sections = template ? parseReviewTemplate(template.markdown) : [];
  return sections.length ? { id: template!.id, sections } : { id: null, sections: defaultTemplateSections() };
}

/** Locks the review for a write; 404 when the incident has none yet. */
async function lockReview(tx: Tx, incidentId: string, number: number) {
  const [locked] = await tx.$queryRaw<{ id: string; version: number; status: PostmortemStatus }[]>`
    SELECT id, version, status::text AS status FROM postmortems WHERE incident_id = ${incidentId}::uuid FOR UPDATE`;
  if (!locked) throw new NotFoundError(`${incidentKey(number)} has no review yet; generate it first.`);
  return locked;
}

/**
 * Creates the review from the incident (409 when it exists), or with `regenerate` refreshes the
 * generated sections nobody has edited and leaves every edited one alone.
 */
export async function generatePostmortem(number: number, options: { regenerate?: boolean }, by: ChangedBy): Promise<{ review: PostmortemDto; created: boolean }> {
  const created = await db.$transaction(async (tx) => {
    const incident = await incidentFor(tx, number, by);
    // One review per incident even when two people press Generate at once.
    await tx.$queryRaw`SELECT id FROM incidents WHERE id = ${incident.id}::uuid FOR UPDATE`;
    const existing = await tx.postmortem.findUnique({ where: { incidentId: incident.id }, include: { sections: true } });
    const data = await loadReviewData(tx, incident.id);
    if (existing) {
      if (!options.regenerate) throw new ConflictError(`${incidentKey(number)} already has a review; open it, or regenerate it (edited sections are kept).`);
      if (existing.status === 'published') throw new ConflictError('The review is published and read-only; reopen it before regenerating.');
      // The template's prompts again, so an unedited generated section keeps the template's text.
      const template = existing.templateId ? await tx.postmortemTemplate.findUnique({ where: { id: existing.templateId }, select: { markdown: true } }) : null;
      const prompts = new Map((template ? parseReviewTemplate(template.markdown) : []).map((s) => [s.key, s.prompt]));
      const fresh = generateSections(data, existing.sections.map((s) => ({ key: s.key, title: s.title, prompt: prompts.get(s.key) ?? null })));
      const version = existing.version + 1;
      let changed = 0;
      for (const section of existing.sections) {
        const next = fresh.find((f) => f.key === section.key);
        if (!section.generated || section.edited || !next || next.body === section.body) continue;
        changed++;
        await tx.postmortemSection.update({ where: { id: section.id }, data: { body: next.body, changedInVersion: version, changedById: null } });
        await tx.postmortemRevision.create({ data: { postmortemId: existing.id, sectionKey: section.key, version, body: next.body, authorId: null } });
      }
      if (changed) {
        await tx.postmortem.update({ where: { id: existing.id }, data: { version } });
        await notifyReview(tx, { incidentId: incident.id, op: 'saved', version });
      }
      return false;
    }
    const template = await templateFor(tx, incident.severityKey);
    const sections = generateSections(data, template.sections);
    const review = await tx.postmortem.create({ data: { incidentId: incident.id, templateId: template.id, createdById: by.actor?.id ?? null } });
    await tx.postmortemSection.createMany({
      data: sections.map((s, position) => ({ postmortemId: review.id, key: s.key, title: s.title, position, body: s.body, prompt: s.prompt, generated: s.generated, changedInVersion: 1 })),
    });
    await tx.postmortemRevision.createMany({ data: sections.map((s) => ({ postmortemId: review.id, sectionKey: s.key, version: 1, body: s.body, authorId: null })) });
    await appendTimelineEvent(tx, incident.id, { kind: 'postmortem', actorId: by.actor?.id ?? null, body: `${by.actor?.name ?? 'Sitrep'} started the post-incident review.`, data: { postmortemId: review.id, status: 'draft' } });
    return true;
  });
  return { review: (await getPostmortem(number, viewerOf(by)))!, created };
}

/**
 * Saves one section. `baseVersion` is the document version the editor loaded (If-Match): the
 * save is refused when this section changed after it. Every save is a revision.
 */
export async function saveSection(number: number, key: string, input: { body: string }, baseVersion: number, by: ChangedBy): Promise<PostmortemDto> {
  const { body } = parseInput(sectionSaveSchema, input);
  await db.$transaction(async (tx) => {
    const incident = await incidentFor(tx, number, by);
    const review = await lockReview(tx, incident.id, number);
    if (review.status === 'published') throw new ConflictError('The review is published and read-only; reopen it to edit.');
    const section = await tx.postmortemSection.findUnique({ where: { postmortemId_key: { postmortemId: review.id, key } } });
    if (!section) throw new NotFoundError(`The review has no section “${key}”.`);
    if (baseVersion > review.version) throw new PreconditionFailedError(`Version ${baseVersion} does not exist yet (the review is at version ${review.version}); reload it.`);
    if (section.changedInVersion > baseVersion) {
      const who = section.changedById ? (await tx.user.findUnique({ where: { id: section.changedById }, select: { name: true } }))?.name : null;
      throw new PreconditionFailedError(
        `${who ?? 'Someone'} saved “${section.title}” (version ${section.changedInVersion}) after the version you started from (${baseVersion}). Your text was not saved; compare both and merge.`,
      );
    }
    if (section.body === body) return;
    const version = review.version + 1;
    await tx.postmortemSection.update({ where: { id: section.id }, data: { body, edited: true, changedInVersion: version, changedById: by.actor?.id ?? null } });
    await tx.postmortem.update({ where: { id: review.id }, data: { version } });
    await tx.postmortemRevision.create({ data: { postmortemId: review.id, sectionKey: key, version, body, authorId: by.actor?.id ?? null } });
    await notifyReview(tx, { incidentId: incident.id, op: 'saved', version });
  });
  return (await getPostmortem(number, viewerOf(by)))!;
}

/** Puts an earlier revision of a section back (as a new save, with the same version check). */
export async function restoreRevision(number: number, key: string, revisionId: string, baseVersion: number, by: ChangedBy): Promise<PostmortemDto> {
  const incident = await incidentFor(db, number, by);
  const revision = await db.postmortemRevision.findFirst({ where: { id: revisionId, postmortem: { incidentId: incident.id } } });
  if (!revision || revision.sectionKey !== key) throw new NotFoundError('That revision does not exist for this section.');
  return saveSection(number, key, { body: revision.body }, baseVersion, by);
}

const statusWords: Record<PostmortemStatus, string> = { draft: 'back to draft', in_review: 'in review', published: 'published' };

/** draft → in_review → published; a published review is read-only until moved back. */
export async function setPostmortemStatus(number: number, input: { status: PostmortemStatus }, by: ChangedBy): Promise<PostmortemDto> {
  const { status } = parseInput(statusChangeSchema, input);
  await db.$transaction(async (tx) => {
    const incident = await incidentFor(tx, number, by);
    const review = await lockReview(tx, incident.id, number);
    if (review.status === status) return;
    if (status === 'published') {
      // A severity whose incidents need a review (SEV1, SEV2) needs one that says why it happened
      // and what follows from it; Sitrep can't write either.
      const sections = await tx.postmortemSection.findMany({ where: { postmortemId: review.id }, select: { key: true, title: true, body: true, generated: true } });
      const actionItems = await tx.actionItem.count({ where: { incidentId: incident.id } });
      const { missing } = reviewGaps({ sections, actionItems }, incident.severity.reviewRequired);
      if (missing.length) {
        throw new ValidationError(
          missing.map((title) => ({ path: title.startsWith('Action items') ? 'actionItems' : `sections.${sections.find((s) => s.title === title)?.key ?? title}`, message: `${title.replace(' (none yet)', '')}: ${title.startsWith('Action items') ? 'add at least one action item' : 'write this section'}` })),
          `${incidentKey(number)} is ${incident.severityKey}: its review is published once it says why it happened and what follows. Still empty: ${missing.join('; ')}.`,
        );
      }
    }
    await tx.postmortem.update({ where: { id: review.id }, data: { status, publishedAt: status === 'published' ? new Date() : null, version: { increment: 1 } } });
    await notifyReview(tx, { incidentId: incident.id, op: 'saved', version: review.version + 1 });
    const verb = status === 'published' ? 'published the review' : review.status === 'published' ? `reopened the review (${statusWords[status]})` : `moved the review ${statusWords[status]}`;
    await appendTimelineEvent(tx, incident.id, { kind: 'postmortem', actorId: by.actor?.id ?? null, body: `${by.actor?.name ?? 'Sitrep'} ${verb}.`, data: { postmortemId: review.id, status }, pinned: status === 'published' });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'postmortem.status_changed', targetType: 'postmortem', targetId: review.id, detail: { from: review.status, to: status }, requestId: by.requestId });
  });
  return (await getPostmortem(number, viewerOf(by)))!;
}

// Default due dates for follow-ups, by severity: the worse the incident, the sooner.
const dueDays: Record<string, number> = { SEV1: 7, SEV2: 14, SEV3: 30, SEV4: 60 };

/** An action item's owner: an active user who can see the incident (on a private one, a member or an admin). */
async function ownerByEmail(tx: Tx, email: string | null | undefined, path: string, incident: { id: string; number: number; private: boolean }) {
  if (!email) return null;
  const user = await tx.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, role: true, disabledAt: true } });
  if (!user || user.disabledAt) throw new ValidationError([{ path, message: `${email} is not an active Sitrep user; pick someone who can sign in` }]);
  if (incident.private && !(await canSee(user, incident.id, tx))) {
    throw new ValidationError([{ path, message: `${email} is not a member of the private ${incidentKey(incident.number)} and would not see this item; add them as a member first` }]);
  }
  return user;
}

export async function createActionItem(number: number, input: ActionItemInput, by: ChangedBy): Promise<string> {
  const data = parseInput(actionItemInputSchema, input);
  return db.$transaction(async (tx) => {
    const incident = await incidentFor(tx, number, by);
    const owner = await ownerByEmail(tx, data.ownerEmail, 'ownerEmail', incident);
    const due = data.dueDate ? new Date(`${data.dueDate}T00:00:00Z`) : new Date(Date.now() + (dueDays[incident.severityKey] ?? 30) * 86_400_000);
    const item = await tx.actionItem.create({
      data: { incidentId: incident.id, title: data.title, ownerId: owner?.id ?? null, dueDate: new Date(due.toISOString().slice(0, 10)), url: data.url ?? null, createdById: by.actor?.id ?? null },
    });
    await appendTimelineEvent(tx, incident.id, { kind: 'postmortem', actorId: by.actor?.id ?? null, body: `${by.actor?.name ?? 'Sitrep'} added the action item “${data.title}”.`, data: { actionItemId: item.id } });
    return item.id;
  });
}

export async function updateActionItem(id: string, input: ActionItemPatch, by: ChangedBy): Promise<{ incidentNumber: number }> {
  const patch = parseInput(actionItemPatchSchema, input);
  return db.$transaction(async (tx) => {
    // An item of an incident the caller may not see does not exist for them.
    const item = await tx.actionItem.findFirst({ where: { id, incident: visibleTo(viewerOf(by)) }, include: { incident: { select: { id: true, number: true, private: true } } } });
    if (!item) throw new NotFoundError('That action item does not exist.');
    const owner = patch.ownerEmail === undefined ? undefined : await ownerByEmail(tx, patch.ownerEmail, 'ownerEmail', item.incident);
    await tx.actionItem.update({
      where: { id },
      data: {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(owner !== undefined ? { ownerId: owner?.id ?? null } : {}),
        ...(patch.dueDate !== undefined ? { dueDate: patch.dueDate ? new Date(`${patch.dueDate}T00:00:00Z`) : null } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.status !== undefined ? { status: patch.status, completedAt: patch.status === 'done' ? (item.completedAt ?? new Date()) : null } : {}),
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'action_item.updated', targetType: 'action_item', targetId: id, detail: patch, requestId: by.requestId });
    return { incidentNumber: item.incident.number };
  });
}

/** Presence: who has the review open and where; a heartbeat every few seconds, pushed to the others' streams. */
export async function heartbeat(number: number, sectionKey: string | null, by: ChangedBy): Promise<void> {
  const actor = by.actor;
  if (!actor) return;
  const incident = await incidentFor(db, number, by);
  const review = await db.postmortem.findUnique({ where: { incidentId: incident.id }, select: { id: true, incidentId: true } });
  if (!review) return;
  await db.$transaction(async (tx) => {
    const before = await tx.postmortemPresence.findUnique({ where: { postmortemId_userId: { postmortemId: review.id, userId: actor.id } } });
    await tx.postmortemPresence.upsert({
      where: { postmortemId_userId: { postmortemId: review.id, userId: actor.id } },
      create: { postmortemId: review.id, userId: actor.id, sectionKey },
      update: { sectionKey, seenAt: new Date() },
    });
    // Only arrivals and moves are news; a plain heartbeat just keeps the presence fresh.
    const stale = !before || before.seenAt.getTime() < Date.now() - 20_000;
    if (stale || before.sectionKey !== sectionKey) await notifyReview(tx, { incidentId: review.incidentId, op: 'presence' });
  });
}

/** A merged duplicate's action items are the survivor's follow-ups (in the merge's transaction). */
export async function moveActionItems(tx: Tx, fromIncidentId: string, toIncidentId: string): Promise<number> {
  return (await tx.actionItem.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } })).count;
}
