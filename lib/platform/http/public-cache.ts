// Whole responses of public, unauthenticated pages (the status page, its feed and JSON, health),
// kept in memory so that the request edge (edge.ts) can answer a flood of readers without
// entering Next at all. A route handler builds its response once and `rememberPublicResponse`s
// it; the edge serves it until it expires or is invalidated (a change announced through NOTIFY,
// on every instance). Once stale, one request goes through to rebuild it while the others get the
// previous copy: a thousand readers arriving together never become a thousand renders, and a
// database outage leaves the last good copy up.
export type PublicResponse = { status: number; headers: Record<string, string>; body: Buffer };

type Entry = PublicResponse & { freshUntil: number; invalidated: boolean; rebuildingUntil: number };

// How long one request may take to rebuild before another is let through to try.
const REBUILD_GRACE_MS = 5_000;

const globalForCache = globalThis as unknown as { sitrepPublicResponses?: Map<string, Entry> };
const entries = (globalForCache.sitrepPublicResponses ??= new Map());

/** Stores the response of `path` (a pathname; queries are ignored) for `maxAgeMs`. */
export function rememberPublicResponse(path: string, response: PublicResponse, maxAgeMs: number): void {
  entries.set(path, { ...response, freshUntil: Date.now() + maxAgeMs, invalidated: false, rebuildingUntil: 0 });
}

/** Marks responses stale (all of them, or those whose path starts with `prefix`); they are served until rebuilt. */
export function invalidatePublicResponses(prefix = ''): void {
  for (const [path, entry] of entries) if (path.startsWith(prefix)) entry.invalidated = true;
}

/**
 * What the edge should do for a GET of `path`: `serve` a copy, or `rebuild` (go through to the
 * route, which remembers a fresh one). The first caller after expiry rebuilds; callers within
 * the rebuild's grace get the stale copy.
 */
export function publicResponseFor(path: string, now = Date.now()): { serve: PublicResponse } | 'rebuild' | null {
  const entry = entries.get(path);
  if (!entry) return null;
  if (!entry.invalidated && entry.freshUntil > now) return { serve: entry };
  if (entry.rebuildingUntil > now) return { serve: entry };
  entry.rebuildingUntil = now + REBUILD_GRACE_MS;
  return 'rebuild';
}

/** Builds the Response a route returns and remembers it for the edge. */
export function publicResponse(path: string, body: string, headers: Record<string, string>, options: { status?: number; maxAgeMs: number }): Response {
  const status = options.status ?? 200;
  const bytes = Buffer.from(body, 'utf8');
  const allHeaders = { ...headers, 'content-length': String(bytes.byteLength) };
  rememberPublicResponse(path, { status, headers: allHeaders, body: bytes }, options.maxAgeMs);
  return new Response(bytes, { status, headers: allHeaders });
}
