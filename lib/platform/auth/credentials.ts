// What the request edge may know about a credential without the database: whether a bearer
// token has the shape Sitrep issues, the session cookie in a Cookie header, and whether a
// credential worked a moment ago (remembered here by principal.ts). No database and no
// server-only imports: the edge runs in Sitrep's own server process (scripts/serve.ts), outside
// Next's bundles, and shares this memory with them through globalThis.
import { createHash } from 'node:crypto';

export const TOKEN_PREFIX = 'sitrep_';
// The shapes Sitrep issues: API tokens are `sitrep_` and 32 random bytes in base64url; tokens of
// other credentials carry their kind first (`sitrep_<kind>_` and 24 bytes, e.g. alert sources',
// which their own routes check). Anything else is refused without a query.
const TOKEN_FORMAT = /^sitrep_(?:[A-Za-z0-9_-]{43}|[a-z]+_[A-Za-z0-9_-]{32})$/;
// How long a credential that worked counts as "known" to the edge, which lets it past the queue
// unverified traffic waits in. Anything that ends it empties this at once (principal.ts).
const KNOWN_CREDENTIAL_MS = 10 * 60_000;
const MAX_KNOWN = 50_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a bearer token has the shape Sitrep issues; anything else is unknown without asking the database. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_FORMAT.test(token);
}

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token=([^;]+)/;

/** The session cookie's value in a Cookie header, if any. */
export function sessionCookieValue(cookieHeader: string | null | undefined): string | null {
  return cookieHeader ? (SESSION_COOKIE.exec(cookieHeader)?.[1] ?? null) : null;
}

const globalForKnown = globalThis as unknown as { sitrepKnownCredentials?: Map<string, { userId: string; until: number }> };
const known = (globalForKnown.sitrepKnownCredentials ??= new Map());

/** Remembers that a credential (token, or session cookie value) worked. */
export function markKnownCredential(credential: string, userId: string): void {
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(hashToken(credential), { userId, until: Date.now() + KNOWN_CREDENTIAL_MS });
}

/** Whether a credential worked a moment ago and nothing ended it since. */
export function isKnownCredential(credential: string): boolean {
  const entry = known.get(hashToken(credential));
  return entry !== undefined && entry.until > Date.now();
}

/** Forgets the known credentials of a user (or all of them). */
export function forgetKnownCredentials(userId?: string): void {
  if (!userId) return known.clear();
  for (const [key, entry] of known) if (entry.userId === userId) known.delete(key);
}
