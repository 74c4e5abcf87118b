// Who a request acts for: the user behind a session cookie or a bearer token. Authentication is
// plumbing every route and action needs, so it reads the users, api_tokens and user_sessions rows
// itself; the users and tokens domains own every other read and every write of those tables.
//
// Every request asks, so the answers are cached for a few seconds per process, and a change that
// takes access away (token revoked, session ended, user disabled, role changed, password changed)
// is announced on the `sitrep_auth` NOTIFY channel inside its transaction: every instance drops
// what it cached at once. A lost LISTEN connection drops everything (resync). Lookups of the same
// credential share one query, and at most a few unknown credentials are looked up at once, so a
// flood of made-up tokens can't take the database connections real work needs.
import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { forgetKnownCredentials, hashToken, isWellFormedToken, markKnownCredential } from '@/lib/platform/auth/credentials';
import type { Actor } from '@/lib/platform/auth/policy';
import { db, type Tx } from '@/lib/platform/db';
import { subscribe } from '@/lib/platform/live/listener';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';

export { hashToken, isKnownCredential, isWellFormedToken, markKnownCredential, TOKEN_PREFIX } from '@/lib/platform/auth/credentials';
// Writing last_used_at on every request would turn reads into writes; once a minute is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;
/** How long an answer is used without asking the database again (changes arrive sooner by NOTIFY). */
export const PRINCIPAL_CACHE_MS = 30_000;
const MAX_CONCURRENT_LOOKUPS = 4;
const MAX_ENTRIES = 50_000;

/** What ends or changes someone's access; sent by the users and tokens services inside their transaction. */
export type AuthChange = { userId?: string; tokenId?: string; sessionId?: string };

export const authChannel = defineChannel<AuthChange>('sitrep_auth', () => 'all');

export async function notifyAuthChange(tx: Tx, change: AuthChange): Promise<void> {
  await notifyChannel(tx, authChannel, change);
  // This instance forgets at once too, so the caller's next request already sees the change; a
  // read that slips in before the commit is dropped again when the notification arrives.
  forgetPrincipals(change);
}

type Timed<T> = { value: T; freshUntil: number };
type TokenRow = { tokenId: string; userId: string } | null;
type SessionRow = { userId: string; expiresAt: number } | null;

type PrincipalCache = {
  tokens: Map<string, Timed<TokenRow>>;
  sessions: Map<string, Timed<SessionRow>>;
  users: Map<string, Timed<Actor | null>>;
  inflight: Map<string, Promise<unknown>>;
  running: number;
  waiting: (() => void)[];
  listening: Promise<void> | null;
};

// On globalThis: the request edge (loaded by the server) and the route bundles Next compiles are
// separate copies of this module in one process, and must share one cache.
const globalForPrincipal = globalThis as unknown as { sitrepPrincipal?: PrincipalCache };

function cache(): PrincipalCache {
  globalForPrincipal.sitrepPrincipal ??= {
    tokens: new Map(),
    sessions: new Map(),
    users: new Map(),
    inflight: new Map(),
    running: 0,
    waiting: [],
    listening: null,
  };
  return globalForPrincipal.sitrepPrincipal;
}

/** Drops everything cached about a user, token or session (or everything, with no argument). */
export function forgetPrincipals(change?: AuthChange): void {
  const state = cache();
  if (!change) {
    state.tokens.clear();
    state.sessions.clear();
    state.users.clear();
    forgetKnownCredentials();
    return;
  }
  if (change.userId) {
    state.users.delete(change.userId);
    for (const [key, entry] of state.tokens) if (entry.value?.userId === change.userId) state.tokens.delete(key);
    for (const [key, entry] of state.sessions) if (entry.value?.userId === change.userId) state.sessions.delete(key);
    forgetKnownCredentials(change.userId);
  }
  if (change.tokenId) for (const [key, entry] of state.tokens) if (entry.value?.tokenId === change.tokenId) state.tokens.delete(key);
  if (change.sessionId) state.sessions.delete(change.sessionId);
  // A known credential may belong to the token or session that just ended: the edge asks again.
  if (change.tokenId || change.sessionId) forgetKnownCredentials();
}

function listenForChanges(): Promise<void> {
  const state = cache();
  state.listening ??= subscribe(authChannel, null, (signal) => {
    if (signal.type === 'resync') forgetPrincipals();
    else forgetPrincipals(signal.notification);
  })
    .then(() => undefined)
    .catch(() => {
      state.listening = null; // try again with the next lookup
    });
  return state.listening;
}

async function limited<T>(read: () => Promise<T>): Promise<T> {
  const state = cache();
  while (state.running >= MAX_CONCURRENT_LOOKUPS) await new Promise<void>((resolve) => state.waiting.push(resolve));
  state.running++;
  try {
    return await read();
  } finally {
    state.running--;
    state.waiting.shift()?.();
  }
}

/** The cached answer for `key`, or one read (shared by concurrent callers) and cached. */
async function cached<K extends 'tokens' | 'sessions' | 'users'>(
  kind: K,
  key: string,
  read: () => Promise<PrincipalCache[K] extends Map<string, Timed<infer T>> ? T : never>,
): Promise<PrincipalCache[K] extends Map<string, Timed<infer T>> ? T : never> {
  type T = PrincipalCache[K] extends Map<string, Timed<infer V>> ? V : never;
  const state = cache();
  const map = state[kind] as unknown as Map<string, Timed<T>>;
  const hit = map.get(key);
  if (hit && hit.freshUntil > Date.now()) return hit.value;
  const flightKey = `${kind}:${key}`;
  let flight = state.inflight.get(flightKey) as Promise<T> | undefined;
  if (!flight) {
    flight = (async () => {
      // Subscribe before reading, so a change committed after this read is never missed.
      await listenForChanges();
      const value = await limited(read);
      if (map.size >= MAX_ENTRIES) map.clear();
      map.set(key, { value, freshUntil: Date.now() + PRINCIPAL_CACHE_MS });
      return value;
    })().finally(() => state.inflight.delete(flightKey));
    state.inflight.set(flightKey, flight);
  }
  return flight;
}

/** The active user behind a session or token; null when unknown or disabled. */
export async function findActiveActor(userId: string): Promise<Actor | null> {
  return cached('users', userId, async () => {
    const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
    if (!user || user.disabledAt) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  });
}

/** The active user a bearer token acts for, or null for a malformed, unknown, revoked or disabled one. */
export async function authenticateToken(token: string): Promise<Actor | null> {
  if (!isWellFormedToken(token)) return null;
  const hash = hashToken(token);
  const row = await cached('tokens', hash, async (): Promise<TokenRow> => {
    const record = await db.apiToken.findUnique({ where: { tokenHash: hash }, select: { id: true, userId: true, revokedAt: true, lastUsedAt: true } });
    if (!record || record.revokedAt) return null;
    const now = Date.now();
    if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Bookkeeping only: a busy pool must not fail the request it rides on.
      void db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } }).catch(() => undefined);
    }
    return { tokenId: record.id, userId: record.userId };
  });
  const actor = row ? await findActiveActor(row.userId) : null;
  if (actor) markKnownCredential(token, actor.id);
  return actor;
}

/** The active user of a signed-in browser session, or null when the session ended, expired or its user is disabled. */
export async function authenticateSession(sessionId: string, userId: string): Promise<Actor | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const row = await cached('sessions', sessionId, async (): Promise<SessionRow> => {
    const session = await db.userSession.findUnique({ where: { id: sessionId }, select: { userId: true, endedAt: true, expiresAt: true } });
    if (!session || session.endedAt) return null;
    return { userId: session.userId, expiresAt: session.expiresAt.getTime() };
  });
  if (!row || row.userId !== userId || row.expiresAt <= Date.now()) return null;
  return findActiveActor(userId);
}

/** Whether the credential a request came with still works (for live streams that outlast the request). */
export type CredentialCheck = () => Promise<boolean>;

const globalForChecks = globalThis as unknown as { sitrepCredentialChecks?: AsyncLocalStorage<CredentialCheck> };
const credentialChecks = (globalForChecks.sitrepCredentialChecks ??= new AsyncLocalStorage<CredentialCheck>());

/** Runs `work` with the request's credential check available to what it starts (apiRoute does this). */
export function withCredentialCheck<T>(check: CredentialCheck, work: () => T): T {
  return credentialChecks.run(check, work);
}

/** The check of the request being handled, if it came with a credential. */
export function currentCredentialCheck(): CredentialCheck | undefined {
  return credentialChecks.getStore();
}
