import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null };
    /** The user_sessions row this browser's cookie names. */
    sid?: string;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    uid?: string;
    sid?: string;
  }
}
