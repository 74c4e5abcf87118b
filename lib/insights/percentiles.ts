// EXACT MEDIANS AND 90TH PERCENTILES WITHOUT SORTING EVERY SPAN. percentile_cont over a year of
// spans sorts 100,000 values per figure (about 25 ms each, five sorts a view). The roll-up rows
// keep each row's spans as a sorted int[] (rollups.ts), so the value at any position of all of
// them together can be found by counting instead:
//
// 1. Count, over every row, the values at or below each of 32 thresholds (2^j - 1) with
//    width_bucket, a binary search in each row's sorted array: a histogram of the whole set.
// 2. The position wanted (percentile_cont's floor and ceiling of p × (n - 1)) falls in one
//    bucket; only that bucket's values are cut out of each row's array (a slice between two
//    binary searches), sorted, and indexed.
// 3. Interpolate between the two values as percentile_cont does (float8: lo + (hi - lo) × frac).
//
// The answer is percentile_cont's, to the last bit; tests/integration/insight-percentiles.test.ts
// holds the two to the same answers on random sets.
import { Prisma } from '@/lib/generated/prisma/client';

/**
 * The thresholds of the histogram: ⌈2^(j/2)⌉ - 1, so a bucket holds values within a factor of √2
 * (finer costs more width_bucket calls than it saves in sorting; measured with 31 to 93), and
 * int4's maximum last, so every value is at or below one.
 */
export const PERCENTILE_THRESHOLDS: number[] = [...new Set([...Array.from({ length: 62 }, (_, j) => Math.ceil(2 ** (j / 2)) - 1), 2_147_483_647])];

/**
 * CTEs (to follow others in a WITH) giving `${name}(g, median, p90)`: for each group `group`
 * (an expression over the rows of `rows`, each of which has the sorted int[] `column`), the
 * median and 90th percentile of all the values, rounded as the figures are (floor(x + 0.5)).
 * Groups without values have no row.
 */
export function percentilesCtes(name: string, rows: string, column: string, group: Prisma.Sql): Prisma.Sql {
  const n = (suffix: string) => Prisma.raw(`${name}_${suffix}`);
  const col = Prisma.raw(column);
  const from = Prisma.raw(rows);
  const thresholds = PERCENTILE_THRESHOLDS;
  const counts = Prisma.join(thresholds.map((t) => Prisma.raw(`sum(width_bucket(${t}, a))`)));
  return Prisma.sql`
    ${n('rows')} AS MATERIALIZED (
      SELECT ${group} AS g, ${col} AS a FROM ${from}
    ),
    ${n('histogram')} AS (
      SELECT g, sum(cardinality(a))::int AS n, ARRAY[${counts}]::bigint[] AS c
        FROM ${n('rows')} GROUP BY g
    ),
    ${n('wanted')} AS (
      SELECT h.g, h.n, h.c, q.p, w.pos, b.j
        FROM ${n('histogram')} h,
             (VALUES (0.5::float8), (0.9::float8)) AS q(p),
             LATERAL (VALUES (floor(q.p * (h.n - 1))::int), (ceil(q.p * (h.n - 1))::int)) AS w(pos),
             -- The bucket holding the value at 0-based position pos: the first threshold with more values at or below it.
             LATERAL (SELECT min(u.j)::int AS j FROM unnest(h.c) WITH ORDINALITY AS u(at_or_below, j) WHERE u.at_or_below > w.pos) AS b
       WHERE h.n > 0
    ),
    ${n("buckets")} AS MATERIALIZED (
      SELECT k.g, k.j, coalesce(k.c[k.j - 1], 0) AS below,
             (SELECT array_agg(v ORDER BY v)
                FROM ${n('rows')} r,
                     unnest(r.a[width_bucket(coalesce((${thresholds}::int[])[k.j - 1], -1), r.a) + 1 : width_bucket((${thresholds}::int[])[k.j], r.a)]) AS v
               WHERE r.g IS NOT DISTINCT FROM k.g) AS vals
        FROM (SELECT DISTINCT g, j, c FROM ${n('wanted')}) k
    ),
    ${n('values')} AS (
      SELECT w.g, w.p, w.n, min(b.vals[w.pos - b.below + 1]) AS lo, max(b.vals[w.pos - b.below + 1]) AS hi
        FROM ${n('wanted')} w JOIN ${n('buckets')} b ON b.g IS NOT DISTINCT FROM w.g AND b.j = w.j
       GROUP BY w.g, w.p, w.n
    ),
    ${Prisma.raw(name)} AS (
      SELECT g,
             max(CASE WHEN p = 0.5 THEN floor(lo::float8 + (hi::float8 - lo::float8) * (p * (n - 1) - floor(p * (n - 1))) + 0.5)::int END) AS median,
             max(CASE WHEN p = 0.9 THEN floor(lo::float8 + (hi::float8 - lo::float8) * (p * (n - 1) - floor(p * (n - 1))) + 0.5)::int END) AS p90
        FROM ${n('values')} GROUP BY g
    )`;
}
