'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/platform/auth/action';
import { appRoleSchema, userInputSchema, type UserDto } from '@/lib/users/schema';
import { createUser, signOutEverywhere, toUserDto, updateUser } from '@/lib/users/service';

export const createUserAction = defineAction('users.manage', userInputSchema, async (input, { actor, requestId }): Promise<UserDto> => {
  const user = await createUser(input, { actor, requestId });
  revalidatePath('/settings/users');
  return toUserDto(user);
});

// Forms send strings; "true"/"false" become the boolean the service expects.
const userUpdateFormSchema = z.object({
  userId: z.uuid({ error: 'Unknown user' }),
  role: appRoleSchema.optional(),
  disabled: z
    .enum(['true', 'false'], { error: 'disabled must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
});

export const updateUserAction = defineAction('users.manage', userUpdateFormSchema, async (input, { actor, requestId }): Promise<UserDto> => {
  const user = await updateUser(input, { actor, requestId });
  revalidatePath('/settings/users');
  return toUserDto(user);
});

/** Ends every session of the signed-in person, this one included (Settings → Account). */
export const signOutEverywhereAction = defineAction('read', z.object({}), async (_input, { actor, requestId }): Promise<{ ended: number }> => {
  return { ended: await signOutEverywhere(actor.id, { actor, requestId }) };
});
