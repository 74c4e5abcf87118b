import NextAuth from 'next-auth';
import { authOptions } from '@/lib/platform/auth/options';
import { provisionSsoUser } from '@/lib/users/sso';

const handler = NextAuth({ ...authOptions, callbacks: { ...authOptions.callbacks, signIn: provisionSsoUser } });

export { handler as GET, handler as POST };
