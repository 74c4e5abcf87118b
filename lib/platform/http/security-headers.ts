// Security headers. Every response gets the common ones from the request edge (edge.ts); pages
// get a Content-Security-Policy with a fresh nonce from proxy.ts, which Next puts on its own
// scripts. Images may come only from this site, data: and blob: URLs, so an image in a note or a
// runbook can't reach another host unless a person asks for it (the Markdown renderer's
// click-to-load). Pages may not be framed, except the public status page where
// SITREP_STATUS_FRAME_ANCESTORS allows it.

/** `frame-ancestors` for the status page: 'none' unless the installation lists who may embed it. */
export function statusFrameAncestors(configured: string | undefined): string {
  const sources = (configured ?? '').split(/[\s,]+/).filter(Boolean);
  return sources.length ? sources.join(' ') : "'none'";
}

/** Headers every response carries. */
export function commonSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    // For responses that are not pages (API, files): nothing may run, load or frame them.
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** The policy of an app page: Next's scripts carry the nonce; 'strict-dynamic' lets them load their chunks. */
export function pageContentSecurityPolicy(nonce: string, options: { dev: boolean; formActions?: string[] }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    // React writes style attributes (virtualised lists, progress bars); styles can't run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${options.formActions?.length ? ` ${options.formActions.join(' ')}` : ''}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The public status page's policy: it runs no script at all and styles itself with one inline
 * block (`styleHash`); its logo may come from any https host the admin chose.
 */
export function statusPageContentSecurityPolicy(styleHash: string, frameAncestors: string): string {
  return [
    "default-src 'none'",
    `style-src '${styleHash}'`,
    "img-src 'self' data: https:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}
