// Server-Sent Events plumbing: an unbuffered text/event-stream response with heartbeats, closed
// when the client goes away.
import 'server-only';
const encoder = new TextEncoder();
const HEARTBEAT_MS = 15_000;

export type SseWriter = {
  send(event: { id?: number | string; event: string; data: unknown }): void;
  comment(text: string): void;
  closed(): boolean;
};

export function sseResponse(signal: AbortSignal, start: (writer: SseWriter) => Promise<() => void>): Response {
  let cleanup: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };
      const finish = () => {
        if (done) return;
        done = true;
        if (heartbeat) clearInterval(heartbeat);
        cleanup?.();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener('abort', finish);
      // Tell the browser to reconnect quickly, and flush headers through proxies at once.
      write('retry: 2000\n: connected\n\n');
      heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
      const writer: SseWriter = {
        send: ({ id, event, data }) => write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        comment: (text) => write(`: ${text}\n\n`),
        closed: () => done,
      };
      try {
        cleanup = await start(writer);
        if (done) cleanup();
      } catch (error) {
        write(`event: error\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`);
        finish();
      }
    },
    cancel() {
      done = true;
      if (heartbeat) clearInterval(heartbeat);
      cleanup?.();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
