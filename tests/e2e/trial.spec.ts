// The trial of issue #16, walked again: a commander (A) and a responder (B) in two browsers play
// one incident from the duplicate check to the review, and each thing that went wrong in the
// first trial is asserted as it should be now (the numbers are the issue's). Items covered
// elsewhere: 1 (notes starting with HTML) in command-view.spec.ts, 9 (375 px) and the palette,
// shortcuts and a dropped screenshot in command-view-layout.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, cliToken, openPanel, signIn, VIEWER, withDb, pick } from './support';

const PRIYA = { email: 'priya@sitrep.local', password: 'sitrep-demo', name: 'Priya Shah' };

test.describe.configure({ timeout: 180_000 });

async function declareFromDialog(page: Page, title: string, services: string): Promise<void> {
  await page.keyboard.press('d');
  const dialog = page.getByRole('dialog', { name: /declare/i });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Affected services (comma-separated)').fill(services);
}

test('a SEV played by a commander and a responder: every trial fix holds', async ({ browser, request }) => {
  const run = Date.now().toString(36);
  const service = `ledger-${run}`;
  const token = cliToken(ADMIN.email);
  const headers = { authorization: `Bearer ${token}` };

  // What the team has ready: a runbook for the service with a placeholder command, and a
  // remediation action for the service (and the demo's other actions, not for it).
  const runbook = await request.post('/api/v1/runbooks', {
    headers,
    data: {
      title: `Ledger lag ${run}`,
      services: [service],
      phases: [{ title: 'Mitigate', steps: [{ title: 'Roll the service back', command: 'kubectl -n $NAMESPACE rollout undo deploy/$SERVICE' }] }],
    },
  });
  expect(runbook.status()).toBe(201);
  const action = await request.post('/api/v1/remediation-actions', {
    headers,
    data: { name: `Restart ${service} ${run}`, url: 'http://localhost:9/restart', description: 'Rolling restart of the ledger pods', services: [service] },
  });
  expect(action.status()).toBe(201);

  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  const a = await contextA.newPage();
  const b = await contextB.newPage();
  a.on('dialog', (d) => void d.accept()); // the merge asks to confirm
  await signIn(a, ADMIN);
  await signIn(b, PRIYA);

  // A declares.
  const title = `Ledger writes lagging ${run}`;
  await declareFromDialog(a, title, service);
  await a.getByRole('dialog', { name: /declare/i }).getByLabel('Title').press('Enter');
  await expect(a).toHaveURL(/\/incidents\/\d+$/, { timeout: 20_000 });
  const number = Number(a.url().split('/').at(-1));

  // 10. Assigning a Tech Lead is A's first response: the timeline says it acknowledged the incident.
  await expect(a.getByRole('button', { name: 'Acknowledge', exact: true })).toBeVisible();
  const techLead = a.getByRole('form', { name: 'Assign Tech Lead' });
  // 3. Only people who can work incidents are offered for roles: not the viewer.
  await techLead.getByRole('combobox', { name: 'Assign Tech Lead to' }).fill(VIEWER.name);
  await expect(techLead.getByText(`No match for “${VIEWER.name}”.`)).toBeVisible();
  await expect(techLead.getByRole('option', { name: VIEWER.name })).toHaveCount(0);
  await pick(techLead, 'Assign Tech Lead to', PRIYA.name);
  await techLead.getByRole('button', { name: 'Assign' }).click();
  await expect(a.getByTestId('holder-tech_lead')).toHaveText(PRIYA.name);
  await expect(a.locator('article').getByText(`Acknowledged: first response by ${ADMIN.name}`)).toBeVisible();
  await expect(a.getByTestId('acknowledged')).toBeVisible();
  await expect(a.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);
  // …and the API refuses the viewer as a role holder, naming their app role.
  const viewerRole = await request.put(`/api/v1/incidents/${number}/roles/scribe`, { headers, data: { email: VIEWER.email } });
  expect(viewerRole.status()).toBe(422);
  expect(JSON.stringify(await viewerRole.json())).toMatch(/viewer/i);

  // 4. B, not knowing, starts declaring the same incident: the dialog says it looks like INC-n.
  await b.keyboard.press('d');
  const duplicateDialog = b.getByRole('dialog', { name: /declare/i });
  await duplicateDialog.getByLabel('Title').fill(`Ledger writes lagging again ${run}`);
  await duplicateDialog.getByLabel('Affected services (comma-separated)').fill(service);
  const hint = duplicateDialog.getByRole('status', { name: 'Possible duplicates' });
  await expect(hint).toContainText(`INC-${number}`);
  await expect(hint).toContainText('looks like the same incident — join it instead?');
  // B declares anyway; the duplicate is merged into the first from its Related panel.
  await duplicateDialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(b).toHaveURL(/\/incidents\/\d+$/, { timeout: 20_000 });
  const duplicate = Number(b.url().split('/').at(-1));
  expect(duplicate).not.toBe(number);
  await b.getByLabel('Note (Markdown)').fill('Ledger p99 write latency 4 s');
  await b.getByLabel('Note (Markdown)').press('Control+Enter');
  await expect(b.locator('article').getByText('Ledger p99 write latency 4 s')).toBeVisible();
  b.on('dialog', (d) => void d.accept());
  await openPanel(b, 'related');
  const merge = b.getByRole('form', { name: 'Merge this incident into another' });
  await merge.getByLabel(`Merge INC-${duplicate} into`).selectOption(String(number));
  await merge.getByRole('button', { name: `Merge into INC-${number}` }).click();
  await expect(b).toHaveURL(new RegExp(`/incidents/${number}$`), { timeout: 20_000 });
  // The duplicate's note moved to the survivor, and A sees it live.
  await expect(a.locator('article').getByText('Ledger p99 write latency 4 s')).toBeVisible({ timeout: 10_000 });
  const merged = await (await request.get(`/api/v1/incidents/${duplicate}`, { headers })).json();
  expect(merged.status).toBe('closed');

  // 11. The runbook's command has $SERVICE filled from the incident; $NAMESPACE is typed in.
  await openPanel(a, 'checklists');
  const attach = a.getByRole('form', { name: 'Attach a runbook' });
  await pick(attach, 'Runbook to attach', `Ledger lag ${run}`, `Ledger lag ${run} (v1)`);
  await attach.getByRole('button', { name: 'Attach' }).click();
  const command = a.getByTestId('command').first();
  await expect(command).toContainText(`rollout undo deploy/${service}`);
  await expect(command.locator('mark', { hasText: service })).toHaveAttribute('title', /\$SERVICE/);
  await expect(command).toContainText('$NAMESPACE');
  await a.getByLabel('Value for NAMESPACE').fill('payments');
  await expect(command).toContainText('kubectl -n payments rollout undo');

  // 12. The remediation panel lists the action for the incident's service first, with its description.
  await openPanel(a, 'remediation');
  const forThis = a.getByRole('region', { name: 'Actions for this incident' });
  await expect(forThis).toContainText(`Restart ${service} ${run}`);
  await expect(forThis).toContainText('Rolling restart of the ledger pods');

  // A mention: A names B in a note, picking her from the suggestions; B sees it live and is told.
  await a.keyboard.press('Escape');
  const note = a.getByLabel('Note (Markdown)');
  await note.fill('');
  await note.pressSequentially('@pri');
  const people = a.getByRole('listbox', { name: 'People to mention' });
  await expect(people.getByRole('option', { name: /Priya Shah/ })).toBeVisible();
  await note.press('Enter');
  await expect(note).toHaveValue(/^@priya /);
  await note.pressSequentially('can you check the replica lag?');
  await note.press('Control+Enter');
  await expect(b.locator('article').getByText('can you check the replica lag?')).toBeVisible({ timeout: 10_000 });
  await expect
    .poll(() =>
      withDb(async (client) =>
        Number(
          (
            await client.query(
              `SELECT count(*) FROM mention_notifications m JOIN users u ON u.id = m.user_id JOIN incidents i ON i.id = m.incident_id WHERE u.email = $1 AND i.number = $2`,
              [PRIYA.email, number],
            )
          ).rows[0].count,
        ),
      ),
    )
    .toBe(1);

  // 5 and 6. A public update goes out; A moves to monitoring and resolves within seconds: the
  // header follows A's own changes without a reload, and resolving posts the resolution update
  // with it. (10 s, not "at once": a busy CI machine is slow to answer any action.)
  expect((await request.post(`/api/v1/incidents/${number}/updates`, { headers, data: { audience: 'public', body: 'We are investigating slow ledger writes.' } })).status()).toBe(201);
  await a.reload();
  // A choice made before the page is interactive is undone when React takes over the select
  // (it happened on a busy machine: Apply never appeared); Live means the page's code runs.
  await expect(a.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await a.getByLabel('Move status to').selectOption('monitoring');
  await a.getByRole('button', { name: 'Apply' }).click();
  await expect(a.locator('header').getByText('monitoring', { exact: true })).toBeVisible({ timeout: 10_000 });
  await a.getByLabel('Move status to').selectOption('resolved');
  const resolve = a.getByRole('dialog', { name: `Resolve INC-${number}` });
  await expect(resolve.getByLabel('Resolution update text')).not.toHaveValue('', { timeout: 10_000 });
  await expect(resolve.getByRole('radio', { name: 'Public (status page)' })).toBeChecked();
  await resolve.getByRole('button', { name: 'Resolve and post to the status page' }).click();
  await expect(a.locator('header').getByText('resolved', { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(b.locator('header').getByText('resolved', { exact: true })).toBeVisible({ timeout: 5_000 });
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/status');
  const card = visitor.getByRole('article', { name: title });
  await expect(card.getByText('Resolved', { exact: true }).first()).toBeVisible();

  // 2 and 7. The review: hints are placeholders, never text; one formatter and one wording.
  expect((await request.post(`/api/v1/incidents/${number}/postmortem`, { headers })).status()).toBe(201);
  await a.goto(`/incidents/${number}/review`);
  const rootCause = a.locator('#body-root_cause');
  await expect(rootCause).toHaveValue('');
  await expect(rootCause).toHaveAttribute('placeholder', /What caused it/);
  const review = await (await request.get(`/api/v1/incidents/${number}/postmortem`, { headers })).json();
  expect(review.markdown).toContain('| Detected | not recorded |');
  expect(review.markdown).not.toMatch(/What caused it/);
  expect(review.markdown).not.toMatch(/\d{1,2}:\d{2} (AM|PM)/);
  await expect(a.locator('main')).not.toContainText(/\d{1,2}:\d{2} (AM|PM)/);

  // 8. A refused remediation URL says why once, under its field.
  await a.goto('/settings/remediation/new');
  const editor = a.getByRole('form', { name: 'New remediation action' });
  await editor.getByLabel('Name').fill(`Internal hook ${run}`);
  await editor.getByLabel('URL').fill('http://10.1.2.3/hook');
  await editor.getByRole('button', { name: 'Create action' }).click();
  await expect(a.getByText(/10\.1\.2\.3 is a private/)).toHaveCount(1);

  // 13. A favicon, so no page asks for a missing one.
  expect((await request.get('/favicon.ico')).status()).toBe(200);

  await Promise.all([contextA.close(), contextB.close(), visitor.context().close()]);
});
