// The next-auth `signIn` callback for OpenID Connect: the first single sign-on of an email
// creates its Sitrep account with OIDC_DEFAULT_ROLE; a disabled account is turned away.
import type { CallbacksOptions } from 'next-auth';
import { env } from '@/lib/platform/env';
import { ensureSsoUser } from '@/lib/users/service';

export const provisionSsoUser: CallbacksOptions['signIn'] = async ({ user, account }) => {
  if (account?.provider !== 'oidc') return true;
  // Codes, not text: the login page shows a fixed message for each (app/(auth)/login/page.tsx).
  if (!user.email) return '/login?error=SsoNoEmail';
  const sitrepUser = await ensureSsoUser({ email: user.email, name: user.name ?? '', role: env.OIDC_DEFAULT_ROLE });
  if (sitrepUser.disabledAt) return '/login?error=AccountDisabled';
  user.id = sitrepUser.id;
  return true;
};
