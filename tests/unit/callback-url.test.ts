import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from '@/lib/platform/auth/callback-url';

describe('safeCallbackUrl', () => {
  it('keeps same-site paths', () => {
    expect(safeCallbackUrl('/settings/users?tab=1')).toBe('/settings/users?tab=1');
  });
  it.each([undefined, '', 'https://evil.example', '//evil.example/x', '/\\evil.example', '/login?x=1', '/api/auth/signout', ['/']])(
    'sends %j to the dashboard instead',
    (value) => expect(safeCallbackUrl(value)).toBe('/'),
  );
});
