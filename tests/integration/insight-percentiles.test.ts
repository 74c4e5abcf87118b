// lib/insights/percentiles.ts finds medians and 90th percentiles in sorted span arrays by counting
// instead of sorting. It must give percentile_cont's answer exactly (the figures are exact, and
// tests/integration/insights.test.ts holds them to definitions.ts). Here both run in PostgreSQL
// over the same random sets: many shapes of distribution, ties, zeros, int4's maximum, empty
// arrays and groups with no values, a single value, two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '@/lib/platform/db';
import { percentilesCtes } from '@/lib/insights/percentiles';

// A small deterministic generator, so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

type Row = { g: number; a: number[] };

function makeSet(seed: number): Row[] {
  const next = random(seed);
  const shape = seed % 6;
  const value = (): number => {
    switch (shape) {
      case 0: return Math.floor(next() * 10); // few distinct values: ties everywhere
      case 1: return Math.floor(-3_600 * Math.log(1 - next())); // exponential, like times to resolve
      case 2: return Math.floor(next() * 2_147_483_647); // the whole int4 range
      case 3: return next() < 0.5 ? 0 : 2_147_483_647; // only the extremes
      case 4: return Math.floor(2 ** (next() * 31)) - 1; // spread evenly over the buckets' scale
      default: return 1_000 + Math.floor(next() * 3); // one narrow bucket
    }
  };
  const rows: Row[] = [];
  const count = 1 + Math.floor(next() * 60);
  for (let i = 0; i < count; i++) {
    const size = next() < 0.15 ? 0 : Math.floor(next() * (seed % 4 === 0 ? 3 : 200));
    rows.push({ g: Math.floor(next() * 4), a: Array.from({ length: size }, value).sort((x, y) => x - y) });
  }
  return rows;
}

beforeAll(async () => {
  await db.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS percentile_sets (set_id int NOT NULL, g int NOT NULL, a int[] NOT NULL)');
  await db.$executeRawUnsafe('TRUNCATE percentile_sets');
});

afterAll(async () => {
  await db.$executeRawUnsafe('DROP TABLE IF EXISTS percentile_sets');
});

describe('exact percentiles from sorted arrays', () => {
  it('equal percentile_cont, per group and overall, on 120 random sets', async () => {
    const sets = Array.from({ length: 120 }, (_, seed) => makeSet(seed + 1));
    for (const [id, rows] of sets.entries()) {
      for (const row of rows) await db.$executeRaw`INSERT INTO percentile_sets (set_id, g, a) VALUES (${id}, ${row.g}, ${row.a}::int[])`;
    }
    for (const grouped of [false, true]) {
      const group = grouped ? Prisma.sql`g` : Prisma.sql`0`;
      for (const id of sets.keys()) {
        const counted = await db.$queryRaw<{ g: number; median: number; p90: number }[]>`
          WITH set_rows AS (SELECT g, a FROM percentile_sets WHERE set_id = ${id}), ${percentilesCtes('found', 'set_rows', 'a', group)}
          SELECT g::int, median, p90 FROM found ORDER BY g`;
        const sorted = await db.$queryRaw<{ g: number; median: number; p90: number }[]>`
          SELECT ${group}::int AS g,
                 floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY v) + 0.5)::int AS median,
                 floor(percentile_cont(0.9) WITHIN GROUP (ORDER BY v) + 0.5)::int AS p90
            FROM percentile_sets, unnest(a) AS v WHERE set_id = ${id} GROUP BY 1 ORDER BY 1`;
        expect(counted, `set ${id}${grouped ? ' per group' : ''}`).toEqual(sorted);
      }
    }
  });
});
