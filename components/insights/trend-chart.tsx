// Incidents per period, stacked by severity, with the median time to resolve as a line: drawn
// on the server with d3-scale and d3-shape, so the browser gets plain SVG.
import { scaleBand, scaleLinear } from 'd3-scale';
import { line, stack } from 'd3-shape';
import { ChartFrame, SeverityLegend, severityFill, shortDuration } from '@/components/insights/chart-frame';
import type { InsightsDto } from '@/lib/insights/schema';

// Narrow on purpose: the SVG scales to its card, so text stays legible at 375 px; `wide` for a full-width column.
const NARROW = 400;
const WIDE = 720;
const H = 200;
const M = { top: 10, right: 36, bottom: 24, left: 28 };

function label(period: string, groupBy: 'week' | 'month'): string {
  const date = new Date(`${period}T00:00:00Z`);
  const month = date.toLocaleDateString('en', { month: 'short', timeZone: 'UTC' });
  return groupBy === 'month' ? `${month} ’${String(date.getUTCFullYear()).slice(2)}` : `${date.getUTCDate()} ${month}`;
}

export function TrendChart({ insights, severities, wide = false }: { insights: InsightsDto; severities: string[]; wide?: boolean }) {
  const W = wide ? WIDE : NARROW;
  const series = insights.series;
  const x = scaleBand<string>()
    .domain(series.map((s) => s.period))
    .range([M.left, W - M.right])
    .padding(0.2);
  const max = Math.max(1, ...series.map((s) => s.incidents));
  const y = scaleLinear().domain([0, max]).nice().range([H - M.bottom, M.top]);
  const layers = stack<InsightsDto['series'][number], string>()
    .keys(severities)
    .value((d, key) => d.bySeverity[key] ?? 0)(series);
  const mttrMax = Math.max(1, ...series.map((s) => s.mttr.median ?? 0));
  const y2 = scaleLinear().domain([0, mttrMax]).nice().range([H - M.bottom, M.top]);
  const mttrLine = line<InsightsDto['series'][number]>()
    .defined((d) => d.mttr.median !== null)
    .x((d) => (x(d.period) ?? 0) + x.bandwidth() / 2)
    .y((d) => y2(d.mttr.median ?? 0))(series);
  // At most ~8 labels along the bottom, whatever the number of periods.
  const every = Math.max(1, Math.ceil(series.length / 8));
  const total = series.reduce((sum, s) => sum + s.incidents, 0);
  return (
    <ChartFrame
      title="Incidents over time"
      description={`per ${insights.groupBy}, by severity; the line is the median time to resolve`}
      table={{
        caption: `Incidents per ${insights.groupBy} by severity, and the median time to resolve`,
        columns: [insights.groupBy === 'month' ? 'Month' : 'Week of', ...severities, 'All', 'Median time to resolve'],
        rows: series.map((s) => [s.period, ...severities.map((k) => s.bySeverity[k] ?? 0), s.incidents, shortDuration(s.mttr.median)]),
      }}
    >
      <SeverityLegend severities={severities} />
      <svg viewBox={`0 0 ${W} ${H}`} className="mt-1 h-auto w-full overflow-visible" role="img" aria-label={`${total} incidents over ${series.length} ${insights.groupBy}s, stacked by severity`} data-chart="trend">
        <g className="text-zinc-400 dark:text-zinc-500" fontSize={10}>
          {y.ticks(4).map((tick) => (
            <g key={tick}>
              <line x1={M.left} x2={W - M.right} y1={y(tick)} y2={y(tick)} className="stroke-zinc-200 dark:stroke-zinc-800" />
              <text x={M.left - 4} y={y(tick)} dy="0.32em" textAnchor="end" fill="currentColor">
                {tick}
              </text>
            </g>
          ))}
          {y2.ticks(3).map((tick) => (
            <text key={tick} x={W - M.right + 4} y={y2(tick)} dy="0.32em" fill="currentColor">
              {shortDuration(tick)}
            </text>
          ))}
          {series.map((s, i) =>
            i % every === 0 ? (
              <text key={s.period} x={(x(s.period) ?? 0) + x.bandwidth() / 2} y={H - M.bottom + 14} textAnchor="middle" fill="currentColor">
                {label(s.period, insights.groupBy)}
              </text>
            ) : null,
          )}
        </g>
        {layers.map((layer) => (
          <g key={layer.key} className={severityFill[layer.key] ?? severityFill.SEV4}>
            {layer.map((d) =>
              d[1] > d[0] ? (
                <rect key={d.data.period} x={x(d.data.period)} width={x.bandwidth()} y={y(d[1])} height={Math.max(0, y(d[0]) - y(d[1]))} rx={1}>
                  <title>{`${d.data.period}: ${d[1] - d[0]} ${layer.key}`}</title>
                </rect>
              ) : null,
            )}
          </g>
        ))}
        {mttrLine ? <path d={mttrLine} fill="none" strokeWidth={1.5} className="stroke-sky-600 dark:stroke-sky-400" /> : null}
      </svg>
    </ChartFrame>
  );
}
