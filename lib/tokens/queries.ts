import 'server-only';
import { db } from '@/lib/platform/db';
import type { TokenDto } from '@/lib/tokens/schema';
import { toTokenDto } from '@/lib/tokens/service';

export async function listApiTokens(): Promise<TokenDto[]> {
  const tokens = await db.apiToken.findMany({
    orderBy: [{ revokedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'desc' }],
    include: { user: { select: { email: true, name: true } } },
  });
  return tokens.map(toTokenDto);
}
