import { SeverityBadge } from '@/components/incidents/severity-badge';

/** The severities a runbook is meant for, then its services and tags. */
export function RunbookLabels({ severities, services, tags }: { severities: string[]; services: string[]; tags: string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {severities.map((s) => (
        <SeverityBadge key={s} severity={s} />
      ))}
      {[...services, ...tags].map((t) => (
        <span key={t} className="rounded bg-zinc-100 px-1.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {t}
        </span>
      ))}
    </span>
  );
}
