import 'server-only';
import { db } from '@/lib/platform/db';
import { appRoles, can } from '@/lib/platform/auth/policy';
import type { UserDto } from '@/lib/users/schema';
import { toUserDto } from '@/lib/users/service';

export async function listUsers(): Promise<UserDto[]> {
  const users = await db.user.findMany({ orderBy: [{ disabledAt: { sort: 'asc', nulls: 'first' } }, { name: 'asc' }] });
  return users.map(toUserDto);
}

export async function countUsersByRole(): Promise<Record<string, number>> {
  const groups = await db.user.groupBy({ by: ['role'], where: { disabledAt: null }, _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.role, group._count._all]));
}

export type PersonOption = { email: string; name: string };
export type PeopleSearch = { q?: string; can?: 'work'; limit?: number };

/**
 * Active people whose name or email holds `q` (every word of it), for pickers and @mentions:
 * names that start with it first, then by name. `can: 'work'` keeps those who can work incidents
 * (a role, an expert seat). Reads only what it shows, so a team of thousands costs the same.
 */
export async function searchPeople({ q = '', can: ability, limit = 8 }: PeopleSearch): Promise<PersonOption[]> {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
  const roles = ability === 'work' ? appRoles.filter((role) => can({ role }, 'incidents.work')) : [...appRoles];
  const people = await db.user.findMany({
    where: {
      disabledAt: null,
      role: { in: roles },
      AND: words.map((word) => ({ OR: [{ name: { contains: word, mode: 'insensitive' as const } }, { email: { contains: word, mode: 'insensitive' as const } }] })),
    },
    select: { email: true, name: true },
    orderBy: { name: 'asc' },
    // Enough to put the names that start with the words first, then keep `limit`.
    take: Math.max(limit * 5, 50),
  });
  const first = words[0];
  const startsWith = (person: PersonOption) => (first ? person.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(first)) || person.email.startsWith(first) : true);
  return [...people.filter(startsWith), ...people.filter((person) => !startsWith(person))].slice(0, limit);
}
