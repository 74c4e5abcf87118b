'use client';

import { Button } from '@/components/ui/button';
import { ActionForm } from '@/components/ui/action-form';
import { useServerAction } from '@/components/ui/use-server-action';
import { revokeTokenAction } from '@/lib/tokens/actions';
import type { TokenDto } from '@/lib/tokens/schema';

export function RevokeTokenButton({ token }: { token: TokenDto }) {
  const { run, pending, error } = useServerAction();
  return (
    <ActionForm
      action={(formData) => {
        if (confirm(`Revoke “${token.name}”? Anything using it stops working at once.`)) run(() => revokeTokenAction(null, formData));
      }}
    >
      <input type="hidden" name="tokenId" value={token.id} />
      <Button type="submit" variant="danger" disabled={pending} aria-label={`Revoke token ${token.name}`}>
        Revoke
      </Button>
      {error ? <span role="alert" className="ml-2 text-xs text-red-600">{error}</span> : null}
    </ActionForm>
  );
}
