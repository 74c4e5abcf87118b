// Where a live stream's bytes can go instead of through its web stream: the Node response itself,
// when the web server answers the route directly (platform/runtime/direct.ts). A fan-out to
// thousands of streams then costs one socket write per stream, not a web stream's queue, a
// reader's promise and its loop as well. No imports: direct.ts runs outside Next's bundles, and
// the registry lives on globalThis so every copy of the lib modules in the process shares it.

export type SseSink = {
  write(bytes: Uint8Array): void;
  end(): void;
};

/** Takes the stream over for a sink and returns what stops the stream (the client went). */
type Attach = (sink: SseSink) => () => void;

const globalForSinks = globalThis as unknown as { sitrepSseSinks?: WeakMap<ReadableStream<Uint8Array>, Attach> };
const attachable = (globalForSinks.sitrepSseSinks ??= new WeakMap());

/** Lets a sink take `body` over until it is read (sse.ts). */
export function offerSseSink(body: ReadableStream<Uint8Array>, attach: Attach): void {
  attachable.set(body, attach);
}

/** Once `body` is being read, no sink may take it. */
export function withdrawSseSink(body: ReadableStream<Uint8Array>): void {
  attachable.delete(body);
}

/**
 * Sends a live stream's bytes to `sink` from now on, with what it wrote before; its body is then
 * never read. Returns what stops the stream when the client goes, or null when the body is not a
 * live stream's (or is already being read): write it as any body.
 */
export function attachSseSink(body: ReadableStream<Uint8Array>, sink: SseSink): (() => void) | null {
  const attach = attachable.get(body);
  if (!attach) return null;
  attachable.delete(body);
  return attach(sink);
}
