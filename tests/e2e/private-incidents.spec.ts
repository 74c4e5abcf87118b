// A private incident as people meet it: Priya declares one from the dialog; Sam, a responder who
// is no member, finds no trace of it (dashboard, list, search, its address, the API) beyond the
// dashboard's count; Priya adds him as an expert and his open dashboard shows it without a reload.
import { expect, test, type Page } from '@playwright/test';
import { cliToken, DEMO_PASSWORD, signIn, openPanel, pick } from './support';

const PRIYA = { email: 'priya@sitrep.local', password: DEMO_PASSWORD, name: 'Priya Shah' };
const SAM = { email: 'sam@sitrep.local', password: DEMO_PASSWORD, name: 'Sam Okafor' };

// A server action or a server-rendered page on a busy machine can take more than the default 5 s:
// a failsafe for the first look after a navigation or a submit, not a wait.
const LOADED = { timeout: 15_000 };

/** The dashboard's count of open private incidents the viewer cannot see (0 when it says nothing), once the dashboard is shown. */
async function hiddenCount(page: Page): Promise<number> {
  await expect(page.getByText(/^Open incidents \(\d+\)$/)).toBeVisible(LOADED);
  const line = page.getByTestId('hidden-open');
  if ((await line.count()) === 0) return 0;
  return Number(/^(\d+) private incident/.exec(await line.innerText())![1]);
}

test('declare a private incident; a non-member sees nothing of it until he is added as an expert, then sees it live', async ({ browser }) => {
  test.setTimeout(150_000);
  const title = `Suspicious admin logins ${Date.now().toString(36)}`;
  const samToken = cliToken(SAM.email);

  const samContext = await browser.newContext();
  const sam = await samContext.newPage();
  await signIn(sam, SAM);
  const hiddenBefore = await hiddenCount(sam);

  const priyaContext = await browser.newContext();
  const priya = await priyaContext.newPage();
  await signIn(priya, PRIYA);
  await priya.getByRole('button', { name: 'Declare incident' }).click();
  const dialog = priya.getByRole('dialog', { name: 'Declare an incident' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByText('SEV1').click();
  const privateBox = dialog.getByRole('checkbox', { name: 'Private' });
  await expect(privateBox).toHaveAccessibleDescription(/Only its members see it/);
  await privateBox.check();
  await dialog.getByRole('button', { name: 'Declare', exact: true }).click();
  await expect(priya).toHaveURL(/\/incidents\/\d+$/, LOADED);
  const number = Number(/\/incidents\/(\d+)$/.exec(priya.url())![1]);
  await expect(priya.getByRole('heading', { level: 1, name: title })).toBeVisible(LOADED);
  await expect(priya.getByTitle(/^Private: only its members/)).toBeVisible();
  await openPanel(priya, 'members');
  await expect(priya.getByRole('list', { name: 'Members' })).toContainText(PRIYA.name);
  // A private incident takes no public update: the status page choice is off.
  await openPanel(priya, 'updates');
  await expect(priya.getByRole('radio', { name: 'Public (status page)' })).toBeDisabled();

  // Sam: the dashboard counts it and names nothing; the list, the search, its address and the API know nothing of it.
  await sam.reload();
  expect(await hiddenCount(sam)).toBe(hiddenBefore + 1);
  await expect(sam.getByText(title)).toHaveCount(0);
  await sam.goto(`/incidents?status=all&q=${encodeURIComponent(title)}`);
  await expect(sam.getByText('No incidents match these filters.')).toBeVisible(LOADED);
  const missing = await sam.goto('/incidents/999999');
  const direct = await sam.goto(`/incidents/${number}`);
  expect(direct!.status()).toBe(missing!.status());
  await expect(sam.getByRole('heading', { name: 'No such incident' })).toBeVisible(LOADED);
  await expect(sam.getByText(title)).toHaveCount(0);
  const api = await sam.request.get(`/api/v1/incidents/${number}`, { headers: { authorization: `Bearer ${samToken}` } });
  expect(api.status()).toBe(404);
  expect((await api.json()).detail).toBe(`INC-${number} does not exist.`);

  // Sam keeps his dashboard open while Priya makes him a subject-matter expert.
  await sam.goto('/');
  await expect(sam.getByRole('heading', { name: 'Dashboard' })).toBeVisible(LOADED);
  await expect(sam.getByText(title)).toHaveCount(0);
  await pick(priya.getByRole('form', { name: 'Add a subject-matter expert' }), 'Add a subject-matter expert', SAM.name);
  await priya.getByRole('form', { name: 'Add a subject-matter expert' }).getByRole('button', { name: 'Add' }).click();
  await openPanel(priya, 'members');
  await expect(priya.getByRole('list', { name: 'Members' })).toContainText(SAM.name, LOADED);

  // No reload: the dashboard's live stream tells Sam's page, which now shows the incident.
  await expect(sam.getByRole('link', { name: title })).toBeVisible({ timeout: 15_000 });
  expect(await hiddenCount(sam)).toBe(hiddenBefore);
  await sam.getByRole('link', { name: title }).click();
  await expect(sam).toHaveURL(new RegExp(`/incidents/${number}$`), LOADED);
  await expect(sam.getByRole('heading', { level: 1, name: title })).toBeVisible(LOADED);
  expect((await sam.request.get(`/api/v1/incidents/${number}`, { headers: { authorization: `Bearer ${samToken}` } })).status()).toBe(200);

  await samContext.close();
  await priyaContext.close();
});
