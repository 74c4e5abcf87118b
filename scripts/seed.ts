// `npm run db:seed`: adds the demo team to the database (once; later runs change nothing).
import { deployMigrations } from '@/lib/platform/runtime/migrations';
import { openDatabase } from '@/lib/platform/runtime/database';

const database = await openDatabase({ attach: true });
try {
  if (database.startedHere) await deployMigrations({ databaseUrl: database.url });
  const { seedDemoData } = await import('@/lib/demo/seed');
  console.log((await seedDemoData()) ? 'Seeded demo data.' : 'Demo data was already there; nothing changed.');
  const { db } = await import('@/lib/platform/db');
  await db.$disconnect();
} finally {
  await database.stop();
}
