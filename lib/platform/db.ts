// The Prisma client of a process. Server code only: the client bundle can't include `pg`, so a
// client component that reaches this file fails the build.
//
// Two pools behind one client: interactive transactions (every write) take their connection
// from a pool of their own, so a flood of reads, or hundreds of live streams catching up, can
// never take the connections a write needs. A write waits at most SITREP_DB_WRITE_WAIT_MS for
// one; then Prisma gives up and errors.ts turns that into a 503 with Retry-After, never a 500.
import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { env } from '@/lib/platform/env';

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

function withSerialTransactions(factory: PrismaPg): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => {
        const transaction = await startTransaction(isolationLevel);
        oneQueryAtATime(transaction);
        return transaction;
      };
      return adapter;
    },
  };
}

function createClient(role: 'reads' | 'writes', max: number): PrismaClient {
  // The URL is read when the pool is created at the first query, not at import: `next build`
  // has none, and in embedded mode it is known only once PostgreSQL runs (lib/platform/runtime/database.ts).
  const adapter = new PrismaPg({
    get connectionString() {
      return env.DATABASE_URL;
    },
    max,
    application_name: `sitrep-${role}`,
    connectionTimeoutMillis: role === 'writes' ? env.SITREP_DB_WRITE_WAIT_MS : 5_000,
  });
  return new PrismaClient({
    adapter: withSerialTransactions(adapter),
    // maxWait: how long a transaction waits to start (for a connection); timeout: how long it may
    // run once started, generous so a busy machine finishes what it began rather than rolling back.
    transactionOptions: { maxWait: env.SITREP_DB_WRITE_WAIT_MS, timeout: 30_000 },
  });
}

function createDb(): PrismaClient {
  const writes = Math.max(1, Math.ceil(env.SITREP_DB_POOL / 2));
  const readClient = createClient('reads', Math.max(1, env.SITREP_DB_POOL - writes));
  const writeClient = createClient('writes', writes);
  return new Proxy(readClient, {
    get(target, property) {
      if (property === '$transaction') return writeClient.$transaction.bind(writeClient);
      if (property === '$disconnect') return () => Promise.all([readClient.$disconnect(), writeClient.$disconnect()]).then(() => undefined);
      // The client keeps private fields: its methods must run with the client itself as `this`.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const globalForDb = globalThis as unknown as { sitrepDb?: PrismaClient };

export const db: PrismaClient = (globalForDb.sitrepDb ??= createDb());
