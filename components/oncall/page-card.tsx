import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { PageControls } from '@/components/oncall/page-controls';
import { span } from '@/components/oncall/format';
import type { PageDto, PageNotificationDto } from '@/lib/oncall/schema';

const statusTone = { triggered: 'danger', acknowledged: 'warning', resolved: 'success' } as const;
const notificationTone = { pending: 'neutral', sent: 'success', failed: 'danger', cancelled: 'neutral' } as const;
const kindLabel: Record<PageNotificationDto['kind'], string> = { email: 'E-mail', ntfy: 'ntfy', slack: 'Slack', teams: 'Teams', mattermost: 'Mattermost', webhook: 'Webhook' };

function targetText(page: PageDto): string {
  const target = page.target;
  if ('policy' in target) return `policy ${target.name ?? '(deleted)'}`;
  if ('schedule' in target) return `on-call of ${target.name ?? '(deleted)'}`;
  return target.name ?? target.user;
}

function notificationState(n: PageNotificationDto): string {
  if (n.status === 'pending') return n.attempts > 0 ? `retrying (attempt ${n.attempts})` : Date.parse(n.dueAt) > Date.now() ? 'waiting' : 'sending';
  return n.status;
}

/** One page: what, whom, which level, who was notified how and with what result, who acknowledged. */
export function PageCard({ page, canWrite, highlighted = false }: { page: PageDto; canWrite: boolean; highlighted?: boolean }) {
  const stepText = page.levels > 1 || page.cycles > 1 ? `level ${page.level} of ${page.levels}${page.cycles > 1 ? `, run ${page.cycle} of ${page.cycles}` : ''}` : null;
  return (
    <article aria-labelledby={`page-${page.id}`} className={`rounded-lg border bg-white p-3 dark:bg-zinc-900 ${highlighted ? 'border-sky-500 ring-1 ring-sky-500' : 'border-zinc-200 dark:border-zinc-800'}`}>
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Badge tone={statusTone[page.status]}>{page.status}</Badge>
        {page.incident ? (
          <Link href={`/incidents/${page.incident.number}`} className="font-mono text-xs font-semibold text-sky-700 hover:underline dark:text-sky-400">
            {page.incident.key}
          </Link>
        ) : null}
        <h3 id={`page-${page.id}`} className="min-w-0 flex-1 truncate text-sm font-semibold">
          {page.title}
        </h3>
        <span className="text-xs text-zinc-500">
          <RelativeTime date={page.createdAt} /> by {page.triggeredBy?.name ?? page.source ?? 'Sitrep'} → {targetText(page)}
        </span>
      </header>
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        {stepText ? <span className="font-medium">{stepText}</span> : null}
        {stepText ? ' · ' : ''}
        {page.status === 'acknowledged'
          ? `Acknowledged by ${page.acknowledgedBy?.name ?? `${page.source ?? 'its sender'} (its alert)`} after ${span(Date.parse(page.acknowledgedAt!) - Date.parse(page.createdAt))}`
          : page.status === 'resolved'
            ? `Resolved${page.resolvedBy ? ` by ${page.resolvedBy.name}` : ''}${page.acknowledgedBy ? ` (acknowledged by ${page.acknowledgedBy.name})` : ''}`
            : page.nextEscalationAt
              ? 'Waiting for an acknowledgement; next level '
              : page.exhaustedAt
                ? 'Nobody acknowledged: every level was notified'
                : 'Waiting for an acknowledgement'}
        {page.status === 'triggered' && page.nextEscalationAt ? <RelativeTime date={page.nextEscalationAt} /> : null}
      </p>
      {page.details ? <p className="mt-1 whitespace-pre-wrap text-sm text-zinc-700 dark:text-zinc-300">{page.details}</p> : null}
      {page.notifications.length || page.gaps.length ? (
        <table className="mt-2 w-full max-w-3xl text-xs">
          <caption className="sr-only">Who was notified, how, and the result</caption>
          <thead className="text-left text-zinc-500">
            <tr>
              <th scope="col" className="py-0.5 pr-2 font-medium">Level</th>
              <th scope="col" className="py-0.5 pr-2 font-medium">Person</th>
              <th scope="col" className="py-0.5 pr-2 font-medium">How</th>
              <th scope="col" className="py-0.5 font-medium">Result</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {page.notifications.map((n) => (
              <tr key={n.id}>
                <td className="py-0.5 pr-2 tabular-nums">{n.cycle > 1 ? `${n.level}·${n.cycle}` : n.level}</td>
                <td className="py-0.5 pr-2">{n.user.name}</td>
                <td className="py-0.5 pr-2">{kindLabel[n.kind]}{n.label ? ` (${n.label})` : ''}</td>
                <td className="py-0.5">
                  <Badge tone={n.status === 'pending' && n.attempts > 0 ? 'warning' : notificationTone[n.status]}>{notificationState(n)}</Badge>
                  {n.error && n.status !== 'sent' ? <span className="ml-1.5 break-all text-zinc-500">{n.error}</span> : null}
                </td>
              </tr>
            ))}
            {page.gaps.map((gap, index) => (
              <tr key={`gap-${index}`}>
                <td className="py-0.5 pr-2 tabular-nums">{gap.level}</td>
                <td colSpan={3} className="py-0.5 text-amber-700 dark:text-amber-400">
                  {gap.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {canWrite && page.status !== 'resolved' ? <PageControls page={page} /> : null}
    </article>
  );
}
