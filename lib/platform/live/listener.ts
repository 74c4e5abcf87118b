// One LISTEN connection per app process, fanned out in memory to every open stream. Several
// app instances each have their own, so a change committed through any instance reaches the
// streams of all of them. If the connection drops (database restart), it reconnects with
// backoff and tells subscribers to catch up from the table, so nothing sent meanwhile is lost.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { env } from '@/lib/platform/env';
import { log } from '@/lib/platform/log';
import { INCIDENTS_CHANNEL, REVIEW_CHANNEL, TIMELINE_CHANNEL, type IncidentNotification, type ReviewNotification, type TimelineNotification } from '@/lib/platform/live/notify';

type Listener = {
  emitter: EventEmitter;
  client: pg.Client | null;
  connecting: Promise<void> | null;
  retryMs: number;
};

const globalForLive = globalThis as unknown as { sitrepLive?: Listener };

function state(): Listener {
  if (!globalForLive.sitrepLive) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    globalForLive.sitrepLive = { emitter, client: null, connecting: null, retryMs: 500 };
  }
  return globalForLive.sitrepLive;
}

function scheduleReconnect(live: Listener): void {
  const delay = live.retryMs;
  live.retryMs = Math.min(live.retryMs * 2, 5_000);
  setTimeout(() => void connect(live).catch(() => scheduleReconnect(live)), delay).unref();
}

async function connect(live: Listener): Promise<void> {
  if (live.client) return;
  live.connecting ??= (async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL, keepAlive: true });
    client.on('notification', (message) => {
      if (!message.payload) return;
      try {
        const payload = JSON.parse(message.payload) as TimelineNotification | IncidentNotification | ReviewNotification;
        if (message.channel === REVIEW_CHANNEL) {
          live.emitter.emit(`review:${payload.incidentId}`, payload);
          return; // presence and review saves are not dashboard news
        }
        if (message.channel === TIMELINE_CHANNEL) live.emitter.emit(`timeline:${payload.incidentId}`, payload);
        live.emitter.emit('any', { channel: message.channel, payload });
      } catch (error) {
        log.warn('ignored a malformed notification', { channel: message.channel, error });
      }
    });
    const lost = (error?: Error) => {
      if (live.client !== client) return;
      live.client = null;
      log.warn('lost the LISTEN connection; reconnecting', { error: error?.message });
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      scheduleReconnect(live);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${TIMELINE_CHANNEL}; LISTEN ${INCIDENTS_CHANNEL}; LISTEN ${REVIEW_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    const reconnected = live.retryMs > 500;
    live.client = client;
    live.retryMs = 500;
    // Anything committed while we were not listening is read from the table by the streams.
    if (reconnected) live.emitter.emit('resync');
  })().finally(() => {
    live.connecting = null;
  });
  return live.connecting;
}

/** Connects if needed; a failure is retried in the background and ends in a resync. */
async function ensureListening(live: Listener): Promise<void> {
  try {
    await connect(live);
  } catch (error) {
    log.warn('LISTEN connection failed; retrying', { error: (error as Error).message });
    scheduleReconnect(live);
  }
}

export type LiveSignal = { type: 'timeline'; notification: TimelineNotification } | { type: 'resync' };

/** Calls `onSignal` for every timeline change of one incident (and on resync). Returns unsubscribe. */
export async function subscribeTimeline(incidentId: string, onSignal: (signal: LiveSignal) => void): Promise<() => void> {
  const live = state();
  const onTimeline = (notification: TimelineNotification) => onSignal({ type: 'timeline', notification });
  const onResync = () => onSignal({ type: 'resync' });
  live.emitter.on(`timeline:${incidentId}`, onTimeline);
  live.emitter.on('resync', onResync);
  await ensureListening(live);
  return () => {
    live.emitter.off(`timeline:${incidentId}`, onTimeline);
    live.emitter.off('resync', onResync);
  };
}

/** Calls `onSignal` when someone saves the incident's review or moves in it (and on resync). */
export async function subscribeReview(incidentId: string, onSignal: (signal: { type: 'review'; notification: ReviewNotification } | { type: 'resync' }) => void): Promise<() => void> {
  const live = state();
  const onReview = (notification: ReviewNotification) => onSignal({ type: 'review', notification });
  const onResync = () => onSignal({ type: 'resync' });
  live.emitter.on(`review:${incidentId}`, onReview);
  live.emitter.on('resync', onResync);
  await ensureListening(live);
  return () => {
    live.emitter.off(`review:${incidentId}`, onReview);
    live.emitter.off('resync', onResync);
  };
}

/** Calls `onChange` for every incident or timeline change anywhere (the dashboard channel). */
export async function subscribeAll(onChange: (change: { channel: string; payload: unknown } | { channel: 'resync' }) => void): Promise<() => void> {
  const live = state();
  const onAny = (change: { channel: string; payload: unknown }) => onChange(change);
  const onResync = () => onChange({ channel: 'resync' });
  live.emitter.on('any', onAny);
  live.emitter.on('resync', onResync);
  await ensureListening(live);
  return () => {
    live.emitter.off('any', onAny);
    live.emitter.off('resync', onResync);
  };
}
