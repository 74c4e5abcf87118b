// Remediation through the API against the production build: the worker runs inside the web
// server (instrumentation.ts) and delivers to a receiver on this machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { ADMIN, cliToken, signIn, openPanel } from './support';

test('define an action, fire it for an incident, and watch the delivery succeed', async ({ request }) => {
  test.setTimeout(90_000);
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(received.length === 1 ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '::', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  try {
    const hostile = await request.post('/api/v1/remediation-actions', { headers, data: { name: 'Metadata', url: 'http://169.254.169.254/latest' } });
    expect(hostile.status()).toBe(422);
    expect((await hostile.json()).detail).toMatch(/169\.254\.169\.254/);

    const name = `Scale workers ${Date.now()}`;
    const created = await request.post('/api/v1/remediation-actions', {
      headers,
      data: { name, url: `http://localhost:${port}/scale`, headers: { 'X-Api-Key': 'receiver-secret' }, requiresConfirmation: true, maxAttempts: 3 },
    });
    expect(created.status()).toBe(201);
    const action = await created.json();
    expect(action.signingSecret).toMatch(/^whsec_/);
    const listed = await (await request.get('/api/v1/remediation-actions', { headers })).json();
    expect(JSON.stringify(listed)).not.toContain('receiver-secret');
    expect(JSON.stringify(listed)).not.toContain(action.signingSecret);

    const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: 'Queue backlog', severity: 'SEV3' } })).json();
    const unconfirmed = await request.post(`/api/v1/incidents/${incident.number}/remediations`, { headers, data: { actionId: action.id } });
    expect(unconfirmed.status()).toBe(409);
    const fired = await request.post(`/api/v1/incidents/${incident.number}/remediations`, { headers, data: { actionId: action.id, confirm: true } });
    expect(fired.status()).toBe(202);
    const delivery = await fired.json();
    expect(delivery).toMatchObject({ status: 'pending', actionId: action.id, incident: { number: incident.number } });

    await expect
      .poll(async () => (await (await request.get(`/api/v1/deliveries/${delivery.id}`, { headers })).json()).status, { timeout: 30_000 })
      .toBe('succeeded');
    const done = await (await request.get(`/api/v1/deliveries/${delivery.id}`, { headers })).json();
    expect(done.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 200]);
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    expect(received[0]!.headers['x-api-key']).toBe('receiver-secret');
    new Webhook(action.signingSecret).verify(received[1]!.body, received[1]!.headers as Record<string, string>);

    const timeline = await (await request.get(`/api/v1/incidents/${incident.number}/timeline`, { headers })).json();
    const remediation = timeline.items.filter((e: { kind: string }) => e.kind === 'remediation').map((e: { body: string }) => e.body);
    expect(remediation[0]).toBe(`Alex Rivera fired “${name}”.`);
    expect(remediation.at(-1)).toBe(`“${name}” succeeded.`);
  } finally {
    receiver.close();
  }
});

test('a responder runs an action from the command view with confirmation; a teammate watches the attempts live', async ({ browser, request }) => {
  test.setTimeout(90_000);
  let calls = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(++calls === 1 ? 502 : 204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '::', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  try {
    const name = `Enable maintenance mode ${Date.now()}`;
    expect((await request.post('/api/v1/remediation-actions', { headers, data: { name, url: `http://localhost:${port}/maintenance`, requiresConfirmation: true } })).status()).toBe(201);
    const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: 'Checkout down', severity: 'SEV1' } })).json();

    const responder = await (await browser.newContext()).newPage();
    const watcher = await (await browser.newContext()).newPage();
    await signIn(responder, { email: 'priya@sitrep.local', password: 'sitrep-demo' }, `/incidents/${incident.number}`);
    await signIn(watcher, ADMIN, `/incidents/${incident.number}`);
    await openPanel(responder, 'remediation');
    await openPanel(watcher, 'remediation');

    await responder.getByRole('button', { name: `Run ${name}…` }).click();
    const form = responder.getByRole('form', { name: `Run ${name}` });
    const run = form.getByRole('button', { name: `Run ${name}` });
    await expect(run).toBeDisabled();
    await form.getByLabel(`Type “${name}” to confirm`).fill(name);
    await run.click();

    for (const page of [responder, watcher]) {
      await expect(page.getByText(`Priya Shah fired “${name}”.`)).toBeVisible({ timeout: 10_000 });
      await expect(page.getByText(new RegExp(`“${name}” attempt 1/5: HTTP 502 in \\d+ ms; retrying`))).toBeVisible({ timeout: 10_000 });
      await expect(page.getByText(`“${name}” succeeded.`)).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole('list', { name: 'Deliveries' }).getByText('succeeded')).toBeVisible({ timeout: 10_000 });
    }
    await responder.context().close();
    await watcher.context().close();
  } finally {
    receiver.close();
  }
});

test('saving a runbook in the editor keeps the remediation action its steps are linked to', async ({ page, request }) => {
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  const action = await (await request.post('/api/v1/remediation-actions', { headers, data: { name: `Roll back ${Date.now()}`, url: 'http://localhost:9/rollback' } })).json();
  const title = `Linked runbook ${Date.now()}`;
  const runbook = await (
    await request.post('/api/v1/runbooks', { headers, data: { title, phases: [{ title: 'Recovery', steps: [{ title: 'Roll back', remediationActionId: action.id }, { title: 'Watch errors' }] }] } })
  ).json();
  await signIn(page, ADMIN, `/runbooks/${runbook.id}/edit`);
  const edit = page.getByRole('form', { name: `Edit ${title}` });
  await edit.getByLabel('Phase 1 step 2 title').fill('Watch the error rate');
  await edit.getByRole('button', { name: 'Save as version 2' }).click();
  await expect(page.getByText('Version 2 by Alex Rivera')).toBeVisible();
  const saved = await (await request.get(`/api/v1/runbooks/${runbook.id}`, { headers })).json();
  expect(saved.version).toBe(2);
  expect(saved.phases[0].steps.map((s: { title: string; remediationActionId: string | null }) => [s.title, s.remediationActionId])).toEqual([
    ['Roll back', action.id],
    ['Watch the error rate', null],
  ]);
});

test('an admin defines an action in Settings, links it to a runbook step; a responder fires it from the step with confirmation and both watch the attempts', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(received.length === 1 ? 503 : 200).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '::', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  const name = `Scale checkout ${Date.now()}`;
  const shots = process.env.SITREP_SHOTS;
  try {
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, ADMIN, '/settings/remediation');
    await admin.getByRole('link', { name: 'New action' }).click();
    const form = admin.getByRole('form', { name: 'New remediation action' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('URL').fill(`http://localhost:${port}/scale`);
    await form.getByLabel('Description').fill('Scales the checkout deployment');
    await form.getByRole('button', { name: 'Add header' }).click();
    await form.getByLabel('Header 1 name').fill('Authorization');
    await form.getByLabel('Header 1 value').fill('Bearer deploy-bot-token');
    await form.getByRole('checkbox', { name: 'Secret' }).check();
    await form.getByRole('button', { name: 'Add parameter' }).click();
    await form.getByLabel('Parameter 1 name').fill('replicas');
    await form.getByLabel('Parameter 1 type').selectOption('number');
    await form.getByRole('checkbox', { name: 'Required' }).check();
    await form.getByLabel('Needs typed confirmation').check();
    // A template mistake is shown at save time with its position; nothing is saved.
    const template = form.getByLabel('Body template (JSON)');
    await template.fill('{\n  "deployment": "checkout",\n  "replicas": {{params.replica}}\n}');
    await form.getByRole('button', { name: 'Create action' }).click();
    await expect(form.getByText(/^Line 3, column 15: Unknown variable \{\{params\.replica\}\}/)).toBeVisible();
    await template.fill('{\n  "deployment": "checkout",\n  "replicas": {{params.replicas}},\n  "incident": "{{incident.key}}"\n}');
    // Test renders what would be sent and sends nothing.
    await form.getByLabel('Sample replicas').fill('7');
    await form.getByRole('button', { name: 'Test' }).click();
    const preview = form.getByTestId('preview-request');
    await expect(preview).toContainText(`POST http://localhost:${port}/scale`);
    await expect(preview).toContainText('"replicas": 7');
    await expect(preview).toContainText('authorization: •••••• (secret, sent decrypted)');
    await expect(preview).not.toContainText('deploy-bot-token');
    expect(received).toHaveLength(0);
    if (shots) await admin.screenshot({ path: `${shots}/remediation-editor.png`, fullPage: true });
    await form.getByRole('button', { name: 'Create action' }).click();
    const secret = (await admin.getByTestId('signing-secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await admin.getByRole('link', { name: 'Done' }).click();
    await expect(admin.getByRole('link', { name })).toBeVisible();
    if (shots) await admin.screenshot({ path: `${shots}/remediation-list.png`, fullPage: true });

    // The admin links a runbook step to the action in the runbook editor.
    const title = `Checkout saturation ${Date.now()}`;
    const runbook = await (await request.post('/api/v1/runbooks', { headers, data: { title, phases: [{ title: 'Mitigate', steps: [{ title: 'Scale out checkout' }, { title: 'Watch latency' }] }] } })).json();
    await admin.goto(`/runbooks/${runbook.id}/edit`);
    await admin.getByLabel('Phase 1 step 1 remediation action').selectOption({ label: `Runs: ${name}` });
    await admin.getByRole('button', { name: 'Save as version 2' }).click();
    await expect(admin.getByText('Version 2 by Alex Rivera')).toBeVisible();

    const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: 'Checkout p99 at 4 s', severity: 'SEV2' } })).json();
    expect((await request.post(`/api/v1/incidents/${incident.number}/checklists`, { headers, data: { runbookId: runbook.id } })).status()).toBe(201);

    const responder = await (await browser.newContext()).newPage();
    await signIn(responder, { email: 'priya@sitrep.local', password: 'sitrep-demo' }, `/incidents/${incident.number}`);
    await admin.goto(`/incidents/${incident.number}`);
    await openPanel(responder, 'checklists');
    await openPanel(admin, 'remediation');

    await responder.getByRole('button', { name: `Run ${name} for step Scale out checkout` }).click();
    const fire = responder.getByRole('form', { name: `Run ${name}` });
    await fire.getByLabel(/^replicas/).fill('12');
    const run = fire.getByRole('button', { name: `Run ${name}` });
    await expect(run).toBeDisabled();
    await fire.getByLabel(`Type “${name}” to confirm`).fill(name);
    await run.click();

    for (const page of [responder, admin]) {
      await expect(page.getByText(`Priya Shah fired “${name}” (replicas=12) from the runbook step “Scale out checkout”.`)).toBeVisible({ timeout: 10_000 });
      await expect(page.getByText(new RegExp(`“${name}” attempt 1/5: HTTP 503 in \\d+ ms; retrying`))).toBeVisible({ timeout: 10_000 });
      await expect(page.getByText(new RegExp(`“${name}” attempt 2/5: HTTP 200 in \\d+ ms\\.`))).toBeVisible({ timeout: 20_000 });
      await expect(page.getByText(`“${name}” succeeded.`)).toBeVisible({ timeout: 10_000 });
    }
    if (shots) await responder.screenshot({ path: `${shots}/remediation-command-view.png`, fullPage: true });
    expect(received).toHaveLength(2);
    expect(received[0]!.headers['webhook-id']).toBe(received[1]!.headers['webhook-id']);
    expect(received[1]!.headers.authorization).toBe('Bearer deploy-bot-token');
    expect(JSON.parse(received[1]!.body)).toEqual({ deployment: 'checkout', replicas: 12, incident: incident.key });
    new Webhook(secret).verify(received[1]!.body, received[1]!.headers as Record<string, string>);

    // Re-send asks for the confirmation again and makes a new delivery (a new webhook-id); the
    // deliveries are in the Remediation panel (the responder had the checklist open).
    await openPanel(responder, 'remediation');
    await responder.getByRole('button', { name: `Re-send ${name}` }).click();
    const resend = responder.getByRole('form', { name: `Re-send ${name}` });
    await resend.getByLabel(`Type “${name}” to confirm`).fill(name);
    await resend.getByRole('button', { name: 'Re-send' }).click();
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(3);
    expect(received[2]!.headers['webhook-id']).not.toBe(received[0]!.headers['webhook-id']);
    await expect(admin.getByRole('list', { name: 'Deliveries' }).getByRole('listitem')).toHaveCount(2, { timeout: 10_000 });
    await responder.context().close();
    await admin.context().close();
  } finally {
    receiver.close();
  }
});
