// Server-Sent Events plumbing: an unbuffered text/event-stream response with heartbeats, closed
// when the client goes away, and closed when the credential it was opened with stops working: a
// stream outlives the request that authorised it, so with every heartbeat it asks again (the
// principal cache answers, and a revocation empties that cache at once through NOTIFY), and a
// signed-out browser or a revoked token stops receiving within one heartbeat.
import 'server-only';
import { currentCredentialCheck } from '@/lib/platform/auth/principal';
import { log } from '@/lib/platform/log';
import { offerSseSink, withdrawSseSink } from '@/lib/platform/live/sse-sink';

const encoder = new TextEncoder();
/** Heartbeat, and how often the stream's credential is checked again: a revoked one is cut off within this. */
export const HEARTBEAT_MS = 15_000;

export type SseEvent = { id?: number | string; event: string; data: unknown };

/** An event as the bytes sent for it: made once and written to many streams (see cursorStream). */
export function encodeEvent({ id, event, data }: SseEvent): Uint8Array {
  return encoder.encode(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export type SseWriter = {
  send(event: SseEvent): void;
  /** Writes an event already encoded by `encodeEvent`. */
  sendEncoded(frame: Uint8Array): void;
  comment(text: string): void;
  /** Ends the stream; the browser's EventSource reconnects (with Last-Event-ID) after `retry`. */
  close(): void;
  closed(): boolean;
  /**
   * Runs `step` after every step queued before it, so what is sent keeps the order of the
   * notifications that caused it. A step that fails (a read while the database is away or the
   * pool is exhausted) ends the stream, as `close` does: the client reconnects and reads afresh,
   * where a stream left open would stay silent for good.
   */
  inOrder(step: () => Promise<void>): Promise<void>;
};

export function sseResponse(signal: AbortSignal, start: (writer: SseWriter) => Promise<() => void>, options: { heartbeatMs?: number } = {}): Response {
  // Taken now, while the request that opened the stream is being handled (apiRoute set it).
  const stillAuthorised = currentCredentialCheck();
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  let cleanup: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let done = false;
  // Where the bytes go: held until the body is read (`pull`) or a sink is attached, whichever is
  // first; then into the web stream, or straight to the sink.
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let output: ((bytes: Uint8Array) => void) | null = null;
  const early: Uint8Array[] = [];
  let endOutput = () => {
    // Before anyone reads, `pull` closes it once the held bytes are in.
    if (!output) return;
    try {
      controller.close();
    } catch {
      // already closed
    }
  };
  const writeBytes = (bytes: Uint8Array) => {
    if (done) return;
    if (!output) return void early.push(bytes);
    try {
      output(bytes);
    } catch {
      finish();
    }
  };
  const write = (text: string) => writeBytes(encoder.encode(text));
  const finish = () => {
    if (done) return;
    done = true;
    if (heartbeat) clearInterval(heartbeat);
    cleanup?.();
    endOutput();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        if (output) return;
        withdrawSseSink(stream);
        output = (bytes) => controller.enqueue(bytes);
        for (const bytes of early.splice(0)) output(bytes);
        if (done) endOutput();
      },
      cancel() {
        done = true;
        if (heartbeat) clearInterval(heartbeat);
        cleanup?.();
      },
    },
    // Nothing is pulled until someone reads: until then a sink may still take the stream over.
    { highWaterMark: 0 },
  );
  offerSseSink(stream, (sink) => {
    output = (bytes) => sink.write(bytes);
    endOutput = () => sink.end();
    for (const bytes of early.splice(0)) sink.write(bytes);
    if (done) sink.end();
    return finish;
  });

  signal.addEventListener('abort', finish);
  // Tell the browser to reconnect quickly, and flush headers through proxies at once.
  write('retry: 2000\n: connected\n\n');
  heartbeat = setInterval(() => {
    write(': ping\n\n');
    if (!stillAuthorised) return;
    stillAuthorised().then(
      (ok) => {
        if (ok) return;
        // The client's reconnect then gets a 401 and stops.
        write(`event: error\ndata: ${JSON.stringify({ message: 'Your session ended or your token was revoked; sign in again.' })}\n\n`);
        finish();
      },
      () => undefined, // the database is away: keep the stream; the next heartbeat asks again
    );
  }, heartbeatMs);
  let steps = Promise.resolve();
  const writer: SseWriter = {
    send: (event) => writeBytes(encodeEvent(event)),
    sendEncoded: writeBytes,
    comment: (text) => write(`: ${text}\n\n`),
    close: finish,
    closed: () => done,
    inOrder: (step) => {
      steps = steps.then(step).catch((error: unknown) => {
        if (done) return;
        log.warn('a live stream could not read; closing it so the client reconnects and reads afresh', { error: (error as Error).message });
        finish();
      });
      return steps;
    },
  };
  void (async () => {
    try {
      cleanup = await start(writer);
      if (done) cleanup();
    } catch (error) {
      write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
      finish();
    }
  })();
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
