'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/platform/auth/action';

/**
 * Runs an incident server action and keeps its outcome for the form: on success the action's
 * revalidation re-renders the page; when someone else changed the incident first (412), the
 * message says who and the page is refreshed so the current state is shown beside it.
 */
export function useIncidentAction() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function run<T>(action: () => Promise<ActionResult<T>>, onSuccess?: (data: T) => void) {
    setError(null);
    setFieldErrors({});
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        onSuccess?.(result.data);
        return;
      }
      // Compact forms have no room to highlight fields, so the field messages are the message.
      const fieldMessages = Object.values(result.fieldErrors ?? {});
      setError(result.status === 412 ? `${result.error} The current state is shown now.` : fieldMessages.length ? fieldMessages.join(' ') : result.error);
      setFieldErrors(result.fieldErrors ?? {});
      if (result.status === 412 || result.status === 409) router.refresh();
    });
  }

  return { run, pending, error, fieldErrors, clear: () => setError(null) };
}
