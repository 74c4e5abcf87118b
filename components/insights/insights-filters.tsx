'use client';

import { useRef, useState } from 'react';
import { buttonClasses } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';

type Props = {
  values: { range: string; from: string; to: string; severity: string; service: string; groupBy: string };
  severities: { key: string; name: string }[];
  services: string[];
};

/**
 * The filters are a plain GET form, so every view of /insights is a URL to share and the page
 * works without JavaScript (press Apply); with it, changing a filter applies it at once.
 */
export function InsightsFilters({ values, severities, services }: Props) {
  const form = useRef<HTMLFormElement>(null);
  const [range, setRange] = useState(values.range);
  const apply = () => form.current?.requestSubmit();
  // A custom range applies once both of its days are there.
  const other = (name: string) => Boolean((form.current?.elements.namedItem(name) as HTMLInputElement | null)?.value);
  const label = 'text-xs text-zinc-600 dark:text-zinc-400';
  return (
    <form ref={form} method="get" action="/insights" aria-label="Insights filters" className="no-print flex flex-wrap items-end gap-2 text-sm">
      <label className={label}>
        Range
        <select
          name="range"
          value={range}
          onChange={(e) => {
            setRange(e.target.value);
            if (e.target.value !== 'custom') queueMicrotask(apply);
          }}
          className={`${inputClasses} mt-0.5 w-36`}
        >
          <option value="30">Last 30 days</option>
          <option value="90">Last 90 days</option>
          <option value="365">Last 365 days</option>
          <option value="custom">Custom…</option>
        </select>
      </label>
      {range === 'custom' ? (
        <>
          <label className={label}>
            From
            <input type="date" name="from" required defaultValue={values.from} onChange={() => other('to') && apply()} className={`${inputClasses} mt-0.5 w-40`} />
          </label>
          <label className={label}>
            To
            <input type="date" name="to" defaultValue={values.to} onChange={() => other('from') && apply()} className={`${inputClasses} mt-0.5 w-40`} />
          </label>
        </>
      ) : null}
      <label className={label}>
        Severity
        <select name="severity" defaultValue={values.severity} onChange={apply} className={`${inputClasses} mt-0.5 w-32`}>
          <option value="">Any</option>
          {severities.map((s) => (
            <option key={s.key} value={s.key}>
              {s.key} · {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Service
        <select name="service" defaultValue={values.service} onChange={apply} className={`${inputClasses} mt-0.5 w-40`}>
          <option value="">Any</option>
          {services.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Group by
        <select name="groupBy" defaultValue={values.groupBy} onChange={apply} className={`${inputClasses} mt-0.5 w-28`}>
          <option value="week">Week</option>
          <option value="month">Month</option>
        </select>
      </label>
      <noscript>
        <button type="submit" className={buttonClasses('secondary')}>
          Apply
        </button>
      </noscript>
    </form>
  );
}
