import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCredentialsError, MAX_FAILURES_PER_EMAIL_AND_ADDRESS, signInDelayMs, signInWithPassword } from '@/lib/platform/auth/sign-in';
import { db } from '@/lib/platform/db';
import { ConflictError, RateLimitedError, ValidationError } from '@/lib/platform/errors';
import { authenticateSession, authenticateToken } from '@/lib/platform/auth/principal';
import { endSession, startSession } from '@/lib/platform/auth/sessions';
import { createApiToken, revokeApiToken } from '@/lib/tokens/service';
import { GET as dashboardStreamRoute } from '@/app/api/v1/stream/route';
import { HEARTBEAT_MS } from '@/lib/platform/live/sse';
import { encode } from 'next-auth/jwt';
import { env } from '@/lib/platform/env';
import { isKnownCredential } from '@/lib/platform/auth/credentials';
import { createUser, setUserPassword, signOutEverywhere, updateUser } from '@/lib/users/service';

const system = { actor: null };

beforeEach(async () => {
  await db.$executeRawUnsafe('TRUNCATE users, api_tokens, audit_logs, sign_in_attempts, user_sessions CASCADE');
});

afterAll(async () => {
  await db.$disconnect();
});

describe('users', () => {
  it('creates a user with a hashed password and an audit record in the same transaction', async () => {
    const user = await createUser({ email: ' Ana@Example.com ', name: 'Ana', role: 'responder', password: 'correct horse' }, system);
    expect(user.email).toBe('ana@example.com');
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await db.auditLog.findMany({ where: { targetId: user.id } });
    expect(audit.map((entry) => entry.action)).toEqual(['user.created']);
  });

  it('refuses a duplicate email with a message that names it, and writes nothing', async () => {
    await createUser({ email: 'ana@example.com', name: 'Ana', role: 'viewer' }, system);
    await expect(createUser({ email: 'ANA@example.com', name: 'Other', role: 'viewer' }, system)).rejects.toThrow(
      new ConflictError('A user with the email ana@example.com already exists.'),
    );
    expect(await db.user.count()).toBe(1);
    expect(await db.auditLog.count()).toBe(1);
  });

  it('lists every invalid field', async () => {
    const error = await createUser({ email: 'nope', name: '', role: 'boss' as 'admin', password: 'short' }, system).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.path).sort()).toEqual(['email', 'name', 'password', 'role']);
  });

  it('keeps at least one active admin, also under concurrent demotions', async () => {
    const a = await createUser({ email: 'a@example.com', name: 'A', role: 'admin' }, system);
    const b = await createUser({ email: 'b@example.com', name: 'B', role: 'admin' }, system);
    const results = await Promise.allSettled([
      updateUser({ userId: a.id, role: 'viewer' }, system),
      updateUser({ userId: b.id, role: 'viewer' }, system),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    expect((rejected.reason as Error).message).toBe('This is the last active admin; make someone else an admin first.');
    expect(await db.user.count({ where: { role: 'admin', disabledAt: null } })).toBe(1);
  });

  it('disabling a user revokes their tokens; role and disable change together or not at all', async () => {
    await createUser({ email: 'admin@example.com', name: 'Admin', role: 'admin' }, system);
    const user = await createUser({ email: 'r@example.com', name: 'R', role: 'responder' }, system);
    const { token } = await createApiToken({ email: 'r@example.com', name: 'ci' }, system);
    expect(await authenticateToken(token)).toMatchObject({ email: 'r@example.com', role: 'responder' });

    const updated = await updateUser({ userId: user.id, role: 'viewer', disabled: true }, system);
    expect(updated.role).toBe('viewer');
    expect(updated.disabledAt).not.toBeNull();
    expect(await authenticateToken(token)).toBeNull();
    expect((await db.apiToken.findFirstOrThrow()).revokedAt).not.toBeNull();
  });
});

describe('API tokens', () => {
  it('stores only a hash, authenticates, records last use, and stops working when revoked', async () => {
    await createUser({ email: 'ops@example.com', name: 'Ops', role: 'admin' }, system);
    const created = await createApiToken({ email: 'ops@example.com', name: 'deploys' }, system);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).not.toContain(created.token);
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(created.token.startsWith(row.prefix)).toBe(true);

    expect(await authenticateToken(created.token)).toMatchObject({ email: 'ops@example.com' });
    // Recorded in the background (bookkeeping must not hold up the request).
    await expect.poll(async () => (await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt, { timeout: 10_000 }).not.toBeNull();
    expect(await authenticateToken(created.token + 'x')).toBeNull();
    expect(await authenticateToken('not-a-token')).toBeNull();

    await revokeApiToken(created.id, system);
    expect(await authenticateToken(created.token)).toBeNull();
  });

  it('refuses a token for an unknown email with a message saying what to do', async () => {
    await expect(createApiToken({ email: 'ghost@example.com', name: 'x' }, system)).rejects.toThrow(
      'No user has the email ghost@example.com; create the user first.',
    );
    expect(await db.apiToken.count()).toBe(0);
  });
});

describe('password sign-in', () => {
  it('signs in with the right password only', async () => {
    await createUser({ email: 'ana@example.com', name: 'Ana', role: 'viewer', password: 'correct horse' }, system);
    await expect(signInWithPassword('ana@example.com', 'correct horse', '10.0.0.1')).resolves.toMatchObject({ email: 'ana@example.com' });
    await expect(signInWithPassword('ana@example.com', 'wrong', '10.0.0.1')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(signInWithPassword('nobody@example.com', 'wrong', '10.0.0.1')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('stops an address guessing one password, while the owner still signs in from elsewhere', async () => {
    await createUser({ email: 'ana@example.com', name: 'Ana', role: 'viewer', password: 'correct horse' }, system);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL_AND_ADDRESS; i++) {
      await expect(signInWithPassword('ana@example.com', `guess-${i}`, '203.0.113.9')).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    // The guesser is refused, even with the right password, and told when to come back.
    const error = await signInWithPassword('ana@example.com', 'correct horse', '203.0.113.9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as Error).message).toMatch(/^Too many failed sign-ins for ana@example.com from your address\. Try again in 15 minutes/);
    // Ana, from her own address, is slowed down (5 failures: 2 s) but not locked out.
    const started = performance.now();
    await expect(signInWithPassword('ana@example.com', 'correct horse', '198.51.100.7')).resolves.toMatchObject({ email: 'ana@example.com' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(signInDelayMs(MAX_FAILURES_PER_EMAIL_AND_ADDRESS) - 50);
    // Her success resets the email's delay; another account never had one.
    const again = performance.now();
    await expect(signInWithPassword('ana@example.com', 'correct horse', '198.51.100.7')).resolves.toMatchObject({ email: 'ana@example.com' });
    expect(performance.now() - again).toBeLessThan(signInDelayMs(MAX_FAILURES_PER_EMAIL_AND_ADDRESS));
  });

  it('grows the delay per email with failures from anywhere, up to a ceiling', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(signInDelayMs)).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 10_000]);
  });

  it('refuses a disabled account', async () => {
    await createUser({ email: 'admin@example.com', name: 'Admin', role: 'admin' }, system);
    const user = await createUser({ email: 'ana@example.com', name: 'Ana', role: 'viewer', password: 'correct horse' }, system);
    await updateUser({ userId: user.id, disabled: true }, system);
    await expect(signInWithPassword('ana@example.com', 'correct horse', '10.0.0.1')).rejects.toBeInstanceOf(InvalidCredentialsError);
  });
});

describe('sessions and the principal cache', () => {
  it('ends a session on sign-out, and every session on "sign out everywhere", a new password or disabling', async () => {
    await createUser({ email: 'admin@example.com', name: 'Admin', role: 'admin' }, system);
    const user = await createUser({ email: 'ana@example.com', name: 'Ana', role: 'responder', password: 'correct horse' }, system);
    const meta = { userAgent: 'test', address: '198.51.100.7' };
    const [laptop, phone] = [await startSession(user.id, meta), await startSession(user.id, meta)];
    expect(await authenticateSession(laptop, user.id)).toMatchObject({ email: 'ana@example.com' });

    await endSession(laptop);
    expect(await authenticateSession(laptop, user.id)).toBeNull();
    expect(await authenticateSession(phone, user.id)).toMatchObject({ email: 'ana@example.com' });

    await signOutEverywhere(user.id, system);
    expect(await authenticateSession(phone, user.id)).toBeNull();

    const afterPassword = await startSession(user.id, meta);
    await setUserPassword('ana@example.com', 'a new long password', system);
    expect(await authenticateSession(afterPassword, user.id)).toBeNull();

    // Disabled and enabled again: the old cookie stays dead.
    const beforeDisable = await startSession(user.id, meta);
    await updateUser({ userId: user.id, disabled: true }, system);
    await updateUser({ userId: user.id, disabled: false }, system);
    expect(await authenticateSession(beforeDisable, user.id)).toBeNull();
    // A session id can't be borrowed for another user.
    const fresh = await startSession(user.id, meta);
    expect(await authenticateSession(fresh, (await db.user.findFirstOrThrow({ where: { email: 'admin@example.com' } })).id)).toBeNull();
  });

  it('answers repeated lookups from the cache, and drops it when another instance announces a change', async () => {
    await createUser({ email: 'ops@example.com', name: 'Ops', role: 'admin' }, system);
    const ana = await createUser({ email: 'ana@example.com', name: 'Ana', role: 'responder' }, system);
    const { token } = await createApiToken({ email: 'ana@example.com', name: 'ci' }, system);
    expect(await authenticateToken(token)).toMatchObject({ role: 'responder' });

    // Changed behind the cache's back (as another instance's write would be): still cached…
    await db.user.update({ where: { id: ana.id }, data: { role: 'viewer' } });
    expect(await authenticateToken(token)).toMatchObject({ role: 'responder' });
    // …until the NOTIFY that such a write sends arrives on this process's LISTEN connection.
    await db.$executeRaw`SELECT pg_notify('sitrep_auth', ${JSON.stringify({ userId: ana.id })})`;
    await expect.poll(async () => (await authenticateToken(token))?.role, { timeout: 10_000 }).toBe('viewer');
  });
});

describe('an open live stream', () => {
  // A stream outlives the request that authorised it; it must stop when its credential does,
  // within one heartbeat (the issue asks for 30 s). Through the real route, so apiRoute hands
  // the stream the check of the token it was opened with.
  it('closes within one heartbeat of its token being revoked, saying why', { timeout: HEARTBEAT_MS * 3 }, async () => {
    await createUser({ email: 'ops@example.com', name: 'Ops', role: 'responder' }, system);
    const created = await createApiToken({ email: 'ops@example.com', name: 'wallboard' }, system);
    const opened = new AbortController();
    const response = await dashboardStreamRoute(new Request('http://sitrep.test/api/v1/stream', { headers: { authorization: `Bearer ${created.token}` }, signal: opened.signal }), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      let text = decoder.decode((await reader.read()).value, { stream: true });
      expect(text).toContain(': connected');

      await revokeApiToken(created.id, system);
      const revokedAt = performance.now();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
      const closedAfterMs = performance.now() - revokedAt;
      expect(closedAfterMs).toBeLessThan(HEARTBEAT_MS + 5_000);
      expect(text).toMatch(/event: error\ndata: .*your token was revoked/);
    } finally {
      opened.abort();
      reader.releaseLock();
    }
  });
});

describe('a session cookie on an API read', () => {
  // Browsers read the live streams with their session cookie. The server answers those routes
  // beside Next (lib/platform/runtime/direct.ts), where Next's cookies() is not available: the
  // route reads the cookie from the request itself, so this calls the route as the server does.
  const cookieOf = async (claims: Record<string, unknown>, secret = env.AUTH_SECRET!) => `next-auth.session-token=${await encode({ token: claims, secret })}`;
  const open = (cookie: string, signal: AbortSignal) =>
    dashboardStreamRoute(new Request('http://sitrep.test/api/v1/stream', { headers: { cookie, 'x-sitrep-client-address': '192.0.2.7' }, signal }), { params: Promise.resolve({}) });

  it('opens the stream for an open session, and refuses an ended one, a forged one and one of another user', async () => {
    const ops = await createUser({ email: 'ops@example.com', name: 'Ops', role: 'responder' }, system);
    const other = await createUser({ email: 'other@example.com', name: 'Other', role: 'responder' }, system);
    const sessionId = await startSession(ops.id, { userAgent: 'test', address: '192.0.2.7' });
    const cookie = await cookieOf({ uid: ops.id, sid: sessionId });

    const opened = new AbortController();
    const response = await open(cookie, opened.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    opened.abort();
    await response.body?.cancel().catch(() => undefined);
    expect(isKnownCredential(cookie.split('=')[1]!)).toBe(true);

    const refused = async (cookieHeader: string) => {
      const answer = await open(cookieHeader, new AbortController().signal);
      expect(answer.status).toBe(401);
      await answer.body?.cancel().catch(() => undefined);
    };
    await refused(await cookieOf({ uid: other.id, sid: sessionId })); // someone else's session id
    await refused(await cookieOf({ uid: ops.id, sid: sessionId }, 'a-different-secret-of-at-least-32-characters'));
    await refused('next-auth.session-token=not-a-token');
    await endSession(sessionId);
    await refused(cookie);
  });
});
