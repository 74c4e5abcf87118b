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
