'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { rotateRemediationSecret, setRemediationEnabled } from '@/lib/remediation/actions';
import type { ActionDto } from '@/lib/remediation/schema';
import { formatDateTime } from '@/lib/platform/time';

/** The edit page's side panel: enabled or not (410 Gone disables), and the signing secret. */
export function ActionSecurity({ action }: { action: ActionDto }) {
  const router = useRouter();
  const { run, pending, error } = useServerAction();
  const [overlap, setOverlap] = useState('24');
  const [secret, setSecret] = useState<string | null>(null);

  return (
    <div className="space-y-4">
      <Card title="Status">
        {action.disabled ? (
          <p className="mb-2 text-sm text-red-700 dark:text-red-400">Disabled: {action.disabled.reason}. Nobody can fire it until it is enabled.</p>
        ) : (
          <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Enabled: responders can fire it. A receiver answering 410 Gone disables it.</p>
        )}
        <Button
          variant={action.disabled ? 'primary' : 'danger'}
          disabled={pending}
          onClick={() => run(() => setRemediationEnabled(null, { id: action.id, enabled: Boolean(action.disabled) }), () => router.refresh())}
        >
          {action.disabled ? 'Enable action' : 'Disable action'}
        </Button>
      </Card>
      <Card title="Signing secret">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every request carries a Standard Webhooks signature made with this action’s secret (whsec_…). Rotating makes a new one; the old one keeps signing alongside it for the overlap, so receivers can switch without missing a request.
        </p>
        {action.secretRotation ? <p className="mt-2 text-xs text-amber-700 dark:text-amber-400">The previous secret also signs until {formatDateTime(action.secretRotation.previousValidUntil)}.</p> : null}
        <form
          className="mt-3 flex items-end gap-2"
          aria-label="Rotate the signing secret"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () => rotateRemediationSecret(null, { id: action.id, overlapHours: Number(overlap) }),
              (data) => {
                setSecret(data.signingSecret);
                router.refresh();
              },
            );
          }}
        >
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Overlap (hours)
            <input type="number" min={0} max={168} value={overlap} onChange={(e) => setOverlap(e.target.value)} className={`${inputClasses} mt-1 w-24`} />
          </label>
          <Button type="submit" variant="secondary" disabled={pending}>
            Rotate secret
          </Button>
        </form>
        {secret ? (
          <div role="status" className="mt-3 space-y-1.5 rounded-md border border-emerald-300 bg-emerald-50 p-2 text-xs dark:border-emerald-900 dark:bg-emerald-950">
            <p className="font-medium text-emerald-900 dark:text-emerald-200">New secret; copy it now, it will not be shown again:</p>
            <code data-testid="signing-secret" className="block break-all rounded bg-white px-1.5 py-1 font-mono dark:bg-zinc-900">
              {secret}
            </code>
            <Button variant="secondary" className="px-2 py-0.5 text-xs" onClick={() => navigator.clipboard.writeText(secret)}>
              Copy
            </Button>
          </div>
        ) : null}
      </Card>
      <FormOutcome error={error} done={null} />
    </div>
  );
}
