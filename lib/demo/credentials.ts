import { db } from '@/lib/platform/db';
import { env } from '@/lib/platform/env';

/** Demo accounts share one password; they exist only where demo data was seeded. */
export const DEMO_PASSWORD = 'sitrep-demo';
export const DEMO_ADMIN_EMAIL = 'admin@sitrep.local';
export const DEMO_SEEDED_KEY = 'demo.seededAt';

export async function demoSignInHint(): Promise<string | null> {
  if (!env.SITREP_DEMO) return null;
  const seeded = await db.setting.findUnique({ where: { key: DEMO_SEEDED_KEY } });
  return seeded ? `Demo: sign in as ${DEMO_ADMIN_EMAIL} with the password ${DEMO_PASSWORD}.` : null;
}
