// THE CURSOR STREAM: a live view of an append-only, gap-free sequence (a timeline's seq), sent
// as Server-Sent Events. The client's cursor is the last seq it has; everything above it is sent
// in seq order, once. It subscribes before it reads, so nothing committed in between is missed;
// a client that reconnects with Last-Event-ID gets every item after that seq first; a first
// connection gets everything committed after its answer's headers: its cursor is the last seq,
// read before the response is returned (reading it later, once subscribed, let a note written
// just after the client saw the headers fall below the cursor and never be sent). Changes to items already sent (edits) go out
// without an id, so they do not move the client's resume point. A read that fails (the database
// away, the pool exhausted) ends the stream: the client reconnects with its Last-Event-ID and
// catches up from the table, where a stream left open would have stopped sending for good.
import 'server-only';
import { subscribe, type LiveSignal } from '@/lib/platform/live/listener';
import type { LiveChannel } from '@/lib/platform/live/notify';
import { encodeEvent, sseResponse } from '@/lib/platform/live/sse';

type Page<T> = { items: T[]; nextAfter: number | null };

export type CursorStreamOptions<T extends { seq: number }, N> = {
  signal: AbortSignal;
  channel: LiveChannel<N>;
  /** Which notifications are this stream's (e.g. one incident's id). */
  topic: string;
  /** The client's last seq (Last-Event-ID); undefined for a first connection. */
  resumeFrom: number | undefined;
  /** SSE event name for new items (their `id:` is the seq) and for changed ones (no `id:`). */
  events: { created: string; updated: string };
  /** The current last seq, where a first connection starts. */
  lastSeq(): Promise<number>;
  /** Items with seq > `after`, in order, at most `limit`. */
  readAfter(after: number, limit: number): Promise<Page<T>>;
  /** What a notification says: a new item with this seq, or an item changed (read it with readChanged). */
  classify(notification: N): { created: number } | { changed: string };
  readChanged(id: string): Promise<T | null>;
  /** What is sent for an item (e.g. without internal ids). */
  present?(item: T): unknown;
};

const PAGE = 500;

// Fifty people watching one sequence get one notification each per item; without sharing that
// is fifty identical reads. A read started after the notification for `seq` arrived sees that
// item (it was committed before the notification was sent), so every stream prompted by `seq`
// with the same cursor can share it. Reads prompted by an earlier notification are never joined.
const sharedReads = new Map<string, Promise<Page<unknown>>>();

function sharedPageAfter<T>(key: string, read: () => Promise<Page<T>>): Promise<Page<T>> {
  let page = sharedReads.get(key) as Promise<Page<T>> | undefined;
  if (!page) {
    page = read().finally(() => sharedReads.delete(key));
    sharedReads.set(key, page);
  }
  return page;
}

// Each item of a shared page is one object for every stream that shares the read, so the bytes
// sent for it are made once, not once per stream (with 2,000 streams, JSON and UTF-8 for each
// were about 4 % of the server's CPU in a profile, and more of its garbage).
// Only where items are sent as they are read (no `present`).
const encodedItems = new WeakMap<object, { event: string; frame: Uint8Array }>();

function encodedItem(item: object, event: string, id: number): Uint8Array {
  const known = encodedItems.get(item);
  if (known && known.event === event) return known.frame;
  const frame = encodeEvent({ id, event, data: item });
  encodedItems.set(item, { event, frame });
  return frame;
}

export async function cursorStream<T extends { seq: number }, N>(options: CursorStreamOptions<T, N>): Promise<Response> {
  const present = options.present ?? ((item: T) => item);
  // Before the headers go out, so "connected" means "every later item will come". Whatever is
  // committed between this read and the subscription below is read by the first catch-up.
  const firstCursor = options.resumeFrom ?? (await options.lastSeq());
  return sseResponse(options.signal, async (stream) => {
    let cursor = firstCursor;
    let ready = false; // signals before the subscription is in place are covered by the first catch-up
    // `seq`: the notification that prompted this catch-up; streams prompted by the same one share a read.
    const catchUp = (seq?: number) =>
      stream.inOrder(async () => {
        for (let first = true; !stream.closed(); first = false) {
          const after = cursor;
          const page =
            first && seq !== undefined
              ? await sharedPageAfter(`${options.channel.name}:${options.topic}:${after}:${seq}`, () => options.readAfter(after, PAGE))
              : await options.readAfter(after, PAGE);
          for (const item of page.items) {
            if (options.present) stream.send({ id: item.seq, event: options.events.created, data: options.present(item) });
            else stream.sendEncoded(encodedItem(item, options.events.created, item.seq));
            cursor = item.seq;
          }
          if (page.nextAfter === null) return;
        }
      });
    const unsubscribe = await subscribe(options.channel, options.topic, (signal: LiveSignal<N>) => {
      if (!ready) return;
      if (signal.type === 'resync') return void catchUp();
      const what = options.classify(signal.notification);
      if ('created' in what) {
        if (what.created > cursor) void catchUp(what.created);
        return;
      }
      void stream.inOrder(async () => {
        const item = await options.readChanged(what.changed);
        if (item && item.seq <= cursor) stream.send({ event: options.events.updated, data: present(item) });
      });
    });
    ready = true;
    await catchUp();
    return unsubscribe;
  });
}

/** The client's resume point: the Last-Event-ID header, else `?lastEventId=`. */
export function resumePoint(request: Request, fromQuery: number | undefined): number | undefined {
  const header = request.headers.get('last-event-id');
  return header && /^\d{1,9}$/.test(header.trim()) ? Number(header) : fromQuery;
}
