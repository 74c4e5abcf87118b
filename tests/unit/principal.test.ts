// No database in unit tests: a lookup that reached one would fail here, so these prove that
// malformed tokens are refused by their shape alone.
import { describe, expect, it } from 'vitest';
import { authenticateToken, isWellFormedToken } from '@/lib/platform/auth/principal';

describe('bearer tokens', () => {
  it('accepts only the shape Sitrep issues', () => {
    expect(isWellFormedToken(`sitrep_${'A1_-'.repeat(10)}abc`)).toBe(true);
    // An alert source's token (its route checks it): the edge must let it through.
    expect(isWellFormedToken(`sitrep_alerts_${'Zz9-'.repeat(8)}`)).toBe(true);
    for (const token of ['fake', 'sitrep_short', `sitrep_${'a'.repeat(44)}`, `Sitrep_${'a'.repeat(43)}`, `sitrep_${'a'.repeat(42)}=`]) {
      expect(isWellFormedToken(token)).toBe(false);
    }
  });

  it.each(['fake', 'Bearer', 'sitrep_', `sitrep_${'x'.repeat(500)}`, `sitrep_${'é'.repeat(43)}`])('refuses %j without asking the database', async (token) => {
    await expect(authenticateToken(token)).resolves.toBeNull();
  });
});
