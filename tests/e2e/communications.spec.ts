// The Communications Lead posts from the command view; anyone sees it on /status without signing in.
import { expect, test } from '@playwright/test';
import { ADMIN, cliToken, signIn, openPanel } from './support';

test('the Communications Lead posts the initial update from its template; an anonymous browser sees it on /status, then the resolution', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  const title = `Card payments declined ${Date.now()}`;
  const incident = await (await request.post('/api/v1/incidents', { headers, data: { title, severity: 'SEV1', services: ['payments'], customerImpact: true } })).json();
  expect((await request.put(`/api/v1/incidents/${incident.number}/roles/comms_lead`, { headers, data: { email: 'priya@sitrep.local' } })).status()).toBe(200);
  const shots = process.env.SITREP_SHOTS;

  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, { email: 'priya@sitrep.local', password: 'sitrep-demo' }, `/incidents/${incident.number}`);
  await openPanel(lead, 'updates');
  const compose = lead.getByRole('form', { name: 'Post a status update' });
  await compose.getByLabel('Template').selectOption({ label: 'Initial response (public)' });
  const text = compose.getByLabel('Update text');
  await expect(text).toHaveValue(new RegExp(`^We are investigating a problem affecting payments: ${title}\\.`));
  // An internal note first: it must never reach the status page.
  await compose.getByLabel('Internal').check();
  const initial = await text.inputValue();
  await text.fill('INTERNAL: card processor rejecting, paging the vendor');
  await compose.getByRole('button', { name: 'Post internal update' }).click();
  await expect(lead.getByRole('list', { name: 'Status updates' }).getByText('INTERNAL: card processor rejecting')).toBeVisible();

  await compose.getByLabel('Public (status page)').check();
  await text.fill(initial);
  await compose.getByRole('button', { name: 'Preview' }).click();
  await expect(compose.getByLabel('Preview')).toContainText('We are investigating a problem affecting payments');
  await compose.getByRole('button', { name: 'Post to status page' }).click();
  await expect(compose.getByRole('status')).toHaveText('Posted: it is on the status page now.');
  await expect(lead.getByText(/^Public update \(status page\): We are investigating/)).toBeVisible();
  if (shots) await lead.screenshot({ path: `${shots}/communications-command-view.png`, fullPage: true });

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/status');
  const card = visitor.getByRole('article', { name: title });
  await expect(card).toContainText('We are investigating a problem affecting payments');
  await expect(visitor.getByRole('status')).toHaveText(/We are working on (an incident|\d+ incidents)\./);
  await expect(visitor.locator('body')).not.toContainText('INTERNAL: card processor');
  await expect(visitor.locator('body')).not.toContainText('Priya');
  if (shots) await visitor.screenshot({ path: `${shots}/status-page.png`, fullPage: true });

  // Resolve, then post the resolution from its template.
  expect((await request.patch(`/api/v1/incidents/${incident.number}`, { headers, data: { status: 'resolved' } })).status()).toBe(200);
  await lead.reload();
  await openPanel(lead, 'updates');
  await compose.getByLabel('Template').selectOption({ label: 'Resolution (public)' });
  await expect(text).toHaveValue(/^The issue has been resolved and payments are operating normally\./);
  await compose.getByRole('button', { name: 'Post to status page' }).click();
  await expect(compose.getByRole('status')).toHaveText('Posted: it is on the status page now.');

  await expect(async () => {
    await visitor.reload();
    await expect(visitor.getByRole('article', { name: title })).toContainText('The issue has been resolved', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(visitor.getByRole('article', { name: title }).getByText('Resolved', { exact: true }).first()).toBeVisible();

  const json = await (await request.get('/api/v1/status')).json();
  const mine = json.incidents.find((i: { key: string }) => i.key === incident.key);
  expect(mine.updates.map((u: { status: string }) => u.status)).toEqual(['resolved', 'investigating']);
  expect(JSON.stringify(json)).not.toContain('INTERNAL: card processor');
  const feed = await request.get('/status/feed.xml');
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  expect(await feed.text()).toContain(`<title>Resolved: ${title}</title>`);
  await lead.context().close();
  await visitor.context().close();
});
