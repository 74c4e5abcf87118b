// Runbooks are versioned: every save writes a new, immutable runbook_versions row and moves the
// runbook's latest_version; checklists point at the version they were attached from, so editing
// a runbook never changes a checklist someone is working through.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { recordAudit } from '@/lib/audit/service';
import type { ChangedBy } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { readRunbookMarkdown } from '@/lib/runbooks/import/pool';
import { importedToInput, runbookImportSchema, type RunbookImportInput, type RunbookImportResult } from '@/lib/runbooks/import-schema';
import { runbookInputSchema, type RunbookInput } from '@/lib/runbooks/schema';



function versionData(input: ReturnType<typeof runbookInputSchema.parse>) {
  return {
    title: input.title,
    description: input.description,
    tags: input.tags,
    services: input.services,
    severities: input.severities,
    // Steps keep their ids across versions (the editor reorders by id); new steps get one.
    phases: input.phases.map((phase) => ({ ...phase, steps: phase.steps.map((step) => ({ ...step, id: step.id || randomUUID() })) })) as Prisma.InputJsonValue,
    references: input.references as Prisma.InputJsonValue,
    changeNote: input.changeNote,
  };
}

/** A step may link to a remediation action (fired from the checklist); the action must exist. */
async function checkLinkedActions(tx: Prisma.TransactionClient, data: ReturnType<typeof runbookInputSchema.parse>): Promise<void> {
  const links = data.phases.flatMap((phase, p) => phase.steps.flatMap((step, s) => (step.remediationActionId ? [{ id: step.remediationActionId, p, s, title: step.title }] : [])));
  if (!links.length) return;
  const found = new Set((await tx.remediationAction.findMany({ where: { id: { in: links.map((l) => l.id) } }, select: { id: true } })).map((a) => a.id));
  const missing = links.filter((link) => !found.has(link.id));
  if (missing.length) {
    throw new ValidationError(missing.map((link) => ({ path: `phases.${link.p}.steps.${link.s}.remediationActionId`, message: `The step “${link.title}” links to a remediation action that does not exist; pick one from Settings → Remediation actions.` })));
  }
}

async function insertRunbook(tx: Prisma.TransactionClient, data: ReturnType<typeof runbookInputSchema.parse>, by: ChangedBy, audit: Record<string, unknown> = {}) {
  await checkLinkedActions(tx, data);
  const runbook = await tx.runbook.create({
    data: { title: data.title, tags: data.tags, services: data.services, severities: data.severities, latestVersion: 1 },
  });
  await tx.runbookVersion.create({ data: { runbookId: runbook.id, version: 1, createdById: by.actor?.id ?? null, ...versionData(data) } });
  await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'runbook.created', targetType: 'runbook', targetId: runbook.id, detail: { title: data.title, ...audit }, requestId: by.requestId });
  return { id: runbook.id, version: 1 };
}

export async function createRunbook(input: RunbookInput, by: ChangedBy): Promise<{ id: string; version: number }> {
  const data = parseInput(runbookInputSchema, input);
  return db.$transaction((tx) => insertRunbook(tx, data, by));
}

/** Creates several runbooks at once (an import): all of them, or none when one is invalid. */
export async function createRunbooks(inputs: RunbookInput[], by: ChangedBy): Promise<{ id: string; version: number }[]> {
  const parsed = inputs.map((input, i) => {
    try {
      return parseInput(runbookInputSchema, input);
    } catch (error) {
      if (error instanceof ValidationError) {
        const title = typeof input.title === 'string' && input.title.trim() ? `“${input.title.trim()}”` : `#${i + 1}`;
        throw new ValidationError(
          error.errors.map((e) => ({ ...e, path: `runbooks.${i}${e.path ? `.${e.path}` : ''}` })),
          `Runbook ${title}: ${error.message}`,
        );
      }
      throw error;
    }
  });
  return db.$transaction((tx) => Promise.all(parsed.map((data) => insertRunbook(tx, data, by, { imported: true }))));
}

/**
 * Reads Markdown playbooks into runbooks (see lib/runbooks/import), on a worker thread with a
 * deadline. A dry run only reports what it would create; otherwise every runbook is created in
 * one transaction.
 */
export async function importRunbooks(input: RunbookImportInput, by: ChangedBy): Promise<RunbookImportResult> {
  const request = parseInput(runbookImportSchema, input);
  const parsed = await readRunbookMarkdown(request.markdown, { title: request.title, redact: request.redact });
  const drafts = parsed.runbooks.map((runbook) => importedToInput(runbook, parsed.documentTitle));
  if (request.dryRun) return { runbooks: drafts.map((draft) => ({ id: null, ...draft })), warnings: parsed.warnings };
  if (drafts.length === 0) throw new ValidationError([{ path: 'markdown', message: parsed.warnings.find((w) => w.kind === 'structure' || w.kind === 'review_template')!.message }]);
  const created = await createRunbooks(drafts, by);
  return { runbooks: drafts.map((draft, i) => ({ id: created[i]!.id, ...draft })), warnings: parsed.warnings };
}

/**
 * Saves a new version. `ifVersion` is the version the editor started from: a save over someone
 * else's newer version is refused. `fromIncident` credits the incident whose checklist suggested
 * the change (insights' runbook suggestions).
 */
export async function updateRunbook(id: string, input: RunbookInput, options: { ifVersion?: number; fromIncident?: number }, by: ChangedBy): Promise<{ id: string; version: number }> {
  const data = parseInput(runbookInputSchema, input);
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ latest_version: number }[]>`SELECT latest_version FROM runbooks WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError('That runbook does not exist.');
    if (options.ifVersion !== undefined && options.ifVersion !== locked.latest_version) {
      const latest = await tx.runbookVersion.findUnique({ where: { runbookId_version: { runbookId: id, version: locked.latest_version } }, include: { createdBy: { select: { name: true } } } });
      throw new PreconditionFailedError(
        `${latest?.createdBy?.name ?? 'Someone'} saved version ${locked.latest_version} while you were editing version ${options.ifVersion}. Open the latest version and apply your changes there.`,
      );
    }
    await checkLinkedActions(tx, data);
    const source = options.fromIncident !== undefined ? await tx.incident.findUnique({ where: { number: options.fromIncident }, select: { id: true } }) : null;
    if (options.fromIncident !== undefined && !source) throw new ValidationError([{ path: 'fromIncident', message: `INC-${options.fromIncident} does not exist; save without crediting it.` }]);
    const version = locked.latest_version + 1;
    await tx.runbookVersion.create({ data: { runbookId: id, version, createdById: by.actor?.id ?? null, sourceIncidentId: source?.id ?? null, ...versionData(data) } });
    await tx.runbook.update({ where: { id }, data: { title: data.title, tags: data.tags, services: data.services, severities: data.severities, latestVersion: version } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'runbook.updated', targetType: 'runbook', targetId: id, detail: { title: data.title, version, ...(options.fromIncident !== undefined ? { fromIncident: options.fromIncident } : {}) }, requestId: by.requestId });
    return { id, version };
  });
}

export async function archiveRunbook(id: string, archived: boolean, by: ChangedBy): Promise<void> {
  await db.$transaction(async (tx) => {
    const runbook = await tx.runbook.findUnique({ where: { id } });
    if (!runbook) throw new NotFoundError('That runbook does not exist.');
    await tx.runbook.update({ where: { id }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: archived ? 'runbook.archived' : 'runbook.restored', targetType: 'runbook', targetId: id, detail: { title: runbook.title }, requestId: by.requestId });
  });
}
