import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBoxError, decryptSecret, encryptSecret, generateKey, parseKey } from '@/lib/platform/crypto';

const key = randomBytes(32);

/** Replaces one part of a box (1 = iv, 2 = tag, 3 = ciphertext) after flipping a bit in it. */
function flip(box: string, part: number): string {
  const parts = box.split(':');
  const bytes = Buffer.from(parts[part] ?? '', 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  parts[part] = bytes.toString('base64');
  return parts.join(':');
}

describe('encryptSecret / decryptSecret', () => {
  it.each(['whsec_0123456789abcdef', '', 'päßwörd 🔑 with: colons', 'x'.repeat(10_000)])('round-trips %#', (plain) => {
    expect(decryptSecret(encryptSecret(plain, key), key)).toBe(plain);
  });

  it('writes v1:<iv>:<tag>:<ciphertext> with a fresh 12-byte IV each time', () => {
    const first = encryptSecret('same', key);
    const second = encryptSecret('same', key);
    expect(first).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(Buffer.from(first.split(':')[1] ?? '', 'base64')).toHaveLength(12);
    expect(first).not.toContain(Buffer.from('same').toString('base64'));
  });

  it.each([1, 2, 3])('refuses a box whose part %i was changed', (part) => {
    const box = flip(encryptSecret('whsec_secret', key), part);
    expect(() => decryptSecret(box, key)).toThrow(SecretBoxError);
    expect(() => decryptSecret(box, key)).toThrow(/the encryption key is not the one it was sealed with, or the stored value was changed/);
  });

  it('refuses the wrong key', () => {
    expect(() => decryptSecret(encryptSecret('whsec_secret', key), randomBytes(32))).toThrow(/Could not decrypt the secret/);
  });

  it('refuses a truncated tag instead of checking fewer bytes', () => {
    const parts = encryptSecret('whsec_secret', key).split(':');
    parts[2] = Buffer.from(parts[2] ?? '', 'base64').subarray(0, 4).toString('base64');
    expect(() => decryptSecret(parts.join(':'), key)).toThrow('Not an encrypted secret');
  });

  it.each(['', 'plain text', 'v1:abc', 'v1:a:b:c:d', 'v1:!!!!:AAAA:AAAA', `v1:${'A'.repeat(16)}:${'A'.repeat(22)}==:not base64!`])('refuses malformed %j', (box) => {
    expect(() => decryptSecret(box, key)).toThrow(/^Not an encrypted secret/);
  });

  it('names an unknown version', () => {
    const box = encryptSecret('x', key).replace(/^v1:/, 'v9:');
    expect(() => decryptSecret(box, key)).toThrow('Unsupported secret format v9; expected v1');
  });

  it('refuses a key of the wrong size', () => {
    expect(() => encryptSecret('x', randomBytes(16))).toThrow('The encryption key must be 32 bytes, not 16');
    expect(() => decryptSecret('v1:a:b:c', randomBytes(31))).toThrow('The encryption key must be 32 bytes, not 31');
  });
});

describe('parseKey', () => {
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, index) => index * 7 + 250));

  it('reads base64, URL-safe base64 with or without padding, and hex', () => {
    expect(parseKey(bytes.toString('base64'))).toEqual(bytes);
    expect(parseKey(bytes.toString('base64url'))).toEqual(bytes);
    expect(parseKey(`${bytes.toString('base64url')}=`)).toEqual(bytes);
    expect(parseKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseKey(bytes.toString('hex').toUpperCase())).toEqual(bytes);
    expect(parseKey(`  ${bytes.toString('base64')}\n`)).toEqual(bytes);
  });

  it.each(['', 'secret', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), randomBytes(31).toString('hex'), `${randomBytes(32).toString('hex')}0`, `${'A'.repeat(42)}!=`])(
    'explains what a key looks like when given %j',
    (value) => {
      expect(() => parseKey(value)).toThrow('The encryption key must be 32 bytes, written as base64 (44 characters; `openssl rand -base64 32`) or as 64 hex characters');
    },
  );

  it('accepts what generateKey makes, and generateKey makes different keys', () => {
    const generated = generateKey();
    expect(parseKey(generated)).toHaveLength(32);
    expect(generated).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(generateKey()).not.toBe(generated);
    const box = encryptSecret('whsec_secret', parseKey(generated));
    expect(decryptSecret(box, parseKey(generated))).toBe('whsec_secret');
  });
});
