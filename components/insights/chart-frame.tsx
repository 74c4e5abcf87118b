import { useId, type ReactNode } from 'react';

export type DataTable = { caption: string; columns: string[]; rows: (string | number)[][] };

/**
 * A chart with its numbers one click away: the SVG is drawn on the server (no chart code in the
 * browser) and described for screen readers by its title; the same data as a table sits in a
 * <details>, which opens without JavaScript and prints open when expanded. A chart that is a
 * figure of its own carries its definition on hover and focus, as FigureCard does.
 */
export function ChartFrame({
  title,
  description,
  definition,
  table,
  children,
  actions,
}: {
  title: string;
  description: string;
  definition?: string;
  table: DataTable;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="min-w-0 break-inside-avoid rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption className="mb-2 flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        {definition ? (
          <span className="group relative text-sm font-semibold">
            <span tabIndex={0} aria-describedby={id} className="cursor-help underline decoration-dotted underline-offset-2 focus-visible:outline-2">
              {title}
            </span>
            <span
              role="tooltip"
              id={id}
              className="pointer-events-none invisible absolute left-0 top-full z-20 mt-1 w-72 max-w-[80vw] rounded-md bg-zinc-900 px-2.5 py-2 text-xs font-normal leading-snug text-white opacity-0 shadow-lg transition-opacity group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100 print:hidden dark:bg-zinc-100 dark:text-zinc-900"
            >
              {definition}
            </span>
          </span>
        ) : (
          <span className="text-sm font-semibold">{title}</span>
        )}
        <span className="text-xs text-zinc-500">{description}</span>
        {actions}
      </figcaption>
      {children}
      <details className="mt-2 text-xs">
        <summary className="no-print cursor-pointer text-sky-700 hover:underline dark:text-sky-400">Show the data as a table</summary>
        <div className="mt-2 max-h-80 overflow-auto">
          <table className="w-full border-collapse text-left tabular-nums">
            <caption className="sr-only">{table.caption}</caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-700">
                {table.columns.map((column) => (
                  <th key={column} scope="col" className="px-2 py-1 font-medium text-zinc-500">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r} className="border-b border-zinc-100 dark:border-zinc-800">
                  {row.map((cell, c) =>
                    c === 0 ? (
                      <th key={c} scope="row" className="px-2 py-0.5 font-normal">
                        {cell}
                      </th>
                    ) : (
                      <td key={c} className="px-2 py-0.5">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Fill classes per severity, light and dark (Tailwind sees them here, in full). */
export const severityFill: Record<string, string> = {
  SEV1: 'fill-red-600 dark:fill-red-500',
  SEV2: 'fill-orange-500 dark:fill-orange-400',
  SEV3: 'fill-amber-400 dark:fill-amber-300',
  SEV4: 'fill-zinc-400 dark:fill-zinc-500',
};
export const severitySwatch: Record<string, string> = {
  SEV1: 'bg-red-600 dark:bg-red-500',
  SEV2: 'bg-orange-500 dark:bg-orange-400',
  SEV3: 'bg-amber-400 dark:bg-amber-300',
  SEV4: 'bg-zinc-400 dark:bg-zinc-500',
};

export function SeverityLegend({ severities }: { severities: string[] }) {
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-zinc-600 dark:text-zinc-400" aria-hidden="true">
      {severities.map((s) => (
        <li key={s} className="inline-flex items-center gap-1">
          <span className={`inline-block size-2.5 rounded-sm ${severitySwatch[s] ?? severitySwatch.SEV4}`} />
          {s}
        </li>
      ))}
    </ul>
  );
}

/** "45 min", "3.2 h", "2.1 d": a duration in seconds, short. */
export function shortDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3_600).toFixed(seconds < 36_000 ? 1 : 0)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
