// Live fan-out: subscribers on one incident's stream; the time from a note POST's response to
// that event's arrival on every subscriber, beside a raw LISTEN/NOTIFY round trip through `pg`.
import pg from 'pg';
import { api, openSse, sleep, waitFor, type App, type SseClient } from '../support/instances';
import { summarize, type Summary } from './stats';

export async function measureFanOut(options: { writer: App; streamer: App; token: string; incident: number; subscribers: number; posts: number }): Promise<Summary> {
  const { streamer, token, incident, subscribers } = options;
  const clients = await openStreams(streamer, token, incident, subscribers);
  try {
    return await fanOutTo(clients, options);
  } finally {
    for (const client of clients) client.close();
  }
}

/** `count` streams of one incident, connected. */
async function openStreams(streamer: App, token: string, incident: number, count: number): Promise<SseClient[]> {
  const clients: SseClient[] = Array.from({ length: count }, () => openSse(`${streamer.url}/api/v1/incidents/${incident}/stream`, { token }));
  await waitFor(`${count} streams to connect`, () => clients.every((client) => client.connections() >= 1), 120_000);
  await sleep(300);
  return clients;
}

/** Posts `posts` notes one after another; each sample is the POST's answer → the event on the last of `clients`. */
async function fanOutTo(clients: SseClient[], options: { writer: App; token: string; incident: number; posts: number }): Promise<Summary> {
  const { writer, token, incident, posts } = options;
  const samples: number[] = [];
  for (let i = 0; i < posts; i++) {
    const note = await api<{ seq: number }>(writer, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `Fan-out probe ${i}` });
    const answeredAt = performance.now();
    if (note.status !== 201) throw new Error(`Posting a probe note answered ${note.status}`);
    const id = String(note.body.seq);
    const arrival = (client: SseClient) => client.events.find((event) => event.id === id)?.receivedAt;
    await waitFor(`probe ${i} on all ${clients.length} streams`, () => clients.every((client) => arrival(client) !== undefined), 30_000);
    samples.push(Math.max(0, Math.max(...clients.map((client) => arrival(client)!)) - answeredAt));
    await sleep(100);
  }
  return summarize(samples);
}

/**
 * Many streams on one instance (#21: 2,000): the fan-out to all of them, the server's memory
 * growth while they are open, and a page measured while they are open beside the same page just
 * before. `rss` reads the server's resident memory (MB); `page` measures a page's full HTML.
 */
export async function measureManyStreams(options: {
  app: App;
  token: string;
  incident: number;
  streams: number;
  posts: number;
  rss: () => number;
  page: () => Promise<Summary>;
}): Promise<{ fanOut: Summary; rssBefore: number; rssOpen: number; pageBefore: Summary; pageOpen: Summary }> {
  const pageBefore = await options.page();
  const rssBefore = options.rss();
  const clients = await openStreams(options.app, options.token, options.incident, options.streams);
  try {
    await sleep(2_000);
    const rssOpen = options.rss();
    const fanOut = await fanOutTo(clients, { writer: options.app, token: options.token, incident: options.incident, posts: options.posts });
    const pageOpen = await options.page();
    return { fanOut, rssBefore, rssOpen: Math.max(rssOpen, options.rss()), pageBefore, pageOpen };
  } finally {
    for (const client of clients) client.close();
  }
}

/** NOTIFY on one connection → the notification on another, LISTENing. */
export async function measureListenNotify(databaseUrl: string, times: number): Promise<Summary> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const notifier = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([listener.connect(), notifier.connect()]);
  try {
    await listener.query('LISTEN sitrep_bench_round_trip');
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const arrived = new Promise<number>((resolve) => listener.once('notification', () => resolve(performance.now())));
      const started = performance.now();
      await notifier.query(`SELECT pg_notify('sitrep_bench_round_trip', $1)`, [String(i)]);
      samples.push((await arrived) - started);
    }
    return summarize(samples);
  } finally {
    await Promise.all([listener.end(), notifier.end()]);
  }
}
