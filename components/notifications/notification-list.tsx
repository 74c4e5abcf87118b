import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { eventLabels, type NotificationDto, type NotificationEvent } from '@/lib/notifications/schema';

const tones = { pending: 'neutral', retrying: 'warning', succeeded: 'success', failed: 'danger' } as const;

function eventLabel(event: string): string {
  return event === 'test' ? 'test' : (eventLabels[event as NotificationEvent] ?? event);
}

/** Notifications with their attempts, newest first (server component). */
export function NotificationList({ notifications }: { notifications: NotificationDto[] }) {
  if (notifications.length === 0) return <p className="text-sm text-zinc-500">Nothing sent yet.</p>;
  return (
    <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" aria-label="Recent notifications">
      {notifications.map((notification) => {
        const last = notification.attempts.at(-1);
        return (
          <li key={notification.id} className="py-2">
            <div className="flex items-center gap-2">
              <Badge tone={tones[notification.status]}>{notification.status}</Badge>
              <span className="text-xs text-zinc-500">
                {eventLabel(notification.event)} · <RelativeTime date={notification.createdAt} />
              </span>
            </div>
            <p className="mt-0.5 truncate" title={notification.subject}>
              {notification.incident ? (
                <Link href={`/incidents/${notification.incident.number}`} className="text-sky-700 hover:underline dark:text-sky-400">
                  {notification.subject}
                </Link>
              ) : (
                notification.subject
              )}
            </p>
            {last ? (
              <p className="text-xs text-zinc-500">
                {notification.attempts.length} attempt{notification.attempts.length === 1 ? '' : 's'}; last: {last.statusCode ?? 'no answer'}
                {last.error ? ` (${last.error})` : ''} in {last.durationMs} ms
                {notification.nextAttemptAt ? <> · next <RelativeTime date={notification.nextAttemptAt} /></> : null}
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
