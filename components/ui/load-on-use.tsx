'use client';
// Code that a page needs only once someone asks for it (a dialog's form, an editor) loads on
// first use instead of with the page: `loadOnUse` wraps the dynamic import, `useLoadOnUse` gives
// a component what it loaded and whether the load failed. Loaded by hand rather than with
// React.lazy: lazy keeps a failed load for good and throws it to the error page, where a
// responder on a flaky connection should instead be told, and get the code when they try again.
import { useCallback, useState } from 'react';

/** One load at a time, shared by every caller; a failed load is forgotten so the next call retries. */
export function loadOnUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    }));
}

/**
 * `load()` loads (at once if already loaded) and keeps the result for rendering; `preload()` starts
 * the load early (when a button is pointed at or focused) and ignores its failure.
 */
export function useLoadOnUse<T>(load: () => Promise<T>): { loaded: T | null; failed: boolean; load: () => void; preload: () => void } {
  const [loaded, setLoaded] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const start = useCallback(() => {
    load().then(
      (value) => {
        // A component is a function: store it as the value, not as an updater.
        setLoaded(() => value);
        setFailed(false);
      },
      () => setFailed(true),
    );
  }, [load]);
  const preload = useCallback(() => void load().catch(() => undefined), [load]);
  return { loaded, failed, load: start, preload };
}

/** What a button says under itself when the code it opens did not load. */
export function LoadFailed({ id, what }: { id: string; what: string }) {
  return (
    // It hangs below the button, so the layout around it does not move.
    <span
      id={id}
      role="alert"
      className="absolute right-0 top-full z-20 mt-1 w-56 rounded-md border border-red-300 bg-white px-2 py-1.5 text-left text-xs font-normal text-red-700 shadow-md dark:border-red-800 dark:bg-zinc-900 dark:text-red-300"
    >
      {what} did not load; check the connection and press again.
    </span>
  );
}
