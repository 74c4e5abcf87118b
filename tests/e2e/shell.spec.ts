import { expect, test } from '@playwright/test';
import { ADMIN, pick, signIn } from './support';

const PRIYA = { name: 'Priya Shah' };

test('a signed-out visitor lands on the sign-in page and returns where they were going', async ({ page }) => {
  await page.goto('/settings/users');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fsettings%2Fusers/);
  await expect(page.getByLabel('Email')).toBeVisible();
  await expect(page.getByLabel('Password')).toBeVisible();
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/users$/);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
});

test('a wrong password gets a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('#login-error')).toHaveText('That email and password do not match an active account.');
  await expect(page).toHaveURL(/\/login/);
});

test('the admin signs in, sees the dashboard with real data, and signs out', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${ADMIN.name} (admin).`)).toBeVisible();
  // The counters and lists come from the database (demo data is seeded).
  await expect(page.getByRole('definition').first()).toHaveText(/^\d+$/);
  await expect(page.getByRole('heading', { name: /Open incidents \(\d+\)/ })).toBeVisible();
  await page.goto('/settings/audit');
  await expect(page.getByRole('listitem').filter({ hasText: 'created user' }).first()).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('button', { name: `Account menu for ${ADMIN.name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
});

test('the shell works at 375 px wide and in dark mode', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page, ADMIN);
  await expect(page.locator('html')).toHaveClass(/dark/);
  await expect(page.getByRole('link', { name: 'Settings' })).toBeVisible();
  const overflow = await page.evaluate(() => ({
    by: document.documentElement.scrollWidth - window.innerWidth,
    // Name what sticks out, so a failure says what to fix.
    culprits: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.overflow-x-auto'))
      .slice(-5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).slice(0, 50)}: ${(e.textContent ?? '').slice(0, 40)}`),
  }));
  expect(overflow.by, overflow.culprits.join('\n')).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: /Theme: system/ }).click();
  await expect(page.locator('html')).not.toHaveClass(/dark/);
});

test('the declare dialog starts with me as Incident Commander, and a commander picked by typing takes command', async ({ page }) => {
  await signIn(page, ADMIN);
  const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
  // Retried: a click before hydration opens nothing.
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Declare incident' }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const commander = dialog.getByRole('combobox', { name: 'Incident Commander' });
  await expect(commander).toHaveValue(ADMIN.name);
  // Closed and opened again with `d` (the form loads on first use): it starts afresh.
  await dialog.getByLabel('Title').fill('Abandoned draft');
  await pick(dialog, 'Incident Commander', 'priya', PRIYA.name);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.keyboard.press('d');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Title')).toHaveValue('');
  await expect(dialog.getByLabel('Title')).toBeFocused();
  await expect(commander).toHaveValue(ADMIN.name);
  await dialog.getByLabel('Title').fill(`Commander picked by typing ${Date.now()}`);
  await pick(dialog, 'Incident Commander', 'priya', PRIYA.name);
  await expect(commander).toHaveValue(PRIYA.name);
  await dialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(page).toHaveURL(/\/incidents\/\d+$/, { timeout: 15_000 });
  await expect(page.getByTestId('holder-commander')).toHaveText(PRIYA.name);
});

test('when the declare form cannot load, the header says so, and pressing again opens it', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole('button', { name: 'Declare incident' })).toBeVisible();
  // The form is fetched on first use; the page's own chunks are in by now. Refuse every script
  // from here on, as a dropped connection would, and declare with `d` (no hover, no preload).
  await page.route('**/_next/static/chunks/**', (route) => route.abort('internetdisconnected'));
  const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
  await expect(async () => {
    await page.keyboard.press('d');
    await expect(page.getByRole('alert').filter({ hasText: 'The form did not load' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(dialog).toHaveCount(0);
  await page.unroute('**/_next/static/chunks/**');
  await page.keyboard.press('d');
  await expect(dialog).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'The form did not load' })).toHaveCount(0);
  await expect(dialog.getByLabel('Title')).toBeFocused();
});
