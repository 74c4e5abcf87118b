// The migrations folder, the schema and the migration engine agree, and creating a migration
// never touches existing data (the shadow database must never be the real one).
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  createMigration,
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  deployMigrations,
  diffSchemaAgainstMigrations,
  MigrationResetRequiredError,
  migrationStatus,
} from '@/lib/platform/runtime/migrations';
import { createScratchDatabase, query } from './db-helpers';

const baseUrl = inject('databaseUrl');
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scratchDatabase() {
  const db = await createScratchDatabase(baseUrl);
  cleanups.push(db.drop);
  return db;
}

/** A copy of prisma/migrations that tests may write into; the repository is never modified. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sitrep-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const migrationsDir = path.join(dir, 'migrations');
  await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
  return migrationsDir;
}

/** schema.prisma plus a nullable column on users and a new model, written next to `migrationsDir`. */
async function changedSchemaCopy(migrationsDir: string): Promise<string> {
  const schema = await readFile(DEFAULT_SCHEMA_PATH, 'utf8');
  const changed = schema.replace(/(model User \{\n[^\n]*\n)/, '$1  nickname String?\n') +
    '\nmodel ScratchNote {\n  id   Int    @id @default(autoincrement())\n  body String\n\n  @@map("scratch_notes")\n}\n';
  expect(changed).toContain('nickname String?');
  const schemaPath = path.join(path.dirname(migrationsDir), 'schema.prisma');
  await writeFile(schemaPath, changed);
  return schemaPath;
}

async function repoMigrationNames(): Promise<string[]> {
  const entries = await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function shadowDatabases(): Promise<string[]> {
  const rows = await query<{ datname: string }>(
    baseUrl,
    `SELECT datname FROM pg_database WHERE datname LIKE 'prisma\\_migrate\\_shadow\\_db\\_%'`,
  );
  return rows.map((r) => r.datname);
}

describe('migrations', () => {
  it('match schema.prisma: creating a migration finds nothing to do', async () => {
    const db = await scratchDatabase();
    const migrationsDir = await migrationsCopy();
    await deployMigrations({ databaseUrl: db.url });

    const { created } = await createMigration({ databaseUrl: db.url, name: 'forgotten', migrationsDir });
    const sql = created ? await readFile(path.join(migrationsDir, created, 'migration.sql'), 'utf8') : '';
    expect(created, `schema.prisma has changes without a migration; run \`npm run db:migrate -- --name <name>\`:\n${sql}`).toBeNull();

    const diff = await diffSchemaAgainstMigrations({ databaseUrl: db.url });
    expect(diff.sql).toBeNull();
    expect(await shadowDatabases()).toEqual([]);
  });

  it('keeps existing rows when a migration is created on a database holding data', async () => {
    const db = await scratchDatabase();
    const migrationsDir = await migrationsCopy();
    await deployMigrations({ databaseUrl: db.url });
    await query(db.url, `INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace')`);

    // schema.prisma plus a nullable column and a new model.
    const schemaPath = await changedSchemaCopy(migrationsDir);

    const { created } = await createMigration({ databaseUrl: db.url, name: 'add_nickname', schemaPath, migrationsDir });
    expect(created).toMatch(/^\d{14}_add_nickname$/);
    const sql = await readFile(path.join(migrationsDir, created!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "users" ADD COLUMN     "nickname" TEXT');
    expect(sql).toContain('CREATE TABLE "scratch_notes"');

    const users = await query<{ email: string; nickname: string | null }>(db.url, 'SELECT email, nickname FROM users ORDER BY email');
    expect(users).toEqual([
      { email: 'ada@example.com', nickname: null },
      { email: 'grace@example.com', nickname: null },
    ]);
    const applied = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    expect(applied.map((r) => r.migration_name)).toContain(created);
    expect(await shadowDatabases()).toEqual([]);
    // The repository's own migrations are untouched.
    expect(await repoMigrationNames()).not.toContain(created);
  });

  // `createMigration` of the WASM engine gets no shadow database factory: it relies on the schema
  // `devDiagnostic` cached for the migrations the database had applied. On a database that was
  // missing some, it used to fail with "PostgreSQL shadow DB must be provided through an external
  // factory" after applying them (`npm run db:migrate` on a brand-new database).
  it('applies pending migrations, then creates one, on an empty database', async () => {
    const db = await scratchDatabase();
    const migrationsDir = await migrationsCopy();
    const schemaPath = await changedSchemaCopy(migrationsDir);
    const names = await repoMigrationNames();

    const { created, applied, reset } = await createMigration({ databaseUrl: db.url, name: 'add_nickname', schemaPath, migrationsDir });
    expect(reset).toBe(false);
    expect(created).toMatch(/^\d{14}_add_nickname$/);
    expect(applied).toEqual([...names, created]);
    const sql = await readFile(path.join(migrationsDir, created!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "users" ADD COLUMN     "nickname" TEXT');
    expect(sql).toContain('CREATE TABLE "scratch_notes"');
    // Only the new change: nothing from the migrations that were pending.
    expect(sql).not.toContain('CREATE TABLE "users"');
    expect(sql).not.toContain('CREATE TABLE "incidents"');

    const rows = await query<{ migration_name: string }>(
      db.url,
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual([...names, created]);
    expect(await query(db.url, 'SELECT nickname FROM users')).toEqual([]);
    expect(await query(db.url, 'SELECT id, body FROM scratch_notes')).toEqual([]);
    expect((await migrationStatus({ databaseUrl: db.url, migrationsDir })).upToDate).toBe(true);
    expect(await shadowDatabases()).toEqual([]);
    expect(await repoMigrationNames()).not.toContain(created);

    // Without a change, on another empty database: applies the pending ones, creates nothing.
    const empty = await scratchDatabase();
    const again = await createMigration({ databaseUrl: empty.url, name: 'nothing', migrationsDir: await migrationsCopy() });
    expect(again).toEqual({ created: null, applied: names, reset: false });
    expect(await shadowDatabases()).toEqual([]);
  });

  it('applies the rest of a partly applied history, then creates a migration', async () => {
    const names = await repoMigrationNames();
    expect(names.length).toBeGreaterThan(1);
    const db = await scratchDatabase();
    const firstOnly = await migrationsCopy();
    for (const name of names.slice(1)) await rm(path.join(firstOnly, name), { recursive: true });
    expect((await deployMigrations({ databaseUrl: db.url, migrationsDir: firstOnly })).applied).toEqual(names.slice(0, 1));

    const migrationsDir = await migrationsCopy();
    const schemaPath = await changedSchemaCopy(migrationsDir);
    const { created, applied } = await createMigration({ databaseUrl: db.url, name: 'add_nickname', schemaPath, migrationsDir });
    expect(created).toMatch(/^\d{14}_add_nickname$/);
    expect(applied).toEqual([...names.slice(1), created]);
    expect((await migrationStatus({ databaseUrl: db.url, migrationsDir })).upToDate).toBe(true);
    expect(await shadowDatabases()).toEqual([]);
  });

  it('resets a drifted database only when allowed, then applies and creates', async () => {
    const db = await scratchDatabase();
    const migrationsDir = await migrationsCopy();
    const schemaPath = await changedSchemaCopy(migrationsDir);
    await deployMigrations({ databaseUrl: db.url });
    await query(db.url, 'CREATE TABLE hand_made (id int)');

    const { created, applied, reset } = await createMigration({
      databaseUrl: db.url,
      name: 'add_nickname',
      schemaPath,
      migrationsDir,
      allowReset: true,
    });
    expect(reset).toBe(true);
    expect(created).toMatch(/^\d{14}_add_nickname$/);
    expect(applied).toEqual([...(await repoMigrationNames()), created]);
    expect(await query(db.url, `SELECT to_regclass('hand_made') AS t`)).toEqual([{ t: null }]);
    expect(await shadowDatabases()).toEqual([]);
  });

  it('refuses to reset a database whose history has drifted', async () => {
    const db = await scratchDatabase();
    const migrationsDir = await migrationsCopy();
    await deployMigrations({ databaseUrl: db.url });
    await query(db.url, 'CREATE TABLE hand_made (id int); INSERT INTO hand_made VALUES (1)');

    await expect(createMigration({ databaseUrl: db.url, name: 'anything', migrationsDir })).rejects.toThrow(
      MigrationResetRequiredError,
    );
    expect(await query(db.url, 'SELECT id FROM hand_made')).toEqual([{ id: 1 }]);
    expect(await shadowDatabases()).toEqual([]);
  });

  it('uses a given shadow database, but never the main one', async () => {
    const db = await scratchDatabase();
    const shadow = await scratchDatabase();
    const migrationsDir = await migrationsCopy();
    await deployMigrations({ databaseUrl: db.url });
    await query(db.url, `INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada')`);

    await expect(
      createMigration({ databaseUrl: db.url, name: 'x', migrationsDir, shadowDatabaseUrl: db.url }),
    ).rejects.toThrow(/SHADOW_DATABASE_URL reaches the same database/);
    const { created } = await createMigration({ databaseUrl: db.url, name: 'x', migrationsDir, shadowDatabaseUrl: shadow.url });
    expect(created).toBeNull();
    expect(await query(db.url, 'SELECT email FROM users')).toEqual([{ email: 'ada@example.com' }]);
    expect(await shadowDatabases()).toEqual([]);
  });

  it('deploys idempotently and reports status', async () => {
    const db = await scratchDatabase();
    const names = await repoMigrationNames();
    expect(names.length).toBeGreaterThan(0);

    expect((await migrationStatus({ databaseUrl: db.url })).pending).toEqual(names);
    expect((await deployMigrations({ databaseUrl: db.url })).applied).toEqual(names);
    expect((await deployMigrations({ databaseUrl: db.url })).applied).toEqual([]);
    const status = await migrationStatus({ databaseUrl: db.url });
    expect(status).toMatchObject({ pending: [], failed: [], edited: [], upToDate: true });
  });

  // Deleting (or re-keying) a row makes PostgreSQL look up the rows that refer to it, once per
  // deleted row. Without an index on the referring columns each lookup scans the whole table, so
  // deleting an alert source with 30,000 alerts (alerts.previous_id) held a core for 40 s and would
  // have taken minutes with more. A foreign key with no index leading with its columns (whole, or
  // partial on `column IS NOT NULL`) fails here, except those to users: a user is never deleted
  // (people are disabled), so nothing looks them up.
  it('indexes every foreign key, so a delete never scans the referring table once per row', async () => {
    const unindexed = await query<{ constraint: string }>(
      baseUrl,
      `SELECT c.conrelid::regclass::text || '(' || string_agg(a.attname, ', ' ORDER BY k.ord) || ') → ' || c.confrelid::regclass::text AS constraint
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND c.confrelid <> 'users'::regclass
          AND NOT EXISTS (
            SELECT 1 FROM pg_index i
             WHERE i.indrelid = c.conrelid
               AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
               AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
               -- partial only where the lookup still finds every referring row
               AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ '^\\(\\w+ IS NOT NULL\\)$'))
        GROUP BY c.oid, c.conrelid, c.confrelid
        ORDER BY 1`,
    );
    expect(unindexed.map((row) => row.constraint)).toEqual([]);
  });

  it('gives the test database to the tests, migrated', async () => {
    expect(process.env.DATABASE_URL).toBe(baseUrl);
    expect((await migrationStatus({ databaseUrl: baseUrl })).upToDate).toBe(true);
  });
});
