'use client';

import { Button } from '@/components/ui/button';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { signOutEverywhereAction } from '@/lib/users/actions';

/** Ends every session of the signed-in person (a lost laptop, a shared screen), this one included. */
export function SignOutEverywhere({ sessions }: { sessions: number }) {
  const { run, pending, error, done } = useServerAction();
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() => run(() => signOutEverywhereAction(null, {}), () => void import('next-auth/react').then(({ signOut }) => signOut({ callbackUrl: '/login' })))}
      >
        {pending ? 'Signing out…' : `Sign out everywhere (${sessions} session${sessions === 1 ? '' : 's'})`}
      </Button>
      <FormOutcome error={error} done={done} />
    </div>
  );
}
