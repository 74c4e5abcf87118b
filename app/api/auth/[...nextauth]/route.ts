import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { authOptions } from '@/lib/platform/auth/options';
import { readBodyText } from '@/lib/platform/http/body';
import { PayloadTooLargeError } from '@/lib/platform/errors';
import { problem } from '@/lib/platform/http/problem';
import { provisionSsoUser } from '@/lib/users/sso';

const handler = NextAuth({ ...authOptions, callbacks: { ...authOptions.callbacks, signIn: provisionSsoUser } });

// A sign-in form is a few hundred bytes. The body is read with this limit before next-auth gets
// it, so nobody can make the server buffer a 200 MB "password" (chunked, with no length to refuse it by).
const AUTH_BODY_LIMIT = 64 * 1024;

type Context = { params: Promise<{ nextauth: string[] }> };

async function post(request: NextRequest, context: Context): Promise<Response> {
  let body: string;
  try {
    body = await readBodyText(request, AUTH_BODY_LIMIT);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) return problem(413, error.title, error.message, crypto.randomUUID());
    throw error;
  }
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  return handler(new NextRequest(request.url, { method: 'POST', headers, body }), context);
}

export { handler as GET, post as POST };
