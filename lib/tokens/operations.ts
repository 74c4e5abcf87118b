import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { createdTokenSchema, tokenCreateSchema, tokenSchema } from '@/lib/tokens/schema';

export const listTokensOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/tokens',
  summary: 'List API tokens (never their secrets)',
  tag: 'API tokens',
  permission: 'tokens.manage',
  responses: { 200: { description: 'Every token', schema: z.object({ items: z.array(tokenSchema) }) } },
});

export const createTokenOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/tokens',
  summary: 'Create an API token for a user (yourself when email is left out)',
  tag: 'API tokens',
  permission: 'tokens.manage',
  body: tokenCreateSchema.partial({ email: true }),
  responses: { 201: { description: 'The token, with its secret shown this once', schema: createdTokenSchema } },
});

export const revokeTokenOperation = defineOperation({
  method: 'DELETE',
  path: '/api/v1/tokens/{id}',
  summary: 'Revoke an API token',
  tag: 'API tokens',
  permission: 'tokens.manage',
  params: z.object({ id: z.uuid({ error: 'token ids are UUIDs' }) }),
  responses: { 200: { description: 'The revoked token', schema: tokenSchema } },
});
