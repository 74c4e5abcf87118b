import { notFound } from 'next/navigation';
import { ChannelControls } from '@/components/notifications/channel-controls';
import { ChannelEditor } from '@/components/notifications/channel-editor';
import { NotificationList } from '@/components/notifications/notification-list';
import { Forbidden } from '@/components/shell/forbidden';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { env } from '@/lib/platform/env';
import { listSeverities } from '@/lib/severities/queries';
import { getChannel, listChannelNotifications } from '@/lib/notifications/queries';

export const metadata = { title: 'Edit notification channel' };

export default async function EditNotificationChannelPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins change notification channels." />;
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const [channel, severities, recent] = await Promise.all([getChannel(id), listSeverities(), listChannelNotifications(id)]);
  if (!channel) notFound();
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
      <Card title={`Edit ${channel.name}`}>
        <ChannelEditor channel={channel} severities={severities.map(({ key, name }) => ({ key, name }))} smtpConfigured={Boolean(env.SITREP_SMTP_URL)} />
      </Card>
      <div className="min-w-0 space-y-4">
        <Card title="Status">
          {channel.disabled ? (
            <p className="mb-2 text-sm text-red-700 dark:text-red-400">Disabled: {channel.disabled.reason}. Nothing is sent to it until it is enabled.</p>
          ) : (
            <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">Enabled. A receiver answering 410 Gone disables it.</p>
          )}
          <ChannelControls channel={{ id: channel.id, name: channel.name, disabled: Boolean(channel.disabled) }} />
        </Card>
        <Card title="Recent notifications">
          <NotificationList notifications={recent} />
        </Card>
      </div>
    </div>
  );
}
