// Remediation rows as the API and the UI see them. Secret header values and signing secrets
// never leave the server.
import type { Prisma, RemediationAction } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import type { ActionDto, ActionParameter, DeliveryDto } from '@/lib/remediation/schema';

export type StoredHeader = { name: string; value: string | null; secret: boolean; encrypted: string | null };

export function toActionDto(action: RemediationAction): ActionDto {
  const headers = action.headers as StoredHeader[];
  const live = action.previousSecretUntil && action.previousSecretUntil > new Date();
  return {
    id: action.id,
    name: action.name,
    description: action.description,
    url: action.url,
    method: action.method,
    headers: headers.map((h) => ({ name: h.name, value: h.secret ? null : h.value, secret: h.secret })),
    bodyTemplate: action.bodyTemplate,
    timeoutMs: action.timeoutMs,
    maxAttempts: action.maxAttempts,
    requiresConfirmation: action.requiresConfirmation,
    minRole: action.minRole === 'admin' ? 'admin' : 'responder',
    parameters: action.parameters as ActionParameter[],
    disabled: action.disabledAt ? { at: action.disabledAt.toISOString(), reason: action.disabledReason ?? '' } : null,
    secretRotation: live ? { previousValidUntil: action.previousSecretUntil!.toISOString() } : null,
    version: action.version,
  };
}

export type DeliveryRow = Prisma.RemediationDeliveryGetPayload<{ include: { action: { select: { id: true; name: true } }; attempts: { orderBy: { number: 'asc' } } } }>;

export function toDeliveryDto(delivery: DeliveryRow, incidentNumber: number, requestedBy: { email: string; name: string } | null): DeliveryDto {
  return {
    id: delivery.id,
    actionId: delivery.actionId,
    action: delivery.action,
    incident: { number: incidentNumber, key: incidentKey(incidentNumber) },
    status: delivery.status,
    parameters: delivery.parameters as Record<string, unknown>,
    attempts: delivery.attempts.map((a) => ({ at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, excerpt: a.responseExcerpt })),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    requestedBy,
    createdAt: delivery.createdAt.toISOString(),
    completedAt: delivery.completedAt?.toISOString() ?? null,
  };
}
