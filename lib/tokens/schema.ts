import { z } from 'zod';
import { emailSchema } from '@/lib/platform/auth/email';

export const tokenCreateSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, 'Give the token a name, e.g. "CI deploys"').max(80, 'Keep the token name under 80 characters').default('API token'),
});
export type TokenCreateInput = z.input<typeof tokenCreateSchema>;

export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
    owner: z.object({ email: z.string(), name: z.string() }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type TokenDto = z.infer<typeof tokenSchema>;

export const createdTokenSchema = tokenSchema
  .extend({ token: z.string().describe('The secret token; shown this once and never again') })
  .meta({ id: 'CreatedApiToken' });
