import { createHash, randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit/service';
import type { Actor } from '@/lib/auth/policy';
import { db } from '@/lib/db';
import { NotFoundError, parseInput } from '@/lib/errors';
import type { ApiToken, User } from '@/lib/generated/prisma/client';
import { tokenCreateSchema, type TokenCreateInput, type TokenDto } from '@/lib/tokens/schema';
import type { ChangedBy } from '@/lib/users/service';

const TOKEN_PREFIX = 'sitrep_';
// Writing last_used_at on every request would turn reads into writes; once a minute is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function toTokenDto(token: ApiToken & { user: Pick<User, 'email' | 'name'> }): TokenDto {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    owner: { email: token.user.email, name: token.user.name },
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiToken(input: TokenCreateInput, by: ChangedBy): Promise<TokenDto & { token: string }> {
  const data = parseInput(tokenCreateSchema, input);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return db.$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { email: data.email } });
    if (!owner) throw new NotFoundError(`No user has the email ${data.email}; create the user first.`);
    if (owner.disabledAt) throw new NotFoundError(`${data.email} is disabled; enable the user before creating a token.`);
    const record = await tx.apiToken.create({
      data: { userId: owner.id, name: data.name, tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) },
      include: { user: { select: { email: true, name: true } } },
    });
    await recordAudit(tx, {
      actorId: by.actor?.id ?? null,
      action: 'token.created',
      targetType: 'api_token',
      targetId: record.id,
      detail: { owner: owner.email, name: record.name },
      requestId: by.requestId,
    });
    return { ...toTokenDto(record), token };
  });
}

export async function revokeApiToken(tokenId: string, by: ChangedBy): Promise<TokenDto> {
  return db.$transaction(async (tx) => {
    const existing = await tx.apiToken.findUnique({ where: { id: tokenId }, include: { user: { select: { email: true, name: true } } } });
    if (!existing) throw new NotFoundError('That API token does not exist.');
    if (existing.revokedAt) return toTokenDto(existing);
    const record = await tx.apiToken.update({
      where: { id: tokenId },
      data: { revokedAt: new Date() },
      include: { user: { select: { email: true, name: true } } },
    });
    await recordAudit(tx, {
      actorId: by.actor?.id ?? null,
      action: 'token.revoked',
      targetType: 'api_token',
      targetId: record.id,
      detail: { owner: record.user.email, name: record.name },
      requestId: by.requestId,
    });
    return toTokenDto(record);
  });
}

/** The active user a bearer token acts for, or null for an unknown, revoked or disabled one. */
export async function authenticateToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const record = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
  });
  if (!record || record.revokedAt || record.user.disabledAt) return null;
  const now = Date.now();
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  const { id, email, name, role } = record.user;
  return { id, email, name, role };
}
