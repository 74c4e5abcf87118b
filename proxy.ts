// Sends signed-out visitors of app pages to /login (and back afterwards). A convenience only:
// every page, server action and API route checks the session or token itself (lib/auth).
import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/lib/platform/env';

export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: env.AUTH_SECRET });
  if (token) return NextResponse.next();
  const login = new URL('/login', request.url);
  const target = request.nextUrl.pathname + request.nextUrl.search;
  if (target !== '/') login.searchParams.set('callbackUrl', target);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but sign-in, the APIs (they answer 401 themselves), the public status page, page
  // acknowledge links (their token is the credential) and static files.
  matcher: ['/((?!login|api/|status|ack/|_next/|favicon.ico|robots.txt|.*\\.(?:png|svg|ico|jpg|webp|txt|xml)$).*)'],
};
