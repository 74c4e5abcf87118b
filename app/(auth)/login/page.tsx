import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { safeCallbackUrl } from '@/lib/platform/auth/callback-url';
import { getCurrentActor } from '@/lib/platform/auth/session';
import { demoSignInHint } from '@/lib/demo/credentials';
import { env, oidcEnabled } from '@/lib/platform/env';

export const metadata: Metadata = { title: 'Sign in' };

// `?error=` comes from a link anyone can craft: only these codes (next-auth's and
// lib/users/sso.ts's) are shown, each as a fixed message; anything else gets the generic one.
const errorMessages: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an active account.',
  OAuthSignin: 'Single sign-on could not start; try again or use your password.',
  OAuthCallback: 'Single sign-on did not complete; try again.',
  OAuthAccountNotLinked: 'Single sign-on did not complete; try again.',
  AccessDenied: 'Your account may not sign in here; ask an admin.',
  SessionRequired: 'Sign in to continue.',
  SsoNoEmail: 'Your identity provider did not share an email address; ask an admin.',
  AccountDisabled: 'Your Sitrep account is disabled; ask an admin.',
};
const UNKNOWN_ERROR = 'Signing in did not complete; try again.';

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await getCurrentActor()) redirect(callbackUrl);
  const error = typeof params.error === 'string' ? (Object.hasOwn(errorMessages, params.error) ? errorMessages[params.error]! : UNKNOWN_ERROR) : null;

  return (
    <main className="grid min-h-dvh place-items-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <span aria-hidden="true" className="grid size-8 place-items-center rounded-md bg-red-600 text-sm font-bold text-white">
            S
          </span>
          <div>
            <h1 className="text-lg font-semibold leading-tight">Sign in to Sitrep</h1>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Incident command center</p>
          </div>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <LoginForm callbackUrl={callbackUrl} initialError={error} sso={oidcEnabled ? { name: env.OIDC_NAME } : null} demoHint={await demoSignInHint()} />
        </div>
      </div>
    </main>
  );
}
