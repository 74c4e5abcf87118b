import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from '@/lib/platform/auth/callback-url';

describe('safeCallbackUrl', () => {
  it('keeps same-site paths', () => {
    expect(safeCallbackUrl('/settings/users?tab=1')).toBe('/settings/users?tab=1');
    expect(safeCallbackUrl('/incidents/42#timeline')).toBe('/incidents/42#timeline');
  });

  it.each([
    undefined,
    '',
    '\n',
    'https://evil.example',
    '//evil.example/x',
    '/\\evil.example',
    '\\/evil.example',
    // Browsers drop tabs and newlines inside URLs: these are //evil.example once read.
    '/\t/evil.example/phish',
    '/\n/evil.example/phish',
    '/\r\n/evil.example',
    ' //evil.example',
    '/\\\t\\evil.example',
    'javascript:alert(1)',
    '/login?x=1',
    '/api/auth/signout',
    ['/'],
  ])('sends %j to the dashboard instead', (value) => expect(safeCallbackUrl(value)).toBe('/'));

  it('normalises dot segments instead of following them off the path', () => {
    expect(safeCallbackUrl('/incidents/../settings')).toBe('/settings');
    expect(safeCallbackUrl('/./\t/x')).toBe('/');
  });
});
