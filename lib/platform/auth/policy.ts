// THE PERMISSION POLICY. Every server action and every /api/v1 route asks this file, through
// requireUser / requireApiUser / can, before it reads or writes anything. It fails closed: an
// unknown permission or a missing user is refused. Roles are ordered viewer < responder < admin.
import type { AppRole } from '@/lib/generated/prisma/enums';

export type { AppRole };

export const appRoles = ['viewer', 'responder', 'admin'] as const satisfies readonly AppRole[];

/** The least role that holds each permission. */
export const permissionRoles = {
  /** See incidents, timelines, runbooks, reviews. */
  read: 'viewer',
  /** Work incidents: declare, update, notes, roles, checklists, remediations, reviews. */
  'incidents.work': 'responder',
  /** Severities, templates, remediation actions, integrations. */
  'settings.manage': 'admin',
  'users.manage': 'admin',
  'tokens.manage': 'admin',
} as const satisfies Record<string, AppRole>;

export type Permission = keyof typeof permissionRoles;

const rank: Record<AppRole, number> = { viewer: 1, responder: 2, admin: 3 };

/** A signed-in person (or a token acting for them). */
export type Actor = { id: string; email: string; name: string; role: AppRole };

/** Who makes a change, for services: the actor (null for the CLI and the installation itself) and the request id for the audit log. */
export type ChangedBy = { actor: Actor | null; requestId?: string | null };

export function can(actor: Pick<Actor, 'role'> | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  const needed = permissionRoles[permission] as AppRole | undefined;
  if (!needed) return false;
  return rank[actor.role] >= rank[needed];
}

/** Whether the actor's role is at least `role` (for rules set per object, such as who may fire an action). */
export function hasRole(actor: Pick<Actor, 'role'> | null | undefined, role: AppRole): boolean {
  return Boolean(actor) && rank[actor!.role] >= rank[role];
}

export function describePermission(permission: Permission): string {
  const role = permissionRoles[permission];
  return role === 'viewer' ? 'a signed-in user' : `the ${role} role`;
}
