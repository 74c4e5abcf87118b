// Starts one throw-away PostgreSQL for the integration tests (never the app's .data), applies the
// migrations, and hands its URL to the tests: inject('databaseUrl'), and DATABASE_URL for code
// that reads the environment.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres } from '../../lib/platform/runtime/embedded-postgres.ts';
import { deployMigrations } from '../../lib/platform/runtime/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sitrep-test-'));
  // Postgres runs as the `postgres` user when we are root; mkdtemp's 0700 would lock it out.
  await chmod(root, 0o755);
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  const cleanup = async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  };

  try {
    server = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pg'),
      port: await freePort(),
      database: 'sitrep_test',
      // Durability is pointless for a database deleted after the run.
      postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    });
    await deployMigrations({ databaseUrl: server.url });
  } catch (error) {
    await cleanup();
    throw error;
  }

  project.provide('databaseUrl', server.url);
  process.env.DATABASE_URL = server.url;
  return cleanup;
}
