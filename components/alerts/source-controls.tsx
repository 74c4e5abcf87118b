'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { SenderSnippets } from '@/components/alerts/sender-snippets';
import { Button } from '@/components/ui/button';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { deleteAlertSourceAction, rotateAlertSourceTokenAction } from '@/lib/alerts/actions';
import type { AlertSourceDto, CreatedSourceDto } from '@/lib/alerts/schema';

/**
 * How to send to the source (configuration with a placeholder, or with the new token right after
 * a rotation), rotating its token, and deleting it.
 */
export function SourceControls({ source, baseUrl }: { source: AlertSourceDto; baseUrl: string }) {
  const router = useRouter();
  const rotate = useServerAction<CreatedSourceDto>();
  const remove = useServerAction();
  const [token, setToken] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="space-y-4">
      {token ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-900 dark:bg-emerald-950">
          <p className="font-medium text-emerald-900 dark:text-emerald-200">New token: copy it now, it will not be shown again. The old one no longer works.</p>
          <code data-testid="source-token" className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
            {token}
          </code>
        </div>
      ) : null}
      <SenderSnippets kind={source.kind} baseUrl={baseUrl} token={token ?? undefined} />
      <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
        <Button
          variant="secondary"
          disabled={rotate.pending}
          onClick={() => rotate.run(() => rotateAlertSourceTokenAction(null, { id: source.id }), (rotated) => void setToken(rotated.token))}
        >
          {rotate.pending ? 'Rotating…' : 'Rotate token'}
        </Button>
        <span className="text-xs text-zinc-500">Token ends in …{token ? token.slice(-4) : source.tokenHint}</span>
        <span className="flex-1" />
        {confirming ? (
          <>
            <span className="text-xs text-red-700 dark:text-red-400">Delete “{source.name}” and its {source.unresolvedAlerts} unresolved alerts (and its history)?</span>
            <Button variant="danger" disabled={remove.pending} onClick={() => remove.run(() => deleteAlertSourceAction(null, { id: source.id }), () => void router.push('/settings/alerts'))}>
              Delete for good
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </>
        ) : (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Delete source
          </Button>
        )}
      </div>
      <FormOutcome error={rotate.error ?? remove.error} done={null} />
    </div>
  );
}
