'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useCallback, useRef } from 'react';
import type { ActionResult } from '@/lib/platform/auth/action';

type Job = { call: () => Promise<ActionResult<unknown>>; onSuccess?: (data: unknown) => string | void };
type Outcome = { result: ActionResult<unknown>; done: string | null } | null;

/**
 * THE form hook: every form that calls a server action goes through it (React 19's
 * useActionState underneath, so submits run in order and `pending` is exact). `run` takes the
 * call (any action built with defineAction) and what to do with its data on success (return a
 * sentence to confirm it: it becomes `done`); the hook
 * keeps the outcome for the form: `error` (a message for a compact form: field messages joined
 * when the server named fields), `fieldErrors` (to mark fields), `done` (the action's
 * confirmation). When someone else changed the thing first (409, 412) the page is refreshed so
 * the current state shows beside the message. Show `error`/`done` with <FormOutcome>, which
 * announces them (aria-live).
 */
export function useServerAction<Result = unknown>(options: { refreshOn?: readonly number[] } = {}) {
  const router = useRouter();
  const refreshOn = useRef(options.refreshOn ?? [409, 412]);
  const [outcome, dispatch, pending] = useActionState(async (_previous: Outcome, job: Job | null): Promise<Outcome> => {
    if (job === null) return null; // reset()
    const result = await job.call();
    let done: string | null = null;
    if (result.ok) done = job.onSuccess?.(result.data) ?? result.message ?? null;
    else if (refreshOn.current.includes(result.status)) router.refresh();
    return { result, done };
  }, null);

  const reset = useCallback(() => startTransition(() => dispatch(null)), [dispatch]);

  function run<T>(call: () => Promise<ActionResult<T>>, onSuccess?: (data: T) => string | void): void {
    startTransition(() => dispatch({ call, onSuccess: onSuccess as Job['onSuccess'] }));
  }

  // The data of the last success, typed by the caller (`useServerAction<UserDto>()`) when it reads it.
  const result = (outcome?.result ?? null) as ActionResult<Result> | null;
  const failed = result && !result.ok ? result : null;
  const fieldErrors = failed?.fieldErrors ?? {};
  const fieldMessages = Object.values(fieldErrors);
  const error = failed
    ? failed.status === 412
      ? `${failed.error} The current state is shown now.`
      : fieldMessages.length
        ? fieldMessages.join(' ')
        : failed.error
    : null;
  /**
   * The refusal for the bottom of a form whose fields show their own messages: what no field
   * shows (`placed(path)` says which paths have a place), or a pointer to the marked fields, so
   * nothing is said twice.
   */
  function errorBesides(placed: (path: string) => boolean): string | null {
    if (!failed) return null;
    const entries = Object.entries(fieldErrors);
    if (entries.length === 0) return error;
    const unplaced = entries.filter(([path]) => !placed(path));
    return unplaced.length ? unplaced.map(([, message]) => message).join(' ') : 'Check the marked fields.';
  }

  return {
    run,
    /** Forgets the last outcome (a dialog opened again starts clean). */
    reset,
    errorBesides,
    pending,
    result,
    /** The refusal as one message, for forms without room to mark fields. */
    error,
    /** The server's own summary when it named fields ("Check the highlighted fields."). */
    summary: failed?.error ?? null,
    fieldErrors,
    done: outcome?.done ?? null,
  };
}
