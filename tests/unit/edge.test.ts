// The request edge in front of a stand-in for Next, on a real HTTP server: what it answers itself,
// what it lets through, and in what order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markKnownCredential } from '@/lib/platform/auth/credentials';
import { createEdge } from '@/lib/platform/http/edge';
import { parseTrustedProxies } from '@/lib/platform/http/client-address';
import { rememberPublicResponse } from '@/lib/platform/http/public-cache';

const reached: { url: string; address: string }[] = [];
let holdInside: Promise<void> | null = null;
let base = '';
let server: http.Server;

beforeAll(async () => {
  const edge = createEdge(
    {
      trustedProxies: parseTrustedProxies(''),
      headers: { 'x-content-type-options': 'nosniff' },
      bodyLimit: (_method, pathname) => (pathname === '/big' ? 10_000 : 1_000),
      concurrency: 2,
    },
    async (req, res) => {
      reached.push({ url: req.url!, address: String(req.headers['x-sitrep-client-address']) });
      if (req.url === '/slow' && holdInside) await holdInside;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('from next');
    },
  );
  server = http.createServer(edge);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the request edge', () => {
  it('stamps the socket address, replacing whatever the client claimed, and sets the common headers', async () => {
    const response = await fetch(`${base}/page`, { headers: { 'x-sitrep-client-address': '6.6.6.6', 'x-forwarded-for': '7.7.7.7' } });
    expect(await response.text()).toBe('from next');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reached.at(-1)).toEqual({ url: '/page', address: '127.0.0.1' });
  });

  it('answers a body over its limit, a malformed token and a broken %-escape itself', async () => {
    const before = reached.length;
    const big = await fetch(`${base}/api/v1/x`, { method: 'POST', body: 'a'.repeat(1_001) });
    expect(big.status).toBe(413);
    expect((await fetch(`${base}/big`, { method: 'POST', body: 'a'.repeat(5_000) })).status).toBe(200);
    const token = await fetch(`${base}/api/v1/me`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(token.status).toBe(401);
    expect(token.headers.get('content-type')).toBe('application/problem+json');
    expect((await fetch(`${base}/api/v1/incidents/%FF%FE`)).status).toBe(400);
    expect(reached.length).toBe(before + 1); // only the /big post reached Next
  });

  it('serves remembered public responses from memory', async () => {
    rememberPublicResponse('/status', { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('<p>All good</p>') }, 60_000);
    const before = reached.length;
    const response = await fetch(`${base}/status?cache=bust`);
    expect(await response.text()).toBe('<p>All good</p>');
    expect(reached.length).toBe(before);
  });

  it('lets known credentials past unverified traffic queued behind a full house', async () => {
    let release!: () => void;
    holdInside = new Promise((resolve) => (release = resolve));
    // Two unverified requests fill the places inside "Next"; ten more wait.
    const waiting = Array.from({ length: 12 }, () => fetch(`${base}/slow`).then((r) => r.text()));
    await expect.poll(() => reached.filter((r) => r.url === '/slow').length).toBe(2);
    const token = `sitrep_${'k'.repeat(43)}`;
    markKnownCredential(token, 'someone');
    const started = performance.now();
    const known = await fetch(`${base}/known`, { headers: { authorization: `Bearer ${token}` } });
    expect(await known.text()).toBe('from next');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(reached.filter((r) => r.url === '/slow')).toHaveLength(2);
    release();
    holdInside = null;
    expect(await Promise.all(waiting)).toEqual(Array(12).fill('from next'));
  });
});
