// Where to go after signing in. Only a path on this site is followed, judged the way a browser
// will read it: browsers drop tabs and newlines anywhere in a URL and treat `\` like `/`, so
// `/%09/evil.example` (a tab, once decoded) is `//evil.example`, another site. The value is
// parsed with the WHATWG URL parser against this site's origin and kept only if it stays here.
const ORIGIN = 'http://sitrep.invalid';

/**
 * `value` as the path on this site a browser would request, or null when a browser would leave
 * the site (`//host/x`, `/\host`, `/%09/host`, `https://…`) or it is no path at all.
 */
export function sameSitePath(value: string): string | null {
  if (value.length > 2_000) return null;
  // What the URL parser would strip anyway, made explicit: leading/trailing C0 controls and spaces, tabs and newlines anywhere.
  const cleaned = value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (!cleaned.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(cleaned, ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Two leading slashes (or a backslash, which the parser made one) would read as another host once sent back.
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  return path;
}

export function safeCallbackUrl(value: unknown): string {
  const path = typeof value === 'string' ? sameSitePath(value) : null;
  if (path === null) return '/';
  if (path === '/login' || path.startsWith('/login?') || path.startsWith('/login/') || path.startsWith('/api/auth')) return '/';
  return path;
}
