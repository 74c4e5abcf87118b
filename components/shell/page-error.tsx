'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';

const POLL_MS = 2_000;

/**
 * What a page that failed to render shows. It asks /api/health at once and then every 2 s: while
 * the database is down it says so and keeps retrying, and once it is back it renders the page
 * again by itself (no reload, nothing typed elsewhere on the screen lost).
 */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [databaseDown, setDatabaseDown] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    let sawOutage = false;
    const poll = async () => {
      const up = await fetch('/api/health', { cache: 'no-store' }).then(
        (response) => response.ok,
        () => false,
      );
      if (stopped) return;
      if (!up) {
        sawOutage = true;
        setDatabaseDown(true);
      } else if (sawOutage) {
        // Back: render again from the server.
        router.refresh();
        reset();
        return;
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [reset, router]);

  if (databaseDown) {
    return (
      <div role="alert" className="mx-auto max-w-lg rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-900 dark:bg-amber-950">
        <h1 className="font-semibold text-amber-900 dark:text-amber-200">Database unavailable, retrying…</h1>
        <p className="mt-1 text-amber-800 dark:text-amber-300">Sitrep can&apos;t reach its database right now. This page comes back by itself as soon as it can; nothing saved is lost.</p>
      </div>
    );
  }
  // Expected errors (e.g. a role too low) carry a message meant for people; others don't reach the browser.
  const message = error.digest ? 'Something went wrong loading this page.' : error.message;
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-red-50 p-4 text-sm dark:border-red-900 dark:bg-red-950">
      <h1 className="font-semibold text-red-800 dark:text-red-200">This page could not be shown</h1>
      <p className="mt-1 text-red-700 dark:text-red-300">
        {message}
        {error.digest ? ` (reference ${error.digest})` : ''}
      </p>
      <Button variant="secondary" className="mt-3" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
