// next-auth configuration: email + password for built-in accounts, OpenID Connect single sign-on
// when OIDC_* is set. Sessions are JWTs in an HttpOnly, SameSite=Lax cookie (Secure when
// SITREP_URL is https) that name a user_sessions row (sessions.ts): every request checks the row
// and re-reads the user (cached briefly, dropped through NOTIFY), so signing out, a role change or a
// disabled account takes effect at once. Creating a Sitrep account on a first single sign-on is
// the users domain's business: app/api/auth/[...nextauth] adds it (lib/users/sso.ts).
import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import credentialsModule from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { headers } from 'next/headers';
import { safeCallbackUrl } from '@/lib/platform/auth/callback-url';
import { endSession, SESSION_IDLE_SECONDS, startSession } from '@/lib/platform/auth/sessions';
import { InvalidCredentialsError, signInWithPassword } from '@/lib/platform/auth/sign-in';
import { env, oidcEnabled } from '@/lib/platform/env';
import { clientAddress } from '@/lib/platform/http/client-address';
import { DomainError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';

// Bundlers (Next, Vitest) hand over the CommonJS module's default export; Node's own loader, which
// runs route handlers in scripts and test servers, hands over the exports object holding it.
const CredentialsProvider = (credentialsModule as unknown as { default?: typeof credentialsModule }).default ?? credentialsModule;

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string };

function oidcProvider(): OAuthConfig<OidcProfile> {
  return {
    id: 'oidc',
    name: env.OIDC_NAME,
    type: 'oauth',
    wellKnown: `${env.OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile: (profile) => ({ id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? null }),
  };
}

export const authOptions: NextAuthOptions = {
  secret: env.AUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_IDLE_SECONDS },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        try {
          const actor = await signInWithPassword(credentials?.email, credentials?.password, clientAddress(req?.headers));
          return { id: actor.id, email: actor.email, name: actor.name };
        } catch (error) {
          // The message reaches the sign-in form; only expected errors are shown as they are.
          if (error instanceof InvalidCredentialsError || error instanceof DomainError) throw new Error(error.message);
          log.error('sign-in failed unexpectedly', { error });
          throw new Error('Signing in failed unexpectedly; try again in a moment.');
        }
      },
    }),
    ...(oidcEnabled ? [oidcProvider()] : []),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // `user` is there only at sign-in: that is when the session's row is made.
      if (user) {
        const request = await headers();
        token.uid = user.id;
        token.sid = await startSession(user.id, { userAgent: request.get('user-agent') ?? '', address: clientAddress(request) });
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === 'string') session.user.id = token.uid;
      if (typeof token.sid === 'string') session.sid = token.sid;
      return session;
    },
    // Only paths on this site, read as a browser reads them (callback-url.ts).
    async redirect({ url, baseUrl }) {
      const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || '/' : url;
      return `${baseUrl}${safeCallbackUrl(path)}`;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === 'string') await endSession(token.sid);
    },
  },
  logger: {
    error: (code, metadata) => log.error(`next-auth: ${code}`, { metadata }),
    warn: (code) => log.warn(`next-auth: ${code}`),
    debug: () => {},
  },
};
