import { env } from '@/lib/platform/env';

/** An absolute URL for people (API responses, notifications); relative when the public URL is unknown. */
export function publicUrl(path: string): string {
  const base = (env.SITREP_URL ?? env.NEXTAUTH_URL ?? '').replace(/\/$/, '');
  return `${base}${path}`;
}
