import 'server-only';
import { recordAudit } from '@/lib/audit/service';
import type { AppRole, ChangedBy } from '@/lib/platform/auth/policy';
import { hashPassword } from '@/lib/platform/auth/password';
import { notifyAuthChange } from '@/lib/platform/auth/principal';
import { endUserSessions } from '@/lib/platform/auth/sessions';
import { db, type Tx } from '@/lib/platform/db';
import { ConflictError, NotFoundError, isUniqueViolation, parseInput } from '@/lib/platform/errors';
import type { Prisma, User } from '@/lib/generated/prisma/client';
import { userInputSchema, userUpdateSchema, type UserInput, type UserDto, type UserUpdateInput } from '@/lib/users/schema';

/** Who made a change: a person, or the installation itself (CLI, seed). */

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function createUser(input: UserInput, by: ChangedBy): Promise<User> {
  const data = parseInput(userInputSchema, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: data.email, name: data.name, role: data.role, passwordHash } });
      await recordAudit(tx, {
        actorId: by.actor?.id ?? null,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        detail: { email: user.email, role: user.role },
        requestId: by.requestId,
      });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`A user with the email ${data.email} already exists.`);
    throw error;
  }
}

/** Sets a user's password (CLI resets, and users created without one); every session of theirs ends. */
export async function setUserPassword(email: string, password: string, by: ChangedBy): Promise<void> {
  const data = parseInput(userInputSchema.pick({ email: true, password: true }).required(), { email, password });
  const passwordHash = await hashPassword(data.password);
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: data.email } });
    if (!user) throw new NotFoundError(`No user has the email ${data.email}.`);
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    // Whoever knew the old password may be signed in somewhere: they are not any more.
    await endUserSessions(tx, user.id);
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'user.password_set', targetType: 'user', targetId: user.id, requestId: by.requestId });
  });
}

// An installation must keep at least one active admin, or nobody can manage it any more.
async function assertAnotherActiveAdmin(tx: Tx, userId: string): Promise<void> {
  // Lock the admins' rows so two concurrent demotions can't both pass this check.
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE`;
  if (!admins.some((admin) => admin.id !== userId)) {
    throw new ConflictError('This is the last active admin; make someone else an admin first.');
  }
}

/** Changes a user's role and/or disables or enables them, in one transaction. */
export async function updateUser(input: UserUpdateInput, by: ChangedBy): Promise<User> {
  const data = parseInput(userUpdateSchema, input);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: data.userId } });
    if (!user) throw new NotFoundError('That user does not exist.');
    const role = data.role ?? user.role;
    const disabled = data.disabled ?? user.disabledAt !== null;
    const losesAdmin = user.role === 'admin' && user.disabledAt === null && (role !== 'admin' || disabled);
    if (losesAdmin) await assertAnotherActiveAdmin(tx, user.id);
    if (by.actor?.id === user.id && disabled) throw new ConflictError('You cannot disable your own account.');

    const changes: Prisma.UserUpdateInput = {};
    if (role !== user.role) changes.role = role;
    if (disabled !== (user.disabledAt !== null)) changes.disabledAt = disabled ? new Date() : null;
    if (Object.keys(changes).length === 0) return user;

    const updated = await tx.user.update({ where: { id: user.id }, data: changes });
    if (disabled && user.disabledAt === null) {
      // A disabled person's API tokens and sessions stop working with them, for good: enabling
      // them again later does not bring an old cookie or token back.
      await tx.apiToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
      await endUserSessions(tx, user.id);
    }
    // The role is part of what every instance cached about them.
    await notifyAuthChange(tx, { userId: user.id });
    const audit = { actorId: by.actor?.id ?? null, targetType: 'user', targetId: user.id, requestId: by.requestId };
    if (changes.role) await recordAudit(tx, { ...audit, action: 'user.role_changed', detail: { email: user.email, from: user.role, to: role } });
    if ('disabledAt' in changes) await recordAudit(tx, { ...audit, action: disabled ? 'user.disabled' : 'user.enabled', detail: { email: user.email } });
    return updated;
  });
}

/** The user behind a single sign-on identity, created on the first visit with the default role. */
export async function ensureSsoUser(input: { email: string; name: string; role: AppRole }): Promise<User> {
  const data = parseInput(userInputSchema.omit({ password: true }), { ...input, name: input.name || input.email });
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: data.email } });
    if (existing) return existing;
    const user = await tx.user.create({ data: { email: data.email, name: data.name, role: data.role } });
    await recordAudit(tx, { actorId: null, action: 'user.created_by_sso', targetType: 'user', targetId: user.id, detail: { email: user.email, role: user.role } });
    return user;
  });
}

/** Ends every session of a user ("sign out everywhere"); their API tokens are not affected. */
export async function signOutEverywhere(userId: string, by: ChangedBy): Promise<number> {
  return db.$transaction(async (tx) => {
    const ended = await endUserSessions(tx, userId);
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'user.signed_out_everywhere', targetType: 'user', targetId: userId, detail: { sessions: ended }, requestId: by.requestId });
    return ended;
  });
}
