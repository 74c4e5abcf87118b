'use client';

import { Button } from '@/components/ui/button';

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
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
