import Link from 'next/link';
import { ChannelControls } from '@/components/notifications/channel-controls';
import { Forbidden } from '@/components/shell/forbidden';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { listChannels } from '@/lib/notifications/queries';
import { eventLabels, kindNames } from '@/lib/notifications/schema';

export const metadata = { title: 'Notifications' };

export default async function NotificationChannelsPage() {
  const actor = await requireUser('read');
  if (!can(actor, 'settings.manage')) return <Forbidden what="Only admins see and change notification channels." />;
  const channels = await listChannels();
  return (
    <Card title={`Notification channels (${channels.length})`} actions={<Link href="/settings/notifications/new" className={buttonClasses('primary', 'px-2 py-1 text-xs')}>New channel</Link>}>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Where Sitrep announces incidents: Slack or Teams channels, your own webhook, or e-mail. Each channel picks the events and severities it hears about; every message sent about an incident is on its timeline.
      </p>
      {channels.length === 0 ? (
        <p className="text-sm text-zinc-500">No channels yet. Create one, then use Send test to check it.</p>
      ) : (
        <div className="-mx-4 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Notification channels</caption>
            <thead className="text-left text-xs text-zinc-500">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium">Sends to</th>
                <th scope="col" className="px-4 py-2 font-medium">Events</th>
                <th scope="col" className="px-4 py-2 font-medium">Severities</th>
                <th scope="col" className="px-4 py-2 font-medium">Status</th>
                <th scope="col" className="px-4 py-2 font-medium">
                  <span className="sr-only">Controls</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {channels.map((channel) => (
                <tr key={channel.id} className={`align-top ${channel.disabled ? 'text-zinc-500' : ''}`}>
                  <td className="px-4 py-2">
                    <Link href={`/settings/notifications/${channel.id}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                      {channel.name}
                    </Link>
                  </td>
                  <td className="max-w-xs px-4 py-2">
                    <span className="text-xs">{kindNames[channel.kind]}</span>
                    <p className="truncate font-mono text-xs text-zinc-500" title={channel.targetHint}>
                      {channel.targetHint}
                    </p>
                  </td>
                  <td className="px-4 py-2 text-xs">{channel.events.map((event) => eventLabels[event]).join(', ')}</td>
                  <td className="px-4 py-2 text-xs">{channel.severities.length ? channel.severities.join(', ') : 'all'}</td>
                  <td className="px-4 py-2">
                    {channel.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">enabled</Badge>}
                    {channel.disabled ? <p className="mt-0.5 max-w-56 text-xs text-red-700 dark:text-red-400">{channel.disabled.reason}</p> : null}
                  </td>
                  <td className="px-4 py-2">
                    <ChannelControls channel={{ id: channel.id, name: channel.name, disabled: Boolean(channel.disabled) }} compact />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
