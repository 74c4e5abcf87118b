// The next-auth `signIn` callback for OpenID Connect: the first single sign-on of an email
// creates its Sitrep account with OIDC_DEFAULT_ROLE; a disabled account is turned away.
import type { CallbacksOptions } from 'next-auth';
import { env } from '@/lib/platform/env';
import { ensureSsoUser } from '@/lib/users/service';

export const provisionSsoUser: CallbacksOptions['signIn'] = async ({ user, account }) => {
  if (account?.provider !== 'oidc') return true;
  if (!user.email) return '/login?error=' + encodeURIComponent('Your identity provider did not share an email address.');
  const sitrepUser = await ensureSsoUser({ email: user.email, name: user.name ?? '', role: env.OIDC_DEFAULT_ROLE });
  if (sitrepUser.disabledAt) return '/login?error=' + encodeURIComponent('Your Sitrep account is disabled; ask an admin.');
  user.id = sitrepUser.id;
  return true;
};
