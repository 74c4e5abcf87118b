// Survival: oversized request bodies. Each is refused with 413 as soon as it crosses its limit
// (or at once, by its Content-Length), whether it is an API call, a sign-in or a server action,
// and the server's memory stays where it was: nothing is buffered beyond the limit. Also: a
// malformed %-escape and an unknown API path answer problem+json.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, createUserWithToken, startApp, startPostgres, type App, type Postgres } from '../../scripts/support/instances';

let postgres: Postgres;
let app: App;
let token: string;

beforeAll(async () => {
  postgres = await startPostgres({ name: 'limits' });
  token = await createUserWithToken(postgres.url, 'responder@example.com', 'responder');
  app = await startApp({ databaseUrl: postgres.url, name: 'app' });
});

afterAll(async () => {
  await app?.stop();
  await postgres?.destroy();
});

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.child.pid}/status`, 'utf8'))![1]) / 1024;

/**
 * Sends up to `totalMb` of body in 64 KiB chunks (chunked, or with a Content-Length), stopping
 * as soon as an answer arrives. Resolves with the status, how long it took and how much was sent.
 * With a declared length the headers go first, and the body only if no answer came within 2 s:
 * a server that refuses from the header sends it before any body byte, however busy the machine
 * (a body sent at once would be counted by how fast loopback carries it while the answer is on
 * its way, which is timing luck).
 */
function upload(pathname: string, options: { totalMb: number; declareLength?: boolean; headers?: Record<string, string> }): Promise<{ status: number; ms: number; sentMb: number; body: string }> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const total = options.totalMb * 1024 * 1024;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(`${app.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.declareLength ? { 'content-length': String(total) } : {}), ...options.headers },
    });
    request.on('response', (response) => {
      answered = true;
      let body = '';
      response.on('data', (data: Buffer) => (body += data.toString()));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, sentMb: sent / 1024 / 1024, body });
        request.destroy();
      });
    });
    // The server may close the connection right after answering; the answer is what counts.
    request.on('error', (error) => {
      if (!answered) setTimeout(() => !answered && reject(error), 1_000);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      if (!answered) request.end();
    };
    if (!options.declareLength) return pump();
    request.flushHeaders();
    setTimeout(pump, 2_000);
  });
}

it('refuses 200 MB bodies quickly, chunked or declared, to the API, sign-in and server actions, with memory staying flat', async () => {
  // Warm the routes up, so what is measured is the refusal, not a first load.
  expect((await api(app, token, 'POST', '/api/v1/incidents', { title: 'Warming up', severity: 'SEV3' })).status).toBe(201);
  await fetch(`${app.url}/api/auth/callback/credentials`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=x' });
  const before = rssMb();
  const cases: { what: string; path: string; headers: Record<string, string>; declareLength?: boolean }[] = [
    { what: 'API, chunked', path: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } },
    { what: 'API, declared', path: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` }, declareLength: true },
    { what: 'sign-in, chunked', path: '/api/auth/callback/credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { what: 'sign-in, declared', path: '/api/auth/callback/credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' }, declareLength: true },
    { what: 'server action, declared', path: '/incidents', headers: { 'next-action': '0'.repeat(42), 'content-type': 'text/plain;charset=UTF-8' }, declareLength: true },
  ];
  for (const sample of cases) {
    const result = await upload(sample.path, { totalMb: 200, declareLength: sample.declareLength, headers: sample.headers });
    console.log(`[limits] ${sample.what}: ${result.status} after ${result.ms.toFixed(0)} ms, ${result.sentMb.toFixed(1)} MB sent`);
    expect(result.status, sample.what).toBe(413);
    expect(result.ms, sample.what).toBeLessThan(5_000);
    expect(result.sentMb, sample.what).toBeLessThan(50);
  }
  // A chunked server action is refused outright: browsers always send their length.
  const chunkedAction = await upload('/incidents', { totalMb: 200, headers: { 'next-action': '0'.repeat(42) } });
  expect(chunkedAction.status).toBe(411);

  // Eight at once to the sign-in endpoint, as in the report that took the process to 2.5 GB.
  const results = await Promise.all(Array.from({ length: 8 }, () => upload('/api/auth/callback/credentials', { totalMb: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' } })));
  expect(results.map((r) => r.status)).toEqual(Array(8).fill(413));
  const after = rssMb();
  console.log(`[limits] server RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after`);
  expect(after - before).toBeLessThan(150);

  // Under the limit, everything still works.
  expect((await api(app, token, 'POST', '/api/v1/incidents', { title: 'Small and fine', severity: 'SEV3' })).status).toBe(201);
});

it('answers malformed %-escapes with 400 and unknown API paths with 404, both problem+json', async () => {
  for (const pathname of ['/api/v1/incidents/%', '/api/v1/incidents/%FF%FE', '/api/v1/%E0%A4%A']) {
    const response = await fetch(`${app.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, pathname).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toMatch(/%-escape/);
  }
  const page = await fetch(`${app.url}/incidents/%`);
  expect(page.status).toBe(400);
  for (const method of ['GET', 'POST', 'DELETE']) {
    const response = await fetch(`${app.url}/api/v1/no-such-thing/42`, { method, headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain('/api/v1/openapi.json');
  }
});

it('refuses JSON nested deeper than 64 levels with 400 before anything walks it, to the API and to alert intake', async () => {
  // The CI fuzzer once sent a target of 10,000 nested lists to an escalation policy: validation
  // quoted the value back with String(), which overflowed the stack (500). Depth is now counted
  // before parsing; a list inside a string is text, not nesting.
  const admin = await createUserWithToken(postgres.url, 'nesting-admin@example.com', 'admin');
  const source = await api<{ token: string }>(app, admin, 'POST', '/api/v1/alert-sources', { name: 'Nesting probe', kind: 'generic' });
  expect(source.status).toBe(201);
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  const send = (path: string, bearer: string, body: string, method = 'POST') =>
    fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body });
  const cases: [string, string, string, string][] = [
    ['PUT', '/api/v1/escalation-policies/0000001f-0008-1000-bfff-ffe922e4d2bd', admin, `{"name":"Deep","repeat":0,"levels":[{"delaySeconds":1,"targets":[{"schedule":${deep(100_000)}}]}]}`],
    ['POST', '/api/v1/incidents', token, `{"title":${deep(65)},"severity":"SEV3"}`],
    ['POST', '/api/v1/alerts/ingest/generic', source.body.token, `{"title":"Deep","labels":${deep(1_000)}}`],
  ];
  for (const [method, path, bearer, body] of cases) {
    const response = await send(path, bearer, body, method);
    expect(response.status, path).toBe(400);
    expect(((await response.json()) as { detail: string }).detail, path).toBe('The body nests lists or objects more than 64 levels deep; flatten it.');
  }
  // Up to 64 levels go through to validation, which names the field and quotes the value by its kind.
  const atLimit = await api<{ errors: { path: string; message: string }[] }>(app, admin, 'PUT', '/api/v1/escalation-policies/0000001f-0008-1000-bfff-ffe922e4d2bd', {
    name: 'Deep',
    repeat: 0,
    levels: [{ delaySeconds: 60, targets: [{ schedule: JSON.parse(deep(50)) as unknown }] }],
  });
  expect(atLimit.status).toBe(422);
  expect(atLimit.body.errors).toContainEqual({ path: 'levels.0.targets.0.schedule', message: 'a list is not a schedule id; use the id from GET /api/v1/schedules' });
  // Brackets inside a string are text.
  const text = await api(app, token, 'POST', '/api/v1/incidents', { title: `Brackets ${'['.repeat(100)}`, severity: 'SEV3' });
  expect(text.status).toBe(201);
});

it('sets security headers on every response, and trusts X-Forwarded-For only from configured proxies', async () => {
  for (const pathname of ['/login', '/api/health', '/api/v1/status', '/status', '/api/v1/nothing']) {
    const response = await fetch(`${app.url}${pathname}`);
    expect(response.headers.get('x-content-type-options'), pathname).toBe('nosniff');
    expect(response.headers.get('referrer-policy'), pathname).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('content-security-policy'), pathname).toMatch(/frame-ancestors 'none'/);
  }
  const login = await fetch(`${app.url}/login`);
  const csp = login.headers.get('content-security-policy')!;
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(csp).toContain("img-src 'self' data: blob:");
  // Every script of the page carries the nonce.
  const html = await login.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  // A second load gets a different nonce.
  expect((await fetch(`${app.url}/login`)).headers.get('content-security-policy')).not.toContain(nonce);

  // Made-up tokens with a forged X-Forwarded-For all count against the real address: after its
  // budget, the edge refuses them without asking the database, whatever address they claim.
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const response = await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer sitrep_${'x'.repeat(39)}${String(i).padStart(4, '0')}`, 'x-forwarded-for': `198.51.100.${i}` } });
    statuses.push(response.status);
  }
  expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
  expect(statuses.slice(-10).every((status) => status === 429)).toBe(true);
  // A valid token from the same address still works.
  expect((await api(app, token, 'GET', '/api/v1/me')).status).toBe(200);
});
