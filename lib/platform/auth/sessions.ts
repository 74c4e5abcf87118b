// Browser sessions. The session cookie (a next-auth JWT) names a user_sessions row; every request
// checks that row through the principal cache (principal.ts), so ending it takes effect at once on
// every instance. Sign-out ends one session; "sign out everywhere", disabling a user and changing
// a password end all of a user's sessions (endUserSessions, inside the caller's transaction).
import { db, type Tx } from '@/lib/platform/db';
import { notifyAuthChange } from '@/lib/platform/auth/principal';

/** A session ends this long after sign-in however active it is; the cookie lapses after a week unused. */
export const SESSION_LIFETIME_MS = 30 * 86_400_000;
export const SESSION_IDLE_SECONDS = 7 * 86_400;

export type SessionDto = { id: string; createdAt: string; userAgent: string; address: string; current: boolean };

/** Records a sign-in; returns the session id the cookie carries. */
export async function startSession(userId: string, meta: { userAgent: string; address: string }): Promise<string> {
  const now = Date.now();
  return db.$transaction(async (tx) => {
    // Sessions that ended or lapsed are of no more use; sign-in is a fine moment to drop them.
    await tx.userSession.deleteMany({ where: { userId, OR: [{ endedAt: { not: null } }, { expiresAt: { lt: new Date(now) } }] } });
    const session = await tx.userSession.create({
      data: { userId, expiresAt: new Date(now + SESSION_LIFETIME_MS), userAgent: meta.userAgent.slice(0, 300), address: meta.address.slice(0, 100) },
      select: { id: true },
    });
    return session.id;
  });
}

/** Ends one session (sign-out). */
export async function endSession(sessionId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return;
  await db.$transaction(async (tx) => {
    const ended = await tx.userSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date() } });
    if (ended.count > 0) await notifyAuthChange(tx, { sessionId });
  });
}

/** Ends every session of a user, in the caller's transaction; returns how many were open. */
export async function endUserSessions(tx: Tx, userId: string): Promise<number> {
  const ended = await tx.userSession.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date() } });
  await notifyAuthChange(tx, { userId });
  return ended.count;
}

/** A user's open sessions, newest first, for Settings → Account. */
export async function listOpenSessions(userId: string, currentSessionId: string | null): Promise<SessionDto[]> {
  const rows = await db.userSession.findMany({
    where: { userId, endedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, createdAt: true, userAgent: true, address: true },
  });
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), current: row.id === currentSessionId }));
}

export { sessionCookieValue } from '@/lib/platform/auth/credentials';
