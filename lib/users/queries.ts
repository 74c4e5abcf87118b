import type { Actor } from '@/lib/auth/policy';
import { db } from '@/lib/db';
import type { UserDto } from '@/lib/users/schema';
import { toUserDto } from '@/lib/users/service';

export async function listUsers(): Promise<UserDto[]> {
  const users = await db.user.findMany({ orderBy: [{ disabledAt: { sort: 'asc', nulls: 'first' } }, { name: 'asc' }] });
  return users.map(toUserDto);
}

/** The active user behind a session or token; null when unknown or disabled. */
export async function findActiveActor(userId: string): Promise<Actor | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function countUsersByRole(): Promise<Record<string, number>> {
  const groups = await db.user.groupBy({ by: ['role'], where: { disabledAt: null }, _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.role, group._count._all]));
}
