// Who is asking, for pages, server actions and API reads made by the browser. Both helpers fail
// closed: a session whose row ended (sign-out, "sign out everywhere", a disabled user, a new
// password) is no session, whatever its cookie says.
import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies, headers } from 'next/headers';
import { authOptions } from '@/lib/platform/auth/options';
import { can, describePermission, type Actor, type Permission } from '@/lib/platform/auth/policy';
import { authenticateSession, markKnownCredential } from '@/lib/platform/auth/principal';
import { sessionCookieValue } from '@/lib/platform/auth/sessions';
import { ForbiddenError } from '@/lib/platform/errors';
import { clientAddress } from '@/lib/platform/http/client-address';
import { recordFailedAuth } from '@/lib/platform/http/rate-limit';

/**
 * The signed-in person and their session id from a request's Cookie header, or null: the session
 * cookie is next-auth's JWT (decoded and checked as getServerSession does, without needing Next's
 * request storage, so routes answered beside Next read it too), and its session row must be open.
 * A cookie that names no open session counts against `address`.
 */
export async function sessionFromCookies(cookieHeader: string | null, address: string): Promise<{ actor: Actor; sessionId: string } | null> {
  const cookie = sessionCookieValue(cookieHeader);
  if (!cookie) return null;
  const token = await decode({ token: cookie, secret: authOptions.secret! }).catch(() => null);
  const userId = typeof token?.uid === 'string' ? token.uid : null;
  const sessionId = typeof token?.sid === 'string' ? token.sid : null;
  const actor = userId && sessionId ? await authenticateSession(sessionId, userId) : null;
  if (!actor || !sessionId) {
    recordFailedAuth(address);
    return null;
  }
  markKnownCredential(cookie, actor.id);
  return { actor, sessionId };
}

/** The signed-in person of the request being rendered (pages, server actions), or null. */
export async function currentSession(): Promise<{ actor: Actor; sessionId: string } | null> {
  return sessionFromCookies((await cookies()).toString(), clientAddress(await headers()));
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
