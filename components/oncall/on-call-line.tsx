import Link from 'next/link';
import { dayClock, zoneName } from '@/components/oncall/format';
import type { MyOnCall } from '@/lib/oncall/queries';

/** The app shell's "You are on call until Fri 09:00", while you are; nothing otherwise. */
export function OnCallLine({ mine }: { mine: MyOnCall[] }) {
  const first = mine[0];
  if (!first) return null;
  const until = first.until ? dayClock(first.until, first.schedule.timeZone) : null;
  const names = mine.map((entry) => entry.schedule.name).join(', ');
  return (
    <Link
      href="/oncall"
      title={`On call in ${names}${first.until ? ` until ${until} (${zoneName(first.schedule.timeZone)} time)` : ''}`}
      className="inline-flex min-h-6 min-w-6 items-center justify-center gap-1 whitespace-nowrap rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-inset ring-emerald-200 hover:bg-emerald-100 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900"
    >
      <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
      {/* Up to lg the dot alone (the title and the accessible name say it): the header's tabs need
          the width; "On call · Fri 09:00" from xl; the sentence on the widest screens. */}
      <span className="sr-only xl:not-sr-only 2xl:hidden">{until ? `On call · ${until}` : 'On call'}</span>
      <span className="hidden 2xl:inline">{until ? `You are on call until ${until}` : 'You are on call'}</span>
    </Link>
  );
}
