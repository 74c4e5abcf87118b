// The Prisma client of a process. Server code only: the client bundle can't include `pg`, so a
// client component that reaches this file fails the build.
//
// Two pools behind one client: interactive transactions (every write) take their connection
// from a pool of their own, so a flood of reads, or hundreds of live streams catching up, can
// never take the connections a write needs. A write waits at most SITREP_DB_WRITE_WAIT_MS for
// one; then Prisma gives up and errors.ts turns that into a 503 with Retry-After, never a 500.
import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { env } from '@/lib/platform/env';
import { log } from '@/lib/platform/log';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Prisma's query interpreter reads the relations of an `include` with Promise.all, which inside
 * an interactive transaction sends several queries to its one pg client at once. pg queues them,
 * but that implicit queue is deprecated (a warning at every start, and gone in pg 9): here each
 * transaction's queries wait for the one before, which is the order pg ran them in anyway.
 */
function oneQueryAtATime(queryable: SqlQueryable): void {
  let previous: Promise<unknown> = Promise.resolve();
  const queue = <T>(run: () => Promise<T>): Promise<T> => {
    const next = previous.then(run, run);
    previous = next.catch(() => undefined);
    return next;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) => queue(() => queryRaw(query));
  queryable.executeRaw = (query) => queue(() => executeRaw(query));
}

/** A role's pg pool, made at its first use and made again after `$disconnect` ended it. */
type Pools = { get(): pg.Pool; ended(pool: pg.Pool): void };

function poolsFor(role: 'reads' | 'writes', max: number): Pools {
  let current: pg.Pool | null = null;
  return {
    // The URL is read here, at the first query, not at import: `next build` has none, and in
    // embedded mode it is known only once PostgreSQL runs (lib/platform/runtime/database.ts).
    get: () => {
      if (current) return current;
      const pool = new pg.Pool({
        connectionString: env.DATABASE_URL,
        max,
        application_name: `sitrep-${role}`,
        connectionTimeoutMillis: role === 'writes' ? env.SITREP_DB_WRITE_WAIT_MS : 5_000,
        // Every session in UTC. Prisma's adapter sends a Date as a timestamp without a zone, which
        // PostgreSQL reads in the session's time zone: on a server whose TimeZone is not UTC (a
        // Debian package takes the machine's) every time written would move by the offset and
        // every range compared would shift. pg-pool awaits this hook before it hands the new
        // connection out, so no query waits behind it on the connection (pg 8 warns of that and
        // pg 9 refuses it), and a connection it fails on is closed and its checkout errors.
        onConnect: async (client) => {
          await client.query("SET TIME ZONE 'UTC'");
        },
      });
      // An idle connection the server closed (a restart) is an 'error' on the pool; without a
      // listener it would end the process. Prisma's adapter adds its own only once it connects,
      // and alert intake may use the write pool before that. The pool replaces the connection.
      pool.on('error', (error) => log.warn(`idle ${role} database connection lost; the pool opens another`, { error: error.message }));
      return (current = pool);
    },
    ended: (pool) => {
      if (current === pool) current = null;
    },
  };
}

// Prisma's pg adapter over a pool of ours, so the same pool also serves statements sent with pg
// itself (writePool below).
const adapterNames = new PrismaPg({});

function adapterOver(pools: Pools): SqlDriverAdapterFactory {
  return {
    provider: adapterNames.provider,
    adapterName: adapterNames.adapterName,
    async connect() {
      const pool = pools.get();
      const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => {
        const transaction = await startTransaction(isolationLevel);
        oneQueryAtATime(transaction);
        return transaction;
      };
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        pools.ended(pool);
        await dispose();
      };
      return adapter;
    },
  };
}

function createClient(pools: Pools): PrismaClient {
  return new PrismaClient({
    adapter: adapterOver(pools),
    // maxWait: how long a transaction waits to start (for a connection); timeout: how long it may
    // run once started, generous so a busy machine finishes what it began rather than rolling back.
    transactionOptions: { maxWait: env.SITREP_DB_WRITE_WAIT_MS, timeout: 30_000 },
  });
}

type Clients = { db: PrismaClient; writes: Pools };

function createClients(): Clients {
  const writes = Math.max(1, Math.ceil(env.SITREP_DB_POOL / 2));
  const readClient = createClient(poolsFor('reads', Math.max(1, env.SITREP_DB_POOL - writes)));
  const writePools = poolsFor('writes', writes);
  const writeClient = createClient(writePools);
  const db = new Proxy(readClient, {
    get(target, property) {
      if (property === '$transaction') return writeClient.$transaction.bind(writeClient);
      if (property === '$disconnect') return () => Promise.all([readClient.$disconnect(), writeClient.$disconnect()]).then(() => undefined);
      // The client keeps private fields: its methods must run with the client itself as `this`.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, writes: writePools };
}

const globalForDb = globalThis as unknown as { sitrepDbClients?: Clients };
const clients = (globalForDb.sitrepDbClients ??= createClients());

export const db: PrismaClient = clients.db;

/**
 * The write pool itself, for a write that is one autocommitted statement on the hottest path
 * (alert intake): sent with pg, it skips Prisma's query layers and needs no interactive
 * transaction. It
 * takes its connection where writes do, so a flood of reads cannot hold it up. Everything else
 * writes through `db.$transaction`.
 */
export function writePool(): pg.Pool {
  return clients.writes.get();
}
