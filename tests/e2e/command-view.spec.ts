// Two people on one incident: what A does appears on B's screen live, a role handoff shows on
// both, and a change B makes from a stale view is refused with a clear message.
import { expect, test } from '@playwright/test';
import { ADMIN, signIn, pick } from './support';

const PRIYA = { email: 'priya@sitrep.local', password: 'sitrep-demo', name: 'Priya Shah' };

test('A declares and posts, B sees it live; A hands command to B; B’s stale status change is refused', async ({ browser }) => {
  // Two browsers signing in and the whole hand-over: 23 s on a slow 2-core machine, near the default 30 s.
  test.setTimeout(90_000);
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  await signIn(a, ADMIN);
  await signIn(b, PRIYA);
  await expect(b.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // A declares from anywhere with the keyboard.
  const title = `Payments timing out ${Date.now()}`;
  await a.keyboard.press('d');
  const dialog = a.getByRole('dialog', { name: /declare/i });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Title').press('Enter');
  await expect(a).toHaveURL(/\/incidents\/\d+$/);
  const number = Number(a.url().split('/').at(-1));

  // B's dashboard shows it without a reload.
  await expect(b.getByRole('link', { name: title })).toBeVisible({ timeout: 5_000 });
  await b.getByRole('link', { name: title }).click();
  await expect(b).toHaveURL(new RegExp(`/incidents/${number}$`));
  await expect(b.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  // A posts a note; it appears on B's screen live, without a reload (10 s allows a busy machine).
  const note = `Rolling back payments-api to 3.2.1 (${Date.now()})`;
  await a.getByLabel('Note (Markdown)').fill(note);
  await a.getByLabel('Note (Markdown)').press('Control+Enter');
  await expect(b.getByText(note)).toBeVisible({ timeout: 10_000 });

  // A hands the Incident Commander role to B; both see it.
  const handoff = a.getByRole('form', { name: 'Hand off Incident Commander' });
  await pick(handoff, 'Hand Incident Commander to', PRIYA.name);
  await handoff.getByRole('button', { name: 'Hand off' }).click();
  await expect(a.getByTestId('holder-commander')).toHaveText(PRIYA.name);
  await expect(b.getByTestId('holder-commander')).toHaveText(PRIYA.name, { timeout: 10_000 });
  await expect(b.getByText(`${ADMIN.name} handed Incident Commander from ${ADMIN.name} to ${PRIYA.name}.`)).toBeVisible();

  // B keeps a second tab whose live stream is cut, so it goes stale.
  const stale = await contextB.newPage();
  await stale.route('**/stream**', (route) => route.abort());
  await stale.goto(`/incidents/${number}`);
  await expect(stale.getByRole('heading', { name: title })).toBeVisible();

  // A moves the incident to monitoring; B, from the stale tab, tries to resolve it.
  await a.getByLabel('Move status to').selectOption('monitoring');
  await a.getByRole('button', { name: 'Apply' }).click();
  await expect(a.locator('header').getByText('monitoring', { exact: true })).toBeVisible();

  // Resolving asks for the resolution update in its own dialog (filled in from the template).
  await stale.getByLabel('Move status to').selectOption('resolved');
  const resolve = stale.getByRole('dialog', { name: `Resolve INC-${number}` }).getByRole('button', { name: /^Resolve/ });
  await expect(resolve).toBeEnabled();
  await resolve.click();
  await expect(stale.getByRole('alert').filter({ hasText: `was changed by ${ADMIN.name}` })).toBeVisible();
  // …and the tab now shows the current state instead of the stale one.
  await expect(stale.locator('header').getByText('monitoring', { exact: true })).toBeVisible();

  await contextA.close();
  await contextB.close();
});

test('notes are Markdown rendered safely: no script runs, no raw HTML', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.keyboard.press('d');
  const dialog = page.getByRole('dialog', { name: /declare/i });
  await dialog.getByLabel('Title').fill(`Injection check ${Date.now()}`);
  await dialog.getByLabel('Title').press('Enter');
  await expect(page).toHaveURL(/\/incidents\/\d+$/);

  let alerted = false;
  page.on('dialog', (d) => {
    alerted = true;
    void d.dismiss();
  });
  await page.getByLabel('Note (Markdown)').fill('**bold** <img src=x onerror="alert(1)"> <script>alert(2)</script> [link](javascript:alert(3))');
  await page.getByRole('button', { name: 'Post note' }).click();
  await expect(page.locator('article strong', { hasText: 'bold' })).toBeVisible();
  await expect(page.locator('article img')).toHaveCount(0);
  await expect(page.locator('article script')).toHaveCount(0);
  await expect(page.locator('article a', { hasText: 'link' })).toHaveCount(1);
  const href = await page.locator('article a', { hasText: 'link' }).getAttribute('href');
  expect(href ?? '').not.toContain('javascript:');

  // A note that starts with HTML (an nginx error page pasted during a 502) reads as its source.
  await page.getByLabel('Note (Markdown)').fill('<div class="error">upstream timed out</div>\n<script>alert(4)</script>');
  await page.getByRole('button', { name: 'Post note' }).click();
  await expect(page.locator('article').getByText('<div class="error">upstream timed out</div>')).toBeVisible();

  // An image from another host is not loaded while reading: a link says where it would come from.
  const tracker: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('tracker.example')) tracker.push(request.url());
  });
  await page.getByLabel('Note (Markdown)').fill('Graph: ![5xx rate](https://tracker.example/pixel.gif?who=me)');
  await page.getByRole('button', { name: 'Post note' }).click();
  const imageLink = page.getByRole('link', { name: 'Show image from tracker.example: 5xx rate' });
  await expect(imageLink).toBeVisible();
  await expect(imageLink).toHaveAttribute('href', 'https://tracker.example/pixel.gif?who=me');
  await expect(imageLink).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await page.reload();
  await expect(page.getByRole('link', { name: 'Show image from tracker.example: 5xx rate' })).toBeVisible();
  expect(tracker).toEqual([]);
  await expect(page.locator('article img')).toHaveCount(0);
  expect(alerted).toBe(false);
});
