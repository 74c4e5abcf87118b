'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { sendNotificationChannelTest, setNotificationChannelEnabled } from '@/lib/notifications/actions';

/** "Send test" and Enable/Disable for one channel: in the list's rows and on the edit page. */
export function ChannelControls({ channel, compact = false }: { channel: { id: string; name: string; disabled: boolean }; compact?: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const size = compact ? 'px-2 py-0.5 text-xs' : '';

  function run(work: () => Promise<string | null>) {
    setMessage(null);
    setError(null);
    startTransition(async () => {
      const failure = await work();
      if (failure) setError(failure);
      router.refresh();
    });
  }

  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-1.5">
        <Button
          variant="secondary"
          className={size}
          disabled={pending || channel.disabled}
          aria-label={`Send a test notification to “${channel.name}”`}
          title={channel.disabled ? 'Enable the channel first' : undefined}
          onClick={() =>
            run(async () => {
              const result = await sendNotificationChannelTest(null, { id: channel.id });
              if (!result.ok) return result.error;
              setMessage('Test queued; its result shows on the channel’s page within seconds.');
              return null;
            })
          }
        >
          Send test
        </Button>
        <Button
          variant={channel.disabled ? 'primary' : 'danger'}
          className={size}
          disabled={pending}
          aria-label={`${channel.disabled ? 'Enable' : 'Disable'} “${channel.name}”`}
          onClick={() =>
            run(async () => {
              const result = await setNotificationChannelEnabled(null, { id: channel.id, enabled: channel.disabled });
              return result.ok ? null : result.error;
            })
          }
        >
          {channel.disabled ? 'Enable' : 'Disable'}
        </Button>
      </div>
      <p role="status" aria-live="polite" className="text-xs text-emerald-700 empty:hidden dark:text-emerald-400">
        {message}
      </p>
      {error ? (
        <p role="alert" className="max-w-72 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
