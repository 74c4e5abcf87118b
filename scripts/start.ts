// `npm start`: build if needed → PostgreSQL (embedded under .data/, or DATABASE_URL) → migrations
// → demo data → the web server (scripts/serve.ts: Next behind Sitrep's request edge), and a clean
// stop of all of it on Ctrl-C / SIGTERM. `npm run dev` does the same in Next's development mode
// instead of a production build.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { leaveShutdownSignalsToCaller } from '@/lib/platform/runtime/embedded-postgres';
import { env, EnvError, processEnvironment } from '@/lib/platform/env';
import { deployMigrations } from '@/lib/platform/runtime/migrations';
import { dataDir, openDatabase, type OpenDatabase } from '@/lib/platform/runtime/database';
import { loadOrCreateSecrets } from '@/lib/platform/runtime/secrets';
import { ensureBuild, root, serverArguments } from './support/build';

const dev = process.argv.includes('--dev');
const say = (message: string) => console.log(`[sitrep] ${message}`);

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return false;
}

async function main(): Promise<void> {
  const started = Date.now();
  const embedded = !env.DATABASE_URL;
  if (!embedded && !env.AUTH_SECRET) {
    throw new EnvError(
      'AUTH_SECRET is required when DATABASE_URL is set: it signs sessions, and every instance must share it.\n' +
        'Generate one with `openssl rand -base64 32` and set AUTH_SECRET in the environment.',
    );
  }
  const secrets = embedded ? await loadOrCreateSecrets(dataDir()) : null;
  const host = env.HOST ?? (embedded ? '127.0.0.1' : '0.0.0.0');
  const publicUrl = (env.SITREP_URL ?? env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const demo = env.SITREP_DEMO ?? embedded;

  let database: OpenDatabase | null = null;
  let child: ChildProcess | null = null;
  let stopping = false;

  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    if (child && child.exitCode === null && child.pid) {
      // Signal the whole process group so nothing the server started is left behind.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      const timer = setTimeout(() => {
        try {
          process.kill(-child!.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (database) await database.stop().catch((error: Error) => say(`PostgreSQL did not stop cleanly: ${error.message}`));
    say('Stopped.');
    process.exit(code);
  };
  // Ours alone: embedded-postgres's own handler would stop PostgreSQL at once, under the web
  // server that is still shutting down (and delivering webhooks).
  leaveShutdownSignalsToCaller();
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  database = await openDatabase({ attach: false });
  if (embedded) say(`Embedded PostgreSQL is running (data in ${path.join(dataDir(), 'pg')}).`);

  if (embedded || env.SITREP_MIGRATE_ON_START) {
    const { applied } = await deployMigrations({ databaseUrl: database.url });
    say(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}.` : 'The database schema is up to date.');
  }
  if (demo) {
    const { seedDemoData } = await import('@/lib/demo/seed');
    if (await seedDemoData()) say('Seeded demo data.');
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...processEnvironment(),
    NODE_ENV: dev ? 'development' : 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    NEXTAUTH_URL: publicUrl,
    SITREP_DEMO: String(demo),
    ...(secrets
      ? {
          AUTH_SECRET: env.AUTH_SECRET ?? secrets.authSecret,
          NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: processEnvironment().NEXT_SERVER_ACTIONS_ENCRYPTION_KEY ?? secrets.serverActionsKey,
          SITREP_ENCRYPTION_KEY: env.SITREP_ENCRYPTION_KEY ?? secrets.encryptionKey,
        }
      : {}),
  };
  if (!dev) ensureBuild(childEnv);
  if (stopping) return;

  child = spawn(process.execPath, serverArguments({ port: env.PORT, hostname: host, dev }), {
    cwd: root,
    env: childEnv,
    stdio: 'inherit',
    detached: true, // its own process group, so shutdown can stop next-server too
  });
  child.once('exit', (code) => {
    if (!stopping) void shutdown(`The web server exited (code ${code ?? 'signal'})`, code || 1);
  });

  const localUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${env.PORT}`;
  if (await waitForHealth(localUrl, child)) {
    say(`Sitrep is ready at ${publicUrl} (${((Date.now() - started) / 1000).toFixed(1)} s).`);
    if (demo) say('Demo sign-in: admin@sitrep.local / sitrep-demo');
  } else if (!stopping) {
    say('The web server did not become healthy within 60 s; see its output above.');
  }
}

main().catch((error: unknown) => {
  console.error(`[sitrep] ${error instanceof EnvError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
