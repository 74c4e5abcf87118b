// /api/health is what load balancers and the "retrying" page poll, often and all at once: it
// must cost one probe per second however many ask, on a connection of its own (never the pool
// real work needs), and the request edge answers it from memory in between.
import { afterAll, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { db } from '@/lib/platform/db';
import { publicResponseFor } from '@/lib/platform/http/public-cache';

afterAll(async () => {
  await db.$disconnect();
});

const probeSessions = async () =>
  Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'sitrep-health'`)[0]!.n);

it('answers a crowd of health checks with one probe on a connection of its own, and is remembered for the edge', async () => {
  const ask = () => health(new Request('http://sitrep.test/api/health'), { params: Promise.resolve({}) });
  const answers = await Promise.all(Array.from({ length: 200 }, ask));
  // Remembered (read at once: the copy is fresh for a second): the edge serves the next ones without entering the route.
  const remembered = publicResponseFor('/api/health');
  expect(new Set(answers.map((r) => r.status))).toEqual(new Set([200]));
  expect(await answers[0]!.json()).toEqual({ status: 'ok', db: 'ok' });
  expect(await probeSessions()).toBe(1);
  expect(remembered).toEqual({ serve: expect.objectContaining({ status: 200 }) });
});
