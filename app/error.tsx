'use client';

// Errors of the signed-in shell's own layout (it reads the session first, so a database outage
// shows here) land in this boundary rather than (app)/error.tsx.
import { PageError } from '@/components/shell/page-error';

export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="px-4 py-16">
      <PageError {...props} />
    </main>
  );
}
