// Whether the database answers, for GET /api/health. Load balancers and the app's own "retrying"
// page ask it often, so one probe runs at a time and its answer serves everyone for a second.
// The probe has a connection of its own: a busy pool is not a database that is down, and a
// flood of health checks must not take connections from real work.
import 'server-only';
import pg from 'pg';
import { env } from '@/lib/platform/env';
import { lastDatabaseState, recordDatabaseState } from '@/lib/platform/health-state';

export const HEALTH_CACHE_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;

type Probe = { client: pg.Client | null; running: Promise<boolean> | null };
const globalForProbe = globalThis as unknown as { sitrepHealthProbe?: Probe };
const probe = (globalForProbe.sitrepHealthProbe ??= { client: null, running: null });

async function ask(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
  });
  const query = (async () => {
    if (!probe.client) {
      const client = new pg.Client({ connectionString: env.DATABASE_URL, application_name: 'sitrep-health', connectionTimeoutMillis: PROBE_TIMEOUT_MS });
      client.on('error', () => {
        if (probe.client === client) probe.client = null;
      });
      probe.client = client;
      await client.connect();
    }
    await probe.client.query('SELECT 1');
    return true;
  })().catch(() => {
    probe.client?.end().catch(() => undefined);
    probe.client = null;
    return false;
  });
  try {
    const up = await Promise.race([query, timeout]);
    if (!up) {
      probe.client?.end().catch(() => undefined);
      probe.client = null;
    }
    return up;
  } finally {
    clearTimeout(timer);
  }
}

/** True when the database answered within the last second (asking it if nobody did). */
export async function databaseIsUp(): Promise<boolean> {
  const last = lastDatabaseState();
  if (Date.now() - last.at < HEALTH_CACHE_MS) return last.up;
  probe.running ??= ask()
    .then((up) => {
      recordDatabaseState(up);
      return up;
    })
    .finally(() => {
      probe.running = null;
    });
  return probe.running;
}
