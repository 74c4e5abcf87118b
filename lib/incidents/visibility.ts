// WHO MAY SEE AN INCIDENT. An incident is seen by everyone signed in unless it is private; a
// private incident is seen only by its members and by admins. Its members are the person who
// declared it, the holders of its roles, its subject-matter experts and the people added to it
// (incident_members), as they are now: handing a role on or removing an expert takes their access
// away unless they were added as well.
//
// Every read that shows an incident or anything of one (timeline, review, deliveries,
// notifications, action items, streams, counts…) filters through this file, and so must every new
// one (insights, alerts, pages): `visibleTo(viewer)` in a Prisma `where`, `visibleToSql(viewer)` in
// raw SQL, `findVisibleIncident` / `requireVisibleIncident` to turn a number into an incident, and
// `canSee` for one incident by id. To anyone else a private incident answers exactly as one that
// does not exist: the same 404 and the same words. Where a total must be right (the dashboard's
// open incidents), `countHiddenIncidents` says how many the viewer cannot see, and nothing more.
import 'server-only';
import { Prisma } from '@/lib/generated/prisma/client';
import type { Actor, ChangedBy } from '@/lib/platform/auth/policy';
import { db, type Tx } from '@/lib/platform/db';
import { NotFoundError } from '@/lib/platform/errors';
import { incidentKey } from '@/lib/incidents/schema';

/** Who is looking: a person, or the installation itself (the CLI, workers, the demo seed), which sees everything. */
export type Viewer = Pick<Actor, 'id' | 'role'> | 'installation';

/** A change's viewer: its actor, or the installation when nobody signed in makes it. */
export function viewerOf(by: ChangedBy): Viewer {
  return by.actor ?? 'installation';
}

/** Admins and the installation see every incident, private or not. */
export function seesEverything(viewer: Viewer): viewer is 'installation' {
  return viewer === 'installation' || viewer.role === 'admin';
}

/** Incidents `userId` is a member of (whether or not they are private). */
export function memberOf(userId: string): Prisma.IncidentWhereInput {
  return {
    OR: [{ declaredById: userId }, { roles: { some: { userId } } }, { smes: { some: { userId } } }, { members: { some: { userId } } }],
  };
}

/** The incidents `viewer` may see, for a Prisma `where` (combine it with AND, it holds an OR). */
export function visibleTo(viewer: Viewer): Prisma.IncidentWhereInput {
  if (seesEverything(viewer)) return {};
  return { OR: [{ private: false }, ...(memberOf(viewer.id).OR as Prisma.IncidentWhereInput[])] };
}

/** `where` narrowed to the incidents `viewer` may see. */
export function visibleWhere(viewer: Viewer, where: Prisma.IncidentWhereInput = {}): Prisma.IncidentWhereInput {
  return seesEverything(viewer) ? where : { AND: [where, visibleTo(viewer)] };
}

/**
 * The same rule as `visibleTo`, as a SQL condition on the incidents row named `alias`, for raw
 * queries. tests/integration/private-incidents.test.ts holds the two forms to the same answers.
 */
export function visibleToSql(viewer: Viewer, alias = 'incidents'): Prisma.Sql {
  if (seesEverything(viewer)) return Prisma.sql`TRUE`;
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`${alias} is not a plain table alias`);
  const i = Prisma.raw(alias);
  const user = viewer.id;
  return Prisma.sql`(NOT ${i}.private
    OR ${i}.declared_by_id = ${user}::uuid
    OR EXISTS (SELECT 1 FROM incident_roles r WHERE r.incident_id = ${i}.id AND r.user_id = ${user}::uuid)
    OR EXISTS (SELECT 1 FROM incident_smes s WHERE s.incident_id = ${i}.id AND s.user_id = ${user}::uuid)
    OR EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_id = ${i}.id AND m.user_id = ${user}::uuid))`;
}

/** What a missing incident and one the viewer may not see both answer. */
export function incidentNotFound(number: number): NotFoundError {
  return new NotFoundError(`${incidentKey(number)} does not exist.`);
}

/** The incident numbered `number` with the fields in `select`, or null when there is none or `viewer` may not see it. */
export async function findVisibleIncident<S extends Prisma.IncidentSelect>(
  client: Tx | typeof db,
  number: number,
  viewer: Viewer,
  select: S,
): Promise<Prisma.IncidentGetPayload<{ select: S }> | null> {
  const row = await client.incident.findFirst({ where: visibleWhere(viewer, { number }), select });
  return row as Prisma.IncidentGetPayload<{ select: S }> | null;
}

/** As findVisibleIncident, but a 404 naming the key when there is none or `viewer` may not see it. */
export async function requireVisibleIncident<S extends Prisma.IncidentSelect>(
  client: Tx | typeof db,
  number: number,
  viewer: Viewer,
  select: S,
): Promise<Prisma.IncidentGetPayload<{ select: S }>> {
  const row = await findVisibleIncident(client, number, viewer, select);
  if (!row) throw incidentNotFound(number);
  return row;
}

/** Whether `viewer` may see the incident with this id (false when there is none). */
export async function canSee(viewer: Viewer, incidentId: string, client: Tx | typeof db = db): Promise<boolean> {
  return (await client.incident.count({ where: visibleWhere(viewer, { id: incidentId }) })) > 0;
}

/** Of the incidents matching `where`, how many `viewer` may not see: all a count may say about them. */
export async function countHiddenIncidents(viewer: Viewer, where: Prisma.IncidentWhereInput): Promise<number> {
  if (seesEverything(viewer)) return 0;
  return db.incident.count({ where: { AND: [where, { private: true }, { NOT: memberOf(viewer.id) }] } });
}
