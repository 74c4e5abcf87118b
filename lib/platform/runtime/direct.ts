// Routes the web server answers itself, beside Next: the handlers of a few hot API routes
// (app/api/.../route.ts, the very functions Next would call) run on a web Request made from the
// Node request, and their Response is written to the Node response. Next's per-request pipeline
// costs an alert intake request more CPU than storing its alert does, and holds about 70 KB of
// promises and streams for as long as a live stream stays open; Sitrep must take alert storms in
// and keep thousands of streams open. Everything else (pages, server actions, the rest of the
// API) still goes through Next.
//
// The handlers run in this process's own copy of the lib modules (bundled with the server by
// scripts/support/bundle-server.ts; tsx under `npm run dev`), not Next's. What they share with
// Next's copy lives on globalThis (the database clients, the LISTEN connection, the credential
// caches and rate limits) or in PostgreSQL (NOTIFY wakes the workers), as two Sitrep instances
// share it. direct.test.ts tests the transport over real HTTP;
// the e2e and survival tests reach these routes through the real server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachSseSink } from '@/lib/platform/live/sse-sink';

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type DirectRoute = {
  method: string;
  /** The whole path; named groups `(?<number>[^/]+)` are the route's params (see `pathPattern`). */
  path: RegExp;
  handler: RouteHandler;
};

/** An operation's path (`/api/v1/incidents/{number}/stream`) as a whole-path pattern, each `{param}` a named group. */
export function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Direct routes for operations (method and path) and the handlers of their route modules. */
export function directRoutes(pairs: readonly (readonly [{ method: string; path: string }, RouteHandler])[]): DirectRoute[] {
  return pairs.map(([operation, handler]) => ({ method: operation.method, path: pathPattern(operation.path), handler }));
}

/** The web Request a route handler expects, made from the Node request; aborted when the client goes. */
export function webRequest(req: IncomingMessage, res: ServerResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const aborted = new AbortController();
  // Only a client that left before the answer was sent aborts: aborting every finished request
  // (a DOMException and the signal's listeners each) cost an intake request a tenth of its CPU.
  res.once('close', () => res.writableFinished || aborted.abort());
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  // The Host header as the origin only when it is a plain host[:port]: anything else in it would
  // change how the URL (and so the query) is read.
  const host = req.headers.host && HOST.test(req.headers.host) ? req.headers.host : 'localhost';
  return new Request(`http://${host}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    signal: aborted.signal,
    ...(hasBody ? { body: bodyOf(req, res), duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * The request's body as a web stream, read as the handler reads it (the socket is paused while
 * it does not). Once the answer has gone out, what the handler left unread is no longer kept:
 * the edge drops it as it arrives (a handler that answers 401 or 413 reads no further).
 */
function bodyOf(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const finish = (how: 'close' | Error) => {
    if (!open) return;
    open = false;
    if (how === 'close') controller.close();
    else controller.error(how);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        req.on('data', (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => finish('close'));
        req.once('error', (error) => finish(error));
        res.once('finish', () => {
          if (!open) return;
          open = false;
          controller.error(new Error('the answer was sent before the body was read'));
          req.resume();
        });
        res.once('close', () => {
          if (open) finish(new Error('the client went away'));
        });
      },
      pull() {
        if (open) req.resume();
      },
      cancel() {
        open = false;
        req.resume();
      },
    },
    { highWaterMark: 4, size: () => 1 },
  );
}

/**
 * Writes a web Response to the Node response. A body that ends within its first chunk (a note's
 * or an alert batch's few hundred bytes of JSON) goes out in one write with its headers; a live
 * stream (text/event-stream) has its headers sent at once, since its first event may be minutes
 * away, and then writes its events to the socket itself (sse-sink.ts attachSseSink); any body is
 * otherwise sent as it comes, waiting for the socket to drain, and reading stops when the client
 * goes.
 */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const head = () => res.writeHead(response.status, response.statusText || undefined, headers);
  if (!response.body) {
    head().end();
    return;
  }
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    head().flushHeaders();
    const stop = attachSseSink(response.body, {
      write: (bytes) => void (res.writableEnded || res.destroyed || res.write(bytes)),
      end: () => void (res.writableEnded || res.end()),
    });
    if (stop) {
      res.once('close', stop);
      return;
    }
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  res.once('close', stop);
  try {
    if (!res.headersSent) {
      const first = await reader.read();
      const second = first.done ? first : await reader.read();
      if (second.done) {
        const body = first.value ?? new Uint8Array(0);
        headers['content-length'] = String(body.byteLength);
        head().end(body);
        return;
      }
      head();
      if (!(await written(res, first.value!)) || !(await written(res, second.value!))) return stop();
    }
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (!(await written(res, next.value))) return stop();
    }
    res.end();
  } catch {
    // The body failed midway (or was cancelled because the client left): nothing more to send.
    res.destroy();
  } finally {
    res.off('close', stop);
  }
}

/** Writes a chunk, waiting for the socket to drain when it is full; false once the client has gone. */
async function written(res: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const go = () => {
      res.off('drain', go);
      res.off('close', go);
      resolve();
    };
    res.on('drain', go);
    res.on('close', go);
  });
  return !res.destroyed;
}

/** The direct route for this request, with its params; undefined when Next answers it. */
export function matchDirectRoute(routes: readonly DirectRoute[], method: string | undefined, url: string | undefined): { route: DirectRoute; params: Record<string, string> } | undefined {
  const path = (url ?? '/').split('?', 1)[0]!;
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(path);
    if (!match) continue;
    // Decoded as Next decodes a dynamic segment; a malformed %-escape (which the edge refuses
    // before this) is left to Next.
    try {
      return { route, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)])) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Answers the request with its direct route; false when it has none (Next answers it). */
export function answerDirectly(routes: readonly DirectRoute[], req: IncomingMessage, res: ServerResponse): Promise<void> | false {
  const found = matchDirectRoute(routes, req.method, req.url);
  if (!found) return false;
  // Whatever goes wrong, the caller gets a rejected promise, never a throw in the request listener.
  return Promise.resolve()
    .then(() => found.route.handler(webRequest(req, res), { params: Promise.resolve(found.params) }))
    .then((response) => writeResponse(response, res));
}
