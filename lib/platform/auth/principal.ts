// Who a request acts for: the user behind a session cookie or a bearer token. Authentication is
// plumbing every route and action needs, so it reads the users and api_tokens rows itself; the
// users and tokens domains own every other read and every write of those tables.
import 'server-only';
import { createHash } from 'node:crypto';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';

export const TOKEN_PREFIX = 'sitrep_';
// Writing last_used_at on every request would turn reads into writes; once a minute is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The active user behind a session or token; null when unknown or disabled. */
export async function findActiveActor(userId: string): Promise<Actor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The active user a bearer token acts for, or null for an unknown, revoked or disabled one. */
export async function authenticateToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const record = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
  });
  if (!record || record.revokedAt || record.user.disabledAt) return null;
  const now = Date.now();
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  const { id, email, name, role } = record.user;
  return { id, email, name, role };
}
