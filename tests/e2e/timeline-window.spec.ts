// A long timeline in the command view: only the rows near the viewport are in the page, older
// events load as the reader scrolls down to them, and a note written meanwhile lands on top.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ADMIN, cliToken, signIn } from './support';

const NOTES = 260; // the page renders the newest 100; the rest come in two more pages

test('a long timeline keeps only its visible rows mounted and loads older events on scroll', async ({ page, request }) => {
  test.setTimeout(120_000);
  const token = cliToken(ADMIN.email);
  const headers = { authorization: `Bearer ${token}` };
  const unique = randomUUID().slice(0, 6);
  const declared = await request.post('/api/v1/incidents', { headers, data: { title: `Long timeline ${unique}`, severity: 'SEV3' } });
  expect(declared.status()).toBe(201);
  const { number } = (await declared.json()) as { number: number };
  const label = (i: number) => `Step ${String(i).padStart(3, '0')} of ${unique}`;
  const post = (body: string) => request.post(`/api/v1/incidents/${number}/timeline`, { headers, data: { body } });
  // The first and the last note alone, so they are the oldest and the newest; those between
  // ten at a time.
  expect((await post(label(1))).status()).toBe(201);
  for (let start = 2; start < NOTES; start += 10) {
    const posted = await Promise.all(Array.from({ length: Math.min(10, NOTES - start) }, (_, k) => post(label(start + k))));
    expect(posted.map((response) => response.status())).toEqual(posted.map(() => 201));
  }
  expect((await post(label(NOTES))).status()).toBe(201);

  await signIn(page, ADMIN, `/incidents/${number}`);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  const scroller = timeline.getByLabel('Timeline events, newest first');
  const rows = scroller.getByRole('article');
  await expect(timeline.getByText(label(NOTES), { exact: true })).toBeVisible();
  await expect(timeline.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // The first page holds 100 events, but only those near the viewport are rendered.
  const mountedAtFirst = await rows.count();
  expect(mountedAtFirst).toBeGreaterThan(3);
  expect(mountedAtFirst).toBeLessThan(60);
  await expect(timeline.getByText(label(1), { exact: true })).toHaveCount(0);

  // Scrolling to the end loads the older pages until the first note is on screen.
  await expect(async () => {
    await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await expect(timeline.getByText(label(1), { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  expect(await rows.count(), 'still only the rows near the viewport').toBeLessThan(60);
  await expect(timeline.getByText(label(NOTES), { exact: true })).toHaveCount(0);

  // A note written by someone else while the reader is down there is on top when they go back.
  const live = `Live while scrolled ${unique}`;
  expect((await post(live)).status()).toBe(201);
  await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(rows.first()).toContainText(live);
  await expect(rows.nth(1)).toContainText(label(NOTES));
});

test('the wall screen shows the timeline live, large and without a note box', async ({ page, request }) => {
  const token = cliToken(ADMIN.email);
  const headers = { authorization: `Bearer ${token}` };
  const unique = randomUUID().slice(0, 6);
  const declared = await request.post('/api/v1/incidents', { headers, data: { title: `Wall ${unique}`, severity: 'SEV2' } });
  const { number } = (await declared.json()) as { number: number };
  expect((await request.post(`/api/v1/incidents/${number}/timeline`, { headers, data: { body: `Before the wall ${unique}` } })).status()).toBe(201);

  await signIn(page, ADMIN, `/incidents/${number}/timeline`);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText(`Before the wall ${unique}`)).toBeVisible();
  await expect(timeline.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(page.getByLabel('Note (Markdown)')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit this note' })).toHaveCount(0);

  expect((await request.post(`/api/v1/incidents/${number}/timeline`, { headers, data: { body: `On the wall ${unique}` } })).status()).toBe(201);
  await expect(timeline.getByRole('article').first()).toContainText(`On the wall ${unique}`, { timeout: 10_000 });
});
