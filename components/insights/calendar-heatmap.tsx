// A calendar of incidents: one square per day (weeks as columns, Monday on top), darker with
// more incidents declared that day (UTC). The squares are drawn by CalendarDays from one number
// per day; the shades' thresholds are cut here, evenly over 1 to the busiest day.
import { scaleQuantize } from 'd3-scale';
import { CalendarDays } from '@/components/insights/calendar-days';
import { ChartFrame } from '@/components/insights/chart-frame';
import type { InsightsDto } from '@/lib/insights/schema';

const DAY = 86_400_000;

export function CalendarHeatmap({ calendar, from, to }: { calendar: InsightsDto['calendar']; from: string; to: string }) {
  const start = new Date(from.slice(0, 10) + 'T00:00:00Z');
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const counts = new Array<number>(Math.max(0, Math.ceil((Date.parse(to) - start.getTime()) / DAY))).fill(0);
  for (const { day, incidents } of calendar) {
    const i = Math.round((Date.parse(`${day}T00:00:00Z`) - start.getTime()) / DAY);
    if (i >= 0 && i < counts.length) counts[i] = incidents;
  }
  const max = Math.max(1, ...calendar.map((d) => d.incidents));
  const thresholds = scaleQuantize().domain([1, Math.max(2, max + 1)]).range([0, 1, 2, 3]).thresholds();
  const busiest = [...calendar].sort((a, b) => b.incidents - a.incidents).slice(0, 31);
  return (
    <ChartFrame
      title="Calendar"
      description="incidents declared per day (UTC)"
      table={{ caption: 'Days with incidents, busiest first', columns: ['Day', 'Incidents'], rows: busiest.map((d) => [d.day, d.incidents]) }}
    >
      <div className="overflow-x-auto">
        <CalendarDays
          start={start.toISOString().slice(0, 10)}
          counts={counts}
          thresholds={thresholds}
          label={`${calendar.reduce((s, d) => s + d.incidents, 0)} incidents on ${calendar.length} of ${counts.length} days`}
        />
      </div>
    </ChartFrame>
  );
}
