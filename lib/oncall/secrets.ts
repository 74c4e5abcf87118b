// The secrets in on-call URLs: acknowledge links (`/ack/<token>`) and calendar feeds (`?key=`).
// Each is derived from its row's id with the installation key (HMAC-SHA256), and only its
// SHA-256 hash is stored: a copy of the database opens nothing, yet the sender of every page
// notification can put the link in its message without the token ever being written down, and a
// person can be shown their feed URL again. A new row (a rotated feed) is a new secret.
import 'server-only';
import { createHash, createHmac } from 'node:crypto';
import { encryptionKey } from '@/lib/platform/delivery/config';
import { publicUrl } from '@/lib/platform/urls';

type Purpose = 'page-ack' | 'calendar-feed';

function derive(purpose: Purpose, id: string): string {
  return createHmac('sha256', encryptionKey('acknowledge links and calendar feeds')).update(`sitrep:${purpose}:${id}`).digest('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The token of an acknowledge link and the hash stored for it. */
export function ackToken(linkId: string): { token: string; hash: string } {
  const token = derive('page-ack', linkId);
  return { token, hash: hashSecret(token) };
}

export function ackUrl(linkId: string): string {
  return publicUrl(`/ack/${ackToken(linkId).token}`);
}

export function feedKey(feedId: string): { key: string; hash: string } {
  const key = derive('calendar-feed', feedId);
  return { key, hash: hashSecret(key) };
}

/** Tokens are 43 base64url characters; anything else is not worth a lookup. */
export function looksLikeSecret(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}
