// Two people edit the same section of a review: the second save is refused and shows both
// texts; after merging both are kept; then publish and export.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ADMIN, cliToken, signIn } from './support';

test('two editors on one section: conflict view, merge keeps both texts, publish, export Markdown', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: `Orders API 500s ${Date.now()}`, severity: 'SEV2', summary: 'Config push broke the DB pool.' } })).json();
  expect((await request.patch(`/api/v1/incidents/${incident.number}`, { headers, data: { status: 'resolved' } })).status()).toBe(200);
  const generated = await request.post(`/api/v1/incidents/${incident.number}/postmortem`, { headers });
  expect(generated.status()).toBe(201);
  expect((await request.post(`/api/v1/incidents/${incident.number}/postmortem`, { headers })).status()).toBe(409);

  const alex = await (await browser.newContext()).newPage();
  const priya = await (await browser.newContext()).newPage();
  await signIn(alex, ADMIN, `/incidents/${incident.number}/review`);
  await signIn(priya, { email: 'priya@sitrep.local', password: 'sitrep-demo' }, `/incidents/${incident.number}/review`);
  const label = 'Root cause and contributing factors (Markdown)';
  const state = (page: typeof alex) => page.getByRole('status', { name: 'Root cause and contributing factors save state' });

  // Presence: each sees the other in the section they are in.
  await alex.getByLabel(label).click();
  await priya.getByLabel(label).click();
  await expect(alex.getByText('Priya Shah is here')).toBeVisible({ timeout: 15_000 });

  // Both are typing in the section at once: Priya's autosave comes a moment after Alex's save.
  await priya.getByLabel(label).fill('There was no canary stage for config pushes.');
  await alex.getByLabel(label).fill('Config push 4411 set the DB pool size to 0.');
  await alex.getByLabel('Summary (Markdown)').click(); // leaving the field saves at once
  await expect(state(alex)).toHaveText(/^Saved · Alex Rivera/);
  const conflict = priya.getByRole('alert', { name: 'Conflict in Root cause and contributing factors' });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByLabel('Their text')).toHaveText('Config push 4411 set the DB pool size to 0.');
  await expect(conflict.getByLabel('Your text')).toHaveText('There was no canary stage for config pushes.');
  const shots = process.env.SITREP_SHOTS;
  if (shots) await priya.screenshot({ path: `${shots}/review-conflict.png`, fullPage: true });
  await conflict.getByRole('button', { name: 'Merge both into the editor' }).click();
  await expect(state(priya)).toHaveText(/^Saved · Priya Shah/, { timeout: 10_000 });

  const saved = await (await request.get(`/api/v1/incidents/${incident.number}/postmortem`, { headers })).json();
  const rootCause = saved.sections.find((s: { key: string }) => s.key === 'root_cause').body;
  expect(rootCause).toContain('Config push 4411 set the DB pool size to 0.');
  expect(rootCause).toContain('There was no canary stage for config pushes.');

  // An action item from a selected sentence.
  await priya.getByLabel(label).selectText();
  await priya.getByRole('button', { name: 'Make action item from the selection' }).first().click();
  await expect(priya.getByLabel('Action item', { exact: true })).toHaveValue(/Config push 4411/);
  await priya.getByLabel('Action item', { exact: true }).fill('Add a canary stage for config pushes');
  await priya.getByRole('button', { name: 'Add action item' }).click();
  await expect(priya.getByRole('checkbox', { name: 'Done: Add a canary stage for config pushes' })).toBeVisible();

  await alex.reload();
  await alex.getByRole('button', { name: 'Publish' }).click();
  // The sections nobody wrote are named first: they are left out of what is published.
  const warning = alex.getByRole('alertdialog');
  await expect(warning).toContainText(/(This section is|These sections are) empty: .+\. They are left out of the published review\./);
  await warning.getByRole('button', { name: 'Publish anyway' }).click();
  await expect(alex.getByLabel('Review status')).toHaveText('Published');
  await expect(alex.getByLabel(label)).toHaveCount(0); // read-only now
  if (shots) await alex.screenshot({ path: `${shots}/review-published.png`, fullPage: true });

  const [download] = await Promise.all([alex.waitForEvent('download'), alex.getByRole('link', { name: 'Export Markdown' }).click()]);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toMatch(new RegExp(`^# Post-incident review: ${incident.key} `));
  expect(markdown).toContain('## Root cause and contributing factors');
  expect(markdown).toContain('There was no canary stage for config pushes.');
  expect(markdown).toContain('| Add a canary stage for config pushes |');
  await alex.context().close();
  await priya.context().close();
});
