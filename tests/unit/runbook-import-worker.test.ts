// The importer runs on a worker thread with a deadline: while a slow document is being read, the
// process keeps answering other requests, and the document is refused with a clear message once
// the deadline passes. Proved with a real HTTP server in this process, measured from outside the
// event loop's point of view (a request's round trip), not by sleeping.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRunbookMarkdown } from '@/lib/runbooks/import';
import { boundMarkdown } from '@/lib/runbooks/import/bounds';
import { closeImportPool, ImportTooSlowError, readRunbookMarkdown } from '@/lib/runbooks/import/pool';

let server: Server;
let port = 0;

function roundTrip(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/ping' }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = createServer((_req, res) => res.end('pong'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await closeImportPool();
  await new Promise((resolve) => server.close(resolve));
});

describe('the importer off the request thread', () => {
  it('reads a playbook on the worker', async () => {
    const result = await readRunbookMarkdown('# Disk full\n\n1. Delete old logs\n2. Page the owner', {});
    expect(result.runbooks.map((r) => r.title)).toEqual(['Disk full']);
  }, 60_000);

  it('refuses a 1 MiB document that takes too long, and other requests are answered meanwhile', async () => {
    // Nested list items: the Markdown reader's time grows with their square (minutes for 1 MiB).
    const slow = '- step\n  - detail\n'.repeat(Math.floor((1 << 20) / 18));
    expect(Buffer.byteLength(slow)).toBeGreaterThan(1_000_000);
    const deadlineMs = 3_000;
    const started = performance.now();
    const outcome = readRunbookMarkdown(slow, {}, deadlineMs).then(
      () => null,
      (error: unknown) => error,
    );
    let done = false;
    void outcome.then(() => (done = true));
    const latencies: number[] = [];
    while (!done) latencies.push(await roundTrip());
    const error = await outcome;
    const elapsed = performance.now() - started;
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    console.log(`While a 1 MiB import ran into its ${deadlineMs} ms deadline (${Math.round(elapsed)} ms): ${latencies.length} other requests, p95 ${p95.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
    expect(error).toBeInstanceOf(ImportTooSlowError);
    expect((error as Error).message).toMatch(/took longer than 3 s, so Sitrep stopped\. Split the document/);
    expect(elapsed).toBeLessThan(deadlineMs + 5_000);
    // Hundreds of round trips were answered during the slow import; on the request thread there would be none.
    expect(latencies.length).toBeGreaterThan(20);
    expect(p95).toBeLessThan(250);
  }, 60_000);

  it('the pool still works after a worker was stopped at its deadline', async () => {
    const result = await readRunbookMarkdown('## Restart\n\n```\nsystemctl restart app\n```', {});
    expect(result.runbooks[0]!.phases[0]!.steps[0]!.command).toBe('systemctl restart app');
  }, 60_000);
});

describe('bounds on shapes the Markdown reader is super-linear on', () => {
  it('escapes containers past the eighth on one line and defuses floods of emphasis', () => {
    const deep = `${'- '.repeat(40)}x`;
    const bounded = boundMarkdown(deep);
    expect(bounded.replace(/\\/g, '')).toBe(deep);
    expect(bounded.startsWith('- '.repeat(8) + '\\-')).toBe(true);
    const flood = '*a'.repeat(20_000);
    expect(boundMarkdown(flood)).toBe('∗a'.repeat(20_000));
    const normal = '# Title\n\n- **bold** step with [a link](https://x.example)\n';
    expect(boundMarkdown(normal)).toBe(normal);
  });

  it('reads 40 kB of emphasis runs in a moment once bounded', async () => {
    await importRunbookMarkdown('# Warm-up\n\n- step');
    const started = performance.now();
    await importRunbookMarkdown(`# Flood\n\n- ${'*a'.repeat(20_000)}`);
    const elapsed = performance.now() - started;
    console.log(`40 kB of "*a" read in ${Math.round(elapsed)} ms (unbounded: about 12 s on this machine)`);
    expect(elapsed).toBeLessThan(2_000);
  }, 60_000);
});
