'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useRef } from 'react';
import type { ActionResult } from '@/lib/platform/auth/action';

type Job = { call: () => Promise<ActionResult<unknown>>; onSuccess?: (data: unknown) => void };
type Outcome = { result: ActionResult<unknown> } | null;

/**
 * THE form hook: every form that calls a server action goes through it (React 19's
 * useActionState underneath, so submits run in order and `pending` is exact). `run` takes the
 * call (any action built with defineAction) and what to do with its data on success; the hook
 * keeps the outcome for the form: `error` (a message for a compact form: field messages joined
 * when the server named fields), `fieldErrors` (to mark fields), `done` (the action's
 * confirmation). When someone else changed the thing first (409, 412) the page is refreshed so
 * the current state shows beside the message. Show `error`/`done` with <FormOutcome>, which
 * announces them (aria-live).
 */
export function useServerAction(options: { refreshOn?: readonly number[] } = {}) {
  const router = useRouter();
  const refreshOn = useRef(options.refreshOn ?? [409, 412]);
  const [outcome, dispatch, pending] = useActionState(async (_previous: Outcome, job: Job): Promise<Outcome> => {
    const result = await job.call();
    if (result.ok) job.onSuccess?.(result.data);
    else if (refreshOn.current.includes(result.status)) router.refresh();
    return { result };
  }, null);

  function run<T>(call: () => Promise<ActionResult<T>>, onSuccess?: (data: T) => void): void {
    startTransition(() => dispatch({ call, onSuccess: onSuccess as ((data: unknown) => void) | undefined }));
  }

  const result = outcome?.result ?? null;
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
  return {
    run,
    pending,
    result,
    /** The refusal as one message, for forms without room to mark fields. */
    error,
    /** The server's own summary when it named fields ("Check the highlighted fields."). */
    summary: failed?.error ?? null,
    fieldErrors,
    done: result?.ok ? (result.message ?? null) : null,
  };
}
