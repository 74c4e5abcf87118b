import 'server-only';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '@/lib/audit/service';
import { hashToken, notifyAuthChange, TOKEN_PREFIX } from '@/lib/platform/auth/principal';
import { db } from '@/lib/platform/db';
import { NotFoundError, parseInput } from '@/lib/platform/errors';
import type { ApiToken, User } from '@/lib/generated/prisma/client';
import { tokenCreateSchema, type TokenCreateInput, type TokenDto } from '@/lib/tokens/schema';
import type { ChangedBy } from '@/lib/platform/auth/policy';

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
    // Every instance stops accepting it now, not when its cache would have run out.
    await notifyAuthChange(tx, { tokenId: record.id });
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
