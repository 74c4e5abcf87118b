import 'server-only';
import { hasRole, type Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { canSee, type Viewer } from '@/lib/incidents/visibility';
import { toActionDto, toDeliveryDto, type DeliveryRow } from '@/lib/remediation/dto';
import type { ActionDto, DeliveryDto } from '@/lib/remediation/schema';

/** Every action, or only those `firableBy` may fire (an action can be limited to admins), as `viewer` may see them. */
export async function listActions(viewer: Viewer, options: { firableBy?: Pick<Actor, 'role'> } = {}): Promise<ActionDto[]> {
  const actions = await db.remediationAction.findMany({ orderBy: { name: 'asc' } });
  return actions.filter((action) => !options.firableBy || hasRole(options.firableBy, action.minRole)).map((action) => toActionDto(action, viewer));
}

export async function getAction(id: string, viewer: Viewer): Promise<ActionDto | null> {
  const action = await db.remediationAction.findUnique({ where: { id } });
  return action ? toActionDto(action, viewer) : null;
}

const deliveryInclude = { action: { select: { id: true, name: true } }, attempts: { orderBy: { number: 'asc' } } } as const;

/** Deliveries with their incident numbers and requesters, loaded in one query each. */
async function withPeople(rows: DeliveryRow[], viewer: Viewer): Promise<DeliveryDto[]> {
  const incidentIds = [...new Set(rows.map((r) => r.incidentId))];
  const userIds = [...new Set(rows.flatMap((r) => (r.requestedById ? [r.requestedById] : [])))];
  const [incidents, users] = await Promise.all([
    db.incident.findMany({ where: { id: { in: incidentIds } }, select: { id: true, number: true } }),
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true, name: true } }) : [],
  ]);
  const numbers = new Map(incidents.map((i) => [i.id, i.number]));
  const people = new Map(users.map(({ id, email, name }) => [id, { email, name }]));
  return rows.map((row) => toDeliveryDto(row, numbers.get(row.incidentId) ?? 0, (row.requestedById && people.get(row.requestedById)) || null, viewer));
}

/** A delivery, or null when there is none or `viewer` may not see its incident. */
export async function getDelivery(id: string, viewer: Viewer): Promise<DeliveryDto | null> {
  const row = await db.remediationDelivery.findUnique({ where: { id }, include: deliveryInclude });
  if (!row || !(await canSee(viewer, row.incidentId))) return null;
  return (await withPeople([row], viewer))[0]!;
}

/** The latest 50 deliveries of an incident, newest first; resolve the incident for the viewer first. */
export async function listIncidentDeliveries(incidentId: string, viewer: Viewer): Promise<DeliveryDto[]> {
  return withPeople(await db.remediationDelivery.findMany({ where: { incidentId }, include: deliveryInclude, orderBy: { createdAt: 'desc' }, take: 50 }), viewer);
}
