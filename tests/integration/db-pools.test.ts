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

it('keeps times exact on a server whose time zone is not UTC', async () => {
  // Prisma's adapter sends a Date without a zone; PostgreSQL would read it in the session's zone.
  const name = (await db.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`)[0]!.name;
  await db.$executeRawUnsafe(`ALTER DATABASE "${name}" SET TimeZone = 'America/New_York'`);
  try {
    await db.$disconnect(); // new connections take the database's setting
    const at = new Date('2026-03-05T00:30:00Z');
    const [row] = await db.$queryRaw<{ utc: string; compared: boolean; zone: string }[]>`
      SELECT (${at}::timestamptz AT TIME ZONE 'UTC')::text AS utc, ${at}::timestamptz = '2026-03-05T00:30:00Z'::timestamptz AS compared, current_setting('TimeZone') AS zone`;
    expect(row).toEqual({ utc: '2026-03-05 00:30:00', compared: true, zone: 'UTC' });
    const written = await db.user.create({ data: { email: `tz-${Date.now()}@example.com`, name: 'Zone', createdAt: at } });
    expect((await db.user.findUniqueOrThrow({ where: { id: written.id } })).createdAt.toISOString()).toBe(at.toISOString());
    expect((await writePool().query<{ zone: string }>(`SELECT current_setting('TimeZone') AS zone`)).rows[0]!.zone).toBe('UTC');
    await db.user.delete({ where: { id: written.id } });
  } finally {
    await db.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET TimeZone`);
    await db.$disconnect();
  }
});
