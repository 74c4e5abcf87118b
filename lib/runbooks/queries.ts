import 'server-only';
import { db } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { RunbookDto, RunbookPhase, RunbookReference, RunbookSummary } from '@/lib/runbooks/schema';

type StoredPhase = Omit<RunbookPhase, 'steps'> & { steps: (RunbookPhase['steps'][number] & { id: string })[] };

function countSteps(phases: unknown): number {
  return Array.isArray(phases) ? (phases as StoredPhase[]).reduce((sum, phase) => sum + (phase.steps?.length ?? 0), 0) : 0;
}

export type RunbookFilter = { q?: string; tag?: string; service?: string; includeArchived?: boolean; limit?: number };

/** The library: latest versions, filtered by title/tag/service text, the first `limit` (500) by title. */
export async function listRunbooks(filter: RunbookFilter = {}): Promise<RunbookSummary[]> {
  const q = filter.q?.trim();
  const where: Prisma.RunbookWhereInput = {
    ...(filter.includeArchived ? {} : { archivedAt: null }),
    ...(filter.tag ? { tags: { has: filter.tag } } : {}),
    ...(filter.service ? { services: { has: filter.service } } : {}),
    ...(q ? { OR: [{ title: { contains: q, mode: 'insensitive' } }, { tags: { has: q.toLowerCase() } }, { services: { has: q.toLowerCase() } }] } : {}),
  };
  const runbooks = await db.runbook.findMany({ where, orderBy: { title: 'asc' }, take: filter.limit ?? 500 });
  const versions = await db.runbookVersion.findMany({
    where: { OR: runbooks.map((r) => ({ runbookId: r.id, version: r.latestVersion })) },
    select: { runbookId: true, phases: true },
  });
  return runbooks.map((runbook) => ({
    id: runbook.id,
    title: runbook.title,
    version: runbook.latestVersion,
    tags: runbook.tags,
    services: runbook.services,
    severities: runbook.severities,
    steps: countSteps(versions.find((v) => v.runbookId === runbook.id)?.phases),
    updatedAt: runbook.updatedAt.toISOString(),
  }));
}

/** A runbook at a version (the latest when none is given). */
export async function getRunbook(id: string, version?: number): Promise<RunbookDto> {
  const runbook = await db.runbook.findUnique({ where: { id } });
  if (!runbook) throw new NotFoundError('That runbook does not exist.');
  const row = await db.runbookVersion.findUnique({
    where: { runbookId_version: { runbookId: id, version: version ?? runbook.latestVersion } },
    include: { createdBy: { select: { email: true, name: true } } },
  });
  if (!row) throw new NotFoundError(`${runbook.title} has no version ${version}; the latest is ${runbook.latestVersion}.`);
  return {
    id,
    title: row.title,
    description: row.description,
    version: row.version,
    latestVersion: runbook.latestVersion,
    tags: row.tags,
    services: row.services,
    severities: row.severities,
    // Versions saved before steps could be optional have no flag: they were not.
    phases: (row.phases as StoredPhase[]).map((phase) => ({ ...phase, steps: phase.steps.map((step) => ({ ...step, optional: step.optional ?? false })) })),
    references: row.references as RunbookReference[],
    changeNote: row.changeNote,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listRunbookVersions(id: string): Promise<{ version: number; changeNote: string; createdAt: string; createdBy: string | null; fromIncident: number | null }[]> {
  const rows = await db.runbookVersion.findMany({ where: { runbookId: id }, orderBy: { version: 'desc' }, include: { createdBy: { select: { name: true } }, sourceIncident: { select: { number: true } } } });
  return rows.map((row) => ({ version: row.version, changeNote: row.changeNote, createdAt: row.createdAt.toISOString(), createdBy: row.createdBy?.name ?? null, fromIncident: row.sourceIncident?.number ?? null }));
}

export type RunbookChoice = Pick<RunbookSummary, 'id' | 'title' | 'version' | 'tags' | 'services' | 'severities'>;

/**
 * Runbooks that fit an incident, best first (at most `limit`): sharing a service, tagged with one,
 * or meant for its severity. Reads only those candidates, and none of their steps.
 */
export async function suggestRunbooks(incident: { services: string[]; severity: string }, limit = 8): Promise<RunbookChoice[]> {
  const services = [...new Set(incident.services.flatMap((s) => [s, s.toLowerCase()]))];
  const rows = await db.runbook.findMany({
    where: {
      archivedAt: null,
      OR: [{ services: { hasSome: services } }, { tags: { hasSome: services } }, { severities: { has: incident.severity } }],
    },
    select: { id: true, title: true, latestVersion: true, tags: true, services: true, severities: true },
    orderBy: { title: 'asc' },
  });
  const candidates = rows.map(({ latestVersion, ...runbook }) => ({ ...runbook, version: latestVersion }));
  return rankRunbooks(candidates, incident).slice(0, limit);
}

/** The tags of the runbooks `ids` names, together. */
export async function tagsOfRunbooks(ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.runbook.findMany({ where: { id: { in: ids } }, select: { tags: true } });
  return rows.flatMap((row) => row.tags);
}

/** How many runbooks the library holds (not archived). */
export async function countRunbooks(): Promise<number> {
  return db.runbook.count({ where: { archivedAt: null } });
}

/** The runbooks of `all` that match the incident's services, tags or severity, best first. */
export function rankRunbooks<R extends Pick<RunbookSummary, 'tags' | 'services' | 'severities'>>(all: R[], incident: { services: string[]; severity: string }): R[] {
  const services = new Set(incident.services.map((s) => s.toLowerCase()));
  const score = (r: R) =>
    r.services.filter((s) => services.has(s.toLowerCase())).length * 3 + r.tags.filter((t) => services.has(t.toLowerCase())).length * 2 + (r.severities.includes(incident.severity) ? 1 : 0);
  return all
    .map((runbook) => ({ runbook, score: score(runbook) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.runbook);
}
