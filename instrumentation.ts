// Runs once when the Next.js server starts: the background work (lib/workers.ts: outgoing
// messages and periodic checks) lives in the web server process unless SITREP_WORKER=false (then
// run `npm run worker` separately).
export async function register(): Promise<void> {
  // NEXT_RUNTIME is inlined by Next at build time; it is read here rather than through
  // lib/platform/env.ts so that the edge build of this file imports nothing.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/lib/platform/env');
  if (!env.SITREP_WORKER || !env.DATABASE_URL) return;
  const { log } = await import('@/lib/platform/log');
  const { stopWorkersOnSignals } = await import('@/lib/platform/delivery/worker');
  const { startBackgroundWork } = await import('@/lib/workers');
  stopWorkersOnSignals();
  startBackgroundWork().catch((error: unknown) => log.error('background work did not start', { error: (error as Error).message }));
}
