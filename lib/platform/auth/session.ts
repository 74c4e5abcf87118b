// Who is asking, for pages and server actions. Both helpers fail closed.
import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { authOptions } from '@/lib/platform/auth/options';
import { can, describePermission, type Actor, type Permission } from '@/lib/platform/auth/policy';
import { ForbiddenError } from '@/lib/platform/errors';
import { findActiveActor } from '@/lib/platform/auth/principal';

export async function getCurrentActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (!userId) return null;
  return findActiveActor(userId);
}

/** For pages: anonymous visitors go to the sign-in page; too low a role gets a ForbiddenError. */
export async function requireUser(permission: Permission = 'read'): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) redirect('/login');
  if (!can(actor, permission)) throw new ForbiddenError(`This needs ${describePermission(permission)}; you are a ${actor.role}.`);
  return actor;
}
