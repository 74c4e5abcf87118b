// How long resolved incidents took, in buckets from "< 15 min" to "> 3 d".
import { scaleBand, scaleLinear } from 'd3-scale';
import { ChartFrame } from '@/components/insights/chart-frame';
import type { InsightsDto } from '@/lib/insights/schema';

// Narrow on purpose: the SVG scales to its card, so text stays legible at 375 px.
const W = 400;
const H = 180;
const M = { top: 14, right: 8, bottom: 30, left: 8 };

export function DistributionChart({ buckets, csvHref }: { buckets: InsightsDto['timeToResolve']; csvHref: string }) {
  const x = scaleBand<string>()
    .domain(buckets.map((b) => b.bucket))
    .range([M.left, W - M.right])
    .padding(0.15);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...buckets.map((b) => b.incidents))])
    .range([H - M.bottom, M.top]);
  const resolved = buckets.reduce((sum, b) => sum + b.incidents, 0);
  return (
    <ChartFrame
      title="Time to resolve"
      description={`${resolved} resolved incidents with a start time`}
      actions={<a href={csvHref} className="no-print text-xs text-sky-700 hover:underline dark:text-sky-400">CSV</a>}
      table={{ caption: 'Resolved incidents by time to resolve', columns: ['Time to resolve', 'Incidents'], rows: buckets.map((b) => [b.bucket, b.incidents]) }}
    >
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Time to resolve of ${resolved} incidents, in ${buckets.length} buckets`} data-chart="distribution">
        {buckets.map((b) => (
          <g key={b.bucket}>
            <rect x={x(b.bucket)} width={x.bandwidth()} y={y(b.incidents)} height={H - M.bottom - y(b.incidents)} rx={1} className="fill-sky-600 dark:fill-sky-500">
              <title>{`${b.bucket}: ${b.incidents}`}</title>
            </rect>
            {b.incidents ? (
              <text x={(x(b.bucket) ?? 0) + x.bandwidth() / 2} y={y(b.incidents) - 3} textAnchor="middle" fontSize={10} className="fill-zinc-600 dark:fill-zinc-300">
                {b.incidents}
              </text>
            ) : null}
            <text x={(x(b.bucket) ?? 0) + x.bandwidth() / 2} y={H - M.bottom + 13} textAnchor="middle" fontSize={9} className="fill-zinc-500">
              {b.bucket.replace(/ min/g, 'm').replace(/ h/g, 'h').replace(/ d/g, 'd').replace(/ /g, '')}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="stroke-zinc-300 dark:stroke-zinc-700" />
      </svg>
    </ChartFrame>
  );
}
