// Learning from incidents with the demo history: /insights draws its charts and follows its
// filters in the URL, the CSV holds the incidents behind the figures, declaring on a service
// that broke before shows its open follow-ups, and an ad-hoc step becomes a runbook edit.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, signIn } from './support';

const figure = (page: Page, label: string) => page.locator(`[data-figure="${label}"] dd`).first();

test('the insights page shows non-empty charts and its filters change the URL and the figures', async ({ page }) => {
  await signIn(page, ADMIN, '/insights');
  await expect(page.getByRole('heading', { name: 'Insights' })).toBeVisible({ timeout: 15_000 });
  const ninety = Number(await figure(page, 'Incidents declared').textContent());
  expect(ninety).toBeGreaterThan(10);
  for (const chart of ['trend', 'distribution', 'services', 'calendar']) {
    expect(await page.locator(`[data-chart="${chart}"] rect`).count(), chart).toBeGreaterThan(0);
  }
  // Bars with height: the trend and the distribution draw something, the services chart links each service.
  expect(await page.locator('[data-chart="distribution"] rect[height]').evaluateAll((rects) => rects.filter((r) => Number(r.getAttribute('height')) > 0).length)).toBeGreaterThan(0);
  await expect(page.locator('[data-chart="services"] a').first()).toHaveAttribute('href', /^\/services\//);
  // The demo's SEV1s and SEV2s paged someone.
  expect(Number(await figure(page, 'Pages per person').textContent())).toBeGreaterThan(0);
  await expect(page.getByRole('list', { name: 'Pages per person' }).getByRole('listitem').first()).toBeVisible();
  // The demo's Prometheus source sent alerts, one linked to an incident.
  expect(await page.locator('[data-chart="noisy-alerts"] rect').count()).toBeGreaterThan(0);
  await expect(figure(page, 'Alerts per incident')).toHaveText(/^\d+$/);
  await page.getByText('Noisiest alerts', { exact: true }).hover();
  await expect(page.getByRole('tooltip').filter({ hasText: 'grouped by source and alert name' })).toBeVisible();

  // The definition is one hover away.
  await page.getByText('Time to resolve', { exact: true }).first().hover();
  await expect(page.getByRole('tooltip').filter({ hasText: 'its last resolution' })).toBeVisible();

  // The data behind a chart, as a table.
  await page.getByText('Show the data as a table').first().click();
  await expect(page.getByRole('table', { name: /Incidents per week by severity/ })).toBeVisible();

  await page.getByLabel('Range').selectOption('30');
  await expect(page).toHaveURL(/range=30/);
  await expect.poll(async () => Number(await figure(page, 'Incidents declared').textContent())).toBeLessThan(ninety);

  await page.getByLabel('Range').selectOption('365');
  await expect(page).toHaveURL(/range=365/);
  const year = Number(await figure(page, 'Incidents declared').textContent());
  await page.getByRole('combobox', { name: 'Severity', exact: true }).selectOption('SEV1');
  await expect(page).toHaveURL(/severity=SEV1/);
  await expect(page.getByTestId('insights-range')).toContainText('SEV1');
  await expect.poll(async () => Number(await figure(page, 'Incidents declared').textContent())).toBeLessThan(year);

  // The URL alone reproduces the view.
  await page.goto(page.url());
  await expect(page.getByRole('combobox', { name: 'Severity', exact: true })).toHaveValue('SEV1');
  await expect(page.getByLabel('Range')).toHaveValue('365');
});

test('the CSV holds one row per incident behind the figures', async ({ page }) => {
  await signIn(page, ADMIN, '/insights?range=365');
  await expect(page.getByRole('heading', { name: 'Insights' })).toBeVisible({ timeout: 15_000 });
  const count = Number(await figure(page, 'Incidents declared').textContent());
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the incidents as CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sitrep-incidents-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(lines[0]).toMatch(/^key,title,severity,status,services,customer_impact,started_at/);
  expect(lines).toHaveLength(count + 1);

  // One figure's incidents: only those with a time to resolve.
  const [mttr] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Incidents behind “Time to resolve” as CSV' }).click()]);
  const rows = readFileSync((await mttr.path())!, 'utf8').trim().split('\n').slice(1);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.length).toBeLessThanOrEqual(count);
});

test('declaring an incident on a service that broke before shows its open follow-ups, resolved in one click', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.keyboard.press('d');
  const dialog = page.getByRole('dialog', { name: /declare/i });
  await dialog.getByLabel('Title').fill(`Checkout failing again ${Date.now()}`);
  await dialog.getByLabel('Affected services (comma-separated)').fill('checkout');
  const before = dialog.getByRole('region', { name: 'It happened before' });
  await expect(before).toBeVisible({ timeout: 10_000 });
  await expect(before.getByText(/on checkout, \d+ days ago: \d+ follow-ups? still open/).first()).toBeVisible();
  const done = before.getByRole('button', { name: /^Mark “.+” done$/ }).first();
  const label = (await done.getAttribute('aria-label'))!;
  await done.click();
  // (The dialog has another status too: the duplicate hint.)
  await expect(before.getByRole('status')).toHaveText(`${label.replace(/^Mark/, 'Marked').replace(/ done$/, ' done.')}`);
  await expect(before.getByRole('button', { name: label })).toHaveCount(0);

  // Declared, the command view shows the same history.
  await dialog.getByRole('button', { name: 'Declare' }).click();
  await expect(page).toHaveURL(/\/incidents\/\d+$/, { timeout: 15_000 });
  const card = page.getByRole('list', { name: 'Earlier incidents on the same services' });
  await expect(card.getByText(/on checkout/).first()).toBeVisible();
  await expect(page.getByText(/^Root cause: /).first()).toBeVisible();
  // Every service chip opens the service's page.
  await page.getByRole('list', { name: 'Affected services' }).getByRole('link', { name: 'checkout' }).click();
  await expect(page.getByRole('heading', { name: 'checkout' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Open follow-ups (')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Roll back a bad deploy' })).toBeVisible();
});

test('a step added during incidents becomes a runbook edit credited to its incident', async ({ page }) => {
  await signIn(page, ADMIN, '/runbooks');
  await page.getByRole('link', { name: 'Roll back a bad deploy' }).first().click();
  const suggestions = page.getByRole('region', { name: 'Suggested edits' });
  const suggestion = suggestions.getByRole('listitem').filter({ hasText: 'Add “Purge the CDN cache for the checkout assets” after step 1 of Recovery' });
  await expect(suggestion).toBeVisible({ timeout: 15_000 });
  await suggestion.getByRole('link', { name: 'Edit the runbook' }).click();

  const status = page.getByRole('status').filter({ hasText: /^Suggested from INC-\d+/ });
  await expect(status).toBeVisible({ timeout: 15_000 });
  const incident = /INC-(\d+)/.exec((await status.textContent())!)![1];
  const editor = page.getByRole('form', { name: /^Edit Roll back a bad deploy/ });
  await expect(editor.getByLabel('Phase 2 step 2 title')).toHaveValue('Purge the CDN cache for the checkout assets');
  await expect(editor.getByLabel('What changed (optional)')).toHaveValue(`Added “Purge the CDN cache for the checkout assets” after “Roll back to the previous version” (from INC-${incident})`);
  await editor.getByRole('button', { name: /^Save as version \d+$/ }).click();

  await expect(page.getByRole('heading', { name: 'Roll back a bad deploy' })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('ol li .font-medium').filter({ hasText: 'Purge the CDN cache for the checkout assets' })).toBeVisible();
  await expect(page.getByRole('link', { name: `INC-${incident}`, exact: true }).first()).toBeVisible();
  // Once it is in the runbook, it is no longer suggested.
  await expect(page.getByText('Add “Purge the CDN cache for the checkout assets”')).toHaveCount(0);
});
