// The one Prisma client of a process. Server code only: the client bundle can't include `pg`,
// so a client component that reaches this file fails the build.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { env } from '@/lib/platform/env';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

function createClient(): PrismaClient {
  // The URL is read when the pool is created at the first query, not at import: `next build`
  // has none, and in embedded mode it is known only once PostgreSQL runs (lib/platform/runtime/database.ts).
  const adapter = new PrismaPg({
    get connectionString() {
      return env.DATABASE_URL;
    },
    max: 10,
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { sitrepDb?: PrismaClient };

export const db: PrismaClient = (globalForDb.sitrepDb ??= createClient());
