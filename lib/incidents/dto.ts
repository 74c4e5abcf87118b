import type { Tx } from '@/lib/platform/db';
import type { db } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey, incidentRoles, type IncidentDto, type MemberDto, type MemberReason } from '@/lib/incidents/schema';
import { publicUrl } from '@/lib/platform/urls';

const person = { select: { email: true, name: true } } as const;

export const incidentInclude = {
  roles: { include: { user: person } },
  smes: { include: { user: person }, orderBy: { addedAt: 'asc' } },
  updatedBy: person,
  // The short form of its alerts (API.md); the full list is GET /api/v1/alerts?incident=<n>.
  alerts: { select: { id: true, status: true, title: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 200 },
  mergedInto: { select: { number: true } },
} satisfies Prisma.IncidentInclude;

export type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentInclude }>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toIncidentDto(incident: IncidentRow): IncidentDto {
  const roles = Object.fromEntries(incidentRoles.map((role) => [role, null])) as IncidentDto['roles'];
  for (const held of incident.roles) roles[held.role] = { email: held.user.email, name: held.user.name };
  return {
    number: incident.number,
    key: incidentKey(incident.number),
    title: incident.title,
    summary: incident.summary,
    severity: incident.severityKey,
    status: incident.status,
    services: incident.services,
    customerImpact: incident.customerImpact,
    private: incident.private,
    roles,
    smes: incident.smes.map((sme) => ({ email: sme.user.email, name: sme.user.name })),
    times: {
      startedAt: iso(incident.startedAt),
      detectedAt: iso(incident.detectedAt),
      declaredAt: incident.declaredAt.toISOString(),
      acknowledgedAt: iso(incident.acknowledgedAt),
      mitigatedAt: iso(incident.mitigatedAt),
      resolvedAt: iso(incident.resolvedAt),
      closedAt: iso(incident.closedAt),
    },
    alerts: incident.alerts,
    version: incident.version,
    updatedAt: incident.updatedAt.toISOString(),
    updatedBy: incident.updatedBy,
    url: publicUrl(`/incidents/${incident.number}`),
    mergedInto: incident.mergedInto ? { number: incident.mergedInto.number, key: incidentKey(incident.mergedInto.number) } : null,
  };
}

export async function loadIncidentDto(client: Tx | typeof db, number: number): Promise<IncidentDto> {
  const incident = await client.incident.findUnique({ where: { number }, include: incidentInclude });
  if (!incident) throw new NotFoundError(`${incidentKey(number)} does not exist.`);
  return toIncidentDto(incident);
}

/**
 * Everyone who is a member of the incident and why, in the order people joined it: the declarer,
 * role holders, experts, then the people added. (lib/incidents/visibility.ts decides access from
 * the same four sources.)
 */
export async function loadMembers(client: Tx | typeof db, incidentId: string): Promise<MemberDto[]> {
  const incident = await client.incident.findUniqueOrThrow({
    where: { id: incidentId },
    select: {
      declaredBy: person,
      roles: { include: { user: person }, orderBy: { since: 'asc' } },
      smes: { include: { user: person }, orderBy: { addedAt: 'asc' } },
      members: { include: { user: person, addedBy: person }, orderBy: { addedAt: 'asc' } },
    },
  });
  const members = new Map<string, MemberDto>();
  const add = (who: { email: string; name: string }, reason: MemberReason, addedBy: MemberDto['addedBy'] = null) => {
    const member = members.get(who.email) ?? { email: who.email, name: who.name, reasons: [], addedBy: null };
    if (!member.reasons.includes(reason)) member.reasons.push(reason);
    if (reason === 'added') member.addedBy = addedBy;
    members.set(who.email, member);
  };
  if (incident.declaredBy) add(incident.declaredBy, 'declarer');
  for (const held of incident.roles) add(held.user, held.role);
  for (const sme of incident.smes) add(sme.user, 'sme');
  for (const added of incident.members) add(added.user, 'added', added.addedBy);
  return [...members.values()];
}
