// One LISTEN connection per app process, fanned out in memory to every open stream. Several
// app instances each have their own, so a change committed through any instance reaches the
// streams of all of them. A channel is LISTENed to when its first subscriber arrives. If the
// connection drops (database restart), it reconnects with backoff, LISTENs again and tells
// subscribers to catch up from the table, so nothing sent meanwhile is lost.
import 'server-only';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { env } from '@/lib/platform/env';
import { log } from '@/lib/platform/log';
import type { LiveChannel } from '@/lib/platform/live/notify';

type Listener = {
  emitter: EventEmitter;
  client: pg.Client | null;
  connecting: Promise<void> | null;
  retryMs: number;
  /** Channel name → how to find a notification's topic; every one of them is LISTENed to. */
  channels: Map<string, LiveChannel<unknown>>;
  listening: Set<string>;
  /**
   * Each connection's LISTEN statements, one after another (pg 9 refuses a query sent while one
   * runs). Per connection, so a new one never waits behind a statement stuck on the one it
   * replaced. In the shared state, as every copy of this module uses the one connection.
   */
  listenChains: WeakMap<pg.Client, Promise<void>>;
};

const globalForLive = globalThis as unknown as { sitrepLive?: Listener };

function state(): Listener {
  if (!globalForLive.sitrepLive) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    globalForLive.sitrepLive = { emitter, client: null, connecting: null, retryMs: 500, channels: new Map(), listening: new Set(), listenChains: new WeakMap() };
  }
  return globalForLive.sitrepLive;
}

function scheduleReconnect(live: Listener): void {
  const delay = live.retryMs;
  live.retryMs = Math.min(live.retryMs * 2, 5_000);
  setTimeout(() => void connect(live).catch(() => scheduleReconnect(live)), delay).unref();
}

/**
 * LISTENs to every known channel not yet listened to on the current connection. Subscriptions
 * that arrive together each call this; their statements run one after another, so none waits
 * queued in pg behind another, and each finds what the one before it already listened to.
 */
function listenToAll(live: Listener, client: pg.Client): Promise<void> {
  const step = (live.listenChains.get(client) ?? Promise.resolve()).then(async () => {
    if (live.client !== null && live.client !== client) return; // replaced meanwhile: its connect listens
    const missing = [...live.channels.keys()].filter((name) => !live.listening.has(name));
    if (missing.length === 0) return;
    await client.query(missing.map((name) => `LISTEN ${name}`).join('; '));
    for (const name of missing) live.listening.add(name);
  });
  live.listenChains.set(
    client,
    step.catch(() => undefined),
  );
  return step;
}

async function connect(live: Listener): Promise<void> {
  if (live.client) return listenToAll(live, live.client);
  live.connecting ??= (async () => {
    const client = new pg.Client({ connectionString: env.DATABASE_URL, keepAlive: true, application_name: 'sitrep-live' });
    client.on('notification', (message) => {
      const channel = live.channels.get(message.channel);
      if (!message.payload || !channel) return;
      try {
        const payload = JSON.parse(message.payload) as unknown;
        live.emitter.emit(`${message.channel}:${channel.topic(payload)}`, payload);
        live.emitter.emit(`${message.channel}:*`, payload);
      } catch (error) {
        log.warn('ignored a malformed notification', { channel: message.channel, error });
      }
    });
    const lost = (error?: Error) => {
      if (live.client !== client) return;
      live.client = null;
      live.listening.clear();
      log.warn('lost the LISTEN connection; reconnecting', { error: error?.message });
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      scheduleReconnect(live);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      live.listening.clear();
      await listenToAll(live, client);
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
  await live.connecting;
  // Channels first subscribed to while the connection was being made.
  if (live.client) await listenToAll(live, live.client);
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

export type LiveSignal<N> = { type: 'change'; channel: string; notification: N } | { type: 'resync' };

/**
 * Calls `onSignal` for every notification on `channel` about `topic` (null: every topic), and
 * with a resync after the connection was lost and found again. Resolves once the channel is
 * listened to, so a read made after it misses nothing. Returns unsubscribe.
 */
export async function subscribe<N>(channel: LiveChannel<N>, topic: string | null, onSignal: (signal: LiveSignal<N>) => void): Promise<() => void> {
  const live = state();
  live.channels.set(channel.name, channel as LiveChannel<unknown>);
  const event = `${channel.name}:${topic ?? '*'}`;
  const onChange = (notification: N) => onSignal({ type: 'change', channel: channel.name, notification });
  const onResync = () => onSignal({ type: 'resync' });
  live.emitter.on(event, onChange);
  live.emitter.on('resync', onResync);
  await ensureListening(live);
  return () => {
    live.emitter.off(event, onChange);
    live.emitter.off('resync', onResync);
  };
}
