// Runbooks as responders use them: write one, reorder steps by keyboard, keep versions, attach
// it to an incident as a checklist, tick and skip (with a note), and see it live elsewhere.
import { expect, test } from '@playwright/test';
import { ADMIN, signIn, openPanel, pick } from './support';

test('write a runbook, reorder by keyboard, and keep every version', async ({ page }) => {
  await signIn(page, ADMIN, '/runbooks/new');
  const title = `Cache stampede ${Date.now()}`;
  const editor = page.getByRole('form', { name: 'New runbook' });
  await editor.getByLabel('Title', { exact: true }).fill(title);
  await editor.getByLabel('Services (comma-separated)').fill('cache');
  await editor.getByLabel('Phase 1 title').fill('Recovery');
  await editor.getByLabel('Phase 1 step 1 title').fill('Warm the cache');
  await editor.getByRole('button', { name: 'Add step' }).click();
  await editor.getByLabel('Phase 1 step 2 title').fill('Throttle the batch jobs');
  await editor.getByLabel('Phase 1 step 2 command').fill('kubectl scale deploy/batch --replicas=0');
  await editor.getByRole('button', { name: 'Move step 2 of phase 1 up' }).click();
  await expect(editor.getByLabel('Phase 1 step 1 title')).toHaveValue('Throttle the batch jobs');
  await editor.getByRole('button', { name: 'Create runbook' }).click();

  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  const steps = page.locator('ol li .font-medium');
  await expect(steps).toHaveText(['Throttle the batch jobs', 'Warm the cache']);
  await expect(page.getByText('kubectl scale deploy/batch --replicas=0')).toBeVisible();

  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  const edit = page.getByRole('form', { name: `Edit ${title}` });
  await edit.getByLabel('Phase 1 step 2 title').fill('Warm the cache from the snapshot');
  await edit.getByLabel('What changed (optional)').fill('Warm from the snapshot');
  await edit.getByRole('button', { name: 'Save as version 2' }).click();
  await expect(page.getByText('Version 2 by Alex Rivera')).toBeVisible();
  await page.getByRole('link', { name: 'v1', exact: true }).click();
  await expect(page.getByText('You are looking at version 1.')).toBeVisible();
  await expect(page.locator('ol li .font-medium').nth(1)).toHaveText('Warm the cache');
});

test('attach a runbook to an incident, tick and skip with a note, and a teammate sees it live', async ({ browser }) => {
  // Two browsers signing in and a dozen steps: about 30 s on a slow 2-core machine (CI, 2026-12-02).
  test.setTimeout(90_000);
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await signIn(a, ADMIN);
  await signIn(b, { email: 'priya@sitrep.local', password: 'sitrep-demo' });

  await a.keyboard.press('d');
  const dialog = a.getByRole('dialog', { name: /declare/i });
  await dialog.getByLabel('Title').fill(`Deploy went wrong ${Date.now()}`);
  await dialog.getByLabel('Affected services (comma-separated)').fill('checkout');
  await dialog.getByRole('button', { name: 'Declare' }).click();
  await expect(a).toHaveURL(/\/incidents\/\d+$/);
  const url = a.url();
  await b.goto(url);

  // The demo's "Roll back a bad deploy" covers checkout, so it is suggested first.
  await openPanel(a, 'checklists');
  await openPanel(b, 'checklists');
  const attach = a.getByRole('form', { name: 'Attach a runbook' });
  // Its version depends on what ran before (insights.spec.ts saves a suggested edit as v2).
  // Suggested ones are offered before anything is typed.
  await attach.getByRole('combobox', { name: 'Runbook to attach' }).focus();
  await expect(attach.getByRole('option').first()).toHaveAccessibleName(/^Roll back a bad deploy \(v\d+\)$/);
  await pick(attach, 'Runbook to attach', 'Roll back', /^Roll back a bad deploy \(v\d+\)$/);
  await attach.getByRole('button', { name: 'Attach' }).click();
  const checklist = a.getByRole('region', { name: 'Checklist Roll back a bad deploy' });
  await expect(checklist.getByText('Confirm the deploy lines up with the errors')).toBeVisible();

  await checklist.getByRole('checkbox', { name: 'Confirm the deploy lines up with the errors' }).check();
  await expect(checklist.getByText('done by Alex Rivera')).toBeVisible();

  await checklist.getByRole('button', { name: 'Skip Freeze further deploys' }).click();
  await checklist.getByRole('button', { name: 'Skip', exact: true }).click();
  await expect(checklist.getByRole('alert')).toHaveText(/Say why the step is skipped/);
  await checklist.getByLabel('Why skip this step?').fill('no deploys queued');
  await checklist.getByRole('button', { name: 'Skip', exact: true }).click();
  await expect(checklist.getByText('Note: no deploys queued')).toBeVisible();

  // B never reloaded.
  const seen = b.getByRole('region', { name: 'Checklist Roll back a bad deploy' });
  await expect(seen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '2', { timeout: 5_000 });
  await expect(seen.getByText('Note: no deploys queued')).toBeVisible();
  await expect(b.getByText('Alex Rivera skipped “Freeze further deploys”: no deploys queued')).toBeVisible();

  // The commander dashboard shows the checklist's progress for the incident.
  const steps = await seen.getByRole('progressbar').getAttribute('aria-valuemax');
  expect(Number(steps)).toBeGreaterThanOrEqual(5);
  const number = url.split('/').at(-1)!;
  await a.goto('/');
  const row = a.getByRole('listitem').filter({ has: a.getByRole('link', { name: `INC-${number}`, exact: true }) });
  await expect(row.getByText(`checklist 2/${steps}`)).toBeVisible();

  await a.context().close();
  await b.context().close();
});

test('the runbooks and checklists API', async ({ request }) => {
  const { cliToken } = await import('./support');
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  const created = await request.post('/api/v1/runbooks', {
    headers,
    data: { title: `API runbook ${Date.now()}`, services: ['api'], phases: [{ title: 'Recovery', steps: [{ title: 'Restart the workers', command: 'systemctl restart workers' }, { title: 'Check the queue' }] }] },
  });
  expect(created.status()).toBe(201);
  const runbook = await created.json();
  expect(runbook).toMatchObject({ version: 1, phases: [{ title: 'Recovery', steps: [{ title: 'Restart the workers', command: 'systemctl restart workers' }, { title: 'Check the queue' }] }] });

  const stale = await request.put(`/api/v1/runbooks/${runbook.id}`, { headers: { ...headers, 'if-match': '"1"' }, data: { title: runbook.title, phases: runbook.phases } });
  expect(stale.status()).toBe(200);
  expect((await request.put(`/api/v1/runbooks/${runbook.id}`, { headers: { ...headers, 'if-match': '"1"' }, data: { title: runbook.title, phases: runbook.phases } })).status()).toBe(412);
  expect((await request.post('/api/v1/runbooks', { headers, data: { title: 'No steps', phases: [] } })).status()).toBe(422);

  const listed = await (await request.get(`/api/v1/runbooks?q=${encodeURIComponent(runbook.title)}`, { headers })).json();
  expect(listed.items.map((r: { id: string }) => r.id)).toEqual([runbook.id]);

  const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: 'Workers stuck', severity: 'SEV3', services: ['api'] } })).json();
  const attached = await request.post(`/api/v1/incidents/${incident.number}/checklists`, { headers, data: { runbookId: runbook.id } });
  expect(attached.status()).toBe(201);
  const checklist = await attached.json();
  expect(checklist).toMatchObject({ runbook: { id: runbook.id, version: 2 }, items: [{ state: 'open', title: 'Restart the workers' }, { state: 'open' }] });
  const item = checklist.items[1];
  const noNote = await request.patch(`/api/v1/incidents/${incident.number}/checklists/${checklist.id}/items/${item.id}`, { headers, data: { state: 'skipped' } });
  expect(noNote.status()).toBe(422);
  expect((await noNote.json()).errors).toEqual([{ path: 'note', message: 'Say why the step is skipped' }]);
  const skipped = await request.patch(`/api/v1/incidents/${incident.number}/checklists/${checklist.id}/items/${item.id}`, { headers, data: { state: 'skipped', note: 'queue empty' } });
  expect(await skipped.json()).toMatchObject({ state: 'skipped', note: 'queue empty', by: { email: ADMIN.email } });
  const timeline = await (await request.get(`/api/v1/incidents/${incident.number}/timeline`, { headers })).json();
  expect(timeline.items.filter((e: { kind: string }) => e.kind === 'checklist').map((e: { body: string }) => e.body).at(-1)).toBe('Alex Rivera skipped “Check the queue”: queue empty');
});
