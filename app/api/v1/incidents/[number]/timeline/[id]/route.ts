import { apiRoute, json } from '@/lib/platform/http/route';
import { editEventOperation } from '@/lib/timeline/operations';
import { editTimelineEvent } from '@/lib/timeline/service';

export const PATCH = apiRoute(editEventOperation, async ({ actor, params, body, requestId }) =>
  json(await editTimelineEvent(params.number, params.id, body, { actor, requestId })),
);
