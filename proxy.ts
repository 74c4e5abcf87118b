// Runs before every page (not the API, not the status page, not server actions: see `config`):
//  - gives the page a Content-Security-Policy with a fresh nonce, which Next puts on its own
//    scripts and the root layout on the theme script (lib/platform/http/security-headers.ts);
//  - during a database outage answers page loads with a 503 "retrying" page that reloads itself
//    once /api/health says the database is back;
//  - sends signed-out visitors of app pages to /login (and back afterwards). A convenience only:
//    every page, server action and API route checks the session or token itself.
import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { env, oidcEnabled } from '@/lib/platform/env';
import { databaseKnownDown } from '@/lib/platform/health-state';
import { pageContentSecurityPolicy } from '@/lib/platform/http/security-headers';

const formActions = oidcEnabled && env.OIDC_ISSUER ? [new URL(env.OIDC_ISSUER).origin] : [];

function retryingPage(nonce: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Database unavailable · Sitrep</title></head>
<body style="font:15px/1.5 system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;margin:0"><main role="alert" style="max-width:28rem;padding:1rem">
<h1 style="font-size:1.1rem">Database unavailable, retrying…</h1><p>Sitrep can't reach its database right now. This page comes back by itself as soon as it can; nothing you saved is lost.</p></main>
<script nonce="${nonce}">(function poll(){fetch('/api/health',{cache:'no-store'}).then(function(r){if(r.ok)location.reload();else setTimeout(poll,2000)},function(){setTimeout(poll,2000)})})()</script></body></html>`;
}

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = pageContentSecurityPolicy(nonce, { dev: env.NODE_ENV === 'development', formActions });

  if (request.method === 'GET' && databaseKnownDown()) {
    return new NextResponse(retryingPage(nonce), {
      status: 503,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5', 'content-security-policy': csp },
    });
  }

  const { pathname } = request.nextUrl;
  if (pathname !== '/login' && !(await getToken({ req: request, secret: env.AUTH_SECRET }))) {
    const login = new URL('/login', request.url);
    const target = pathname + request.nextUrl.search;
    if (target !== '/') login.searchParams.set('callbackUrl', target);
    return NextResponse.redirect(login);
  }

  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: the API answers 401 itself, the status page and page acknowledge links
      // (/ack/<token>, no session) set policies of their own, files are files.
      source: '/((?!api/|status|ack/|_next/|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|jpg|webp|txt|xml)$).*)',
      // Server actions carry their own checks; going through here would only buffer their bodies.
      missing: [{ type: 'header', key: 'next-action' }],
    },
  ],
};
