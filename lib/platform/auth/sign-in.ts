// Password sign-in with guessing limits. Failed attempts are counted per email and per client
// address in the database, so the limit holds across several app instances and restarts.
import 'server-only';
import { burnPasswordCheck, verifyPassword } from '@/lib/platform/auth/password';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { RateLimitedError } from '@/lib/platform/errors';
import { emailSchema } from '@/lib/platform/auth/email';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export class InvalidCredentialsError extends Error {
  constructor() {
    super('That email and password do not match an active account.');
  }
}

async function assertNotRateLimited(email: string, ip: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  // Failures after the latest success count; a correct password resets the email's count.
  const lastSuccess = await db.signInAttempt.findFirst({ where: { email, success: true, at: { gte: since } }, orderBy: { at: 'desc' } });
  const emailSince = lastSuccess && lastSuccess.at > since ? lastSuccess.at : since;
  const [emailFailures, addressFailures] = await Promise.all([
    db.signInAttempt.findMany({ where: { email, success: false, at: { gt: emailSince } }, orderBy: { at: 'asc' }, select: { at: true } }),
    db.signInAttempt.findMany({ where: { ip, success: false, at: { gt: since } }, orderBy: { at: 'asc' }, select: { at: true } }),
  ]);
  const blocked =
    emailFailures.length >= MAX_FAILURES_PER_EMAIL
      ? { oldest: emailFailures[emailFailures.length - MAX_FAILURES_PER_EMAIL]!.at, what: `for ${email}` }
      : addressFailures.length >= MAX_FAILURES_PER_ADDRESS
        ? { oldest: addressFailures[addressFailures.length - MAX_FAILURES_PER_ADDRESS]!.at, what: 'from your address' }
        : null;
  if (blocked) {
    const retryMs = blocked.oldest.getTime() + SIGN_IN_WINDOW_MS - now.getTime();
    const minutes = Math.max(1, Math.ceil(retryMs / 60_000));
    throw new RateLimitedError(
      `Too many failed sign-ins ${blocked.what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset your password.`,
      Math.ceil(retryMs / 1000),
    );
  }
}

export async function signInWithPassword(rawEmail: unknown, password: unknown, ip: string): Promise<Actor> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success || typeof password !== 'string' || password.length === 0) throw new InvalidCredentialsError();
  const email = parsed.data;
  const now = new Date();
  await assertNotRateLimited(email, ip, now);

  const user = await db.user.findUnique({ where: { email } });
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  const success = ok && user !== null && user.disabledAt === null;
  await db.signInAttempt.create({ data: { email, ip, success, at: now } });
  if (!success || !user) throw new InvalidCredentialsError();
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
