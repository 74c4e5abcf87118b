import { useId, type ReactNode } from 'react';

/**
 * One figure with its definition on hover and on keyboard focus (a CSS tooltip tied to the
 * figure by aria-describedby, so no script is needed), and a link to the incidents behind it.
 */
export function FigureCard({ label, value, detail, definition, csvHref, tone = 'plain' }: { label: string; value: ReactNode; detail?: ReactNode; definition: string; csvHref?: string; tone?: 'plain' | 'bad' | 'good' }) {
  const id = useId();
  const color = tone === 'bad' ? 'text-red-600 dark:text-red-400' : tone === 'good' ? 'text-emerald-700 dark:text-emerald-400' : '';
  return (
    <div className="group relative min-w-0 break-inside-avoid rounded-lg border border-zinc-200 bg-white px-3 py-2.5 dark:border-zinc-800 dark:bg-zinc-900" data-figure={label}>
      <dt className="flex items-center justify-between gap-1 text-xs text-zinc-500 dark:text-zinc-400">
        <span tabIndex={0} aria-describedby={id} className="cursor-help underline decoration-dotted underline-offset-2 focus-visible:outline-2">
          {label}
        </span>
        {csvHref ? (
          <a href={csvHref} className="no-print text-[11px] text-sky-700 hover:underline dark:text-sky-400" aria-label={`Incidents behind “${label}” as CSV`}>
            CSV
          </a>
        ) : null}
      </dt>
      <dd className={`mt-0.5 text-xl font-semibold tabular-nums ${color}`}>{value}</dd>
      {detail ? <dd className="text-xs text-zinc-500 dark:text-zinc-400">{detail}</dd> : null}
      <span
        role="tooltip"
        id={id}
        className="pointer-events-none invisible absolute left-2 right-2 top-full z-20 mt-1 rounded-md bg-zinc-900 px-2.5 py-2 text-xs leading-snug text-white opacity-0 shadow-lg transition-opacity group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100 print:hidden dark:bg-zinc-100 dark:text-zinc-900"
      >
        {definition}
      </span>
    </div>
  );
}
