import 'server-only';
import { db } from '@/lib/platform/db';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import { incidentReferences } from '@/lib/incidents/references';
import { renderMarkdown } from '@/lib/platform/markdown/render';
import { publicUrl } from '@/lib/platform/urls';
import { listAttachments } from '@/lib/attachments/queries';
import { visibleTo, visibleWhere, type Viewer } from '@/lib/incidents/visibility';
import { generators, reviewGaps, toMarkdown, type ReviewData } from '@/lib/postmortems/generate';
import type { ActionItemDto, PostmortemDto, RevisionDto } from '@/lib/postmortems/schema';

const itemInclude = { incident: { select: { number: true, title: true } }, owner: { select: { email: true, name: true } } } as const;
type ItemRow = Prisma.ActionItemGetPayload<{ include: typeof itemInclude }>;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function toActionItemDto(row: ItemRow): ActionItemDto {
  const due = row.dueDate?.toISOString().slice(0, 10) ?? null;
  return {
    id: row.id,
    incident: { number: row.incident.number, key: incidentKey(row.incident.number), title: row.incident.title },
    title: row.title,
    owner: row.owner,
    dueDate: due,
    status: row.status,
    url: row.url,
    overdue: row.status === 'open' && due !== null && due < today(),
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/** An action item, or null when there is none or `viewer` may not see its incident. */
export async function getActionItem(id: string, viewer: Viewer): Promise<ActionItemDto | null> {
  const row = await db.actionItem.findFirst({ where: { id, incident: visibleTo(viewer) }, include: itemInclude });
  return row ? toActionItemDto(row) : null;
}

/** Action items of the incidents `viewer` may see: of one incident, someone's open ones, or every overdue one. */
export async function listActionItems(viewer: Viewer, filter: { incidentId?: string; ownerId?: string; overdue?: boolean; take?: number }): Promise<ActionItemDto[]> {
  const rows = await db.actionItem.findMany({
    where: {
      incident: visibleTo(viewer),
      ...(filter.incidentId ? { incidentId: filter.incidentId } : {}),
      ...(filter.ownerId ? { ownerId: filter.ownerId, status: 'open' as const } : {}),
      ...(filter.overdue ? { status: 'open' as const, dueDate: { lt: new Date(`${today()}T00:00:00Z`) } } : {}),
    },
    include: itemInclude,
    orderBy: [{ status: 'asc' }, { dueDate: 'asc' }, { createdAt: 'asc' }],
    take: filter.take ?? 200,
  });
  return rows.map(toActionItemDto);
}

/** The incident's review, or null when it has none, there is no such incident or `viewer` may not see it. */
export async function getPostmortem(number: number, viewer: Viewer): Promise<PostmortemDto | null> {
  const review = await db.postmortem.findFirst({
    where: { incident: visibleWhere(viewer, { number }) },
    include: { incident: { select: { id: true, number: true, title: true, status: true, severity: { select: { reviewRequired: true } } } }, sections: { orderBy: { position: 'asc' } } },
  });
  if (!review) return null;
  const editorIds = [...new Set(review.sections.flatMap((s) => (s.changedById ? [s.changedById] : [])))];
  const [editors, actionItems, attachments] = await Promise.all([
    editorIds.length ? db.user.findMany({ where: { id: { in: editorIds } }, select: { id: true, email: true, name: true } }) : [],
    listActionItems(viewer, { incidentId: review.incident.id }),
    listAttachments({ id: review.incident.id, number: review.incident.number }),
  ]);
  const people = new Map(editors.map(({ id, email, name }) => [id, { email, name }]));
  const key = incidentKey(review.incident.number);
  // The action-item list follows the items as they are, until someone edits that section.
  const liveItems = actionItems.map((a) => ({ title: a.title, owner: a.owner?.name ?? null, dueDate: a.dueDate, status: a.status, url: a.url }));
  const sections = review.sections.map((s) => {
    const body = s.key === 'action_items' && s.generated && !s.edited ? generators.action_items!.render({ actionItems: liveItems } as ReviewData) : s.body;
    return {
      key: s.key,
      title: s.title,
      body,
      bodyHtml: renderMarkdown(body, { references: incidentReferences }),
      prompt: s.prompt,
      edited: s.edited,
      generated: s.generated,
      changedInVersion: s.changedInVersion,
      updatedAt: s.updatedAt.toISOString(),
      updatedBy: (s.changedById && people.get(s.changedById)) || null,
    };
  });
  return {
    id: review.id,
    incident: { number: review.incident.number, key, title: review.incident.title, status: review.incident.status },
    status: review.status,
    version: review.version,
    sections,
    actionItems,
    attachments,
    markdown: toMarkdown(
      `Post-incident review: ${key} ${review.incident.title}`,
      sections,
      attachments.map((a) => ({ filename: a.filename, image: a.image, url: publicUrl(a.url) })),
    ),
    gaps: { ...reviewGaps({ sections, actionItems: actionItems.length }, review.incident.severity.reviewRequired), reviewRequired: review.incident.severity.reviewRequired },
    createdAt: review.createdAt.toISOString(),
    publishedAt: review.publishedAt?.toISOString() ?? null,
  };
}

/** A section's revisions, newest first (none when `viewer` may not see the incident). */
export async function listRevisions(number: number, key: string, viewer: Viewer): Promise<RevisionDto[]> {
  const rows = await db.postmortemRevision.findMany({ where: { postmortem: { incident: visibleWhere(viewer, { number }) }, sectionKey: key }, orderBy: { version: 'desc' }, take: 100 });
  const ids = [...new Set(rows.flatMap((r) => (r.authorId ? [r.authorId] : [])))];
  const people = new Map((ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }) : []).map(({ id, email, name }) => [id, { email, name }]));
  return rows.map((r) => ({ id: r.id, version: r.version, body: r.body, author: (r.authorId && people.get(r.authorId)) || null, createdAt: r.createdAt.toISOString() }));
}

/** Who has the review open (seen in the last 20 s), and in which section; `exceptUserId` leaves someone out. */
export async function listPresence(number: number, exceptUserId: string | null): Promise<{ name: string; email: string; sectionKey: string | null }[]> {
  const rows = await db.postmortemPresence.findMany({
    where: { postmortem: { incident: { number } }, ...(exceptUserId ? { userId: { not: exceptUserId } } : {}), seenAt: { gte: new Date(Date.now() - 20_000) } },
    orderBy: { seenAt: 'desc' },
  });
  if (!rows.length) return [];
  const users = new Map((await db.user.findMany({ where: { id: { in: rows.map((r) => r.userId) } }, select: { id: true, email: true, name: true } })).map((u) => [u.id, u]));
  return rows.flatMap((r) => {
    const user = users.get(r.userId);
    return user ? [{ name: user.name, email: user.email, sectionKey: r.sectionKey }] : [];
  });
}
