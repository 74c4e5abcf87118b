// Builds a route handler from an Operation: request id → authentication (bearer token, or the
// session cookie for reads) → permission → params/query/body validation → handler → errors as
// problem+json. Nothing reaches a handler unauthorised or unvalidated.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { getServerSession } from 'next-auth';
import type { z } from 'zod';
import type { Operation } from '@/lib/platform/http/operation';
import { problem } from '@/lib/platform/http/problem';
import { authOptions } from '@/lib/platform/auth/options';
import { can, describePermission, type Actor } from '@/lib/platform/auth/policy';
import { DatabaseUnavailableError, databaseUnavailable, DomainError, fieldErrorsFromZod, RateLimitedError, refuseUnstorableText, ValidationError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { authenticateToken, findActiveActor } from '@/lib/platform/auth/principal';

export type ApiContext<P, Q, B, A> = {
  actor: A;
  params: P;
  query: Q;
  body: B;
  request: Request;
  requestId: string;
};

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const SAFE_METHODS = new Set(['GET', 'HEAD']);

async function authenticate(request: Request): Promise<Actor | null> {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? authenticateToken(match[1]!) : null;
  }
  // Browsers reading the API (live views) use their session; writes need a token, which keeps
  // cross-site form posts from riding on the cookie.
  if (!SAFE_METHODS.has(request.method)) return null;
  const session = await getServerSession(authOptions);
  return session?.user?.id ? findActiveActor(session.user.id) : null;
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json');
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

export type RouteOptions = {
  /**
   * A second credential the route accepts from requests without an Authorization header (a
   * calendar feed's secret `?key=`, for apps that cannot send headers): who it acts for, null when
   * the request carries it but it is wrong (401), undefined when the request does not carry it
   * (then the session counts). It still needs the operation's permission. Gets the raw path
   * parameters to check its scope.
   */
  credential?: (request: Request, params: Record<string, string | string[] | undefined>) => Promise<Actor | null | undefined>;
};

export function apiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, Authed extends boolean = true>(
  operation: Operation<P, Q, B>,
  handler: (context: ApiContext<z.output<P>, z.output<Q>, z.output<B>, Authed extends true ? Actor : Actor | null>) => Promise<Response>,
  options: RouteOptions = {},
) {
  return async (request: Request, routeContext: RouteContext): Promise<Response> => {
    const requestId = request.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    try {
      let actor: Actor | null = null;
      if (operation.permission) {
        const other = options.credential && !request.headers.get('authorization') ? await options.credential(request, (await routeContext.params) ?? {}) : undefined;
        actor = other === undefined ? await authenticate(request) : other;
        if (!actor) {
          const detail = request.headers.get('authorization')
            ? 'The API token is unknown, revoked, or belongs to a disabled user.'
            : 'Send an API token as `Authorization: Bearer <token>`; create one under Settings → API tokens.';
          return problem(401, 'Unauthenticated', detail, requestId, { headers: { 'www-authenticate': 'Bearer' } });
        }
        if (!can(actor, operation.permission)) {
          return problem(403, 'Forbidden', `This needs ${describePermission(operation.permission)}; your role is ${actor.role}.`, requestId);
        }
      }

      const rawParams = await routeContext.params;
      for (const value of Object.values(rawParams ?? {})) {
        if ([value].flat().some((part) => part?.includes('\u0000'))) return problem(404, 'Not found', 'No such resource: the path contains a NUL character.', requestId);
      }
      const params = operation.params ? operation.params.safeParse(rawParams) : { success: true as const, data: rawParams };
      if (!params.success) {
        const errors = fieldErrorsFromZod(params.error);
        return problem(404, 'Not found', `No such resource: ${errors.map((e) => e.message).join('; ')}`, requestId);
      }

      const url = new URL(request.url);
      const rawQuery = Object.fromEntries(url.searchParams);
      refuseUnstorableText(rawQuery, 'query');
      const query = operation.query ? operation.query.safeParse(rawQuery) : { success: true as const, data: {} };
      if (!query.success) throw new ValidationError(fieldErrorsFromZod(query.error).map((e) => ({ ...e, path: `query.${e.path}` })));

      let body: unknown = undefined;
      if (operation.body && !operation.rawBody) {
        const text = await request.text();
        let raw: unknown;
        try {
          raw = text.trim() === '' ? {} : JSON.parse(text);
        } catch (error) {
          return problem(400, 'Bad request', `The body is not valid JSON: ${(error as Error).message}`, requestId);
        }
        refuseUnstorableText(raw);
        const parsed = operation.body.safeParse(raw);
        if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error));
        body = parsed.data;
      }

      const response = await handler({
        actor: actor as Authed extends true ? Actor : Actor | null,
        params: params.data as z.output<P>,
        query: query.data as z.output<Q>,
        body: body as z.output<B>,
        request,
        requestId,
      });
      response.headers.set('x-request-id', requestId);
      return response;
    } catch (thrown) {
      const error = databaseUnavailable(thrown) ?? thrown;
      if (error instanceof ValidationError) return problem(422, error.title, error.message, requestId, { errors: error.errors });
      if (error instanceof RateLimitedError || error instanceof DatabaseUnavailableError) {
        return problem(error.status, error.title, error.message, requestId, { headers: { 'retry-after': String(error.retryAfterSeconds) } });
      }
      if (error instanceof DomainError) return problem(error.status, error.title, error.message, requestId);
      log.error('api request failed', { requestId, method: request.method, path: new URL(request.url).pathname, error });
      return problem(500, 'Internal error', `Something went wrong on our side; quote request id ${requestId} when reporting it.`, requestId);
    }
  };
}
