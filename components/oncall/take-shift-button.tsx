'use client';

import type { CSSProperties, ReactNode } from 'react';
import { useServerAction } from '@/components/ui/use-server-action';
import { addOverrideAction, removeOverrideAction } from '@/lib/oncall/actions';

/** "Take this shift": one click makes an override with you for the rest of the shift. */
export function TakeShiftButton({ scheduleId, email, start, end, label, className, style, children }: { scheduleId: string; email: string; start: string; end: string; label: string; className: string; style: CSSProperties; children: ReactNode }) {
  const { run, pending, error } = useServerAction();
  return (
    <button
      type="button"
      className={`${className} cursor-pointer hover:outline-2 hover:outline-sky-500 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:opacity-60`}
      style={style}
      disabled={pending}
      aria-label={`Take this shift: ${label}`}
      title={error ?? `${label}. Click to take this shift.`}
      onClick={() => run(() => addOverrideAction(null, { scheduleId, email, start, end }))}
    >
      {children}
      {error ? (
        <span role="alert" className="sr-only">
          {error}
        </span>
      ) : null}
    </button>
  );
}

export function RemoveOverrideButton({ scheduleId, overrideId, label }: { scheduleId: string; overrideId: string; label: string }) {
  const { run, pending, error } = useServerAction();
  return (
    <>
      <button type="button" aria-label={label} disabled={pending} onClick={() => run(() => removeOverrideAction(null, { scheduleId, overrideId }))} className="rounded px-1 text-red-700 hover:bg-red-50 disabled:opacity-50 dark:text-red-400 dark:hover:bg-red-950">
        Remove
      </button>
      {error ? <span role="alert" className="text-red-600 dark:text-red-400">{error}</span> : null}
    </>
  );
}
