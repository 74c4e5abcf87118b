// Who is asking, for pages, server actions and API reads made by the browser. Both helpers fail
// closed: a session whose row ended (sign-out, "sign out everywhere", a disabled user, a new
// password) is no session, whatever its cookie says.
import 'server-only';
import { getServerSession } from 'next-auth';
import { cookies, headers } from 'next/headers';
import { authOptions } from '@/lib/platform/auth/options';
import { can, describePermission, type Actor, type Permission } from '@/lib/platform/auth/policy';
import { authenticateSession, markKnownCredential } from '@/lib/platform/auth/principal';
import { sessionCookieValue } from '@/lib/platform/auth/sessions';
import { ForbiddenError } from '@/lib/platform/errors';
import { clientAddress } from '@/lib/platform/http/client-address';
import { recordFailedAuth } from '@/lib/platform/http/rate-limit';

/** The signed-in person and their session id, or null. A cookie that names no open session counts against its address. */
export async function currentSession(): Promise<{ actor: Actor; sessionId: string } | null> {
  const cookie = sessionCookieValue((await cookies()).toString());
  if (!cookie) return null;
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  const actor = userId && session.sid ? await authenticateSession(session.sid, userId) : null;
  if (!actor || !session?.sid) {
    recordFailedAuth(clientAddress(await headers()));
    return null;
  }
  markKnownCredential(cookie, actor.id);
  return { actor, sessionId: session.sid };
}

export async function getCurrentActor(): Promise<Actor | null> {
  return (await currentSession())?.actor ?? null;
}

/** For pages: anonymous visitors go to the sign-in page; too low a role gets a ForbiddenError. */
export async function requireUser(permission: Permission = 'read'): Promise<Actor> {
  const actor = await getCurrentActor();
  if (!actor) {
    // Loaded here, not at the top: API routes import this module too, and next/navigation needs
    // React's client build, which a route run outside Next (tests/support/ingest-server.ts) lacks.
    const { redirect } = await import('next/navigation');
    return redirect('/login');
  }
  if (!can(actor, permission)) throw new ForbiddenError(`This needs ${describePermission(permission)}; you are a ${actor.role}.`);
  return actor;
}
