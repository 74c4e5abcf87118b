// Demo data for embedded mode (and SITREP_DEMO=true): a small team so that a newcomer has
// something real to look at. Seeds once per database; later starts leave it alone.
import { db } from '@/lib/db';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_SEEDED_KEY } from '@/lib/demo/credentials';
import { createUser } from '@/lib/users/service';
import type { UserInput } from '@/lib/users/schema';

export const demoUsers: UserInput[] = [
  { email: DEMO_ADMIN_EMAIL, name: 'Alex Rivera', role: 'admin', password: DEMO_PASSWORD },
  { email: 'priya@sitrep.local', name: 'Priya Shah', role: 'responder', password: DEMO_PASSWORD },
  { email: 'sam@sitrep.local', name: 'Sam Okafor', role: 'responder', password: DEMO_PASSWORD },
  { email: 'mei@sitrep.local', name: 'Mei Tanaka', role: 'responder', password: DEMO_PASSWORD },
  { email: 'jordan@sitrep.local', name: 'Jordan Lee', role: 'viewer', password: DEMO_PASSWORD },
];

/** Returns true when it seeded, false when the database had demo data already. */
export async function seedDemoData(): Promise<boolean> {
  if (await db.setting.findUnique({ where: { key: DEMO_SEEDED_KEY } })) return false;
  for (const user of demoUsers) {
    const exists = await db.user.findUnique({ where: { email: user.email } });
    if (!exists) await createUser(user, { actor: null });
  }
  await db.setting.create({ data: { key: DEMO_SEEDED_KEY, value: new Date().toISOString() } });
  return true;
}
