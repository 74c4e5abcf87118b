'use client';

import { useNow } from '@/components/ui/use-now';
import { formatDateTime, formatDuration } from '@/lib/platform/time';

/** "in 12 min" until `due`, then "overdue 3 min" in red; re-rendered every 15 s. */
export function Countdown({ due, label }: { due: string; label: string }) {
  const now = useNow(15_000);
  const left = new Date(due).getTime() - now;
  const overdue = left < 0;
  return (
    <span suppressHydrationWarning className={`tabular-nums ${overdue ? 'font-medium text-red-600 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}`} title={`${label} due ${formatDateTime(due)}`}>
      {label} {overdue ? `overdue ${formatDuration(-left)}` : `in ${formatDuration(left)}`}
    </span>
  );
}

export function Age({ since }: { since: string }) {
  const now = useNow(30_000);
  return <span suppressHydrationWarning className="tabular-nums">{formatDuration(now - new Date(since).getTime())}</span>;
}

/** "due in 4 min" / "overdue 3 min", for a closed panel's counter; re-rendered every 15 s. */
export function DueIn({ due }: { due: string }) {
  const now = useNow(15_000);
  const left = new Date(due).getTime() - now;
  return (
    <span suppressHydrationWarning className={left < 0 ? 'font-medium text-red-600 dark:text-red-400' : undefined} title={`Due ${formatDateTime(due)}`}>
      {left < 0 ? `overdue ${formatDuration(-left)}` : `due in ${formatDuration(left)}`}
    </span>
  );
}
