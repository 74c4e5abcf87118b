import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import pg from 'pg';
import { TSX_ARGS } from '../../scripts/support/tsx';

export const DEMO_PASSWORD = 'sitrep-demo';
export const ADMIN = { email: 'admin@sitrep.local', password: DEMO_PASSWORD, name: 'Alex Rivera' };
export const VIEWER = { email: 'jordan@sitrep.local', password: DEMO_PASSWORD, name: 'Jordan Lee' };

export async function signIn(page: Page, who: { email: string; password: string }, target = '/'): Promise<void> {
  await page.goto(target === '/' ? '/login' : `/login?callbackUrl=${encodeURIComponent(target)}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The e2e server's embedded database (its data directory is set in playwright.config.ts). */
export function e2eDatabaseUrl(): string {
  const dataDir = process.env.SITREP_E2E_DATA_DIR!;
  const secrets = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { databasePassword: string };
  const port = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]!.trim();
  return `postgresql://postgres:${encodeURIComponent(secrets.databasePassword)}@127.0.0.1:${port}/sitrep`;
}

export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new API token for a user, made with the CLI against the e2e server's database. */
export function cliToken(email: string): string {
  const output = execFileSync(process.execPath, [...TSX_ARGS, 'scripts/cli.ts', 'tokens', 'create', '--email', email, '--name', 'e2e test'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, SITREP_DATA_DIR: process.env.SITREP_E2E_DATA_DIR },
    encoding: 'utf8',
  });
  return output.trim().split('\n').at(-1)!;
}

/**
 * Opens one of the command view's panels (`checklists`, `remediation`, `updates`, `members`…)
 * by its button, retried until it shows (a click before hydration does nothing).
 */
export async function openPanel(page: Page, id: string): Promise<void> {
  const panel = page.locator(`#panel-${id}`);
  await expect(async () => {
    if (!(await panel.isVisible())) await page.locator(`button[data-panel="${id}"]`).click();
    await expect(panel).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/**
 * Chooses `option` in a type-to-search picker (components/ui/search-picker.tsx) within `scope`:
 * types `search` into the field named `label` and clicks the match the server offers. Retried,
 * since typing before hydration opens no list.
 */
export async function pick(scope: Page | Locator, label: string, search: string, option: string | RegExp = search): Promise<void> {
  const field = scope.getByRole('combobox', { name: label });
  await expect(async () => {
    await field.fill('');
    await field.fill(search);
    await scope.getByRole('option', { name: option }).first().click({ timeout: 2_000 });
    await expect(scope.getByRole('listbox', { name: label })).toBeHidden({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}
