// In Chromium (Playwright): sign in once, then for each page a fresh load, measuring the largest
// contentful paint, the total blocking time (long tasks beyond 50 ms, up to LCP + 1 s) and the
// JavaScript it loads, gzipped (Next 16 no longer prints it: measured from the responses).
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { summarize } from './stats';

const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

export type Session = { browser: Browser; context: BrowserContext; cookie: string; close(): Promise<void> };

export async function signedInBrowser(baseUrl: string, who: { email: string; password: string }): Promise<Session> {
  const browser = await chromium.launch(LAUNCH);
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
  await page.close();
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return { browser, context, cookie, close: () => browser.close() };
}

export type BrowserFigures = { lcp: number; tbt: number; jsGzipKb: number; jsFiles: number };

export async function measureInBrowser(session: Session, path: string, runs: number): Promise<BrowserFigures> {
  const lcps: number[] = [];
  const tbts: number[] = [];
  let jsGzip = 0;
  let jsFiles = 0;
  for (let run = 0; run < runs; run++) {
    const page = await session.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number; __long: { start: number; duration: number }[] };
      w.__lcp = 0;
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__long.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const scripts: Promise<number>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.body().then((body) => gzipSync(body).length, () => 0));
    });
    await page.goto(path, { waitUntil: 'load' });
    await page.waitForTimeout(1_000);
    const { lcp, tbt } = await page.evaluate(() => {
      const w = window as unknown as { __lcp: number; __long: { start: number; duration: number }[] };
      const until = w.__lcp + 1_000;
      return { lcp: w.__lcp, tbt: w.__long.filter((t) => t.start < until).reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0) };
    });
    const sizes = await Promise.all(scripts);
    lcps.push(lcp);
    tbts.push(tbt);
    jsGzip = sizes.reduce((sum, size) => sum + size, 0);
    jsFiles = sizes.length;
    await page.close();
  }
  return { lcp: summarize(lcps).p50, tbt: summarize(tbts).p50, jsGzipKb: jsGzip / 1024, jsFiles };
}
