import 'server-only';
import { db } from '@/lib/platform/db';
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
