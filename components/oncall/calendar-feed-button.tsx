'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { inputClasses } from '@/components/ui/field';
import { FormOutcome } from '@/components/ui/form-outcome';
import { useServerAction } from '@/components/ui/use-server-action';
import { calendarFeedAction } from '@/lib/oncall/actions';

/** Shows your secret calendar URL (made on first use) for a schedule, or for your own shifts; "New URL" rotates it. */
export function CalendarFeedButton({ scheduleId, label }: { scheduleId?: string; label: string }) {
  const { run, pending, error } = useServerAction();
  const [url, setUrl] = useState<string | null>(null);
  const fieldId = `feed-${scheduleId ?? 'mine'}`;
  const load = (rotate: boolean) => run(() => calendarFeedAction(null, { scheduleId, rotate }), (feed) => setUrl(feed.url));
  if (!url) {
    return (
      <span className="inline-flex flex-col">
        <Button variant="ghost" className="px-2 py-1 text-xs" disabled={pending} onClick={() => load(false)}>
          {label}
        </Button>
        <FormOutcome error={error} done={null} className="text-xs" />
      </span>
    );
  }
  return (
    <div className="flex w-full flex-wrap items-center gap-1.5 text-xs">
      <label htmlFor={fieldId} className="text-zinc-600 dark:text-zinc-400">
        Subscribe in your calendar app (keep it secret):
      </label>
      <input id={fieldId} readOnly value={url} onFocus={(e) => e.currentTarget.select()} className={`${inputClasses} min-w-0 flex-1 py-0.5 font-mono text-xs`} />
      <Button variant="secondary" className="px-2 py-0.5 text-xs" onClick={() => void navigator.clipboard.writeText(url)}>
        Copy
      </Button>
      <Button variant="ghost" className="px-2 py-0.5 text-xs" disabled={pending} onClick={() => load(true)} title="Make a new URL; the old one stops working">
        New URL
      </Button>
      <FormOutcome error={error} done={null} className="text-xs" />
    </div>
  );
}
