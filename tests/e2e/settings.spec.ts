import { expect, test } from '@playwright/test';
import { ADMIN, signIn } from './support';

test('an admin creates a user, who can then sign in with the role given', async ({ page, browser }) => {
  await signIn(page, ADMIN, '/settings/users');
  const form = page.getByRole('form', { name: 'Create a user' });
  await form.getByLabel('Name').fill('Quinn Example');
  await form.getByLabel('Email').fill('quinn@example.com');
  await form.getByLabel('Role').selectOption('viewer');
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByText('Use at least 10 characters for the password')).toBeVisible();

  await form.getByLabel('Password').fill('quinn-password-1');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByRole('status')).toHaveText('Created Quinn Example (quinn@example.com).');
  await expect(page.getByRole('row', { name: /Quinn Example/ })).toBeVisible();

  await form.getByLabel('Name').fill('Quinn Again');
  await form.getByLabel('Email').fill('QUINN@example.com');
  await form.getByLabel('Password').fill('quinn-password-1');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByRole('status')).toHaveText('A user with the email quinn@example.com already exists.');

  const other = await browser.newContext();
  const quinn = await other.newPage();
  await signIn(quinn, { email: 'quinn@example.com', password: 'quinn-password-1' });
  await expect(quinn.getByText('Signed in as Quinn Example (viewer).')).toBeVisible();
  await quinn.goto('/settings/users');
  await expect(quinn.getByText('Only admins manage users.')).toBeVisible();
  await other.close();
});

test('an admin creates an API token, sees it once, uses it, and revokes it', async ({ page, request }) => {
  await signIn(page, ADMIN, '/settings/tokens');
  const form = page.getByRole('form', { name: 'Create an API token' });
  await form.getByLabel('Token name').fill('Alertmanager');
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  expect(token).toMatch(/^sitrep_/);

  const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(ADMIN.email);

  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0); // shown once only
  const row = page.getByRole('row', { name: /Alertmanager/ });
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Revoke token Alertmanager' }).click();
  await expect(row.getByText('revoked')).toBeVisible();

  const after = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()['content-type']).toContain('application/problem+json');
});

test('an admin edits a severity’s targets; bad input says what to fix; a viewer only reads them', async ({ page, browser }) => {
  await signIn(page, ADMIN, '/settings/severities');
  const sev3 = page.getByRole('form', { name: 'Edit SEV3' });
  await sev3.getByLabel('Respond within (min)').fill('0');
  await sev3.getByRole('button', { name: 'Save' }).click();
  await expect(sev3.getByRole('status')).toHaveText('The response target is at least 1 minute');
  await sev3.getByLabel('Respond within (min)').fill('90');
  await sev3.getByRole('button', { name: 'Save' }).click();
  await expect(sev3.getByRole('status')).toHaveText('Saved SEV3.');
  await page.reload();
  await expect(page.getByRole('form', { name: 'Edit SEV3' }).getByLabel('Respond within (min)')).toHaveValue('90');

  const other = await browser.newContext();
  const viewer = await other.newPage();
  await signIn(viewer, { email: 'jordan@sitrep.local', password: 'sitrep-demo' }, '/settings/severities');
  await expect(viewer.getByText('Only admins change them.')).toBeVisible();
  await expect(viewer.getByRole('form', { name: 'Edit SEV1' }).getByLabel('SEV1 name')).toBeDisabled();
  await other.close();
});
