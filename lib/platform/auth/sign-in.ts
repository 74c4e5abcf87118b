// Password sign-in with guessing limits that a stranger can't turn into a lock-out. Attempts are
// counted in the database, so the limits hold across several app instances and restarts:
//  - per (email, address): 5 failures in 15 minutes stop that address guessing that password;
//    the person signing in from anywhere else is not affected;
//  - per address: 30 failures in 15 minutes across all emails stop password spraying;
//  - per email, from every address: after 3 failures each attempt waits longer before its
//    password is checked (1 s, 2 s, 4 s … at most 10 s), which slows guessing spread over many
//    addresses, while the right password still signs in.
// The address is the one the request edge worked out (lib/platform/http/client-address.ts), so
// a client can't pick a fresh one with X-Forwarded-For.
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { burnPasswordCheck, verifyPassword } from '@/lib/platform/auth/password';
import type { Actor } from '@/lib/platform/auth/policy';
import { db } from '@/lib/platform/db';
import { RateLimitedError } from '@/lib/platform/errors';
import { emailSchema } from '@/lib/platform/auth/email';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL_AND_ADDRESS = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;
export const FREE_FAILURES_PER_EMAIL = 3;
export const MAX_SIGN_IN_DELAY_MS = 10_000;

export class InvalidCredentialsError extends Error {
  constructor() {
    super('That email and password do not match an active account.');
  }
}

/** How long an attempt for an email waits after `failures` recent failures from anywhere. */
export function signInDelayMs(failures: number): number {
  if (failures <= FREE_FAILURES_PER_EMAIL) return 0;
  return Math.min(MAX_SIGN_IN_DELAY_MS, 1000 * 2 ** (failures - FREE_FAILURES_PER_EMAIL - 1));
}

function refuse(what: string, oldest: Date, now: Date): never {
  const retryMs = oldest.getTime() + SIGN_IN_WINDOW_MS - now.getTime();
  const minutes = Math.max(1, Math.ceil(retryMs / 60_000));
  throw new RateLimitedError(`Too many failed sign-ins ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, Math.max(1, Math.ceil(retryMs / 1000)));
}

/** Refuses when a limit is reached; otherwise returns how long this attempt must wait. */
async function checkLimits(email: string, ip: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  // A success resets what came before it: for the pair, its own success; for the email's delay, any.
  const [pairSuccess, emailSuccess] = await Promise.all([
    db.signInAttempt.findFirst({ where: { email, ip, success: true, at: { gte: since } }, orderBy: { at: 'desc' }, select: { at: true } }),
    db.signInAttempt.findFirst({ where: { email, success: true, at: { gte: since } }, orderBy: { at: 'desc' }, select: { at: true } }),
  ]);
  const [pairFailures, addressFailures, emailFailures] = await Promise.all([
    db.signInAttempt.findMany({
      where: { email, ip, success: false, at: { gt: pairSuccess?.at ?? since } },
      orderBy: { at: 'desc' },
      take: MAX_FAILURES_PER_EMAIL_AND_ADDRESS,
      select: { at: true },
    }),
    db.signInAttempt.findMany({ where: { ip, success: false, at: { gt: since } }, orderBy: { at: 'desc' }, take: MAX_FAILURES_PER_ADDRESS, select: { at: true } }),
    db.signInAttempt.count({ where: { email, success: false, at: { gt: emailSuccess?.at ?? since } } }),
  ]);
  if (pairFailures.length >= MAX_FAILURES_PER_EMAIL_AND_ADDRESS) refuse(`for ${email} from your address`, pairFailures.at(-1)!.at, now);
  if (addressFailures.length >= MAX_FAILURES_PER_ADDRESS) refuse('from your address', addressFailures.at(-1)!.at, now);
  return signInDelayMs(emailFailures);
}

export async function signInWithPassword(rawEmail: unknown, password: unknown, ip: string): Promise<Actor> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success || typeof password !== 'string' || password.length === 0 || password.length > 1_000) throw new InvalidCredentialsError();
  const email = parsed.data;
  const delay = await checkLimits(email, ip, new Date());
  // No database connection is held while waiting.
  if (delay > 0) await sleep(delay);

  const user = await db.user.findUnique({ where: { email } });
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  const success = ok && user !== null && user.disabledAt === null;
  await db.signInAttempt.create({ data: { email, ip, success, at: new Date() } });
  if (!success || !user) throw new InvalidCredentialsError();
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
