import { describe, expect, it } from 'vitest';
import { can, permissionRoles, type Permission } from '@/lib/platform/auth/policy';

describe('permission policy', () => {
  const expected: Record<Permission, ['viewer' | 'responder' | 'admin', boolean][]> = {
    read: [['viewer', true], ['responder', true], ['admin', true]],
    'incidents.work': [['viewer', false], ['responder', true], ['admin', true]],
    'settings.manage': [['viewer', false], ['responder', false], ['admin', true]],
    'users.manage': [['viewer', false], ['responder', false], ['admin', true]],
    'tokens.manage': [['viewer', false], ['responder', false], ['admin', true]],
  };

  it.each(Object.entries(expected))('%s', (permission, cases) => {
    for (const [role, allowed] of cases) expect(can({ role }, permission as Permission)).toBe(allowed);
  });

  it('covers every permission in the table above', () => {
    expect(Object.keys(permissionRoles).sort()).toEqual(Object.keys(expected).sort());
  });

  it('fails closed for no user and for unknown permissions', () => {
    expect(can(null, 'read')).toBe(false);
    expect(can(undefined, 'read')).toBe(false);
    expect(can({ role: 'admin' }, 'launch.missiles' as Permission)).toBe(false);
  });
});
