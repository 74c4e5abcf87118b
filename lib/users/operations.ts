import { z } from 'zod';
import { defineOperation } from '@/lib/platform/http/operation';
import { appRoleSchema, userInputSchema, userPatchSchema, userSchema } from '@/lib/users/schema';

const userIdParams = z.object({ id: z.uuid({ error: 'user ids are UUIDs' }) });

export const actorSchema = z
  .object({ id: z.uuid(), email: z.string(), name: z.string(), role: appRoleSchema })
  .meta({ id: 'Me' });

export const getMe = defineOperation({
  method: 'GET',
  path: '/api/v1/me',
  summary: 'The user the token acts for',
  tag: 'Users',
  permission: 'read',
  responses: { 200: { description: 'The current user', schema: actorSchema } },
});

export const listUsersOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/users',
  summary: 'List users',
  tag: 'Users',
  permission: 'users.manage',
  responses: { 200: { description: 'Every user', schema: z.object({ items: z.array(userSchema) }) } },
});

export const searchPeopleOperation = defineOperation({
  method: 'GET',
  path: '/api/v1/people',
  summary: 'Find people by name or email, for pickers and mentions: active people only, names that start with `q` first.',
  tag: 'Users',
  permission: 'read',
  query: z.object({
    q: z.string().trim().max(200, 'Keep q under 200 characters').optional(),
    can: z.enum(['work'], { error: "can is 'work' (people who can work incidents) or left out" }).optional(),
    limit: z.coerce.number({ error: 'limit is a number' }).int('limit is a whole number').min(1, 'limit is at least 1').max(50, 'limit is at most 50').optional(),
  }),
  responses: {
    200: { description: 'Matching people', schema: z.object({ items: z.array(z.object({ email: z.string(), name: z.string() })) }) },
  },
});

export const createUserOperation = defineOperation({
  method: 'POST',
  path: '/api/v1/users',
  summary: 'Create a user',
  tag: 'Users',
  permission: 'users.manage',
  body: userInputSchema,
  responses: { 201: { description: 'The new user', schema: userSchema } },
});

export const updateUserOperation = defineOperation({
  method: 'PATCH',
  path: '/api/v1/users/{id}',
  summary: "Change a user's role or disable/enable them",
  tag: 'Users',
  permission: 'users.manage',
  params: userIdParams,
  body: userPatchSchema,
  responses: { 200: { description: 'The user after the change', schema: userSchema } },
});
