// Remediation rows as the API and the UI see them. Header values and signing secrets never leave
// the server; admins see a hint of each header value (its last characters) to tell them apart.
// Receivers' answers (response excerpts) may carry internal detail: responders and admins see
// them, viewers don't.
import type { Prisma, RemediationAction } from '@/lib/generated/prisma/client';
import { hasRole, type Actor } from '@/lib/platform/auth/policy';
import { incidentKey } from '@/lib/incidents/schema';
import type { ActionDto, ActionParameter, DeliveryDto } from '@/lib/remediation/schema';

/**
 * A header as stored: every value sealed (AES-256-GCM) with a hint. Rows saved before every value
 * was sealed may still hold `value` in clear for headers not marked secret; they are sealed when
 * the action is next saved, and sent as they are meanwhile.
 */
export type StoredHeader = { name: string; encrypted: string | null; hint?: string; value?: string | null; secret?: boolean };

/**
 * Who is looking: admins get header hints; responders and up get receivers' answers. The
 * installation itself (workers, services acting for no one) sees what an admin sees.
 */
export type Viewer = Pick<Actor, 'role'> | 'installation' | null;

function viewerHasRole(viewer: Viewer, role: Actor['role']): boolean {
  return viewer === 'installation' || hasRole(viewer, role);
}

export function headerHint(value: string): string {
  return value.length < 8 ? '•••' : `…${value.slice(-4)}`;
}

export function toActionDto(action: RemediationAction, viewer: Viewer): ActionDto {
  const headers = action.headers as StoredHeader[];
  const live = action.previousSecretUntil && action.previousSecretUntil > new Date();
  return {
    id: action.id,
    name: action.name,
    description: action.description,
    services: action.services,
    tags: action.tags,
    url: action.url,
    method: action.method,
    headers: headers.map((h) => ({ name: h.name, value: null, secret: true, hint: viewerHasRole(viewer, 'admin') ? (h.hint ?? (h.value ? headerHint(h.value) : '•••')) : null })),
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

export function toDeliveryDto(delivery: DeliveryRow, incidentNumber: number, requestedBy: { email: string; name: string } | null, viewer: Viewer): DeliveryDto {
  const showExcerpts = viewerHasRole(viewer, 'responder');
  return {
    id: delivery.id,
    actionId: delivery.actionId,
    action: delivery.action,
    incident: { number: incidentNumber, key: incidentKey(incidentNumber) },
    status: delivery.status,
    parameters: delivery.parameters as Record<string, unknown>,
    attempts: delivery.attempts.map((a) => ({ at: a.at.toISOString(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, excerpt: showExcerpts ? a.responseExcerpt : null })),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    requestedBy,
    createdAt: delivery.createdAt.toISOString(),
    completedAt: delivery.completedAt?.toISOString() ?? null,
  };
}
