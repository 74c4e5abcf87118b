'use client';

import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { sendNotificationChannelTest, setNotificationChannelEnabled } from '@/lib/notifications/actions';

/** "Send test" and Enable/Disable for one channel: in the list's rows and on the edit page. */
export function ChannelControls({ channel, compact = false }: { channel: { id: string; name: string; disabled: boolean }; compact?: boolean }) {
  const router = useRouter();
  const { run, pending, error, result } = useServerAction<{ tested?: true }>();
  const size = compact ? 'px-2 py-0.5 text-xs' : '';
  const message = result?.ok && result.data.tested ? 'Test queued; its result shows on the channel’s page within seconds.' : null;

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
            run(
              async () => {
                const sent = await sendNotificationChannelTest(null, { id: channel.id });
                return sent.ok ? { ok: true as const, data: { tested: true as const } } : sent;
              },
              () => router.refresh(),
            )
          }
        >
          Send test
        </Button>
        <Button
          variant={channel.disabled ? 'primary' : 'danger'}
          className={size}
          disabled={pending}
          aria-label={`${channel.disabled ? 'Enable' : 'Disable'} “${channel.name}”`}
          onClick={() => run(() => setNotificationChannelEnabled(null, { id: channel.id, enabled: channel.disabled }), () => router.refresh())}
        >
          {channel.disabled ? 'Enable' : 'Disable'}
        </Button>
      </div>
      <FormOutcome error={error} done={message} className="max-w-72 text-xs" />
    </div>
  );
}
