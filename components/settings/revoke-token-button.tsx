'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/platform/auth/action';
import { revokeTokenAction } from '@/lib/tokens/actions';
import type { TokenDto } from '@/lib/tokens/schema';

export function RevokeTokenButton({ token }: { token: TokenDto }) {
  const [state, formAction, pending] = useActionState(revokeTokenAction, null as ActionState<TokenDto>);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!confirm(`Revoke “${token.name}”? Anything using it stops working at once.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="tokenId" value={token.id} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Revoke token ${token.name}`}>
        Revoke
      </Button>
      {state && !state.ok ? <span role="alert" className="ml-2 text-xs text-red-600">{state.error}</span> : null}
    </form>
  );
}
