// What a remediation request carries besides its body: the action's headers (secret values
// unsealed only here, at send time) and the Standard Webhooks signature. During a rotation both
// secrets sign (space-separated signatures), so receivers can switch without missing a request.
import { Webhook } from 'standardwebhooks';
import type { RemediationAction } from '@/lib/generated/prisma/client';
import { decryptSecret } from '@/lib/platform/crypto';
import { encryptionKey } from '@/lib/platform/delivery/config';
import type { StoredHeader } from '@/lib/remediation/dto';

export function signatureHeaders(action: RemediationAction, deliveryId: string, body: string, now = new Date()): Record<string, string> {
  const key = encryptionKey('remediation secrets');
  const secrets = [decryptSecret(action.signingSecret, key)];
  if (action.previousSigningSecret && action.previousSecretUntil && action.previousSecretUntil > now) secrets.push(decryptSecret(action.previousSigningSecret, key));
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(deliveryId, now, body)).join(' '),
  };
}

export function requestHeaders(action: RemediationAction): Record<string, string> {
  const key = encryptionKey('remediation secrets');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Sitrep-Remediation/1' };
  for (const header of action.headers as StoredHeader[]) headers[header.name.toLowerCase()] = header.encrypted ? decryptSecret(header.encrypted, key) : (header.value ?? '');
  return headers;
}
