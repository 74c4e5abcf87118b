// Live fan-out: subscribers on one incident's stream; the time from a note POST's response to
// that event's arrival on every subscriber, beside a raw LISTEN/NOTIFY round trip through `pg`.
import pg from 'pg';
import { api, openSse, sleep, waitFor, type App, type SseClient } from '../support/instances';
import { summarize, type Summary } from './stats';

export async function measureFanOut(options: { writer: App; streamer: App; token: string; incident: number; subscribers: number; posts: number }): Promise<Summary> {
  const { writer, streamer, token, incident, subscribers, posts } = options;
  const clients: SseClient[] = Array.from({ length: subscribers }, () => openSse(`${streamer.url}/api/v1/incidents/${incident}/stream`, { token }));
  try {
    await waitFor(`${subscribers} streams to connect`, () => clients.every((client) => client.connections() >= 1), 30_000);
    await sleep(300);
    const samples: number[] = [];
    for (let i = 0; i < posts; i++) {
      const note = await api<{ seq: number }>(writer, token, 'POST', `/api/v1/incidents/${incident}/timeline`, { body: `Fan-out probe ${i}` });
      const answeredAt = performance.now();
      if (note.status !== 201) throw new Error(`Posting a probe note answered ${note.status}`);
      const id = String(note.body.seq);
      const arrival = (client: SseClient) => client.events.find((event) => event.id === id)?.receivedAt;
      await waitFor(`probe ${i} on all ${subscribers} streams`, () => clients.every((client) => arrival(client) !== undefined), 10_000);
      samples.push(Math.max(0, Math.max(...clients.map((client) => arrival(client)!)) - answeredAt));
      await sleep(100);
    }
    return summarize(samples);
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
