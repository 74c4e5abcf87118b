import { apiRoute, json } from '@/lib/platform/http/route';
import { rotateSecretOperation } from '@/lib/remediation/operations';
import { rotateSigningSecret } from '@/lib/remediation/service';

export const POST = apiRoute(rotateSecretOperation, async ({ actor, params, body, requestId }) => {
  const { action, signingSecret } = await rotateSigningSecret(params.id, body.overlapHours, { actor, requestId });
  return json({ ...action, signingSecret });
});
