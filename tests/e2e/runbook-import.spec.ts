// Importing the playbooks teams already have: through the browser (paste → preview → redact →
// adjust → import), through POST /api/v1/runbooks/import, and through the CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN, cliToken, signIn, VIEWER, withDb } from './support';

const run = Date.now().toString(36);

const playbook = (name: string) =>
  [
    `# ${name} playbook`,
    '',
    '## Emergency Contacts',
    '| Role | Phone |',
    '|---|---|',
    '| DBA | +1 555 0100 |',
    '',
    '## Scenarios',
    '',
    `### ${name} database down`,
    '',
    '**Symptoms**:',
    '- "Connection refused"',
    '',
    '**Actions**:',
    '```bash',
    '# 1. Check MySQL status',
    'systemctl status mysql',
    '',
    '# 2. Test the connection',
    "mysql -u root -p'Hunter2Secret' -e 'SELECT 1'",
    '```',
    '',
    `### ${name} disk full`,
    '',
    '- [ ] Remove old logs',
    '- [ ] Page the storage team',
  ].join('\n');

test('paste a playbook, see the secret, redact it, drop a runbook and import the other', async ({ page }) => {
  await signIn(page, ADMIN, '/runbooks');
  await page.getByRole('link', { name: 'Import Markdown' }).click();
  await expect(page.getByRole('heading', { name: 'Import runbooks from Markdown' })).toBeVisible();

  const form = page.getByRole('form', { name: 'Markdown to import' });
  await form.getByLabel('Or paste Markdown').fill(playbook(`UI${run}`));
  // Start without redaction to see the warning as written.
  await form.getByLabel('Redact passwords, tokens and keys found in the text').uncheck();
  await form.getByRole('button', { name: 'Preview' }).click();

  const preview = page.getByRole('region', { name: 'Import preview' });
  await expect(preview.getByText('1 secret found — they will be saved as written')).toBeVisible();
  await expect(preview.getByText(/A database password on the command line \(`-p…`\) on line 21/)).toBeVisible();
  await expect(preview.getByText('2 runbooks found · 4 steps')).toBeVisible();
  await expect(preview.getByText("mysql -u root -p'Hunter2Secret' -e 'SELECT 1'")).toBeVisible();

  await form.getByLabel('Redact passwords, tokens and keys found in the text').check();
  await expect(preview.getByText('1 secret found and redacted')).toBeVisible();
  await expect(preview.getByText("mysql -u root -p'[REDACTED]' -e 'SELECT 1'")).toBeVisible();

  // Adjust: rename the first, leave out the second.
  await preview.getByLabel('Title of runbook 1').fill(`UI${run} MySQL down`);
  await preview.getByRole('checkbox', { name: 'Import runbook 2' }).uncheck();
  await preview.getByRole('button', { name: 'Import 1 runbook' }).click();

  await expect(page.getByRole('heading', { name: `UI${run} MySQL down` })).toBeVisible();
  await expect(page.getByText('Check MySQL status')).toBeVisible();
  await expect(page.getByText("mysql -u root -p'[REDACTED]' -e 'SELECT 1'")).toBeVisible();
  await expect(page.getByText('Emergency Contacts')).toBeVisible();

  const saved = await withDb(async (client) => (await client.query(`SELECT title FROM runbooks WHERE title LIKE $1`, [`UI${run}%`])).rows.map((r) => r.title));
  expect(saved).toEqual([`UI${run} MySQL down`]);
  const leaked = await withDb(async (client) => (await client.query(`SELECT count(*)::int AS n FROM runbook_versions WHERE phases::text LIKE '%Hunter2Secret%'`)).rows[0].n);
  expect(leaked).toBe(0);
});

test('the import API: dry run, create, bad input and permissions', async ({ request }) => {
  test.setTimeout(60_000);
  const token = cliToken(ADMIN.email);
  const viewer = cliToken(VIEWER.email);
  const auth = { authorization: `Bearer ${token}` };
  const markdown = playbook(`API${run}`);

  const dry = await request.post('/api/v1/runbooks/import', { headers: auth, data: { markdown, dryRun: true } });
  expect(dry.status()).toBe(200);
  const preview = await dry.json();
  expect(preview.runbooks.map((r: { id: string | null; title: string }) => [r.id, r.title])).toEqual([
    [null, `API${run} database down`],
    [null, `API${run} disk full`],
  ]);
  expect(preview.runbooks[0].phases[0].steps.map((s: { title: string; command: string }) => [s.title, s.command])).toEqual([
    ['Check MySQL status', 'systemctl status mysql'],
    ['Test the connection', "mysql -u root -p'Hunter2Secret' -e 'SELECT 1'"],
  ]);
  expect(preview.warnings).toEqual([{ kind: 'secret', line: 21, message: expect.stringContaining('database password') }]);
  expect(await withDb(async (client) => (await client.query(`SELECT count(*)::int AS n FROM runbooks WHERE title LIKE $1`, [`API${run}%`])).rows[0].n)).toBe(0);

  const created = await request.post('/api/v1/runbooks/import', { headers: auth, data: { markdown, redact: true } });
  expect(created.status()).toBe(201);
  const body = await created.json();
  expect(body.runbooks).toHaveLength(2);
  for (const runbook of body.runbooks) expect(runbook.id).toMatch(/^[0-9a-f-]{36}$/);
  const fetched = await (await request.get(`/api/v1/runbooks/${body.runbooks[0].id}`, { headers: auth })).json();
  expect(fetched.version).toBe(1);
  expect(fetched.phases[0].steps[1].command).toBe("mysql -u root -p'[REDACTED]' -e 'SELECT 1'");
  expect(fetched.references.map((r: { kind: string }) => r.kind)).toContain('contacts');

  const empty = await request.post('/api/v1/runbooks/import', { headers: auth, data: { markdown: '   ' } });
  expect(empty.status()).toBe(422);
  expect((await empty.json()).detail).toContain('The Markdown is empty');

  const prose = await request.post('/api/v1/runbooks/import', { headers: auth, data: { markdown: 'Nothing to do here.' } });
  expect(prose.status()).toBe(422);
  expect((await prose.json()).detail).toContain('No steps found');

  const forbidden = await request.post('/api/v1/runbooks/import', { headers: { authorization: `Bearer ${viewer}` }, data: { markdown } });
  expect(forbidden.status()).toBe(403);
  const anonymous = await request.post('/api/v1/runbooks/import', { data: { markdown } });
  expect(anonymous.status()).toBe(401);
});

test('the CLI imports a folder, with --dry-run and --json', () => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-import-'));
  writeFileSync(path.join(dir, 'a.md'), playbook(`CLIa${run}`));
  writeFileSync(path.join(dir, 'b.txt'), `# CLIb${run} restart\n\n1. Restart the app\n2. Watch the error rate`);
  writeFileSync(path.join(dir, 'ignored.png'), 'not markdown');
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'runbooks', 'import', dir, ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, SITREP_DATA_DIR: process.env.SITREP_E2E_DATA_DIR },
      encoding: 'utf8',
    });

  const dry = JSON.parse(cli('--dry-run', '--json')) as { file: string; runbooks: { id: string | null; title: string }[] }[];
  expect(dry.map((r) => [path.basename(r.file), r.runbooks.map((x) => [x.id, x.title])])).toEqual([
    ['a.md', [[null, `CLIa${run} database down`], [null, `CLIa${run} disk full`]]],
    ['b.txt', [[null, `CLIb${run} restart`]]],
  ]);

  const output = cli('--redact');
  expect(output).toContain('a.md: imported 2 runbooks (4 steps)');
  expect(output).toContain('b.txt: imported 1 runbook (2 steps)');
  expect(output).toContain('was replaced with [REDACTED]');
});
