import { apiRoute, json } from '@/lib/platform/http/route';
import { previewActionOperation } from '@/lib/remediation/operations';
import { previewAction } from '@/lib/remediation/service';

export const POST = apiRoute(previewActionOperation, async ({ actor, body: { incidentNumber, sampleParameters, ...input }, requestId }) =>
  json(await previewAction(input, { incidentNumber, parameters: sampleParameters }, { actor, requestId })),
);
