// Which PostgreSQL a process uses: DATABASE_URL when set; otherwise the embedded one under
// .data/pg, attached to when another Sitrep process (npm start) already runs it, started here
// when not.
import 'server-only';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '@/lib/platform/runtime/embedded-postgres';
import { env, setDatabaseUrl } from '@/lib/platform/env';
import { loadOrCreateSecrets } from '@/lib/platform/runtime/secrets';

export const EMBEDDED_DATABASE = 'sitrep';

export type OpenDatabase = { url: string; embedded: boolean; startedHere: boolean; stop(): Promise<void> };

export function dataDir(): string {
  return path.resolve(env.SITREP_DATA_DIR);
}

/** The port of a live embedded server on this data directory, from its postmaster.pid. */
async function runningEmbeddedPort(pgDir: string): Promise<number | null> {
  const pidFile = await readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (!pidFile) return null;
  const [pidLine, , , portLine] = pidFile.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return port;
}

export async function openDatabase(options: { attach: boolean; log?: (line: string) => void }): Promise<OpenDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, startedHere: false, stop: async () => {} };

  const secrets = await loadOrCreateSecrets(dataDir());
  // Secrets at rest use the embedded installation's generated key in this process too (the demo
  // seed, the CLI, `npm run worker`), not only in the web server start.ts launches with it.
  env.SITREP_ENCRYPTION_KEY ??= secrets.encryptionKey;
  const pgDir = path.join(dataDir(), 'pg');
  const runningPort = options.attach ? await runningEmbeddedPort(pgDir) : null;
  if (runningPort) {
    const url = `postgresql://postgres:${encodeURIComponent(secrets.databasePassword)}@127.0.0.1:${runningPort}/${EMBEDDED_DATABASE}`;
    setDatabaseUrl(url);
    return { url, embedded: true, startedHere: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: pgDir,
    database: EMBEDDED_DATABASE,
    password: secrets.databasePassword,
    log: options.log,
  });
  setDatabaseUrl(server.url);
  return { url: server.url, embedded: true, startedHere: true, stop: server.stop };
}
