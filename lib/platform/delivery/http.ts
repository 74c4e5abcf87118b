// One delivery attempt over HTTP(S). The destination is checked before connecting and again on
// the addresses the socket is about to use (a lookup that refuses internal addresses), so a DNS
// answer that changes between the two checks cannot reach an internal address. Redirects are
// never followed, the connect phase has 5 s, the whole exchange the request's timeout, and at most
// 64 KiB of the answer is read.
import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { checkDestination, createGuardedLookup, type AllowEntry } from '@/lib/platform/delivery/destination';

export const CONNECT_TIMEOUT_MS = 5_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;
const EXCERPT_CHARS = 500;

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'gone';

export type AttemptResult = {
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  excerpt: string | null;
  /** From a Retry-After header, when the receiver sent one. */
  retryAfterMs: number | null;
};

export type OutgoingRequest = {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Names the timeout in the error, e.g. "the action's timeout", so a person knows which setting to change. */
  timeoutName?: string;
  allowHosts: AllowEntry[];
};

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function classify(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'succeeded';
  if (status === 410) return 'gone';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

export async function sendAttempt(request: OutgoingRequest): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const check = await checkDestination(request.url, { allowHosts: request.allowHosts });
  if (!check.ok) {
    // A name that does not resolve may resolve later; an internal address never becomes allowed.
    const transient = /does not resolve/.test(check.reason);
    return { outcome: transient ? 'retry' : 'failed', statusCode: null, error: check.reason, durationMs: elapsed(), excerpt: null, retryAfterMs: null };
  }
  const url = check.url;
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const transport = url.protocol === 'https:' ? https : http;

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const fail = (error: string, outcome: AttemptOutcome = 'retry') => finish({ outcome, statusCode: null, error, excerpt: null, retryAfterMs: null });

    const req = transport.request(url, {
      method: request.method,
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      lookup: createGuardedLookup(request.allowHosts, { port }),
      agent: false,
    });
    const connectTimer = setTimeout(() => {
      fail(`Could not connect within ${CONNECT_TIMEOUT_MS / 1000} s`);
      req.destroy();
    }, CONNECT_TIMEOUT_MS);
    const totalTimer = setTimeout(() => {
      fail(`No answer within ${request.timeoutMs / 1000} s${request.timeoutName ? ` (${request.timeoutName})` : ''}`);
      req.destroy();
    }, request.timeoutMs);

    req.on('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ESSRF') fail(error.message, 'failed');
      else fail(error.code ? `${error.code}: ${error.message}` : error.message);
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const outcome = classify(status);
        finish({
          outcome,
          statusCode: status,
          error: status >= 300 && status < 400 ? `Redirect to ${res.headers.location ?? '(no location)'} not followed` : null,
          excerpt: text ? text.slice(0, EXCERPT_CHARS) : null,
          retryAfterMs: outcome === 'retry' ? parseRetryAfter(res.headers['retry-after']) : null,
        });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_RESPONSE_BYTES) return;
        const room = MAX_RESPONSE_BYTES - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (size >= MAX_RESPONSE_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(request.body);
  });
}
