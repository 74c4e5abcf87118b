// The background work of a Sitrep process, in one place: every kind of outgoing message run by
// platform/delivery's worker runner, and the periodic checks. The web server runs it through
// instrumentation.ts (unless SITREP_WORKER=false); `npm run worker` runs it alone. A new kind of
// outgoing message or a new periodic check is added here, once.
import { alertDispatches } from '@/lib/alerts/delivery';
import { startSilenceExpiry, stopSilenceExpiry } from '@/lib/alerts/service';
import { startCadenceChecks, stopCadenceChecks } from '@/lib/communications/cadence';
import { notifications } from '@/lib/notifications/delivery';
import { pageNotifications } from '@/lib/oncall/delivery';
import { startEscalationWorker, stopEscalationWorker } from '@/lib/oncall/escalation-worker';
import { stopAllWorkers, runWorker } from '@/lib/platform/delivery/worker';
import { remediationDeliveries } from '@/lib/remediation/delivery';
import { mentionNotifications } from '@/lib/timeline/delivery';

export type BackgroundOptions = {
  /** Parallel remediation attempts (webhooks can be slow: up to 30 s each). */
  remediationConcurrency?: number;
};

/** Starts every worker and periodic check of this process. Safe to call more than once. */
export async function startBackgroundWork(options: BackgroundOptions = {}): Promise<void> {
  await Promise.all([
    runWorker(remediationDeliveries, { concurrency: options.remediationConcurrency ?? 4 }),
    runWorker(notifications, { concurrency: 2 }),
    runWorker(mentionNotifications, { concurrency: 1 }),
    // Pages are the most urgent messages and mostly wait on the network: more in flight at once.
    runWorker(pageNotifications, { concurrency: 16 }),
    // Not an outgoing message: the durable timers of page escalation (lib/oncall/escalation-queue.ts).
    startEscalationWorker(),
    runWorker(alertDispatches, { concurrency: 2 }),
  ]);
  startCadenceChecks();
  startSilenceExpiry();
}

/** Stops the periodic checks, stops taking jobs, waits up to 10 s for attempts in flight, closes the queue. */
export async function stopBackgroundWork(): Promise<void> {
  stopCadenceChecks();
  stopSilenceExpiry();
  await stopEscalationWorker();
  await stopAllWorkers();
}
