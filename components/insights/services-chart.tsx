// Services ranked by incidents, each bar labelled with its minutes of impact; a bar links to
// the service's page.
import { scaleBand, scaleLinear } from 'd3-scale';
import { ChartFrame } from '@/components/insights/chart-frame';
import type { InsightsDto } from '@/lib/insights/schema';

// Narrow on purpose: the SVG scales to its card, so text stays legible at 375 px.
const W = 400;
const ROW = 22;
const LABEL = 100;

function minutes(value: number): string {
  return value < 120 ? `${value} min` : value < 2_880 ? `${Math.round(value / 60)} h` : `${Math.round(value / 1_440)} d`;
}

export function ServicesChart({ services }: { services: InsightsDto['services'] }) {
  const shown = services.slice(0, 12);
  const H = Math.max(1, shown.length) * ROW + 4;
  const y = scaleBand<string>()
    .domain(shown.map((s) => s.service))
    .range([2, H - 2])
    .padding(0.2);
  const x = scaleLinear()
    .domain([0, Math.max(1, ...shown.map((s) => s.incidents))])
    .range([0, W - LABEL - 80]);
  return (
    <ChartFrame
      title="Services"
      description="ranked by incidents; minutes of impact beside each"
      table={{ caption: 'Incidents and minutes of impact per service', columns: ['Service', 'Incidents', 'Minutes of impact'], rows: services.map((s) => [s.service, s.incidents, s.impactMinutes]) }}
    >
      {shown.length ? (
        <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Top ${shown.length} services by incidents`} data-chart="services">
          {shown.map((s) => {
            const top = y(s.service) ?? 0;
            return (
              <a key={s.service} href={`/services/${encodeURIComponent(s.service)}`}>
                <text x={LABEL - 6} y={top + y.bandwidth() / 2} dy="0.32em" textAnchor="end" fontSize={11} className="fill-zinc-700 font-mono dark:fill-zinc-300">
                  {s.service.length > 16 ? `${s.service.slice(0, 15)}…` : s.service}
                </text>
                <rect x={LABEL} y={top} width={Math.max(2, x(s.incidents))} height={y.bandwidth()} rx={1} className="fill-violet-500 dark:fill-violet-400">
                  <title>{`${s.service}: ${s.incidents} incidents, ${s.impactMinutes} minutes of impact`}</title>
                </rect>
                <text x={LABEL + Math.max(2, x(s.incidents)) + 4} y={top + y.bandwidth() / 2} dy="0.32em" fontSize={10} className="fill-zinc-600 dark:fill-zinc-400">
                  {s.incidents} · {minutes(s.impactMinutes)}
                </text>
              </a>
            );
          })}
        </svg>
      ) : (
        <p className="text-sm text-zinc-500">No incident in the range lists a service.</p>
      )}
    </ChartFrame>
  );
}
