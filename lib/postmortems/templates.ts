// Admin-defined review templates: Markdown whose `## Heading` lines become the sections (paste a
// PagerDuty-style template as it is). A template lists the severities it is for.
import 'server-only';
import type { z } from 'zod';
import { recordAudit } from '@/lib/audit/service';
import { db } from '@/lib/platform/db';
import { ConflictError, NotFoundError, parseInput, ValidationError } from '@/lib/platform/errors';
import { parseReviewTemplate, readReviewTemplate } from '@/lib/postmortems/generate';
import type { ChangedBy } from '@/lib/platform/auth/policy';
import { reviewTemplateInputSchema, type ReviewTemplateDto, type ReviewTemplateInput } from '@/lib/postmortems/schema';

const generatedKeys = new Set(['summary', 'impact', 'key_times', 'responders', 'timeline', 'runbooks', 'remediation', 'communications', 'action_items']);

function toDto(t: { id: string; name: string; markdown: string; severities: string[]; version: number }): ReviewTemplateDto {
  const { guidance, sections } = readReviewTemplate(t.markdown);
  return { ...t, guidance, sections: sections.map((s) => ({ key: s.key, title: s.title, generated: generatedKeys.has(s.key), prompt: s.prompt })) };
}

async function check(data: z.output<typeof reviewTemplateInputSchema>, exceptId?: string): Promise<void> {
  if (parseReviewTemplate(data.markdown).length === 0) {
    throw new ValidationError([{ path: 'markdown', message: 'The template has no sections: start each one with a “## Heading” line' }]);
  }
  const known = new Set((await db.severity.findMany({ select: { key: true } })).map((s) => s.key));
  const unknown = data.severities.filter((s) => !known.has(s));
  if (unknown.length) throw new ValidationError([{ path: 'severities', message: `${unknown.join(', ')} is not a severity; use ${[...known].sort().join(', ')}` }]);
  const taken = await db.postmortemTemplate.findFirst({ where: { severities: { hasSome: data.severities }, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { name: true, severities: true } });
  if (data.severities.length && taken) {
    const both = data.severities.filter((s) => taken.severities.includes(s));
    throw new ConflictError(`“${taken.name}” is already the template for ${both.join(', ')}; take it off there first (one template per severity).`);
  }
}

export async function listReviewTemplates(): Promise<ReviewTemplateDto[]> {
  return (await db.postmortemTemplate.findMany({ orderBy: { name: 'asc' } })).map(toDto);
}

export async function createReviewTemplate(input: ReviewTemplateInput, by: ChangedBy): Promise<ReviewTemplateDto> {
  const data = parseInput(reviewTemplateInputSchema, input);
  await check(data);
  return db.$transaction(async (tx) => {
    if (await tx.postmortemTemplate.findUnique({ where: { name: data.name } })) throw new ConflictError(`A template named “${data.name}” exists; pick another name.`);
    const template = await tx.postmortemTemplate.create({ data });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'review_template.created', targetType: 'postmortem_template', targetId: template.id, detail: { name: data.name, severities: data.severities }, requestId: by.requestId });
    return toDto(template);
  });
}

export async function updateReviewTemplate(id: string, input: ReviewTemplateInput, by: ChangedBy): Promise<ReviewTemplateDto> {
  const data = parseInput(reviewTemplateInputSchema, input);
  await check(data, id);
  return db.$transaction(async (tx) => {
    if (!(await tx.postmortemTemplate.findUnique({ where: { id } }))) throw new NotFoundError('That review template does not exist.');
    const named = await tx.postmortemTemplate.findUnique({ where: { name: data.name }, select: { id: true } });
    if (named && named.id !== id) throw new ConflictError(`A template named “${data.name}” exists; pick another name.`);
    const template = await tx.postmortemTemplate.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'review_template.updated', targetType: 'postmortem_template', targetId: id, detail: { name: data.name, severities: data.severities }, requestId: by.requestId });
    return toDto(template);
  });
}

export async function deleteReviewTemplate(id: string, by: ChangedBy): Promise<void> {
  await db.$transaction(async (tx) => {
    const template = await tx.postmortemTemplate.findUnique({ where: { id } });
    if (!template) throw new NotFoundError('That review template does not exist.');
    await tx.postmortemTemplate.delete({ where: { id } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'review_template.deleted', targetType: 'postmortem_template', targetId: id, detail: { name: template.name }, requestId: by.requestId });
  });
}
