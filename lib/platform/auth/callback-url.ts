/** Only same-site paths are followed after sign-in, so a crafted link can't send people elsewhere. */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/login') || value.startsWith('/api/auth')) return '/';
  return value;
}
