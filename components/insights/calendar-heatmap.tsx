// A calendar of incidents: one square per day (weeks as columns, Monday on top), darker with
// more incidents declared that day (UTC).
import { scaleQuantize } from 'd3-scale';
import { ChartFrame } from '@/components/insights/chart-frame';
import type { InsightsDto } from '@/lib/insights/schema';

const CELL = 11;
const GAP = 2;
const LEFT = 22;
const TOP = 14;
const shades = ['fill-rose-200 dark:fill-rose-950', 'fill-rose-300 dark:fill-rose-800', 'fill-rose-500 dark:fill-rose-600', 'fill-rose-700 dark:fill-rose-400'];

export function CalendarHeatmap({ calendar, from, to }: { calendar: InsightsDto['calendar']; from: string; to: string }) {
  const counts = new Map(calendar.map((d) => [d.day, d.incidents]));
  const start = new Date(from.slice(0, 10) + 'T00:00:00Z');
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const end = new Date(to);
  const days: { day: string; week: number; weekday: number }[] = [];
  for (let cursor = new Date(start), i = 0; cursor < end; cursor.setUTCDate(cursor.getUTCDate() + 1), i++) {
    days.push({ day: cursor.toISOString().slice(0, 10), week: Math.floor(i / 7), weekday: i % 7 });
  }
  const weeks = Math.max(1, Math.ceil(days.length / 7));
  const max = Math.max(1, ...calendar.map((d) => d.incidents));
  const shade = scaleQuantize<string>().domain([1, Math.max(2, max + 1)]).range(shades);
  const W = LEFT + weeks * (CELL + GAP);
  const H = TOP + 7 * (CELL + GAP);
  const busiest = [...calendar].sort((a, b) => b.incidents - a.incidents).slice(0, 31);
  return (
    <ChartFrame
      title="Calendar"
      description="incidents declared per day (UTC)"
      table={{ caption: 'Days with incidents, busiest first', columns: ['Day', 'Incidents'], rows: busiest.map((d) => [d.day, d.incidents]) }}
    >
      <div className="overflow-x-auto">
        <svg viewBox={`0 0 ${W} ${H}`} style={{ minWidth: `${Math.min(W, 560) * 0.8}px`, maxWidth: `${W * 1.6}px` }} className="h-auto w-full" role="img" aria-label={`${calendar.reduce((s, d) => s + d.incidents, 0)} incidents on ${calendar.length} of ${days.length} days`} data-chart="calendar">
          {['Mon', 'Wed', 'Fri'].map((name, i) => (
            <text key={name} x={0} y={TOP + i * 2 * (CELL + GAP) + CELL - 2} fontSize={8} className="fill-zinc-500">
              {name}
            </text>
          ))}
          {days
            .filter((d) => d.weekday === 0 && d.day.slice(8) <= '07')
            .map((d) => (
              <text key={d.day} x={LEFT + d.week * (CELL + GAP)} y={9} fontSize={8} className="fill-zinc-500">
                {new Date(`${d.day}T00:00:00Z`).toLocaleDateString('en', { month: 'short', timeZone: 'UTC' })}
              </text>
            ))}
          {days.map((d) => {
            const count = counts.get(d.day) ?? 0;
            return (
              <rect key={d.day} x={LEFT + d.week * (CELL + GAP)} y={TOP + d.weekday * (CELL + GAP)} width={CELL} height={CELL} rx={2} className={count ? shade(count) : 'fill-zinc-100 dark:fill-zinc-800'}>
                <title>{`${d.day}: ${count} incident${count === 1 ? '' : 's'}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
    </ChartFrame>
  );
}
