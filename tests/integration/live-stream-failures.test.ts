// A live stream whose read fails (the database away, the pool exhausted) must end, so that the
// browser's EventSource reconnects with its Last-Event-ID and reads afresh. Before, the failed
// read left the stream's queue of steps rejected: the stream stayed open and silent for good, and
// every later notification raised another unhandled rejection. Real PostgreSQL LISTEN/NOTIFY;
// the read is a function the test controls, so the failure comes exactly when the test says.
import { afterAll, expect, it } from 'vitest';
import { db } from '@/lib/platform/db';
import { cursorStream } from '@/lib/platform/live/cursor-stream';
import { defineChannel } from '@/lib/platform/live/notify';
import { sseResponse } from '@/lib/platform/live/sse';

type Probe = { topic: string; seq: number };
const channel = defineChannel<Probe>('sitrep_test_live_failures', (n) => n.topic);

afterAll(async () => {
  await db.$disconnect();
});

/** Reads SSE frames from a response until `until` holds or the stream ends. */
function reader(response: Response) {
  const stream = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  void (async () => {
    for (;;) {
      const { value, done } = await stream.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    ended = true;
  })();
  return {
    text: () => text,
    ended: () => ended,
    async waitFor(what: string, check: () => boolean, timeoutMs = 10_000) {
      const started = Date.now();
      while (!check()) {
        if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}; got ${JSON.stringify(text)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    cancel: () => stream.cancel().catch(() => undefined),
  };
}

it('ends the stream when a read fails, instead of staying open and silent', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const aborted = new AbortController();
  let reads = 0;
  const response = await cursorStream<{ seq: number }, Probe>({
    signal: aborted.signal,
    channel,
    topic: 'failing',
    resumeFrom: 0,
    events: { created: 'probe', updated: 'probe.updated' },
    lastSeq: async () => 0,
    readAfter: async (after) => {
      reads++;
      if (reads === 1) return { items: [{ seq: 1 }], nextAfter: null };
      throw new Error(`the pool is exhausted (read after ${after})`);
    },
    classify: (n) => ({ created: n.seq }),
    readChanged: async () => null,
  });
  const frames = reader(response);
  try {
    await frames.waitFor('the first item', () => frames.text().includes('id: 1\n'));
    await db.$executeRaw`SELECT pg_notify('sitrep_test_live_failures', ${JSON.stringify({ topic: 'failing', seq: 2 })})`;
    await frames.waitFor('the stream to end after the failed read', () => frames.ended());
    expect(reads).toBe(2);
    expect(frames.text()).not.toContain('id: 2');
    // A notification after the end reaches no one and raises nothing.
    await db.$executeRaw`SELECT pg_notify('sitrep_test_live_failures', ${JSON.stringify({ topic: 'failing', seq: 3 })})`;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reads).toBe(2);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    aborted.abort();
    await frames.cancel();
  }
});

it('a first connection (no Last-Event-ID) gets every item committed once its headers are out', async () => {
  // A client that has the headers writes a note at once (the two-instances survival test does):
  // the stream must send it. Before, the cursor was read only after the LISTEN subscription was
  // in place, so an item committed in between was counted as already seen and never sent.
  const aborted = new AbortController();
  const items = [{ seq: 1 }];
  const response = await cursorStream<{ seq: number }, Probe>({
    signal: aborted.signal,
    channel,
    topic: 'first-connection',
    resumeFrom: undefined,
    events: { created: 'probe', updated: 'probe.updated' },
    lastSeq: async () => items.length,
    readAfter: async (after) => ({ items: items.filter((item) => item.seq > after), nextAfter: null }),
    classify: (n) => ({ created: n.seq }),
    readChanged: async () => null,
  });
  items.push({ seq: 2 }); // committed the moment the headers arrived, before the stream subscribed
  const frames = reader(response);
  try {
    await frames.waitFor('the item committed after the headers', () => frames.text().includes('id: 2\n'));
    expect(frames.text()).not.toContain('id: 1\n');
  } finally {
    aborted.abort();
    await frames.cancel();
  }
});

it('runs queued steps in order even when an earlier one is slower, and a failure ends the stream', async () => {
  const aborted = new AbortController();
  const response = sseResponse(aborted.signal, async (stream) => {
    void stream.inOrder(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      stream.send({ event: 'step', data: 1 });
    });
    void stream.inOrder(async () => stream.send({ event: 'step', data: 2 }));
    void stream.inOrder(async () => {
      throw new Error('read failed');
    });
    void stream.inOrder(async () => stream.send({ event: 'step', data: 4 }));
    return () => undefined;
  });
  const frames = reader(response);
  try {
    await frames.waitFor('the stream to end', () => frames.ended());
    const sent = [...frames.text().matchAll(/event: step\ndata: (\d)/g)].map((match) => Number(match[1]));
    expect(sent).toEqual([1, 2]);
  } finally {
    aborted.abort();
    await frames.cancel();
  }
});
