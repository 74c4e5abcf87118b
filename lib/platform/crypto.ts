// Short secrets at rest (webhook signing secrets, header values) are stored as
// `v1:<iv>:<tag>:<ciphertext>`, each part base64: AES-256-GCM with a random 12-byte IV and a
// 16-byte tag. The version prefix leaves room to change the scheme without guessing formats.
import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret that cannot be opened: malformed, tampered with, or sealed with another key. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function encryptSecret(plain: string, key: Buffer): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

export function decryptSecret(box: string, key: Buffer): string {
  assertKey(key);
  const parts = box.split(':');
  if (parts[0] !== VERSION) {
    throw new SecretBoxError(parts.length === 4 ? `Unsupported secret format ${parts[0]}; expected ${VERSION}` : 'Not an encrypted secret (expected v1:<iv>:<tag>:<ciphertext>)');
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(decodeBase64);
  if (parts.length !== 4 || !iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError('Not an encrypted secret (expected v1:<iv>:<tag>:<ciphertext>)');
  }
  // authTagLength pins the tag size: GCM would otherwise accept a truncated, forgeable tag.
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('Could not decrypt the secret: the encryption key is not the one it was sealed with, or the stored value was changed');
  }
}

/** An encryption key from configuration: 32 bytes as base64 (standard or URL-safe) or 64 hex characters. */
export function parseKey(value: string): Buffer {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new Error('The encryption key must be 32 bytes, written as base64 (44 characters; `openssl rand -base64 32`) or as 64 hex characters (`openssl rand -hex 32`)');
}

/** A new random key, base64. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`The encryption key must be ${KEY_BYTES} bytes, not ${key.length}`);
}

/** Strict base64: Buffer.from would skip characters it does not understand. */
function decodeBase64(text: string): Buffer | null {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) ? Buffer.from(text, 'base64') : null;
}
