'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { tokenCreateSchema } from '@/lib/tokens/schema';
import { createApiToken, revokeApiToken } from '@/lib/tokens/service';

export const createTokenAction = defineAction('tokens.manage', tokenCreateSchema, async (input, { actor, requestId }) => {
  const created = await createApiToken(input, { actor, requestId });
  revalidatePath('/settings/tokens');
  return created;
});

export const revokeTokenAction = defineAction(
  'tokens.manage',
  z.object({ tokenId: z.uuid({ error: 'Unknown token' }) }),
  async ({ tokenId }, { actor, requestId }) => {
    const token = await revokeApiToken(tokenId, { actor, requestId });
    revalidatePath('/settings/tokens');
    return token;
  },
);
