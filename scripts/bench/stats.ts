// Small statistics and the results table for `npm run bench`.

export type Summary = { n: number; p50: number; p95: number; p99: number; max: number; mean: number };

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? NaN, mean };
}

/** Times `fn` once, in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
}

/** Runs `fn` `times` times in a row and returns each duration (after `warmup` unrecorded runs). */
export async function sample(times: number, fn: () => Promise<unknown>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const durations: number[] = [];
  for (let i = 0; i < times; i++) durations.push((await timed(fn))[0]);
  return durations;
}

/**
 * One line of the table. `ratio` compares the figure with its physical limit measured in the same
 * run: for throughput figure/limit (higher is better), for times limit/figure (how close to
 * the floor). `goal` is checked against `figure`.
 */
export type Row = {
  name: string;
  figure: number;
  unit: 'ms' | 'req/s' | 'KB' | 'MB' | 'scans';
  limit: number | null;
  limitLabel?: string;
  goal: { max?: number; min?: number; minRatio?: number } | null;
  detail?: string;
};

export function ratioOf(row: Row): number | null {
  if (row.limit === null || !Number.isFinite(row.limit) || !Number.isFinite(row.figure) || row.figure === 0) return null;
  return row.unit === 'req/s' ? row.figure / row.limit : row.limit / row.figure;
}

/**
 * Why this run's figures can't be trusted to pass, if they can't: the machine was busy when the
 * bench started (1-minute load average above the core count), or a physical limit measured in
 * this run came out more than twice as slow as in the previous run of the same scale, which means
 * something else was using the CPU or the disk. Limits under a millisecond are left out: they
 * are round trips whose run-to-run noise is larger than the signal.
 */
export function busyReasons(start: { loadAverage: number; cores: number }, rows: Row[], previous: Row[] | null): string[] {
  const reasons: string[] = [];
  if (start.loadAverage > start.cores) reasons.push(`the load average was ${start.loadAverage.toFixed(2)} at start, above the ${start.cores} cores`);
  const before = new Map((previous ?? []).map((row) => [row.name, row]));
  const checked = new Set<string>();
  for (const row of rows) {
    const earlier = before.get(row.name);
    if (row.limit === null || !earlier || earlier.limit === null || !row.limitLabel || checked.has(row.limitLabel + row.limit)) continue;
    checked.add(row.limitLabel + row.limit);
    const slower = row.unit === 'req/s' ? earlier.limit / row.limit : row.unit === 'ms' && earlier.limit >= 1 ? row.limit / earlier.limit : 1;
    if (slower > 2) reasons.push(`“${row.name}”: its limit (${row.limitLabel}) came out ${slower.toFixed(1)}× slower than in the previous run (${fmt(row.limit, row.unit)} against ${fmt(earlier.limit, row.unit)})`);
  }
  return reasons;
}

/** PASS or MISS against the row's goal; a run on a busy machine reports BUSY where it would pass. */
export function verdict(row: Row, busy = false): 'PASS' | 'MISS' | 'BUSY' | '' {
  if (!row.goal) return '';
  const ratio = ratioOf(row);
  if (row.goal.max !== undefined && !(row.figure <= row.goal.max)) return 'MISS';
  if (row.goal.min !== undefined && !(row.figure >= row.goal.min)) return 'MISS';
  if (row.goal.minRatio !== undefined && !(ratio !== null && ratio >= row.goal.minRatio)) return 'MISS';
  return busy ? 'BUSY' : 'PASS';
}

function goalText(row: Row): string {
  if (!row.goal) return '';
  const parts: string[] = [];
  if (row.goal.max !== undefined) parts.push(`≤ ${row.goal.max} ${row.unit}`);
  if (row.goal.min !== undefined) parts.push(`≥ ${row.goal.min} ${row.unit}`);
  if (row.goal.minRatio !== undefined) parts.push(`≥ ${Math.round(row.goal.minRatio * 100)}% of limit`);
  return parts.join(', ');
}

const fmt = (value: number | null, unit = '') => (value === null || !Number.isFinite(value) ? '–' : `${value >= 100 || unit === 'scans' ? Math.round(value) : value.toFixed(1)}${unit ? ` ${unit}` : ''}`);

export function printTable(rows: Row[], busy = false): void {
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    return [row.name, fmt(row.figure, row.unit), row.limit === null ? '–' : `${fmt(row.limit, row.unit)}${row.limitLabel ? ` (${row.limitLabel})` : ''}`, ratio === null ? '–' : `${Math.round(ratio * 100)}%`, goalText(row), verdict(row, busy)];
  });
  const header = ['measurement', 'figure', 'physical limit', 'ratio', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(render(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const line of lines) console.log(render(line));
}
