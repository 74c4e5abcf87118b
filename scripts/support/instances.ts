// Throw-away Sitrep installations for the survival tests and `npm run bench`: an embedded
// PostgreSQL of their own (never .data), migrated, and any number of real `next start` processes
// on it, all on loopback. Everything here can be crashed on purpose: PostgreSQL the way
// `pg_ctl stop -m immediate` does it, the web server with kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@/lib/platform/runtime/embedded-postgres';
import { deployMigrations } from '@/lib/platform/runtime/migrations';
import { root, serverArguments } from './build';

/** Fixed secrets every instance of one installation shares (sessions, secrets at rest). */
export const INSTALLATION_SECRETS = {
  AUTH_SECRET: 'c2l0cmVwLXN1cnZpdmFsLWF1dGgtc2VjcmV0LTMyLWJ5dGVzIQ==',
  SITREP_ENCRYPTION_KEY: 'c2l0cmVwLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmctISE=',
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until it holds; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(50);
  }
}

// ---- PostgreSQL ----

export type Postgres = {
  url: string;
  port: number;
  dataDir: string;
  /** What `pg_ctl stop -m immediate` does (SIGQUIT to the postmaster): no checkpoint, every backend cut off. */
  crash(): Promise<void>;
  /** Starts it again on the same port after a crash. */
  restart(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
};

export async function startPostgres(options: { name: string; durable?: boolean; postgresFlags?: string[]; output?: (chunk: string) => void }): Promise<Postgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `sitrep-${options.name}-`));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  // Durability only matters where the test is about it; elsewhere it just costs time.
  const postgresFlags = [
    ...(options.durable ? ['-c', 'max_connections=200'] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200']),
    ...(options.postgresFlags ?? []),
  ];
  const start = () => startEmbeddedPostgres({ dataDir, port, database: 'sitrep', postgresFlags, output: options.output });
  let handle: EmbeddedPostgresHandle = await start();
  await deployMigrations({ databaseUrl: handle.url });

  const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    url: handle.url,
    port,
    dataDir,
    async crash() {
      const pid = postmasterPid();
      process.kill(pid, 'SIGQUIT');
      await waitFor('PostgreSQL to exit', () => !alive(pid), 15_000);
    },
    async restart() {
      handle = await start();
    },
    async destroy() {
      // After a crash embedded-postgres's own stop would wait for a process that is gone.
      const pid = (() => {
        try {
          return postmasterPid();
        } catch {
          return 0;
        }
      })();
      if (pid && alive(pid)) {
        await Promise.race([handle.stop().catch(() => undefined), sleep(10_000)]);
        if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- the web server ----

export type App = {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Signals the whole process group. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, and SIGKILL after 10 s; resolves once it is gone. */
  stop(): Promise<void>;
  exited: Promise<void>;
};

export type AppOptions = {
  databaseUrl: string;
  name?: string;
  port?: number;
  /** Extra environment, e.g. SITREP_WORKER=false. */
  env?: Record<string, string>;
  /** Echo its output with a name prefix (debugging). */
  echo?: boolean;
};

/** Starts the web server (scripts/serve.ts; the production build must exist) and resolves once /api/health is ok. */
export async function startApp(options: AppOptions): Promise<App> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const name = options.name ?? `app:${port}`;
  // SITREP_SERVER_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the servers a bench or test starts.
  const nodeArguments = (process.env.SITREP_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, serverArguments({ port, hostname: '127.0.0.1', nodeArguments }), {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_URL: url,
      SITREP_URL: url,
      SITREP_LOG_LEVEL: 'warn',
      SITREP_WEBHOOK_ALLOW_HOSTS: 'localhost',
      ...INSTALLATION_SECRETS,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (options.echo) process.stdout.write(text.replace(/^/gm, `[${name}] `));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const app: App = {
    name,
    url,
    port,
    child,
    output: () => output,
    kill,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(
      `${name} to answer /api/health`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited (code ${child.exitCode}):\n${output}`);
        try {
          return (await fetch(`${url}/api/health`)).ok;
        } catch {
          return false;
        }
      },
      60_000,
    );
  } catch (error) {
    kill('SIGKILL');
    throw error;
  }
  return app;
}

// ---- people ----

/**
 * Creates a user (with a password when given, for browser sign-in) and an API token directly
 * through the services; this process must not have queried another database before. Returns
 * the token.
 */
export async function createUserWithToken(
  databaseUrl: string,
  email: string,
  role: 'admin' | 'responder' | 'viewer' = 'admin',
  options: { password?: string } = {},
): Promise<string> {
  const { setDatabaseUrl } = await import('@/lib/platform/env');
  setDatabaseUrl(databaseUrl);
  const { createUser, setUserPassword } = await import('@/lib/users/service');
  const { createApiToken } = await import('@/lib/tokens/service');
  const name = email.split('@')[0]!.replace(/^./, (c) => c.toUpperCase());
  await createUser({ email, name, role }, { actor: null });
  if (options.password) await setUserPassword(email, options.password, { actor: null });
  return (await createApiToken({ email, name: 'survival' }, { actor: null })).token;
}

/** JSON over HTTP with a bearer token; returns status, parsed body and headers. */
export async function api<T = unknown>(
  app: { url: string },
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${app.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (Markdown export, HTML): keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

// ---- Server-Sent Events ----

export type SseEvent = { id?: string; event: string; data: string; receivedAt: number };

export type SseClient = {
  events: SseEvent[];
  /** The id of the last event with one: what the client sends as Last-Event-ID on reconnect. */
  lastEventId(): string | undefined;
  /** How many times it (re)connected. */
  connections(): number;
  /** Cuts the current connection, as a network drop would; it reconnects with Last-Event-ID. */
  drop(): void;
  close(): void;
};

/**
 * A reconnecting EventSource-like client over fetch: on a dropped stream (or a failed connect)
 * it waits `retryMs` and reconnects with Last-Event-ID, as browsers do.
 */
export function openSse(url: string, options: { token: string; retryMs?: number; onEvent?: (event: SseEvent) => void; lastEventId?: string }): SseClient {
  const events: SseEvent[] = [];
  let lastId = options.lastEventId;
  let connections = 0;
  let closed = false;
  let controller: AbortController | null = null;
  const retryMs = options.retryMs ?? 250;

  const run = async () => {
    while (!closed) {
      controller = new AbortController();
      try {
        const response = await fetch(url, {
          headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: controller.signal,
        });
        if (response.ok && response.body) {
          connections++;
          const decoder = new TextDecoder();
          let buffer = '';
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            buffer += decoder.decode(chunk, { stream: true });
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event: SseEvent = { event: 'message', data: '', receivedAt: performance.now() };
              let hasData = false;
              for (const line of block.split('\n')) {
                if (line.startsWith(':') || !line) continue;
                const colon = line.indexOf(':');
                const field = colon < 0 ? line : line.slice(0, colon);
                const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'id') event.id = value;
                else if (field === 'event') event.event = value;
                else if (field === 'data') {
                  event.data += (hasData ? '\n' : '') + value;
                  hasData = true;
                }
              }
              if (!hasData) continue;
              if (event.id !== undefined) lastId = event.id;
              events.push(event);
              options.onEvent?.(event);
            }
          }
        } else {
          await response.body?.cancel().catch(() => undefined);
        }
      } catch {
        // dropped or refused: reconnect below
      }
      if (!closed) await sleep(retryMs);
    }
  };
  void run();
  return {
    events,
    lastEventId: () => lastId,
    connections: () => connections,
    drop() {
      controller?.abort();
    },
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
