import { dateClock, dayClock } from '@/components/oncall/format';
import { RemoveOverrideButton, TakeShiftButton } from '@/components/oncall/take-shift-button';
import type { ScheduleTimeline, TimelineShift } from '@/lib/oncall/queries';

// One colour per person (numbered by the overview), the same in every row and schedule, so a
// rotation reads at a glance.
const palette = [
  'bg-sky-200 text-sky-950 dark:bg-sky-800 dark:text-sky-50',
  'bg-emerald-200 text-emerald-950 dark:bg-emerald-800 dark:text-emerald-50',
  'bg-amber-200 text-amber-950 dark:bg-amber-700 dark:text-amber-50',
  'bg-violet-200 text-violet-950 dark:bg-violet-800 dark:text-violet-50',
  'bg-rose-200 text-rose-950 dark:bg-rose-800 dark:text-rose-50',
  'bg-teal-200 text-teal-950 dark:bg-teal-800 dark:text-teal-50',
  'bg-orange-200 text-orange-950 dark:bg-orange-800 dark:text-orange-50',
  'bg-indigo-200 text-indigo-950 dark:bg-indigo-800 dark:text-indigo-50',
];

type Axis = { from: number; to: number; zone: string; colours: Record<string, number> };

function colourOf(email: string, axis: Axis): string {
  return palette[(axis.colours[email] ?? 0) % palette.length]!;
}

function place(shift: { start: string; end: string }, axis: Axis): { left: string; width: string } | null {
  const start = Math.max(Date.parse(shift.start), axis.from);
  const end = Math.min(Date.parse(shift.end), axis.to);
  if (end <= start) return null;
  const total = axis.to - axis.from;
  return { left: `${((start - axis.from) / total) * 100}%`, width: `${((end - start) / total) * 100}%` };
}

function Row({ label, shifts, axis, strong = false, take }: { label: string; shifts: TimelineShift[]; axis: Axis; strong?: boolean; take?: { scheduleId: string; me: string; now: number } }) {
  return (
    <div role="row" className="grid grid-cols-[7rem_1fr] items-center gap-2">
      <div role="rowheader" className={`truncate text-xs ${strong ? 'font-semibold' : 'text-zinc-600 dark:text-zinc-400'}`}>
        {label}
      </div>
      <div role="cell" className="relative h-6 rounded bg-zinc-50 dark:bg-zinc-800/40">
        {shifts.length === 0 ? <span className="absolute inset-0 grid place-items-center text-[11px] text-zinc-400">nobody</span> : null}
        {shifts.map((shift) => {
          const box = place(shift, axis);
          if (!box) return null;
          const when = `${dateClock(shift.start, axis.zone)} – ${dateClock(shift.end, axis.zone)}`;
          const text = `${shift.name}${shift.source === 'override' ? ' (override)' : ''}, ${when}`;
          const classes = `absolute top-0.5 bottom-0.5 overflow-hidden truncate rounded px-1 text-left text-[11px] leading-5 ${colourOf(shift.email, axis)} ${shift.source === 'override' ? 'ring-2 ring-inset ring-zinc-900/40 dark:ring-white/60' : ''}`;
          const canTake = take && shift.email !== take.me && Date.parse(shift.end) > take.now;
          return canTake ? (
            <TakeShiftButton key={`${shift.start}-${shift.email}`} scheduleId={take.scheduleId} email={take.me} start={new Date(Math.max(Date.parse(shift.start), take.now)).toISOString()} end={shift.end} label={text} className={classes} style={box}>
              {shift.name}
            </TakeShiftButton>
          ) : (
            <span key={`${shift.start}-${shift.email}`} className={classes} style={box} title={text}>
              <span className="sr-only">{text}</span>
              <span aria-hidden="true">{shift.name}</span>
            </span>
          );
        })}
      </div>
    </div>
  );
}

/** Two weeks of one schedule: each layer's rotation, the overrides, and the final result. */
export function ScheduleTimelineView({ schedule, from, to, days, me, now, canTake, unreachable, colours }: { schedule: ScheduleTimeline; from: string; to: string; days: { start: string; label: string }[]; me: string; now: number; canTake: boolean; unreachable: Record<string, string>; colours: Record<string, number> }) {
  const axis: Axis = { from: Date.parse(from), to: Date.parse(to), zone: schedule.timeZone, colours };
  const nowBox = place({ start: new Date(now).toISOString(), end: new Date(now + 1).toISOString() }, axis);
  const overrideShifts: TimelineShift[] = schedule.overrides.map((o) => ({ email: o.email, name: o.name, start: o.start, end: o.end, source: 'override', layer: null }));
  return (
    <div className="space-y-2">
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div>
          <dt className="inline text-zinc-500">On call now: </dt>
          <dd className="inline font-medium">
            {schedule.now ? (
              <>
                {schedule.now.name}
                {unreachable[schedule.now.email] ? <UnreachableFlag reason={unreachable[schedule.now.email]!} /> : null}
                {schedule.now.until ? <span className="font-normal text-zinc-500"> until {dayClock(schedule.now.until, schedule.timeZone)}</span> : null}
              </>
            ) : (
              <span className="text-amber-700 dark:text-amber-400">nobody</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="inline text-zinc-500">Next: </dt>
          <dd className="inline">
            {schedule.next ? (
              <>
                {schedule.next.name}
                {unreachable[schedule.next.email] ? <UnreachableFlag reason={unreachable[schedule.next.email]!} /> : null}
                <span className="text-zinc-500"> from {dayClock(schedule.next.start, schedule.timeZone)}</span>
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>
      <div className="-mx-4 overflow-x-auto px-4">
        <div role="table" aria-label={`${schedule.name}: two weeks of shifts (${schedule.timeZone})`} className="relative min-w-[42rem] space-y-1">
          <div role="row" className="grid grid-cols-[7rem_1fr] gap-2">
            <div role="columnheader" className="text-[11px] text-zinc-500">
              {schedule.timeZone}
            </div>
            <div role="columnheader" className="grid text-[11px] text-zinc-500" style={{ gridTemplateColumns: `repeat(${days.length}, minmax(0, 1fr))` }}>
              {days.map((day) => (
                <span key={day.start} className="truncate border-l border-zinc-200 pl-1 dark:border-zinc-700">
                  {day.label}
                </span>
              ))}
            </div>
          </div>
          {schedule.layers.map((layer, index) => (
            <Row key={index} label={layer.name} shifts={layer.shifts} axis={axis} />
          ))}
          <Row label="Overrides" shifts={overrideShifts} axis={axis} />
          <Row label="On call" shifts={schedule.final} axis={axis} strong take={canTake ? { scheduleId: schedule.id, me, now } : undefined} />
          {nowBox ? <div aria-hidden="true" className="pointer-events-none absolute top-0 bottom-0 w-px bg-red-500" style={{ left: `calc(7rem + 0.5rem + (100% - 7.5rem) * ${parseFloat(nowBox.left) / 100})` }} /> : null}
        </div>
      </div>
      {schedule.overrides.length ? (
        <ul aria-label={`Overrides in ${schedule.name}`} className="space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          {schedule.overrides.map((override) => (
            <li key={override.id} className="flex flex-wrap items-center gap-2">
              <span>
                {override.name} covers {dateClock(override.start, schedule.timeZone)} – {dateClock(override.end, schedule.timeZone)}
              </span>
              {override.canRemove ? <RemoveOverrideButton scheduleId={schedule.id} overrideId={override.id} label={`Remove the override of ${override.name}`} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function UnreachableFlag({ reason }: { reason: string }) {
  return (
    <span title={reason} className="ml-1 inline-flex items-center rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-300">
      <span aria-hidden="true">⚠</span>
      <span className="sr-only">Cannot be paged: {reason}</span>
      <span aria-hidden="true" className="ml-0.5">no working contact</span>
    </span>
  );
}
