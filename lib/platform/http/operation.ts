// An API operation: its method, path, permission and zod schemas. Route handlers are built from
// it (lib/platform/http/route.ts) and the OpenAPI document is generated from the same objects, so the
// contract and the code can't drift apart.
import type { z } from 'zod';
import type { Permission } from '@/lib/platform/auth/policy';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> = {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/v1/users/{id}`. */
  path: string;
  summary: string;
  tag: string;
  /** null: no user authentication (health, schema, public status, or `ownCredential`). */
  permission: Permission | null;
  /**
   * With `permission: null`: the handler checks a credential of its own instead of a user's token
   * (what it is, for the OpenAPI document), and answers 401 without it.
   */
  ownCredential?: string;
  /**
   * The handler reads the body itself (`readBody`): for senders whose payloads are validated item by
   * item, and bodies refused above `maxBytes` before they are buffered. `body` then only documents it.
   */
  rawBody?: { maxBytes: number };
  params?: P;
  query?: Q;
  body?: B;
  /** The largest body this operation reads, in bytes (default 1 MiB: platform/http/body.ts). */
  maxBodyBytes?: number;
  /** Success responses; errors are always problem+json. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
};

export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  operation: Operation<P, Q, B>,
): Operation<P, Q, B> {
  return operation;
}
