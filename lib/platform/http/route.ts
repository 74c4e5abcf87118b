// Builds a route handler from an Operation: request id → authentication (bearer token, or the
// session cookie for reads) → permission → params/query/body validation → handler → errors as
// problem+json. Nothing reaches a handler unauthorised or unvalidated. The body is read with the
// operation's size limit (body.ts); validation runs every field check at once, including checks
// that ask the database (async refinements), so a 422 lists everything that is wrong.
import 'server-only';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Operation } from '@/lib/platform/http/operation';
import { problem } from '@/lib/platform/http/problem';
import { can, describePermission, type Actor } from '@/lib/platform/auth/policy';
import { sessionFromCookies } from '@/lib/platform/auth/session';
import { DatabaseUnavailableError, databaseUnavailable, DomainError, fieldErrorsFromZod, RateLimitedError, refuseUnstorableText, ValidationError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { authenticateSession, authenticateToken, isKnownCredential, withCredentialCheck, type CredentialCheck } from '@/lib/platform/auth/principal';
import { DEFAULT_BODY_LIMIT, parseJsonText, readBodyText } from '@/lib/platform/http/body';
import { clientAddress } from '@/lib/platform/http/client-address';
import { failedAuthRetryAfter, recordFailedAuth } from '@/lib/platform/http/rate-limit';

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

type Authenticated = { actor: Actor; check: CredentialCheck } | null;

async function authenticate(request: Request): Promise<Authenticated> {
  const header = request.headers.get('authorization');
  if (header) {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    // A made-up token costs nothing here: it is refused before any query once its address has
    // spent its budget of credentials that did not work.
    const wait = token && isKnownCredential(token) ? 0 : failedAuthRetryAfter(clientAddress(request.headers));
    if (wait > 0) throw new RateLimitedError('Too many requests with unknown or revoked API tokens from your address; wait and retry with a valid token.', wait);
    const actor = token ? await authenticateToken(token) : null;
    if (!actor) {
      recordFailedAuth(clientAddress(request.headers));
      return null;
    }
    return { actor, check: async () => (await authenticateToken(token!))?.id === actor.id };
  }
  // Browsers reading the API (live views) use their session; writes need a token, which keeps
  // cross-site form posts from riding on the cookie.
  if (!SAFE_METHODS.has(request.method)) return null;
  const session = await sessionFromCookies(request.headers.get('cookie'), clientAddress(request.headers));
  if (!session) return null;
  const { actor, sessionId } = session;
  return { actor, check: async () => (await authenticateSession(sessionId, actor.id)) !== null };
}

/**
 * `Cache-Control` for an answer of `bytes`: `no-transform` on one under 1 KB tells Next's
 * compression to leave it alone. It would gzip it all the same (Next drops a stated length, the
 * only thing that tells it the answer is small), which costs an alert intake request a tenth of
 * its CPU to save a few dozen bytes.
 */
export function smallAnswerCacheControl(cacheControl: string, bytes: number): string {
  return bytes < 1024 && !/no-transform/i.test(cacheControl) ? `${cacheControl}, no-transform` : cacheControl;
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  const text = JSON.stringify(body);
  headers.set('content-type', 'application/json');
  headers.set('cache-control', smallAnswerCacheControl(headers.get('cache-control') ?? 'no-store', Buffer.byteLength(text)));
  return new Response(text, { ...init, headers });
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
      let check: CredentialCheck | undefined;
      if (operation.permission) {
        const other = options.credential && !request.headers.get('authorization') ? await options.credential(request, (await routeContext.params) ?? {}) : undefined;
        const authenticated = other === undefined ? await authenticate(request) : other && { actor: other, check: async () => (await options.credential!(request, (await routeContext.params) ?? {}))?.id === other.id };
        actor = authenticated?.actor ?? null;
        check = authenticated?.check;
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
      const params = operation.params ? await operation.params.safeParseAsync(rawParams) : { success: true as const, data: rawParams };
      if (!params.success) {
        const errors = fieldErrorsFromZod(params.error);
        return problem(404, 'Not found', `No such resource: ${errors.map((e) => e.message).join('; ')}`, requestId);
      }

      const url = new URL(request.url);
      const rawQuery = Object.fromEntries(url.searchParams);
      refuseUnstorableText(rawQuery, 'query');
      const query = operation.query ? await operation.query.safeParseAsync(rawQuery) : { success: true as const, data: {} };
      if (!query.success) throw new ValidationError(fieldErrorsFromZod(query.error).map((e) => ({ ...e, path: `query.${e.path}` })));

      let body: unknown = undefined;
      if (operation.body && !operation.rawBody) {
        const text = await readBodyText(request, operation.maxBodyBytes ?? DEFAULT_BODY_LIMIT);
        const raw = text.trim() === '' ? {} : parseJsonText(text);
        refuseUnstorableText(raw);
        const parsed = await operation.body.safeParseAsync(raw);
        if (!parsed.success) throw new ValidationError(fieldErrorsFromZod(parsed.error));
        body = parsed.data;
      }

      const context = {
        actor: actor as Authed extends true ? Actor : Actor | null,
        params: params.data as z.output<P>,
        query: query.data as z.output<Q>,
        body: body as z.output<B>,
        request,
        requestId,
      };
      // Live streams started by the handler re-check the credential while they stay open (live/sse.ts).
      const response = await (check ? withCredentialCheck(check, () => handler(context)) : handler(context));
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
