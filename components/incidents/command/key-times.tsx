'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { formatDateTime, formatDuration, formatMoment, NOT_RECORDED } from '@/lib/platform/time';
import { useIncidentState } from '@/components/incidents/command/incident-state';
import { correctKeyTimeAction } from '@/lib/incidents/actions';
import type { IncidentDto } from '@/lib/incidents/schema';
import { keyTimeFields, keyTimeLabels, type KeyTimeField } from '@/lib/incidents/vocabulary';
import { useServerAction } from '@/components/ui/use-server-action';

const order = ['startedAt', 'detectedAt', 'declaredAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt', 'closedAt'] as const;
/** Times are shown in UTC everywhere, so the correction is typed in UTC too. */
function toUtcInput(iso: string | null): string {
  return iso ? iso.slice(0, 19) : '';
}

function span(from: string | null, to: string | null): string | null {
  return from && to ? formatDuration(new Date(to).getTime() - new Date(from).getTime()) : null;
}

export function KeyTimes({ incident: rendered, canWrite }: { incident: IncidentDto; canWrite: boolean }) {
  const { incident, apply } = useIncidentState(rendered);
  const { run, pending, error, fieldErrors } = useServerAction<IncidentDto>();
  const [editing, setEditing] = useState<KeyTimeField | null>(null);
  const t = incident.times;
  const start = t.startedAt ?? t.detectedAt ?? t.declaredAt;
  const durations = [
    ['Time to detect', span(t.startedAt, t.detectedAt)],
    ['Time to acknowledge', span(t.declaredAt, t.acknowledgedAt)],
    ['Time to mitigate', span(start, t.mitigatedAt)],
    ['Time to resolve', span(start, t.resolvedAt)],
  ].filter((d): d is [string, string] => d[1] !== null);

  return (
    <div className="text-sm">
      <dl className="space-y-1">
        {order.map((field) => {
          const value = t[field];
          const correctable = (keyTimeFields as readonly string[]).includes(field);
          return (
            // dt and dd straight inside the group (a correction form is a second dd), as a list of terms needs.
            <div key={field} className="flex flex-wrap items-baseline justify-between gap-x-2">
                <dt className="text-zinc-500">{keyTimeLabels[field]}</dt>
                <dd className="flex items-baseline gap-2 tabular-nums">
                  {value ? (
                    <time dateTime={value} title={formatDateTime(value)}>
                      {formatMoment(value, t.declaredAt)}
                    </time>
                  ) : (
                    <span className="text-zinc-500">{NOT_RECORDED}</span>
                  )}
                  {canWrite && correctable ? (
                    <button type="button" className="text-xs text-zinc-600 hover:text-sky-700 dark:text-zinc-400 dark:hover:text-sky-400" aria-label={`Correct the ${keyTimeLabels[field].toLowerCase()} time`} onClick={() => setEditing(editing === field ? null : (field as KeyTimeField))}>
                      Correct
                    </button>
                  ) : null}
                </dd>
              {editing === field ? (
                <dd className="w-full">
                <form
                  className="mt-1 grid gap-1.5 rounded-md bg-zinc-50 p-2 dark:bg-zinc-800/50"
                  aria-label={`Correct ${keyTimeLabels[field]}`}
                  onSubmit={(e) => {
                    e.preventDefault();
                    const form = new FormData(e.currentTarget);
                    const local = String(form.get('value') ?? '');
                    run(
                      () =>
                        correctKeyTimeAction(null, {
                          number: incident.number,
                          version: incident.version,
                          field: field as KeyTimeField,
                          value: local ? new Date(`${local}Z`).toISOString() : null,
                          reason: String(form.get('reason') ?? ''),
                        }),
                      (updated) => {
                        apply(updated);
                        setEditing(null);
                      },
                    );
                  }}
                >
                  <label className="text-xs">
                    <span className="sr-only">Corrected time (UTC)</span>
                    <input type="datetime-local" step={1} name="value" defaultValue={toUtcInput(value)} title="UTC" className={`${inputClasses} py-0.5 text-xs`} />
                  </label>
                  <label className="text-xs">
                    <span className="sr-only">Why the correction</span>
                    <input name="reason" required placeholder="Why? e.g. first errors in the logs at 14:02" className={`${inputClasses} py-0.5 text-xs`} aria-invalid={Boolean(fieldErrors.reason) || undefined} />
                  </label>
                  {fieldErrors.reason ? <p className="text-xs text-red-600">{fieldErrors.reason}</p> : null}
                  <div className="flex gap-1.5">
                    <Button type="submit" className="px-2 py-0.5 text-xs" disabled={pending}>
                      Save correction
                    </Button>
                    <Button variant="ghost" className="px-2 py-0.5 text-xs" onClick={() => setEditing(null)}>
                      Cancel
                    </Button>
                  </div>
                </form>
                </dd>
              ) : null}
            </div>
          );
        })}
      </dl>
      {durations.length ? (
        <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-0.5 border-t border-zinc-100 pt-2 text-xs dark:border-zinc-800">
          {durations.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-zinc-500">{label}</dt>
              <dd className="text-right tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {error ? <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">{error}</p> : null}
    </div>
  );
}
