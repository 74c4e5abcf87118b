// The alerts reported most often in the range, one bar per source and alert name, labelled with
// how many firings and incidents that was.
import { scaleBand, scaleLinear } from 'd3-scale';
import { ChartFrame } from '@/components/insights/chart-frame';
import type { InsightsDto } from '@/lib/insights/schema';

// Narrow on purpose, as the services chart: the SVG scales to its card, so text stays legible at 375 px.
const W = 400;
const ROW = 26;
const LABEL = 150;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function NoisyAlertsChart({ alerts, definition }: { alerts: InsightsDto['noisiestAlerts']; definition: string }) {
  const H = Math.max(1, alerts.length) * ROW + 4;
  const key = (a: InsightsDto['noisiestAlerts'][number]) => `${a.source}\u0000${a.name}`;
  const y = scaleBand<string>()
    .domain(alerts.map(key))
    .range([2, H - 2])
    .padding(0.2);
  const countsOf = (a: InsightsDto['noisiestAlerts'][number]) => `${a.occurrences} · ${a.alerts}× · ${a.incidents} inc.`;
  // The longest bar leaves room for its counts (about 5.8 units a character at font size 10).
  const room = Math.max(60, ...alerts.map((a) => countsOf(a).length * 5.8 + 8));
  const x = scaleLinear()
    .domain([0, Math.max(1, ...alerts.map((a) => a.occurrences))])
    .range([0, W - LABEL - room]);
  return (
    <ChartFrame
      title="Noisiest alerts"
      description="reported most often; firings and incidents beside each"
      definition={definition}
      table={{
        caption: 'The alerts reported most often in the range, by source and alert name',
        columns: ['Alert', 'Source', 'Occurrences', 'Firings', 'Incidents'],
        rows: alerts.map((a) => [a.name, a.source, a.occurrences, a.alerts, a.incidents]),
      }}
    >
      {alerts.length ? (
        <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`Top ${alerts.length} alerts by occurrences`} data-chart="noisy-alerts">
          {alerts.map((a) => {
            const top = y(key(a)) ?? 0;
            const mid = top + y.bandwidth() / 2;
            const width = Math.max(2, x(a.occurrences));
            return (
              <g key={key(a)}>
                <text x={LABEL - 6} y={mid - 4} textAnchor="end" fontSize={10.5} className="fill-zinc-700 font-mono dark:fill-zinc-300">
                  {cut(a.name, 22)}
                </text>
                <text x={LABEL - 6} y={mid + 7} textAnchor="end" fontSize={8.5} className="fill-zinc-500 dark:fill-zinc-400">
                  {cut(a.source, 26)}
                </text>
                <rect x={LABEL} y={top} width={width} height={y.bandwidth()} rx={1} className="fill-rose-500 dark:fill-rose-400">
                  <title>{`${a.name} (${a.source}): ${a.occurrences} occurrences in ${a.alerts} firings, linked to ${a.incidents} incidents`}</title>
                </rect>
                <text x={LABEL + width + 4} y={mid} dy="0.32em" fontSize={10} className="fill-zinc-600 dark:fill-zinc-400">
                  {countsOf(a)}
                </text>
              </g>
            );
          })}
        </svg>
      ) : (
        <p className="text-sm text-zinc-500">No alert was received in this range.</p>
      )}
    </ChartFrame>
  );
}
