// `npm run worker`: delivers remediation webhooks and notifications, and checks status-update
// cadences, in its own process (for installs that run the
// web server with SITREP_WORKER=false, or want more delivery capacity). Needs DATABASE_URL, or
// attaches to the embedded database of a running `npm start`.
import { leaveShutdownSignalsToCaller } from '@/lib/platform/runtime/embedded-postgres';
import { log } from '@/lib/platform/log';
import { openDatabase } from '@/lib/platform/runtime/database';

const database = await openDatabase({ attach: true });
const { startBackgroundWork, stopBackgroundWork } = await import('@/lib/workers');

// On Ctrl-C / SIGTERM: stop taking jobs, let attempts in flight finish (up to 10 s), then stop the
// database if this process started it. What is still in flight after that is sent again by
// another worker once its job expires.
leaveShutdownSignalsToCaller();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await stopBackgroundWork();
      await database.stop();
      process.exit(0);
    })();
  });
}

await startBackgroundWork({ remediationConcurrency: 8 }).catch((error: unknown) => {
  if (!stopping) throw error;
});
if (!stopping) log.info('worker running; Ctrl-C stops it');
