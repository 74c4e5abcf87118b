// Database migrations, without the Prisma CLI's native engine (see lib/platform/runtime/migrations.ts).
//
//   tsx scripts/migrate.ts dev --name <name> [--force-reset]   create + apply a migration for schema.prisma changes
//   tsx scripts/migrate.ts deploy                              apply pending migrations
//   tsx scripts/migrate.ts status                              list pending migrations (exit 1 if not up to date)
//
// Without DATABASE_URL it uses the embedded PostgreSQL under <SITREP_DATA_DIR>/pg, started for the
// duration of the command unless `npm start` already runs it. Configuration comes from lib/platform/env.ts.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '@/lib/platform/env';
import { createMigration, deployMigrations, migrationStatus } from '@/lib/platform/runtime/migrations';
import { dataDir, openDatabase } from '@/lib/platform/runtime/database';

const usage = `Usage:
  tsx scripts/migrate.ts dev --name <name> [--force-reset] [--verbose]
  tsx scripts/migrate.ts deploy [--verbose]
  tsx scripts/migrate.ts status [--verbose]`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'force-reset': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !['dev', 'deploy', 'status'].includes(command)) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  if (command === 'dev' && !values.name) {
    console.error('`dev` needs a name for the migration, e.g. --name add_incidents\n\n' + usage);
    return 2;
  }

  // DATABASE_URL, or the embedded server under <SITREP_DATA_DIR>/pg (attached to when `npm start`
  // already runs it, with the installation's generated password).
  const database = await openDatabase({ attach: true });
  const databaseUrl = database.url;
  if (database.embedded) {
    const pgDir = path.join(dataDir(), 'pg');
    const where = pgDir.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), pgDir) : pgDir;
    console.log(`DATABASE_URL is not set: using the embedded PostgreSQL in ${where}${database.startedHere ? '' : ' (already running)'}.`);
  }

  try {
    const started = Date.now();
    const log = values.verbose ? (message: string) => console.log(`  engine: ${message}`) : undefined;
    if (command === 'deploy') {
      const { applied } = await deployMigrations({ databaseUrl, log });
      console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'No pending migrations.');
    } else if (command === 'dev') {
      const { created, applied, reset } = await createMigration({
        databaseUrl,
        name: values.name!,
        shadowDatabaseUrl: env.SHADOW_DATABASE_URL,
        allowReset: values['force-reset'],
        log,
      });
      if (reset) console.log('The database was reset (--force-reset): all its data was dropped.');
      const earlier = applied.filter((name) => name !== created);
      if (earlier.length) console.log(`Applied pending migration(s):\n  ${earlier.join('\n  ')}`);
      console.log(
        created
          ? `Created and applied prisma/migrations/${created}/migration.sql`
          : 'schema.prisma matches the migrations: no migration created.',
      );
    } else {
      const status = await migrationStatus({ databaseUrl, log });
      const lines: string[] = [];
      if (status.pending.length) lines.push(`Pending (run \`npm run db:deploy\`):\n  ${status.pending.join('\n  ')}`);
      if (status.failed.length) lines.push(`Failed:\n  ${status.failed.join('\n  ')}`);
      if (status.edited.length) lines.push(`Changed after being applied:\n  ${status.edited.join('\n  ')}`);
      if (status.unknown.length) lines.push(`Applied but missing from prisma/migrations:\n  ${status.unknown.join('\n  ')}`);
      console.log(status.upToDate ? 'Database is up to date with prisma/migrations.' : lines.join('\n') || 'Database is not up to date.');
      if (!status.upToDate) return 1;
    }
    console.log(`Done in ${Date.now() - started} ms.`);
    return 0;
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
