// On-call end to end: an admin builds a schedule with an override and a two-level escalation
// policy in the settings; a responder pages that policy from an incident; the level-1 person
// gets the e-mail (a real SMTP server here receives it), opens its acknowledge link signed out in
// another browser and acknowledges; the responder and the admin see it on the incident's
// timeline without reloading. With SITREP_SHOTS set, /oncall and /pages are photographed in
// light, dark and at 375 px.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startSmtpSink, type SmtpSink } from '../support/smtp';
import { ADMIN, cliToken, DEMO_PASSWORD, signIn } from './support';

const PRIYA = { email: 'priya@sitrep.local', password: DEMO_PASSWORD };
const MEI = { email: 'mei@sitrep.local', name: 'Mei Tanaka' };

let smtp: SmtpSink;

test.beforeAll(async () => {
  smtp = await startSmtpSink(Number(process.env.SITREP_E2E_SMTP_PORT));
});

test.afterAll(async () => {
  await smtp?.close();
});

async function shoot(browser: Browser, path: string, name: string, shots: string) {
  for (const variant of [
    { suffix: 'light', options: { colorScheme: 'light' as const, viewport: { width: 1280, height: 900 } } },
    { suffix: 'dark', options: { colorScheme: 'dark' as const, viewport: { width: 1280, height: 900 } } },
    { suffix: '375', options: { colorScheme: 'light' as const, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true } },
  ]) {
    const context = await browser.newContext(variant.options);
    const page = await context.newPage();
    await signIn(page, ADMIN, path);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${shots}/${name}-${variant.suffix}.png`, fullPage: true });
    await context.close();
  }
}

async function pickFrom(page: Page, label: string, option: string) {
  await page.getByLabel(label).selectOption({ label: option });
}

test('an admin builds a schedule and a policy; a responder pages it from an incident; the level-1 person acknowledges from the e-mail, signed out; everyone sees it live', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const scheduleName = `E2E rotation ${stamp}`;
  const policyName = `E2E escalation ${stamp}`;

  // ---- The admin: a schedule (Mei on call from yesterday, daily), an override, a two-level policy ----
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN, '/settings/oncall/schedules/new');
  const editor = admin.getByRole('form', { name: 'New schedule' });
  await editor.getByLabel('Name', { exact: true }).fill(scheduleName);
  await editor.getByLabel('Time zone (hand-offs happen in it)').fill('UTC');
  await editor.getByLabel('Layer name (optional)').fill('Primary');
  await editor.getByLabel('Rotation', { exact: true }).selectOption('daily');
  await editor.getByLabel('Hand-off time').fill('00:00');
  await editor.getByLabel('Starts on').fill(new Date(stamp - 86_400_000).toISOString().slice(0, 10));
  await pickFrom(admin, 'Add a participant to layer 1', MEI.name);
  await expect(editor.getByRole('list', { name: 'Participants of layer 1' })).toContainText(MEI.name);
  await editor.getByRole('button', { name: 'Create schedule' }).click();
  await expect(admin).toHaveURL(/\/settings\/oncall$/);
  await admin.getByRole('link', { name: scheduleName }).click();

  // An override the day after tomorrow (local time in this browser): Sam covers, Mei stays on call now.
  const local = (offsetHours: number) => {
    const at = new Date(stamp + offsetHours * 3_600_000);
    return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  };
  const overrides = admin.getByRole('form', { name: 'Add an override' });
  await overrides.getByLabel('Who covers').selectOption({ label: 'Sam Okafor' });
  await overrides.getByLabel('From (your local time)').fill(local(48));
  await overrides.getByLabel('Until').fill(local(52));
  await overrides.getByRole('button', { name: 'Add override' }).click();
  await expect(admin.getByRole('list', { name: 'Overrides' })).toContainText('Sam Okafor');

  await admin.goto('/settings/oncall/policies/new');
  const policy = admin.getByRole('form', { name: 'New escalation policy' });
  await policy.getByLabel('Name', { exact: true }).fill(policyName);
  await pickFrom(admin, 'Add a target to level 1', scheduleName);
  await policy.getByRole('button', { name: '+ Add a level' }).click();
  await pickFrom(admin, 'Add a target to level 2', 'Sam Okafor');
  await policy.getByRole('button', { name: 'Create policy' }).click();
  await expect(admin).toHaveURL(/\/settings\/oncall$/);
  await expect(admin.getByRole('list', { name: 'Escalation policies' })).toContainText(policyName);

  // /oncall shows Mei on call now in the new schedule, with the override on its timeline.
  await admin.goto('/oncall');
  const card = admin.locator('section').filter({ has: admin.getByRole('heading', { name: scheduleName }) });
  await expect(card.getByText('On call now:')).toBeVisible();
  await expect(card).toContainText(`On call now: ${MEI.name}`);
  await expect(card.getByRole('list', { name: `Overrides in ${scheduleName}` })).toContainText('Sam Okafor covers');

  // ---- The responder pages the policy from an incident ----
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: `Payments timing out ${stamp}`, severity: 'SEV2', services: ['payments'] } })).json();
  const responderContext = await browser.newContext();
  const responder = await responderContext.newPage();
  await signIn(responder, PRIYA, `/incidents/${incident.number}`);
  await admin.goto(`/incidents/${incident.number}`);
  await responder.getByRole('button', { name: 'Page…' }).click();
  const dialog = responder.getByRole('form', { name: `Page someone about INC-${incident.number}` });
  await dialog.getByLabel('An escalation policy').check();
  await dialog.getByLabel('Policy', { exact: true }).selectOption({ label: `${policyName} (2 levels)` });
  await dialog.getByLabel('Message (optional)').fill('Card payments time out after 30 s; need the payments on-call.');
  await dialog.getByRole('button', { name: 'Page now' }).click();
  await expect(responder.getByRole('status').filter({ hasText: 'Paged:' })).toBeVisible();
  const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });
  await expect(timeline(responder)).toContainText(`Priya Shah paged the escalation policy “${policyName}”`);

  // ---- Mei's e-mail, and her acknowledgement from it, signed out in another browser ----
  let mail: SmtpSink['received'][number] | undefined;
  await expect(async () => {
    mail = smtp.received.find((m) => m.to.includes(MEI.email) && m.subject.includes(`INC-${incident.number}`));
    expect(mail).toBeDefined();
  }).toPass({ timeout: 20_000 });
  expect(mail!.subject).toBe(`[Page] INC-${incident.number} Payments timing out ${stamp}`);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/ack\/[A-Za-z0-9_-]{43})/.exec(mail!.text)?.[1];
  expect(link, mail!.text).toBeDefined();

  const phone = await (await browser.newContext()).newPage();
  await phone.goto(link!);
  await expect(phone.getByRole('heading', { name: `Payments timing out ${stamp}` })).toBeVisible();
  await expect(phone.getByText('Card payments time out after 30 s')).toBeVisible();
  await phone.getByRole('button', { name: `Acknowledge as ${MEI.name}` }).click();
  await expect(phone.getByRole('status')).toContainText('You acknowledged this page');

  // ---- Both see it on the timeline, live ----
  for (const viewer of [responder, admin]) {
    await expect(timeline(viewer)).toContainText(`${MEI.name} acknowledged “Payments timing out ${stamp}” from the link in the notification`, { timeout: 10_000 });
    await expect(timeline(viewer)).toContainText(`${MEI.name} joined as a subject-matter expert (acknowledged the page).`);
  }
  const after = await (await request.get(`/api/v1/incidents/${incident.number}`, { headers })).json();
  expect(after.smes.map((sme: { email: string }) => sme.email)).toContain(MEI.email);
  expect(after.times.acknowledgedAt).not.toBeNull();

  // /pages shows who acknowledged and how each person was notified.
  await admin.goto('/pages');
  const pageCard = admin.getByRole('article', { name: `Payments timing out ${stamp}` });
  await expect(pageCard).toContainText(`Acknowledged by ${MEI.name}`);
  await expect(pageCard.getByRole('table', { name: 'Who was notified, how, and the result' })).toContainText(MEI.name);

  const shots = process.env.SITREP_SHOTS;
  if (shots) {
    await shoot(browser, '/oncall', 'oncall', shots);
    await shoot(browser, '/pages', 'pages', shots);
  }
});
