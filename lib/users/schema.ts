import { z } from 'zod';
import { emailSchema } from '@/lib/platform/auth/email';
import { appRoles } from '@/lib/platform/auth/policy';

export const appRoleSchema = z.enum(appRoles, { error: `Role must be one of ${appRoles.join(', ')}` });

export const passwordSchema = z
  .string({ error: 'Enter a password' })
  .min(10, 'Use at least 10 characters for the password')
  .max(200, 'Use at most 200 characters for the password');

export const userInputSchema = z.object({
  email: emailSchema,
  name: z.string({ error: 'Enter a name' }).trim().min(1, 'Enter a name').max(120, 'Keep the name under 120 characters'),
  role: appRoleSchema,
  password: passwordSchema.optional(),
});
export type UserInput = z.input<typeof userInputSchema>;

export const userPatchSchema = z
  .object({
    role: appRoleSchema.optional(),
    disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
  })
  .refine((value) => value.role !== undefined || value.disabled !== undefined, 'Send role, disabled, or both');

export const userUpdateSchema = z.object({
  userId: z.uuid({ error: 'Unknown user' }),
  role: appRoleSchema.optional(),
  disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
});
export type UserUpdateInput = z.input<typeof userUpdateSchema>;

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: appRoleSchema,
    disabled: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type UserDto = z.infer<typeof userSchema>;
