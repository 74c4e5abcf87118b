import type { Tx } from '@/lib/platform/db';
import type { db } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey, incidentRoles, type IncidentDto } from '@/lib/incidents/schema';
import { publicUrl } from '@/lib/platform/urls';

const person = { select: { email: true, name: true } } as const;

export const incidentInclude = {
  roles: { include: { user: person } },
  smes: { include: { user: person }, orderBy: { addedAt: 'asc' } },
  updatedBy: person,
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
    version: incident.version,
    updatedAt: incident.updatedAt.toISOString(),
    updatedBy: incident.updatedBy,
    url: publicUrl(`/incidents/${incident.number}`),
  };
}

export async function loadIncidentDto(client: Tx | typeof db, number: number): Promise<IncidentDto> {
  const incident = await client.incident.findUnique({ where: { number }, include: incidentInclude });
  if (!incident) throw new NotFoundError(`${incidentKey(number)} does not exist.`);
  return toIncidentDto(incident);
}
