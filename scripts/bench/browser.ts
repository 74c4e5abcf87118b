// In Chromium (Playwright): sign in once, then for each page a fresh load, measuring the largest
// contentful paint, the total blocking time (long tasks beyond 50 ms, up to LCP + 1 s) and the
// JavaScript it loads, gzipped (Next 16 no longer prints it: measured from the responses).
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { api } from '../support/instances';
import { summarize, type Row } from './stats';

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

export type InteractionFigures = {
  /** The slowest keystroke's latency (input to next paint) while typing a note in the composer: p50 over the runs. */
  typing: number;
  /** Ticking a checklist item, input to next paint: p50 over the runs. */
  tick: number;
  keystrokes: number;
};

/**
 * Interaction to next paint on the command view, as Chromium's Event Timing API reports it (what
 * web-vitals reads): each interaction's longest event entry, from the input to the paint after its
 * handlers ran. Per run, a fresh load of `path` waits until the timeline is live (its code runs),
 * types a 40-character note into the composer without posting it, opens the checklists and ticks
 * the first open item, then unticks it so the next run finds it open again.
 */
export async function measureInteractions(session: Session, path: string, runs: number): Promise<InteractionFigures> {
  const typing: number[] = [];
  const ticks: number[] = [];
  let keystrokes = 0;
  const text = 'Rolled back payments-api to v41 watching'; // 40 characters
  for (let run = 0; run < runs; run++) {
    const page = await session.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __interactions: Map<number, number> };
      w.__interactions = new Map();
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { interactionId?: number })[]) {
          if (!entry.interactionId) continue;
          w.__interactions.set(entry.interactionId, Math.max(w.__interactions.get(entry.interactionId) ?? 0, entry.duration));
        }
      }).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
    });
    const interactions = () =>
      page.evaluate(() => {
        const w = window as unknown as { __interactions: Map<number, number> };
        const all = [...w.__interactions.values()];
        w.__interactions.clear();
        return all;
      });
    await page.goto(path, { waitUntil: 'load' });
    // On a loaded machine the timeline's stream can take a while to open: reload up to twice.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw new Error(`The command view at ${path} was not live after three loads of 30 s`, { cause: error });
        await page.reload({ waitUntil: 'load' });
      }
    }
    await interactions();

    await page.getByLabel('Note (Markdown)').click();
    await page.keyboard.type(text);
    await page.waitForTimeout(500); // the last entries are reported after their paint
    const typed = await interactions();
    // Entries under the 16 ms threshold are not reported: those keystrokes were quicker.
    typing.push(Math.max(0, ...typed));
    keystrokes += text.length;

    await page.locator('button[data-panel="checklists"]').click();
    const box = page.getByRole('checkbox').and(page.locator(':not(:checked):not(:disabled)')).first();
    await box.waitFor({ timeout: 10_000 });
    await interactions();
    await box.click();
    await page.waitForTimeout(500);
    ticks.push(Math.max(0, ...(await interactions())));
    await page.getByRole('checkbox', { checked: true }).first().uncheck();
    await page.waitForTimeout(500);
    await page.close();
  }
  return { typing: summarize(typing).p50, tick: summarize(ticks).p50, keystrokes };
}

/** Gives incident `number` a checklist (the first runbook's) unless it has one, for measureInteractions to tick. */
export async function ensureChecklist(app: { url: string }, token: string, number: number): Promise<void> {
  const checklists = await api<{ items: unknown[] }>(app, token, 'GET', `/api/v1/incidents/${number}/checklists`);
  if (checklists.status !== 200) throw new Error(`GET /api/v1/incidents/${number}/checklists answered ${checklists.status}`);
  if (checklists.body.items.length) return;
  const runbooks = await api<{ items: { id: string }[] }>(app, token, 'GET', '/api/v1/runbooks?limit=1');
  const runbook = runbooks.body.items?.[0];
  if (!runbook) throw new Error(`No runbook to attach to INC-${number} (GET /api/v1/runbooks answered ${runbooks.status})`);
  const attached = await api(app, token, 'POST', `/api/v1/incidents/${number}/checklists`, { runbookId: runbook.id });
  if (attached.status !== 201) throw new Error(`Attaching a runbook to INC-${number} answered ${attached.status}: ${JSON.stringify(attached.body)}`);
}

/** The bench's rows for measureInteractions: #21's INP goal of 100 ms for both. */
export function interactionRows(label: string, inp: InteractionFigures, runs: number): Row[] {
  return [
    { name: `${label}: INP, typing a note`, figure: inp.typing, unit: 'ms', limit: null, goal: { max: 100 }, detail: `slowest of ${inp.keystrokes / runs} keystrokes, p50 of ${runs} loads` },
    { name: `${label}: INP, ticking a checklist item`, figure: inp.tick, unit: 'ms', limit: null, goal: { max: 100 }, detail: `p50 of ${runs} loads` },
  ];
}
