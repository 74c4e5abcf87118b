import { Badge } from '@/components/ui/badge';
import type { AlertStatus } from '@/lib/alerts/schema';

const tones = { firing: 'danger', acknowledged: 'warning', silenced: 'neutral', resolved: 'success' } as const;

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return <Badge tone={tones[status]}>{status}</Badge>;
}

/** Label chips: `name=value`, monospace, wrapping. */
export function LabelChips({ labels, max = 12 }: { labels: Record<string, string>; max?: number }) {
  const entries = Object.entries(labels);
  return (
    <ul aria-label="Labels" className="flex flex-wrap gap-1">
      {entries.slice(0, max).map(([name, value]) => (
        <li key={name} className="max-w-64 truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" title={`${name}=${value}`}>
          {name}={value}
        </li>
      ))}
      {entries.length > max ? <li className="text-[11px] text-zinc-500">+{entries.length - max} more</li> : null}
    </ul>
  );
}
