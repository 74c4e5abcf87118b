// The one LISTEN connection of an app process: subscriptions that arrive together (the dashboard
// stream subscribes to two channels at once) must not send two queries on that connection at
// the same time. pg queues such a query with a deprecation warning today and refuses it from
// pg 9, which would leave a channel unlistened. Real PostgreSQL LISTEN/NOTIFY; this file runs in
// a process of its own, so the listener starts fresh and pg's warning (emitted once a process)
// has not been spent by another file.
import { afterAll, expect, it } from 'vitest';
import { db } from '@/lib/platform/db';
import { subscribe } from '@/lib/platform/live/listener';
import { defineChannel } from '@/lib/platform/live/notify';

type Probe = { topic: string };
const first = defineChannel<Probe>('sitrep_test_listener_first', (n) => n.topic);
const second = defineChannel<Probe>('sitrep_test_listener_second', (n) => n.topic);
const third = defineChannel<Probe>('sitrep_test_listener_third', (n) => n.topic);
const fourth = defineChannel<Probe>('sitrep_test_listener_fourth', (n) => n.topic);

afterAll(async () => {
  await db.$disconnect();
});

it('LISTENs to channels subscribed at the same moment one after another on its connection, and hears each', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  const stops: (() => void)[] = [];
  try {
    // The connection is made for the first channel; the next three arrive together on it (pg warns
    // from the third query waiting on a connection, as it queues behind the two before it).
    stops.push(await subscribe(first, null, () => undefined));
    const heard: string[] = [];
    stops.push(...(await Promise.all([second, third, fourth].map((channel) => subscribe(channel, null, () => heard.push(channel.name))))));
    await db.$executeRaw`SELECT pg_notify('sitrep_test_listener_second', '{"topic":"a"}'), pg_notify('sitrep_test_listener_third', '{"topic":"a"}'), pg_notify('sitrep_test_listener_fourth', '{"topic":"a"}')`;
    const deadline = Date.now() + 10_000;
    while (heard.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard.sort()).toEqual(['sitrep_test_listener_fourth', 'sitrep_test_listener_second', 'sitrep_test_listener_third']);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((message) => message.includes('already executing a query'))).toEqual([]);
  } finally {
    process.off('warning', onWarning);
    for (const stop of stops) stop();
  }
});
