// "INC-1 looks like the same incident — join it?" before declaring (issue #16, item 4).
import { describe, expect, it } from 'vitest';
import { findDuplicates, titleSimilarity, titleWords } from '@/lib/incidents/duplicates';

const open = [
  { number: 1, title: 'Checkout API returning 502s', services: ['checkout'] },
  { number: 2, title: 'Search results are slow', services: ['search'] },
  { number: 3, title: 'Payments timing out for EU cards', services: ['payments'] },
];

describe('duplicates', () => {
  it('reads titles as their words', () => {
    expect(titleWords('Checkout API returning 502s!')).toEqual(['checkout', 'api', 'return', '502']);
  });

  it('finds the open incident on the same service with a title in other words', () => {
    expect(findDuplicates({ title: '502 errors on checkout API', services: ['checkout'] }, open).map((c) => [c.number, c.sharedServices])).toEqual([[1, ['checkout']]]);
    expect(findDuplicates({ title: 'Checkout API returning 502s', services: [] }, open).map((c) => c.number)).toEqual([1]);
  });

  it('tells apart incidents on other services or about other things', () => {
    expect(findDuplicates({ title: 'Login page broken', services: ['auth'] }, open)).toEqual([]);
    expect(findDuplicates({ title: 'Checkout button misaligned', services: ['web'] }, open)).toEqual([]);
    expect(findDuplicates({ title: '   ', services: ['checkout'] }, open)).toEqual([]);
  });

  it('forgives a typo', () => {
    expect(titleSimilarity('Paymnets timing out', 'Payments timing out for EU cards')).toBeGreaterThan(0.45);
  });
});
