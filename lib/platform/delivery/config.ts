// What every outgoing message needs from the installation's configuration, parsed once: the key
// that seals targets and secrets at rest, and the hosts allowed past the destination guard.
import 'server-only';
import { parseKey } from '@/lib/platform/crypto';
import { env } from '@/lib/platform/env';
import { DomainError } from '@/lib/platform/errors';
import { parseAllowHosts, type AllowEntry } from '@/lib/platform/delivery/destination';

let key: Buffer | null = null;

/**
 * The installation's key for secrets at rest. `what` names what could not be stored without it,
 * so the message says what is at stake ("remediation secrets", "notification channel targets").
 */
export function encryptionKey(what = 'secrets'): Buffer {
  if (!env.SITREP_ENCRYPTION_KEY) {
    throw new DomainError(500, 'Not configured', `SITREP_ENCRYPTION_KEY is not set: ${what} cannot be stored. Set a 32-byte base64 key (openssl rand -base64 32).`);
  }
  key ??= parseKey(env.SITREP_ENCRYPTION_KEY);
  return key;
}

let allowed: AllowEntry[] | null = null;

/** SITREP_WEBHOOK_ALLOW_HOSTS, parsed once. */
export function allowHosts(): AllowEntry[] {
  allowed ??= parseAllowHosts(env.SITREP_WEBHOOK_ALLOW_HOSTS);
  return allowed;
}
