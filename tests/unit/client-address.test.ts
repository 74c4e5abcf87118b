import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies, resolveClientAddress } from '@/lib/platform/http/client-address';
import { createBuckets } from '@/lib/platform/http/rate-limit';

describe('client address', () => {
  const none = parseTrustedProxies('');
  const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.7, fd00::/8');

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress('203.0.113.5', '198.51.100.1', none)).toBe('203.0.113.5');
    expect(resolveClientAddress('::ffff:203.0.113.5', undefined, none)).toBe('203.0.113.5');
    // A trusted-looking peer is still only a peer when nothing is configured.
    expect(resolveClientAddress('10.1.2.3', '198.51.100.1', none)).toBe('10.1.2.3');
  });

  it('walks X-Forwarded-For from the right through trusted proxies only', () => {
    expect(resolveClientAddress('10.0.0.2', '198.51.100.1', proxies)).toBe('198.51.100.1');
    // The client prepended a lie; the proxies appended what they saw.
    expect(resolveClientAddress('10.0.0.2', '1.2.3.4, 198.51.100.1, 10.9.9.9', proxies)).toBe('198.51.100.1');
    expect(resolveClientAddress('192.168.1.7', ['203.0.113.9', '10.0.0.3'], proxies)).toBe('203.0.113.9');
    expect(resolveClientAddress('::ffff:10.0.0.2', 'garbage, 198.51.100.1', proxies)).toBe('198.51.100.1');
    // Every hop trusted: the left-most is the best we know.
    expect(resolveClientAddress('10.0.0.2', '10.0.0.5', proxies)).toBe('10.0.0.5');
    // From an untrusted peer the header is ignored.
    expect(resolveClientAddress('203.0.113.5', '10.0.0.1', proxies)).toBe('203.0.113.5');
  });

  it('refuses configuration it cannot read, naming the entry', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.internal')).toThrow(/proxy\.internal is neither/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
  });

  it('reads the address the edge stamped, and nothing else', () => {
    expect(clientAddress(new Headers({ 'x-sitrep-client-address': '203.0.113.5', 'x-forwarded-for': '1.1.1.1' }))).toBe('203.0.113.5');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '1.1.1.1' }))).toBe('unknown');
    expect(clientAddress({ 'x-sitrep-client-address': '203.0.113.5' })).toBe('203.0.113.5');
  });
});

describe('per-address budgets', () => {
  it('lets a burst through, then one per refill interval, per address', () => {
    const buckets = createBuckets({ capacity: 3, refillPerSecond: 1 });
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) buckets.spend('a', t);
    expect(buckets.retryAfter('a', t)).toBe(1);
    expect(buckets.retryAfter('b', t)).toBe(0);
    expect(buckets.retryAfter('a', t + 1_000)).toBe(0);
    buckets.spend('a', t + 1_000);
    expect(buckets.retryAfter('a', t + 1_000)).toBe(1);
  });
});
