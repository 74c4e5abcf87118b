// Runs once when the Next.js server starts: the delivery workers (remediation webhooks and
// notifications) and the status-update cadence check live in the web server process unless
// SITREP_WORKER=false (then run `npm run worker` separately).
export async function register(): Promise<void> {
  // NEXT_RUNTIME is inlined by Next at build time; it is read here rather than through
  // lib/platform/env.ts so that the edge build of this file imports nothing.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('@/lib/platform/env');
  if (!env.SITREP_WORKER || !env.DATABASE_URL) return;
  const { startDeliveryWorker, stopDeliveryWorkerOnSignals } = await import('@/lib/remediation/worker');
  const { log } = await import('@/lib/platform/log');
  const { startNotificationWorker } = await import('@/lib/notifications/worker');
  const { startCadenceChecks } = await import('@/lib/communications/cadence');
  stopDeliveryWorkerOnSignals();
  startDeliveryWorker().catch((error: unknown) => log.error('remediation worker did not start', { error: (error as Error).message }));
  startNotificationWorker().catch((error: unknown) => log.error('notification worker did not start', { error: (error as Error).message }));
  startCadenceChecks();
}
