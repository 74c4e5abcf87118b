// Alerts in, as people meet them: an admin creates an Alertmanager source and a route to an
// escalation policy that declares SEV2; a real Alertmanager (Debian's prometheus-alertmanager)
// sends an alert to the e2e server; a responder sees it arrive live on /alerts and on the
// dashboard; the incident is declared with the runbook named after the alert attached; the page
// it caused is acknowledged; the alert resolves and the timeline says so. Skipped, saying why,
// where Alertmanager is not installed.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { alertmanagerBinary, alertmanagerMissing, startAlertmanager, type PostableAlert } from '../support/alertmanager';
import { ADMIN, cliToken, DEMO_PASSWORD, openPanel, signIn } from './support';

const RESPONDER = { email: 'priya@sitrep.local', password: DEMO_PASSWORD };

test('Alertmanager → a route to a policy declaring SEV2 → live on /alerts and the dashboard → incident with its runbook → page acknowledged → resolved on the timeline', async ({ page, browser, request, baseURL }) => {
  test.skip(!alertmanagerBinary(), alertmanagerMissing());
  test.setTimeout(180_000);
  const unique = randomUUID().slice(0, 6);
  const alertname = `PaymentsQueueStuck${unique}`;
  const summary = `Payments queue stuck for 10 minutes (${unique})`;

  // A runbook tagged with the alert's name, so the alert links it.
  const adminToken = cliToken(ADMIN.email);
  const runbook = await request.post('/api/v1/runbooks', {
    headers: { authorization: `Bearer ${adminToken}` },
    data: { title: `Unstick the payments queue ${unique}`, tags: [alertname], phases: [{ title: 'Recovery', steps: [{ title: 'Restart the payments consumer' }, { title: 'Drain the dead-letter queue' }] }] },
  });
  expect(runbook.status()).toBe(201);
  // The escalation policy the route pages: the responder first.
  const policyName = `Payments on-call ${unique}`;
  const policy = await request.post('/api/v1/escalation-policies', {
    headers: { authorization: `Bearer ${adminToken}` },
    data: { name: policyName, levels: [{ delaySeconds: 300, targets: [{ user: RESPONDER.email }] }] },
  });
  expect(policy.status()).toBe(201);

  // The admin creates the source: its token is shown once, inside ready-to-paste configuration.
  await signIn(page, ADMIN, '/settings/alerts/new');
  const create = page.getByRole('form', { name: 'New alert source' });
  await create.getByLabel('Name').fill(`Prometheus e2e ${unique}`);
  await create.getByLabel('Sends').selectOption('alertmanager');
  await create.getByRole('button', { name: 'Create source' }).click();
  const token = (await page.getByTestId('source-token').textContent())!.trim();
  expect(token).toMatch(/^sitrep_alerts_/);
  await expect(page.getByRole('region', { name: 'Alertmanager receiver (alertmanager.yml)' })).toContainText(`credentials: "${token}"`);

  // …and a route: team=payments pages the policy and declares an incident at SEV2.
  await page.getByRole('link', { name: 'Continue to routes →' }).click();
  const routes = page.getByRole('form', { name: 'Routes' });
  await routes.getByRole('button', { name: '+ Route' }).click();
  const route = routes.getByRole('listitem', { name: 'Route 1' });
  await route.getByRole('button', { name: '+ Matcher' }).click();
  await route.getByLabel('Route 1 matcher 1 label').fill('team');
  await route.getByLabel('Route 1 matcher 1 value').fill('payments');
  await route.getByLabel('Severity').selectOption('SEV2');
  await route.getByLabel('Escalation policy').selectOption({ label: policyName });
  await route.getByLabel('Declare an incident').check();
  await routes.getByRole('button', { name: 'Save routes' }).click();
  await expect(page.getByText('Saved. New alerts follow these routes at once.')).toBeVisible();

  // The Test route box says which route a payload would take, before anything is sent.
  const testBox = page.getByRole('region', { name: 'Test route' });
  await testBox.getByLabel(/Paste a payload/).fill(
    JSON.stringify({ version: '4', groupKey: 'g', status: 'firing', alerts: [{ status: 'firing', labels: { alertname, team: 'payments' }, startsAt: '2026-11-30T10:00:00Z' }] }),
  );
  await testBox.getByRole('button', { name: 'Test route' }).click();
  await expect(testBox.getByRole('status', { name: 'Test route result' })).toContainText('Route 1 (team="payments") takes it');
  await expect(testBox.getByRole('status', { name: 'Test route result' })).toContainText(policyName);
  await expect(testBox.getByRole('status', { name: 'Test route result' })).toContainText(`Runbook: Unstick the payments queue ${unique}`);

  // A responder watches /alerts and the dashboard.
  const responder = await browser.newContext();
  const alertsPage = await responder.newPage();
  await signIn(alertsPage, RESPONDER, '/alerts');
  await expect(alertsPage.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  const dashboard = await responder.newPage();
  await dashboard.goto('/');

  const alertmanager = await startAlertmanager({ webhookUrl: `${baseURL}/api/v1/alerts/ingest/alertmanager`, bearerToken: token });
  try {
    const alert: PostableAlert = { labels: { alertname, team: 'payments', severity: 'critical' }, annotations: { summary } };
    await alertmanager.postAlerts([alert]);

    // It arrives without a reload, and its incident appears on it once declared.
    const row = alertsPage.getByRole('listitem', { name: `firing alert: ${summary}` });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.getByText(`alertname=${alertname}`)).toBeVisible();
    await expect(row.getByRole('link', { name: `Runbook: Unstick the payments queue ${unique}` })).toBeVisible();
    await expect(dashboard.getByRole('list', { name: 'Firing alerts' }).getByText(summary)).toBeVisible({ timeout: 30_000 });
    const incidentLink = row.getByRole('link', { name: /^INC-\d+$/ });
    await expect(incidentLink).toBeVisible({ timeout: 30_000 });
    await expect(row.getByRole('link', { name: 'page' })).toBeVisible();

    // The page it caused: the responder acknowledges it on /pages.
    const pages = await responder.newPage();
    await pages.goto('/pages');
    const pageCard = pages.getByRole('article', { name: summary });
    await pageCard.getByRole('group', { name: `Actions for “${summary}”` }).getByRole('button', { name: 'Acknowledge' }).click();
    await expect(pageCard).toContainText('Acknowledged by Priya Shah', { timeout: 20_000 });
    await pages.close();

    // The incident: SEV2, the alert's summary as title, the runbook attached, the alert on its timeline.
    await incidentLink.click();
    // (A generous wait: the command view renders on a machine busy with the alert traffic.)
    await expect(alertsPage.getByRole('heading', { level: 1, name: summary })).toBeVisible({ timeout: 20_000 });
    await expect(alertsPage.getByRole('main').getByText('SEV2', { exact: true }).first()).toBeVisible();
    await expect(alertsPage.getByText(`Unstick the payments queue ${unique}`).first()).toBeVisible();
    await expect(alertsPage.getByText(/Sitrep declared INC-\d+ as SEV2 from alert/)).toBeVisible();
    // The incident's alerts are a panel of the command view (its counter shows while closed).
    await openPanel(alertsPage, 'alerts');
    await expect(alertsPage.getByRole('list', { name: 'Alerts of this incident' }).getByText(summary)).toBeVisible();
    await expect(alertsPage.getByText(new RegExp(`Prometheus e2e ${unique} paged the escalation policy “${policyName}”`))).toBeVisible();
    await expect(alertsPage.getByText(/Priya Shah acknowledged “/).first()).toBeVisible();

    // Alertmanager says it resolved: the timeline says so, and the command view suggests monitoring.
    await alertmanager.resolveAlerts([alert]);
    await expect(alertsPage.getByText(/Every alert linked to INC-\d+ has resolved/).first()).toBeVisible({ timeout: 30_000 });
    await expect(alertsPage.getByText(/Move it to monitoring\?/)).toBeVisible({ timeout: 30_000 });
  } finally {
    await alertmanager.stop();
    await responder.close();
  }
});

test('a responder acknowledges, declares from and links alerts with the keyboard', async ({ page, request }) => {
  test.setTimeout(90_000);
  const adminToken = cliToken(ADMIN.email);
  const unique = randomUUID().slice(0, 6);
  const created = await request.post('/api/v1/alert-sources', { headers: { authorization: `Bearer ${adminToken}` }, data: { name: `Keyboard ${unique}`, kind: 'generic' } });
  const { token, id } = (await created.json()) as { token: string; id: string };
  const post = (dedupKey: string, title: string) =>
    request.post('/api/v1/alerts/ingest/generic', { headers: { authorization: `Bearer ${token}` }, data: { dedupKey, status: 'firing', title, severity: 'warning', service: 'ledger' } });
  expect((await post('a', `Ledger lag ${unique}`)).status()).toBe(202);
  expect((await post('b', `Ledger errors ${unique}`)).status()).toBe(202);

  await signIn(page, RESPONDER, `/alerts?sourceId=${id}`);
  const lag = page.getByRole('listitem', { name: `firing alert: Ledger lag ${unique}` });
  await lag.focus();
  await page.keyboard.press('a');
  await expect(page.getByRole('listitem', { name: `acknowledged alert: Ledger lag ${unique}` })).toBeVisible();

  // i: the declare dialog, prefilled from the alert (SEV3 from "warning"); Enter declares.
  await page.getByRole('listitem', { name: `acknowledged alert: Ledger lag ${unique}` }).focus();
  await page.keyboard.press('i');
  const dialog = page.getByRole('dialog', { name: 'Declare an incident from this alert' });
  await expect(dialog.getByLabel('Title')).toHaveValue(`Ledger lag ${unique}`);
  await expect(dialog.getByRole('radio', { name: /SEV3/ })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/incidents\/\d+$/, { timeout: 20_000 });
  const number = page.url().split('/').at(-1)!;

  // l: link the other alert to that incident, by number.
  await page.goto(`/alerts?sourceId=${id}`);
  // Live: the board is interactive (its stream connected), so the keys reach it.
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
  await page.getByRole('listitem', { name: `firing alert: Ledger errors ${unique}` }).focus();
  await page.keyboard.press('l');
  await expect(page.getByRole('form', { name: `Link “Ledger errors ${unique}” to an incident` }).getByLabel('Incident')).toBeFocused();
  await page.keyboard.type(number);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listitem', { name: `firing alert: Ledger errors ${unique}` }).getByRole('link', { name: `INC-${number}` })).toBeVisible();
});
