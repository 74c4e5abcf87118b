// Live fan-out: subscribers on one incident's stream; the time from a note POST's response to
// that event's arrival on every subscriber, beside a raw LISTEN/NOTIFY round trip through `pg`,
// and, for many streams, beside a bare node:http server writing one event to as many streams,
// read by the same light clients.
import http from 'node:http';
import pg from 'pg';
import { api, openSse, sleep, waitFor, type App, type SseClient } from '../support/instances';
import { withBareServer } from './bare-server';
import { summarize, type Summary } from './stats';

export async function measureFanOut(options: { writer: App; streamer: App; token: string; incident: number; subscribers: number; posts: number }): Promise<Summary> {
  const { streamer, token, incident, subscribers } = options;
  const clients = await openStreams(streamer, token, incident, subscribers);
  try {
    return await fanOutTo(clients.map(receiver), options);
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
function fanOutTo(clients: Receiver[], options: { writer: App; token: string; incident: number; posts: number }): Promise<Summary> {
  const { writer, token, incident, posts } = options;
  return probe(clients, posts, async (i) => {
    const note = await api<{ seq: number }>(writer, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `Fan-out probe ${i}` });
    if (note.status !== 201) throw new Error(`Posting a probe note answered ${note.status}`);
    return String(note.body.seq);
  });
}

/** A stream as the measurements see it: when the event with an id arrived. */
type Receiver = { arrivedAt(id: string): number | undefined; close(): void };

const receiver = (client: SseClient): Receiver => ({ arrivedAt: (id) => client.events.find((event) => event.id === id)?.receivedAt, close: () => client.close() });

/** `send(i)` resolves with the id of the event it caused once its request is answered; each sample is that answer → the event on the last of `clients`. */
async function probe(clients: Receiver[], posts: number, send: (i: number) => Promise<string>): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < posts; i++) {
    const id = await send(i);
    const answeredAt = performance.now();
    const arrival = (client: Receiver) => client.arrivedAt(id);
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
  const clients = await openLightStreams(`${options.app.url}/api/v1/incidents/${options.incident}/stream`, options.token, options.streams);
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

/**
 * `count` light SSE clients on node:http, connected. Thousands of fetch-based clients (undici's
 * web streams) cost the measuring process more than the server's own writes; these record only
 * when each id arrived. Like a browser they connect again after a refusal (a 503 while thousands
 * connect at once) or an end, with Last-Event-ID.
 */
async function openLightStreams(url: string, token: string, count: number): Promise<Receiver[]> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const clients = Array.from({ length: count }, () => {
    const arrivals = new Map<string, number>();
    let lastId: string | undefined;
    let request: http.ClientRequest | null = null;
    let closed = false;
    let connected = false;
    const again = () => {
      if (!closed) setTimeout(open, 250 + Math.random() * 250);
    };
    const open = () => {
      if (closed) return;
      request = http.get(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) } }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return again();
        }
        connected = true;
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          const now = performance.now();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: (.*)$/m.exec(block)?.[1];
            if (id !== undefined) {
              lastId = id;
              arrivals.set(id, now);
            }
          }
        });
        response.on('end', again);
        response.on('error', () => undefined);
      });
      request.on('error', again);
    };
    open();
    return {
      connected: () => connected,
      arrivedAt: (id: string) => arrivals.get(id),
      close() {
        closed = true;
        request?.destroy();
      },
    };
  });
  try {
    await waitFor(`${count} streams to connect`, () => clients.every((client) => client.connected()), 120_000);
  } catch (error) {
    // Those still retrying would go on connecting to a server nobody measures any more.
    for (const client of clients) client.close();
    throw error;
  }
  await sleep(300);
  return clients;
}

// The limit for many streams: a bare node:http server (a process of its own, as the app is) that
// writes one event, about the size of a note's, to every open stream as soon as a POST is answered.
// What is left is the kernel's writes to each socket and the clients reading them, which share
// the machine with the server as they do in the app's measurement.
const BARE_SERVER = `
const http = require('node:http');
const streams = new Set();
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 2000\\n: connected\\n\\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
    return;
  }
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    res.end();
    setImmediate(() => {
      const event = { seq: Number(body), kind: 'note', body: 'Fan-out probe ' + body, actor: { name: 'Bench', email: 'bench@sitrep.local' }, occurredAt: new Date().toISOString(), createdAt: new Date().toISOString(), edited: false };
      const frame = Buffer.from('id: ' + body + '\\nevent: timeline\\ndata: ' + JSON.stringify(event) + '\\n\\n');
      for (const stream of streams) stream.write(frame);
    });
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** The same fan-out from the bare server above to `streams` clients. */
export async function measureBareFanOut(options: { streams: number; posts: number }): Promise<Summary> {
  return withBareServer('fan-out', BARE_SERVER, async (url) => {
    const clients = await openLightStreams(`${url}/stream`, 'none', options.streams);
    await sleep(2_000);
    try {
      return await probe(clients, options.posts, async (i) => {
        const response = await fetch(`${url}/post`, { method: 'POST', body: String(i + 1) });
        await response.arrayBuffer();
        return String(i + 1);
      });
    } finally {
      for (const client of clients) client.close();
    }
  });
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
