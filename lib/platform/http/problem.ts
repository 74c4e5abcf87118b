// RFC 9457 problem details: the only error shape /api/v1 answers with.
import { z } from 'zod';
import type { FieldError } from '@/lib/platform/errors';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

const slugs: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  422: 'validation-failed',
  428: 'precondition-required',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'unavailable',
};

export function problem(
  status: number,
  title: string,
  detail: string,
  requestId: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
): Response {
  const body = {
    type: `urn:sitrep:problem:${slugs[status] ?? 'error'}`,
    title,
    status,
    detail,
    requestId,
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    // Small problems are not worth gzipping (route.ts's smallAnswerCacheControl).
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId, 'cache-control': Buffer.byteLength(text) < 1024 ? 'no-store, no-transform' : 'no-store', ...extra.headers },
  });
}
