// THE REQUEST EDGE: what every request meets before Next sees it (lib/platform/runtime/server.ts
// puts it in front of Next's handler). Sitrep is what people open when everything is on fire, so
// a flood of requests that prove nothing about who sends them must never slow down the people
// who are signed in. Node runs one event loop; a request that enters Next costs milliseconds of
// it. So, per request:
//
//  1. The client address is worked out from the socket (client-address.ts) and stamped on it.
//  2. Common security headers are set (security-headers.ts).
//  3. A body whose Content-Length is over the limit of where it goes is refused with 413 before
//     a byte of it is read, and the connection closes. Server actions must declare their length
//     (browsers always do), so Next's own limit never has to read a chunked one.
//  4. A request with a credential that worked a moment ago (principal.ts) goes to Next at once.
//  5. Everything else is unverified: anonymous visitors, unknown tokens, cookies not yet checked.
//     It is queued per client address and served round-robin across addresses, a few per turn
//     of the event loop, so however many arrive, a turn stays short and the signed-in person's
//     request, waiting between turns, is never stuck behind thousands. Of them:
//     - public pages with a remembered response (public-cache.ts: the status page, its feed and
//       JSON, health) are answered from memory;
//     - a malformed bearer token gets 401, and an unknown one from an address that spent its
//       budget of failed credentials (rate-limit.ts) gets 429, without a query;
//     - the rest enter Next, at most a few at a time.
//     An address with too many requests waiting gets 429; when the whole queue is full the
//     socket is dropped, the cheapest answer there is.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import { isKnownCredential, isWellFormedToken, sessionCookieValue } from '@/lib/platform/auth/credentials';
import { formatBytes } from '@/lib/platform/errors';
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from '@/lib/platform/http/client-address';
import { publicResponseFor } from '@/lib/platform/http/public-cache';
import { failedAuthRetryAfter, recordFailedAuth } from '@/lib/platform/http/rate-limit';

export type EdgeOptions = {
  trustedProxies: BlockList;
  /** Headers every response carries. */
  headers: Record<string, string>;
  /** The largest body a request to this path may send. */
  bodyLimit(method: string, pathname: string, isServerAction: boolean): number;
  /** Unverified requests served per turn of the event loop. */
  perTurn?: number;
  /** Unverified requests inside Next at once. */
  concurrency?: number;
  /** Requests one address may have waiting. */
  perAddress?: number;
  /** Requests waiting in all. */
  total?: number;
};

type Next = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
type Job = { req: IncomingMessage; res: ServerResponse; address: string; pathname: string };

const JSON_PROBLEM = 'application/problem+json';

function problem(res: ServerResponse, status: number, title: string, detail: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const slug = { 400: 'bad-request', 401: 'unauthenticated', 411: 'length-required', 413: 'payload-too-large', 429: 'too-many-requests', 503: 'unavailable' }[status] ?? 'error';
  const body = JSON.stringify({ type: `urn:sitrep:problem:${slug}`, title, status, detail });
  res.writeHead(status, { 'content-type': JSON_PROBLEM, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function bearerToken(req: IncomingMessage): string | null | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null;
}

export function createEdge(options: EdgeOptions, next: Next): (req: IncomingMessage, res: ServerResponse) => void {
  const perTurn = options.perTurn ?? 32;
  const concurrency = options.concurrency ?? 6;
  const perAddress = options.perAddress ?? 2_048;
  const total = options.total ?? 20_000;

  const queues = new Map<string, Job[]>(); // address → its waiting requests, in arrival order
  let waiting = 0;
  let inside = 0; // unverified requests Next is handling
  let scheduled = false;

  const schedule = () => {
    if (scheduled || waiting === 0) return;
    scheduled = true;
    setImmediate(turn);
  };

  // An unverified request holds its place inside Next until its response starts: a live stream
  // it opened must not hold the place for hours.
  const enterNext = (job: Job) => {
    inside++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inside--;
      schedule();
    };
    const writeHead = job.res.writeHead;
    job.res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      release();
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
    job.res.once('close', release);
    job.res.once('finish', release);
    Promise.resolve(next(job.req, job.res)).catch(() => {
      problem(job.res, 503, 'Unavailable', 'The server could not handle this request; retry.');
      release();
    });
  };

  /** Answers a job without Next if it can; false when it must go through Next. */
  const answer = (job: Job): boolean => {
    const { req, res } = job;
    if (res.destroyed || req.destroyed) return true;
    if (req.method === 'GET' || req.method === 'HEAD') {
      const cached = publicResponseFor(job.pathname);
      if (cached && cached !== 'rebuild') {
        res.writeHead(cached.serve.status, cached.serve.headers);
        res.end(req.method === 'HEAD' ? undefined : cached.serve.body);
        return true;
      }
    }
    const token = bearerToken(req);
    if (token !== undefined && job.pathname.startsWith('/api/')) {
      if (token === null || !isWellFormedToken(token)) {
        recordFailedAuth(job.address);
        problem(res, 401, 'Unauthenticated', 'The API token is malformed: send `Authorization: Bearer sitrep_…` with a token from Settings → API tokens.', {
          'www-authenticate': 'Bearer',
        });
        return true;
      }
      const wait = failedAuthRetryAfter(job.address);
      if (wait > 0) {
        problem(res, 429, 'Too many requests', 'Too many requests with unknown or revoked API tokens from your address; wait and retry with a valid token.', {
          'retry-after': String(wait),
        });
        return true;
      }
    }
    return false;
  };

  function turn() {
    scheduled = false;
    let served = 0;
    // Round-robin: one request per address per pass, so one busy address can't starve the others.
    while (served < perTurn && waiting > 0) {
      let progressed = false;
      for (const [address, queue] of queues) {
        if (served >= perTurn) break;
        const job = queue[0]!;
        if (answer(job)) {
          // answered from memory
        } else if (inside < concurrency) {
          enterNext(job);
        } else {
          continue; // waits for a place inside Next
        }
        queue.shift();
        waiting--;
        served++;
        progressed = true;
        if (queue.length === 0) queues.delete(address);
      }
      if (!progressed) break;
    }
    if (waiting > 0 && (served > 0 || inside < concurrency)) schedule();
  }

  return (req, res) => {
    const address = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trustedProxies);
    req.headers[CLIENT_ADDRESS_HEADER] = address;
    // Common headers are filled in when the response starts, where it did not set its own (a
    // page's CSP, the status page's): set now, Next would keep ours over theirs.
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      const given = args.find((arg) => typeof arg === 'object' && arg !== null && !Array.isArray(arg)) as Record<string, unknown> | undefined;
      const givenNames = new Set(Object.keys(given ?? {}).map((name) => name.toLowerCase()));
      for (const [name, value] of Object.entries(options.headers)) if (!givenNames.has(name) && !this.hasHeader(name)) this.setHeader(name, value);
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
    // Answered before its body was read (413, 411, 401…): Node drops the rest of the body as it
    // arrives, and a client that keeps sending after the answer has two seconds to stop.
    res.once('finish', () => {
      if (req.complete) return;
      req.resume();
      setTimeout(() => {
        if (!req.complete) req.socket.destroy();
      }, 2_000).unref();
    });
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query < 0 ? url : url.slice(0, query);
    try {
      decodeURIComponent(pathname);
    } catch {
      // `/api/v1/incidents/%` or `%FF%FE`: Next would fail deep in its router with a plain-text 500.
      if (pathname.startsWith('/api/')) problem(res, 400, 'Bad request', 'The path has a malformed %-escape (a % must be followed by two hex digits of UTF-8); fix the URL.');
      else {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Bad request: the address has a malformed %-escape.');
      }
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const isServerAction = req.headers['next-action'] !== undefined;
      const limit = options.bodyLimit(req.method ?? 'POST', pathname, isServerAction);
      const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
      if (declared !== undefined && !(declared <= limit)) {
        // Nothing of it is kept: the answer goes out at once, and the rest is dropped unread (below).
        problem(res, 413, 'Payload too large', `The request body is larger than ${formatBytes(limit)}, the limit here; send less (split it up).`);
        return;
      }
      if (declared === undefined && isServerAction && req.headers['transfer-encoding'] !== undefined) {
        problem(res, 411, 'Length required', 'Send the body with a Content-Length.');
        return;
      }
    }

    const token = bearerToken(req);
    const cookie = sessionCookieValue(req.headers.cookie);
    const known = (token && isKnownCredential(token)) || (cookie && isKnownCredential(cookie));
    // Known people, and the files every page loads, go straight through.
    if (known || pathname.startsWith('/_next/static/')) {
      void Promise.resolve(next(req, res)).catch(() => problem(res, 503, 'Unavailable', 'The server could not handle this request; retry.'));
      return;
    }

    if (waiting >= total) {
      req.socket.destroy();
      return;
    }
    const queue = queues.get(address) ?? [];
    if (queue.length >= perAddress) {
      problem(res, 429, 'Too many requests', 'Too many requests from your address at once; slow down and retry.', { 'retry-after': '5' });
      return;
    }
    queue.push({ req, res, address, pathname });
    queues.set(address, queue);
    waiting++;
    schedule();
  };
}
