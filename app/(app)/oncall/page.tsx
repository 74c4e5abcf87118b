import type { Metadata } from 'next';
import Link from 'next/link';
import { CalendarFeedButton } from '@/components/oncall/calendar-feed-button';
import { dateClock } from '@/components/oncall/format';
import { ScheduleTimelineView, UnreachableFlag } from '@/components/oncall/schedule-timeline';
import { Card } from '@/components/ui/card';
import { can } from '@/lib/platform/auth/policy';
import { requireUser } from '@/lib/platform/auth/session';
import { getOnCallOverview } from '@/lib/oncall/queries';

export const metadata: Metadata = { title: 'On-call' };

export default async function OnCallPage() {
  const actor = await requireUser('read');
  const now = new Date();
  const overview = await getOnCallOverview(actor, now);
  const canTake = can(actor, 'incidents.work');
  const isAdmin = can(actor, 'settings.manage');
  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold">On-call</h1>
        <span className="text-sm text-zinc-500">{canTake ? 'Click a shift in an “On call” row to take it.' : 'Who is on call, now and for the next two weeks.'}</span>
        {isAdmin ? (
          <Link href="/settings/oncall" className="ml-auto text-sm text-sky-700 hover:underline dark:text-sky-400">
            Edit schedules and policies
          </Link>
        ) : null}
      </header>

      <Card title="My shifts" actions={canTake ? <CalendarFeedButton label="Calendar feed" /> : undefined}>
        {overview.mine.length ? (
          <ul aria-label="My shifts" className="space-y-1 text-sm">
            {overview.mine.slice(0, 10).map((shift) => (
              <li key={`${shift.schedule.id}-${shift.start}`} className="flex flex-wrap gap-x-2">
                <span className="font-medium">{shift.schedule.name}</span>
                <span>
                  {dateClock(shift.start, shift.schedule.timeZone)} – {dateClock(shift.end, shift.schedule.timeZone)}
                </span>
                <span className="text-zinc-500">{shift.source === 'override' ? 'override' : `layer ${(shift.layer ?? 0) + 1}`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500">You have no shifts in the next two weeks.</p>
        )}
        {overview.unreachable[actor.email] ? (
          <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">
            A page cannot reach you: {overview.unreachable[actor.email]}. <Link href="/settings/profile" className="underline">Set up a contact method</Link>.
          </p>
        ) : null}
      </Card>

      {overview.schedules.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-4 text-sm text-zinc-500 dark:border-zinc-700">
          No schedules yet.{isAdmin ? ' ' : ''}
          {isAdmin ? <Link href="/settings/oncall/schedules/new" className="text-sky-700 underline dark:text-sky-400">Create the first one</Link> : 'An admin creates them in Settings → On-call.'}
        </p>
      ) : null}

      {overview.schedules.map((schedule) => (
        <Card
          key={schedule.id}
          title={
            <span>
              {schedule.name}
              {schedule.now && overview.unreachable[schedule.now.email] ? <UnreachableFlag reason={overview.unreachable[schedule.now.email]!} /> : null}
            </span>
          }
          actions={canTake ? <CalendarFeedButton scheduleId={schedule.id} label="Calendar feed" /> : undefined}
        >
          <ScheduleTimelineView schedule={schedule} from={overview.from} to={overview.to} days={overview.days} me={actor.email} now={now.getTime()} canTake={canTake} unreachable={overview.unreachable} colours={overview.colours} />
        </Card>
      ))}
    </div>
  );
}
