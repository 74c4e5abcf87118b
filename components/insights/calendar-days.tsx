'use client';

// The calendar's squares, drawn from one number per day. A client component so that the RSC
// payload carries those numbers (a few KB over three years) instead of a serialised element per
// day: 1,100 squares with their titles were 210 KB of the payload and most of the page's render.
// The server still renders the squares into the HTML; nothing here runs a chart library.

const CELL = 11;
const GAP = 2;
const LEFT = 22;
const TOP = 14;
const DAY = 86_400_000;
// A range longer than a year is drawn as one band of at most 53 weeks under another, so three
// years keep squares as large as one year's instead of a strip three times as long.
const BAND_WEEKS = 53;
const BAND_H = TOP + 7 * (CELL + GAP) + 6;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Days without incidents, then one shade per threshold passed (lightest first).
const shades = ['fill-zinc-100 dark:fill-zinc-800', 'fill-rose-200 dark:fill-rose-950', 'fill-rose-300 dark:fill-rose-800', 'fill-rose-500 dark:fill-rose-600', 'fill-rose-700 dark:fill-rose-400'];

/**
 * `start` is the Monday (UTC, YYYY-MM-DD) of the first column, `counts` the incidents declared on
 * each day from it, and `thresholds` the counts at which the shade darkens (three, ascending).
 */
export function CalendarDays({ start, counts, thresholds, label }: { start: string; counts: number[]; thresholds: number[]; label: string }) {
  const first = Date.parse(`${start}T00:00:00Z`);
  const weeks = Math.max(1, Math.ceil(counts.length / 7));
  const bands = Math.ceil(weeks / BAND_WEEKS);
  // 8 to the right: a month named in a band's last column fits.
  const W = LEFT + Math.min(weeks, BAND_WEEKS) * (CELL + GAP) + 8;
  const H = bands * BAND_H - 6;
  const byShade: { x: number; y: number; title: string }[][] = shades.map(() => []);
  const months: { x: number; y: number; name: string }[] = [];
  counts.forEach((count, i) => {
    const day = new Date(first + i * DAY);
    const week = Math.floor(i / 7);
    const x = LEFT + (week % BAND_WEEKS) * (CELL + GAP);
    const top = Math.floor(week / BAND_WEEKS) * BAND_H;
    if (i % 7 === 0 && day.getUTCDate() <= 7) months.push({ x, y: top + 9, name: MONTHS[day.getUTCMonth()]! });
    const shade = count === 0 ? 0 : 1 + thresholds.filter((t) => count >= t).length;
    byShade[shade]!.push({ x, y: top + TOP + (i % 7) * (CELL + GAP), title: `${day.toISOString().slice(0, 10)}: ${count} incident${count === 1 ? '' : 's'}` });
  });
  return (
    <svg viewBox={`0 0 ${W} ${H}`} style={{ minWidth: `${Math.min(W, 560) * 0.8}px`, maxWidth: `${W * 1.6}px` }} className="h-auto w-full" role="img" aria-label={label} data-chart="calendar">
      {Array.from({ length: bands }, (_, band) =>
        ['Mon', 'Wed', 'Fri'].map((name, i) => (
          <text key={`${band}${name}`} x={0} y={band * BAND_H + TOP + i * 2 * (CELL + GAP) + CELL - 2} fontSize={8} className="fill-zinc-500">
            {name}
          </text>
        )),
      )}
      {months.map(({ x, y, name }) => (
        <text key={`${x},${y}`} x={x} y={y} fontSize={8} className="fill-zinc-500">
          {name}
        </text>
      ))}
      {byShade.map((cells, shade) => (
        <g key={shade} className={shades[shade]}>
          {cells.map(({ x, y, title }) => (
            <rect key={title} x={x} y={y} width={CELL} height={CELL} rx={2}>
              <title>{title}</title>
            </rect>
          ))}
        </g>
      ))}
    </svg>
  );
}
