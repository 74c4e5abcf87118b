// The one way to write a server action: session → permission → validation → handler → error
// mapping. Every export of an `actions.ts` file is built with `defineAction`, so no action can
// forget to authorise (tests/e2e/authorization.spec.ts calls each one anonymously and as a viewer).
import 'server-only';
import { randomUUID } from 'node:crypto';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { can, describePermission, type Actor, type Permission } from '@/lib/platform/auth/policy';
import { getCurrentActor } from '@/lib/platform/auth/session';
import { databaseUnavailable, DomainError, fieldErrorsFromZod, refuseUnstorableText, ValidationError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';

export type ActionResult<T> =
  | { ok: true; data: T; message?: string }
  | { ok: false; status: number; error: string; fieldErrors?: Record<string, string>; requestId?: string };

/** What `useActionState` holds before the first submit. */
export type ActionState<T> = ActionResult<T> | null;

export type ActionContext = { actor: Actor; requestId: string };

function formDataToObject(formData: FormData): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith('$ACTION')) continue; // React's own bookkeeping fields
    result[key] = value;
  }
  return result;
}

function fieldErrorMap(errors: { path: string; message: string }[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { path, message } of errors) map[path || '_'] ??= message;
  return map;
}

export function defineAction<S extends z.ZodType, T>(
  permission: Permission,
  schema: S,
  handler: (input: z.output<S>, context: ActionContext) => Promise<T>,
) {
  return async (_previous: ActionState<T>, input: FormData | z.input<S>): Promise<ActionResult<T>> => {
    const requestId = randomUUID();
    try {
      const actor = await getCurrentActor();
      if (!actor) return { ok: false, status: 401, error: 'Your session has ended; sign in again.', requestId };
      if (!can(actor, permission)) {
        return { ok: false, status: 403, error: `This needs ${describePermission(permission)}; you are a ${actor.role}.`, requestId };
      }
      const raw = input instanceof FormData ? formDataToObject(input) : input;
      refuseUnstorableText(raw);
      // Async: field checks that ask the database run with the others (lib/platform/validation.ts).
      const parsed = await schema.safeParseAsync(raw);
      if (!parsed.success) {
        const errors = fieldErrorsFromZod(parsed.error);
        return { ok: false, status: 422, error: 'Check the highlighted fields.', fieldErrors: fieldErrorMap(errors), requestId };
      }
      return { ok: true, data: await handler(parsed.data, { actor, requestId }) };
    } catch (thrown) {
      unstable_rethrow(thrown); // redirect() and notFound() are control flow, not failures
      const error = databaseUnavailable(thrown) ?? thrown;
      if (error instanceof ValidationError) {
        return { ok: false, status: 422, error: error.message, fieldErrors: fieldErrorMap(error.errors), requestId };
      }
      if (error instanceof DomainError) return { ok: false, status: error.status, error: error.message, requestId };
      log.error('server action failed', { requestId, error });
      return { ok: false, status: 500, error: `Something went wrong on our side (request ${requestId}); try again.`, requestId };
    }
  };
}
