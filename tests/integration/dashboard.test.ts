// The dashboard (lib/incidents/queries.ts getDashboard) lists the DASHBOARD_OPEN_SHOWN most severe
// open incidents and counts every one: a team with many open incidents gets a page that renders
// quickly, with the totals and severity counts still right and the rest a link away.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { declareIncident } from '@/lib/incidents/service';
import { DASHBOARD_OPEN_SHOWN, getDashboard } from '@/lib/incidents/queries';
import { createUser } from '@/lib/users/service';

let commander: Actor;

beforeAll(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs CASCADE');
  const user = await createUser({ email: 'dash@example.com', name: 'Dana Dash', role: 'responder' }, { actor: null });
  commander = { id: user.id, email: user.email, name: user.name, role: user.role };
});

afterAll(async () => {
  await db.$disconnect();
});

it(`lists the ${DASHBOARD_OPEN_SHOWN} most severe open incidents and counts them all`, async () => {
  const total = DASHBOARD_OPEN_SHOWN + 6;
  for (let i = 0; i < total; i++) {
    await declareIncident({ title: `Open ${i}`, severity: i < 3 ? 'SEV1' : i < total - 2 ? 'SEV3' : 'SEV4' }, { actor: commander });
  }
  const dashboard = await getDashboard(commander);
  expect(dashboard.open).toHaveLength(DASHBOARD_OPEN_SHOWN);
  expect(dashboard.openTotal).toBe(total);
  expect(Object.fromEntries(dashboard.countsBySeverity.map((count) => [count.key, count.open]))).toEqual({ SEV1: 3, SEV2: 0, SEV3: total - 5, SEV4: 2 });
  // Most severe first, oldest first within a severity: the SEV4s are the ones left out.
  expect(dashboard.open.slice(0, 3).map((incident) => incident.title)).toEqual(['Open 0', 'Open 1', 'Open 2']);
  expect(dashboard.open.some((incident) => incident.severity.key === 'SEV4')).toBe(false);
  // The latest line of each is its newest event.
  expect(dashboard.open.every((incident) => incident.latest !== null)).toBe(true);
});
