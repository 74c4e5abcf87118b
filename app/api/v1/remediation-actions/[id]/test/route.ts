import { apiRoute, json } from '@/lib/platform/http/route';
import { previewStoredActionOperation } from '@/lib/remediation/operations';
import { previewStoredAction } from '@/lib/remediation/service';

export const POST = apiRoute(previewStoredActionOperation, async ({ actor, params, body, requestId }) =>
  json(await previewStoredAction(params.id, { incidentNumber: body.incidentNumber, parameters: body.sampleParameters }, { actor, requestId })),
);
