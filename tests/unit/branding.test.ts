import { describe, expect, it } from 'vitest';
import { brandingSchema } from '@/lib/communications/schema';

const logo = (logoUrl: string) => brandingSchema.safeParse({ title: 'Service status', logoUrl });

describe('the status page logo', () => {
  it.each(['', 'https://cdn.example.com/logo.svg', 'HTTPS://cdn.example.com/logo.svg', '/logo.png', '/brand/logo.png?v=2'])('accepts %j', (value) => {
    expect(logo(value).success).toBe(true);
  });

  // Protocol-relative and look-alike forms a browser reads as another host, and other protocols.
  it.each(['//evil.example/logo.png', '/\\evil.example/logo.png', '\\\\evil.example/logo.png', '/\t/evil.example/logo.png', ' //evil.example/logo.png', 'http://cdn.example.com/logo.png', 'javascript:alert(1)', 'data:image/svg+xml,<svg/>', 'https:/\\evil.example', 'logo.png'])(
    'refuses %j and says what to use',
    (value) => {
      const result = logo(value);
      expect(result.success).toBe(false);
      expect(result.error!.issues).toEqual([expect.objectContaining({ path: ['logoUrl'], message: expect.stringMatching(/https:\/\/ URL/) })]);
    },
  );
});
