// Status updates (to the team or to the status page), their templates, and the status page's
// branding. Posting writes the update, its `communication` timeline event and the
// notifications it triggers in one transaction.
import 'server-only';
import { recordAudit } from '@/lib/audit/service';
import { notifyStatusPage } from '@/lib/communications/status-page';
import { renderUpdateBody } from '@/lib/communications/update-body';
import { BUILT_IN_TEMPLATES, checkUpdateTemplate, renderUpdateTemplate, UpdateTemplateError, type UpdateContext } from '@/lib/communications/template';
import type { z } from 'zod';
import { brandingSchema, postUpdateSchema, templateInputSchema, type Audience, type Branding, type PostUpdateInput, type TemplateDto, type TemplateInput, type UpdateDto } from '@/lib/communications/schema';
import { db } from '@/lib/platform/db';
import { ConflictError, NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { statusLabels, type IncidentStatus } from '@/lib/incidents/lifecycle';
import { incidentKey } from '@/lib/incidents/schema';
import { notify } from '@/lib/notifications/service';
import { formatDateTime, formatDuration } from '@/lib/platform/time';
import { publicUrl } from '@/lib/platform/urls';
import { appendTimelineEvent, findIncidentForWrite } from '@/lib/timeline/append';
import { acknowledgeOnFirstAction } from '@/lib/incidents/acknowledge';
import { requireVisibleIncident, type Viewer } from '@/lib/incidents/visibility';
import type { ChangedBy } from '@/lib/platform/auth/policy';

type Tx = Prisma.TransactionClient;

function cadenceWords(minutes: number): string {
  return minutes % 60 === 0 && minutes >= 60 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
}

function listWords(items: string[]): string {
  if (items.length === 0) return 'our services';
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The built-in templates exist in every installation; admins may reword them. */
export async function ensureBuiltInTemplates(client: Tx | typeof db = db): Promise<void> {
  await client.updateTemplate.createMany({ data: BUILT_IN_TEMPLATES.map((t) => ({ ...t, builtIn: true })), skipDuplicates: true });
}

/**
 * What the template variables stand for on this incident, now; `resolving` drafts the words for
 * the moment it is resolved (the resolution update written in the same dialog as the change).
 */
async function updateContext(client: Tx | typeof db, incidentId: string, now = new Date(), options: { resolving?: boolean } = {}): Promise<{ context: UpdateContext; status: IncidentStatus }> {
  const row = await client.incident.findUniqueOrThrow({
    where: { id: incidentId },
    include: { severity: true, roles: { where: { role: 'commander' }, include: { user: { select: { name: true } } } } },
  });
  const incident = options.resolving && !row.resolvedAt ? { ...row, status: 'resolved' as const, resolvedAt: now } : row;
  const started = incident.startedAt ?? incident.declaredAt;
  const end = incident.resolvedAt ?? now;
  const cadence = incident.severity.updateCadenceMinutes;
  const context: UpdateContext = {
    'incident.key': incidentKey(incident.number),
    'incident.title': incident.title,
    'incident.severity': incident.severityKey,
    'incident.severityName': incident.severity.name,
    'incident.status': statusLabels[incident.status],
    'incident.impact': incident.customerImpact ? 'Some customers are affected.' : 'We are not aware of customer impact.',
    'incident.summary': incident.summary,
    'incident.services': listWords(incident.services),
    'incident.startedAt': formatDateTime(started),
    'incident.resolvedAt': incident.resolvedAt ? formatDateTime(incident.resolvedAt) : 'not yet',
    'incident.duration': formatDuration(end.getTime() - started.getTime()),
    nextUpdate: formatDateTime(new Date(now.getTime() + cadence * 60_000)),
    cadence: cadenceWords(cadence),
    commander: incident.roles[0]?.user?.name ?? 'unassigned',
    statusPage: publicUrl('/status'),
  };
  return { context, status: incident.status };
}

async function findTemplate(client: Tx | typeof db, key: string) {
  await ensureBuiltInTemplates(client);
  const template = await client.updateTemplate.findUnique({ where: { key } });
  if (!template) {
    const keys = (await client.updateTemplate.findMany({ select: { key: true }, orderBy: [{ position: 'asc' }, { key: 'asc' }] })).map((t) => t.key);
    throw new ValidationError([{ path: 'template', message: `There is no template “${key}”; use one of ${keys.join(', ')}` }]);
  }
  return template;
}

function render(body: string, context: UpdateContext, path: string): string {
  try {
    return renderUpdateTemplate(body, context).trim();
  } catch (error) {
    if (error instanceof UpdateTemplateError) throw new ValidationError([{ path, message: error.message }]);
    throw error;
  }
}

/** The text a template gives for this incident now (or as it will be once resolved): the compose form starts from it. */
export async function draftUpdate(number: number, templateKey: string, viewer: Viewer, options: { resolving?: boolean } = {}): Promise<{ body: string; audience: Audience }> {
  const incident = await requireVisibleIncident(db, number, viewer, { id: true });
  const template = await findTemplate(db, templateKey);
  const { context } = await updateContext(db, incident.id, new Date(), options);
  return { body: render(template.body, context, 'template'), audience: template.audience };
}

/**
 * Posts a status update. A public one is on the status page as soon as this commits. Variables
 * in a typed body are filled in too, so "next update by {{nextUpdate}}" works everywhere.
 */
export async function postStatusUpdate(number: number, input: PostUpdateInput, by: ChangedBy): Promise<UpdateDto> {
  const request = parseInput(postUpdateSchema, input);
  const posted = await db.$transaction(async (tx) => postStatusUpdateIn(tx, await findIncidentForWrite(tx, number, by), request, by));
  return posted;
}

/**
 * Posts an update inside the caller's transaction (resolving with its resolution update commits
 * both or neither). The caller drops the status page's cache after a public one commits.
 */
export async function postStatusUpdateIn(tx: Tx, incident: { id: string; number: number; acknowledgedAt: Date | null; private: boolean }, request: z.output<typeof postUpdateSchema>, by: ChangedBy): Promise<UpdateDto> {
  const number = incident.number;
  if (incident.private && request.audience === 'public') {
    // The status page is public: a private incident never appears there (lib/communications/status-page.ts).
    throw new ConflictError(`${incidentKey(number)} is private, so it cannot be on the public status page. Post an internal update, or make the incident public first.`);
  }
  const { context, status } = await updateContext(tx, incident.id);
  const template = request.template ? await findTemplate(tx, request.template) : null;
  const body = render(request.body ?? template!.body, context, request.body ? 'body' : 'template');
  if (!body) throw new ValidationError([{ path: 'body', message: 'The update is empty; write what people should know' }]);
  const update = await tx.statusUpdate.create({
    data: { incidentId: incident.id, audience: request.audience, body, templateKey: template?.key ?? null, incidentStatus: status, postedById: by.actor?.id ?? null },
  });
  const event = await appendTimelineEvent(tx, incident.id, {
    kind: 'communication',
    actorId: by.actor?.id ?? null,
    body: `${request.audience === 'public' ? 'Public update (status page)' : 'Internal update'}: ${body}`,
    data: { updateId: update.id, audience: request.audience, template: template?.key ?? null },
  });
  await tx.statusUpdate.update({ where: { id: update.id }, data: { eventId: event.id } });
  await notify(tx, incident.id, 'update_posted', { update: { audience: request.audience, body } });
  // Every instance renders its status page afresh once this commits.
  if (request.audience === 'public') await notifyStatusPage(tx, 'update posted');
  await acknowledgeOnFirstAction(tx, incident, by.actor, `posted ${request.audience === 'public' ? 'a public' : 'an internal'} update`);
  return {
    id: update.id,
    incident: { number, key: incidentKey(number) },
    audience: request.audience,
    body,
    bodyHtml: renderUpdateBody(body),
    template: template?.key ?? null,
    status,
    postedAt: update.postedAt.toISOString(),
    postedBy: by.actor ? { email: by.actor.email, name: by.actor.name } : null,
  };
}

function toTemplateDto(t: { id: string; key: string; name: string; audience: Audience; body: string; builtIn: boolean; version: number }): TemplateDto {
  return { id: t.id, key: t.key, name: t.name, audience: t.audience, body: t.body, builtIn: t.builtIn, version: t.version };
}

function checkTemplateText(body: string): void {
  const problem = checkUpdateTemplate(body);
  if (problem) throw new ValidationError([{ path: 'body', message: problem.message }]);
}

export async function createTemplate(input: TemplateInput, by: ChangedBy): Promise<TemplateDto> {
  const data = parseInput(templateInputSchema, input);
  checkTemplateText(data.body);
  return db.$transaction(async (tx) => {
    await ensureBuiltInTemplates(tx);
    if (await tx.updateTemplate.findUnique({ where: { key: data.key } })) throw new ConflictError(`A template with the key “${data.key}” exists; pick another key.`);
    const template = await tx.updateTemplate.create({ data: { ...data, builtIn: false } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'update_template.created', targetType: 'update_template', targetId: template.id, detail: { key: data.key }, requestId: by.requestId });
    return toTemplateDto(template);
  });
}

/** Rewords a template; built-in ones keep their key. `ifVersion` refuses a save over a newer one. */
export async function updateTemplate(key: string, input: Omit<TemplateInput, 'key'>, options: { ifVersion?: number }, by: ChangedBy): Promise<TemplateDto> {
  const data = parseInput(templateInputSchema.omit({ key: true }), input);
  checkTemplateText(data.body);
  return db.$transaction(async (tx) => {
    await ensureBuiltInTemplates(tx);
    const [locked] = await tx.$queryRaw<{ id: string; version: number }[]>`SELECT id, version FROM update_templates WHERE key = ${key} FOR UPDATE`;
    if (!locked) throw new NotFoundError(`There is no template “${key}”.`);
    if (options.ifVersion !== undefined && options.ifVersion !== locked.version) {
      throw new PreconditionFailedError(`Someone saved this template (now version ${locked.version}) while you were editing version ${options.ifVersion}. Reload it and apply your changes again.`);
    }
    const template = await tx.updateTemplate.update({ where: { key }, data: { ...data, version: { increment: 1 } } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'update_template.updated', targetType: 'update_template', targetId: template.id, detail: { key }, requestId: by.requestId });
    return toTemplateDto(template);
  });
}

export async function deleteTemplate(key: string, by: ChangedBy): Promise<void> {
  await db.$transaction(async (tx) => {
    const template = await tx.updateTemplate.findUnique({ where: { key } });
    if (!template) throw new NotFoundError(`There is no template “${key}”.`);
    if (template.builtIn) throw new ConflictError(`“${template.name}” is built in; reword it instead of deleting it.`);
    await tx.updateTemplate.delete({ where: { key } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'update_template.deleted', targetType: 'update_template', targetId: template.id, detail: { key }, requestId: by.requestId });
  });
}

const BRANDING_KEY = 'status_page';

export async function saveBranding(input: Partial<Branding>, by: ChangedBy): Promise<Branding> {
  const branding = parseInput(brandingSchema, input);
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({ where: { key: BRANDING_KEY }, create: { key: BRANDING_KEY, value: branding }, update: { value: branding } });
    await notifyStatusPage(tx, 'branding changed');
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'status_page.branding_changed', targetType: 'setting', targetId: BRANDING_KEY, detail: branding, requestId: by.requestId });
  });
  return branding;
}

export { BRANDING_KEY };

/** A merged duplicate's status updates belong to the incident it was merged into (in the merge's transaction). */
export async function moveUpdates(tx: Tx, fromIncidentId: string, toIncidentId: string): Promise<number> {
  return (await tx.statusUpdate.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } })).count;
}
