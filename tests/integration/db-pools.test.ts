// The pools of lib/platform/db.ts are ours (Prisma's adapter runs over them), and alert intake uses
// the write pool directly, possibly before Prisma has connected. An idle connection the server
// closes (a restart, an administrator) must then be replaced, not end the process: a pg pool
// without an 'error' listener throws that error out of the event loop.
import { afterAll, expect, it } from 'vitest';
import { db, writePool } from '@/lib/platform/db';

afterAll(async () => {
  await db.$disconnect();
});

it('replaces an idle write-pool connection the server closed, before Prisma has used the pool', async () => {
  const pool = writePool();
  const { pid } = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
  expect(pool.idleCount).toBe(1);
  // Another connection (the read pool) ends it, as a restart would.
  const [terminated] = await db.$queryRaw<{ ended: boolean }[]>`SELECT pg_terminate_backend(${pid}::int) AS ended`;
  expect(terminated?.ended).toBe(true);
  await expect.poll(() => pool.idleCount, { timeout: 5_000 }).toBe(0);
  expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
});
