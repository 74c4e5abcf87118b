// Routes answered beside Next (direct.ts), over real HTTP: what the handler gets from the Node
// request and what the client gets from the handler's Response, streamed bodies both ways.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEvent, sseResponse, type SseWriter } from '@/lib/platform/live/sse';
import { answerDirectly, directRoutes, matchDirectRoute, pathPattern, type DirectRoute } from './direct';

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that answers `routes` directly and everything else as "next" would (here: 418). */
async function listen(routes: DirectRoute[]): Promise<string> {
  server = http.createServer((req, res) => {
    const answered = answerDirectly(routes, req, res);
    if (answered === false) res.writeHead(418).end('next');
    else void answered.catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('direct routes', () => {
  it('matches method and whole path, with named params, and leaves the rest to Next', () => {
    const handler = async () => new Response();
    const routes: DirectRoute[] = [{ method: 'GET', path: /^\/api\/v1\/incidents\/(?<number>\d+)\/stream$/, handler }];
    expect(matchDirectRoute(routes, 'GET', '/api/v1/incidents/42/stream?lastEventId=7')?.params).toEqual({ number: '42' });
    expect(matchDirectRoute(routes, 'POST', '/api/v1/incidents/42/stream')).toBeUndefined();
    expect(matchDirectRoute(routes, 'GET', '/api/v1/incidents/42/stream/x')).toBeUndefined();
    expect(matchDirectRoute(routes, 'HEAD', '/api/v1/incidents/42/stream')).toBeUndefined();
    const named = directRoutes([[{ method: 'GET', path: '/api/v1/incidents/{number}/stream' }, handler]]);
    expect(pathPattern('/api/v1/incidents/{number}/roles/{role}').exec('/api/v1/incidents/7/roles/scribe')?.groups).toEqual({ number: '7', role: 'scribe' });
    expect(pathPattern('/api/v1/openapi.json').test('/api/v1/openapiXjson')).toBe(false);
    expect(matchDirectRoute(named, 'GET', '/api/v1/incidents/INC%2D42/stream')?.params).toEqual({ number: 'INC-42' });
    expect(matchDirectRoute(named, 'GET', '/api/v1/incidents/%E0%A4%A/stream')).toBeUndefined();
  });

  it('gives the handler the method, URL, headers, params and streamed body, and sends back status, headers and body', async () => {
    let seen: { method: string; url: string; auth: string | null; params: Record<string, string>; body: string } | undefined;
    const url = await listen([
      {
        method: 'POST',
        path: /^\/echo\/(?<kind>[a-z]+)$/,
        handler: async (request, context) => {
          seen = { method: request.method, url: request.url, auth: request.headers.get('authorization'), params: await context.params, body: await request.text() };
          const headers = new Headers({ 'content-type': 'application/json', 'x-request-id': 'abc' });
          headers.append('set-cookie', 'a=1; Path=/');
          headers.append('set-cookie', 'b=2; Path=/');
          return new Response(JSON.stringify({ stored: seen.body.length }), { status: 202, headers });
        },
      },
    ]);
    const body = 'x'.repeat(200_000); // several chunks on the way in
    const response = await fetch(`${url}/echo/generic?token=t`, { method: 'POST', headers: { authorization: 'Bearer sitrep_x' }, body });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await response.json()).toEqual({ stored: 200_000 });
    expect(seen).toMatchObject({ method: 'POST', auth: 'Bearer sitrep_x', params: { kind: 'generic' }, body });
    expect(new URL(seen!.url).pathname + new URL(seen!.url).search).toBe('/echo/generic?token=t');

    const other = await fetch(`${url}/echo/generic`); // GET: not a direct route
    expect(other.status).toBe(418);
  });

  it('sends an answer that ends within its first chunk whole, with its length, and a longer body as it comes', async () => {
    const chunks = ['one,', 'two,', 'three'];
    const url = await listen([
      { method: 'GET', path: /^\/small$/, handler: async () => Response.json({ ok: true }, { status: 201 }) },
      { method: 'GET', path: /^\/empty$/, handler: async () => new Response(new ReadableStream({ start: (controller) => controller.close() }), { status: 200 }) },
      {
        method: 'GET',
        path: /^\/chunks$/,
        handler: async () => new Response(new ReadableStream<Uint8Array>({ pull: (controller) => (chunks.length ? controller.enqueue(new TextEncoder().encode(chunks.shift())) : controller.close()) })),
      },
    ]);
    const small = await fetch(`${url}/small`);
    expect(small.status).toBe(201);
    expect(small.headers.get('content-length')).toBe(String('{"ok":true}'.length));
    expect(small.headers.get('transfer-encoding')).toBeNull();
    expect(await small.json()).toEqual({ ok: true });
    const empty = await fetch(`${url}/empty`);
    expect(empty.headers.get('content-length')).toBe('0');
    expect(await empty.text()).toBe('');
    const streamed = await fetch(`${url}/chunks`);
    expect(streamed.headers.get('transfer-encoding')).toBe('chunked');
    expect(await streamed.text()).toBe('one,two,three');
  });

  it('reads the query from the request line whatever the Host header says', async () => {
    let query: string | undefined;
    const url = await listen([
      {
        method: 'GET',
        path: /^\/q$/,
        handler: async (request) => {
          query = new URL(request.url).search;
          return new Response('ok');
        },
      },
    ]);
    const { port } = new URL(url);
    for (const host of ['localhost/?token=injected#', 'a b', '']) {
      query = undefined;
      const status = await new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/q?real=1', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
      expect(status).toBe(200);
      expect(query).toBe('?real=1');
    }
  });

  it('streams the body as the handler writes it, and aborts the handler’s request and cancels its body when the client leaves', async () => {
    let push: ((text: string) => void) | undefined;
    let cancelled: () => void = () => {};
    const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    let aborted: () => void = () => {};
    const wasAborted = new Promise<void>((resolve) => (aborted = resolve));
    const url = await listen([
      {
        method: 'GET',
        path: /^\/stream$/,
        handler: async (request) => {
          request.signal.addEventListener('abort', () => aborted());
          const encoder = new TextEncoder();
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              push = (text) => controller.enqueue(encoder.encode(text));
            },
            cancel() {
              cancelled();
            },
          });
          return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
        },
      },
    ]);
    const controller = new AbortController();
    const response = await fetch(`${url}/stream`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    push!('id: 1\ndata: first\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('id: 1\ndata: first\n\n');
    push!('id: 2\ndata: second\n\n');
    expect(decoder.decode((await reader.read()).value)).toBe('id: 2\ndata: second\n\n');
    controller.abort();
    await Promise.all([wasAborted, wasCancelled]);
  });

  it('writes a live stream’s events to the socket itself, never reading its body, and ends the stream when the client leaves', async () => {
    let writer: SseWriter | undefined;
    let answered: Response | undefined;
    let cleanedUp: () => void = () => {};
    const wasCleanedUp = new Promise<void>((resolve) => (cleanedUp = resolve));
    const url = await listen([
      {
        method: 'GET',
        path: /^\/live$/,
        handler: async (request) => {
          // Written before the server has the Response: held, then sent first.
          answered = sseResponse(request.signal, async (w) => {
            writer = w;
            w.send({ id: 1, event: 'early', data: { n: 1 } });
            return () => cleanedUp();
          });
          return answered;
        },
      },
    ]);
    const controller = new AbortController();
    const response = await fetch(`${url}/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const until = async (text: string) => {
      while (!received.includes(text)) received += decoder.decode((await reader.read()).value);
    };
    await until('event: early');
    expect(received).toBe('retry: 2000\n: connected\n\nid: 1\nevent: early\ndata: {"n":1}\n\n');
    writer!.send({ id: 2, event: 'late', data: 'two' });
    writer!.sendEncoded(encodeEvent({ id: 3, event: 'late', data: 'three' }));
    await until('three');
    expect(received).toContain('id: 2\nevent: late\ndata: "two"\n\nid: 3\nevent: late\ndata: "three"\n\n');
    // The bytes went around the web stream: nobody ever took a reader on it.
    expect(answered!.body!.locked).toBe(false);
    controller.abort();
    await wasCleanedUp;
    expect(writer!.closed()).toBe(true);
  });

  it('ends the response when the live stream closes itself', async () => {
    const url = await listen([
      {
        method: 'GET',
        path: /^\/live$/,
        handler: async (request) =>
          sseResponse(request.signal, async (w) => {
            setTimeout(() => {
              w.send({ event: 'bye', data: null });
              w.close();
            }, 10);
            return () => {};
          }),
      },
    ]);
    const text = await (await fetch(`${url}/live`)).text();
    expect(text).toBe('retry: 2000\n: connected\n\nevent: bye\ndata: null\n\n');
  });

  it('serves a live stream as a web stream to whoever reads its body (Next), including one that ended before it was read', async () => {
    const failed = sseResponse(new AbortController().signal, async () => {
      throw new Error('Incident INC-9 is gone');
    });
    await new Promise((resolve) => setTimeout(resolve, 20)); // it has ended before anyone reads it
    expect(await failed.text()).toBe('retry: 2000\n: connected\n\nevent: error\ndata: {"message":"Incident INC-9 is gone"}\n\n');
    let writer: SseWriter | undefined;
    const live = sseResponse(new AbortController().signal, async (w) => {
      writer = w;
      return () => {};
    });
    const reader = live.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('retry: 2000\n: connected\n\n');
    writer!.send({ id: 4, event: 'created', data: 'four' });
    expect(decoder.decode((await reader.read()).value)).toBe('id: 4\nevent: created\ndata: "four"\n\n');
    writer!.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('lets the rest of a body the handler left unread be drained once it has answered, as the edge does', async () => {
    // The edge (lib/platform/http/edge.ts) resumes a request whose answer went out before its body
    // was read, and cuts the connection if the body still has not ended 2 s later.
    let ended: () => void = () => {};
    const bodyEnded = new Promise<void>((resolve) => (ended = resolve));
    server = http.createServer((req, res) => {
      req.once('end', () => ended());
      res.once('finish', () => {
        if (!req.complete) req.resume();
      });
      void (answerDirectly([{ method: 'POST', path: /^\/refuse$/, handler: async () => new Response('no', { status: 401 }) }], req, res) as Promise<void>);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const response = await fetch(`${url}/refuse`, { method: 'POST', body: 'x'.repeat(1024 * 1024) });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('no');
    await bodyEnded;
  });

  it('waits for a slow client instead of buffering without bound', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024);
    const url = await listen([
      {
        method: 'GET',
        path: /^\/big$/,
        // A body that would be 64 MiB; the server should only pull what the socket takes.
        handler: async () =>
          new Response(
            new ReadableStream<Uint8Array>(
              {
                pull(controller) {
                  pulled++;
                  if (pulled > 1024) controller.close();
                  else controller.enqueue(chunk);
                },
              },
              { highWaterMark: 0 },
            ),
          ),
      },
    ]);
    const response = await fetch(`${url}/big`);
    const reader = response.body!.getReader();
    await reader.read(); // the client reads one chunk and then nothing
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Socket and client buffers hold a few MiB at most: far fewer than the 1,024 chunks.
    expect(pulled).toBeLessThan(300);
    await reader.cancel();
  });
});
